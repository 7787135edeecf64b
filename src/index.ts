/** kravsync public API. */
export * from "./domain/index.ts"
