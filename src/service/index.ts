/** kravsync as a service: the HttpApi contract, its handlers, API-key auth and the job runner (docs/service.md). */
export * as Api from "./Api.ts"
export { KravsyncApi } from "./Api.ts"
export * as Auth from "./Auth.ts"
export * as Errors from "./Errors.ts"
export * as Jobs from "./Jobs.ts"
export * as Ledgers from "./Ledgers.ts"
export * as Server from "./Server.ts"
