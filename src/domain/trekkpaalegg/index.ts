/** Trekkpålegg: the orders to withhold utleggstrekk from employees' pay (docs/trekkpaalegg.md). */
export * from "./Trekkpaalegg.ts"
export * as Trekkprosent from "./Trekkprosent.ts"
