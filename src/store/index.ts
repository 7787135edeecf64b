/** The store (runs, reports, sign-offs, comments over @effect/sql) and carry-forward of sign-offs. */
export * as CarryForward from "./CarryForward.ts"
export * as Database from "./Database.ts"
export * as Migrations from "./Migrations.ts"
export * as Records from "./Records.ts"
export { type NewComment, type NewRun, type NewSignOff, reportText, Store, type StoreShape, summaryOf } from "./Store.ts"
export { StoreError } from "./StoreError.ts"
export { storeReport } from "./StoreReport.ts"
