/** Generic HTTP resilience shared by every HTTP client in kravsync (docs/http.md). */
export * from "./Gate.ts"
export * from "./Resilience.ts"
export * from "./RetryPolicy.ts"
