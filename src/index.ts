/** kravsync public API. */
export * from "./domain/index.ts"
export * as Reconcile from "./reconcile/index.ts"
