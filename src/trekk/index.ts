/** The reconciliation of Trekkpålegg against the utleggstrekk account 2610 (docs/trekkpaalegg.md). */
export * as Loennsgrunnlag from "./Loennsgrunnlag.ts"
export { reconcileTrekk, type TrekkInput, type TrekkOptions } from "./reconcile.ts"
export { assumptions, reconcileTrekkFrom, runTrekk, type TrekkFromSource, type TrekkRun } from "./run.ts"
export * as TrekkReport from "./Section.ts"
export { TrekkSection } from "./Section.ts"
export * as TrekkMapping from "./TrekkMapping.ts"
export { type TrekkRequest, TrekkUnavailable } from "./TrekkRequest.ts"
export { TrekkWorkbook, type TrekkWorkbookShape } from "./TrekkWorkbook.ts"
