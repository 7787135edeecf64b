/**
 * Where and as whom the connector talks to Tripletex, read from the environment with `Config`.
 *
 * Tokens (spec info, "Authentication"): the consumer token identifies the integration (issued by
 * Tripletex), the employee token is created by an administrator in the user's Tripletex account
 * for that consumer token. The company id is the Basic-auth user name: 0 is the employee's own
 * company, another id a client company an accountant may act for (`/company/>withLoginAccess`).
 */
import { Config, type Duration, type Redacted } from "effect"

export const environments = {
  production: "https://tripletex.no/v2",
  test: "https://api-test.tripletex.tech/v2"
} as const
export type TripletexEnvironment = keyof typeof environments

export interface TripletexSettings {
  /** API root without a trailing slash, e.g. `https://tripletex.no/v2`. */
  readonly baseUrl: string
  readonly consumerToken: Redacted.Redacted<string>
  readonly employeeToken: Redacted.Redacted<string>
  /** Basic-auth user: 0 for the employee's own company, else a client company's id. */
  readonly companyId: number
  /** `count` per page (Tripletex's default 1 000). */
  readonly pageSize?: number | undefined
  /** Requests in flight at once (default 4). */
  readonly concurrency?: number | undefined
  /** Per-request timeout, headers and body (default 30 s). */
  readonly timeout?: Duration.DurationInput | undefined
  /** Total time for one request's retries (default 2 minutes). */
  readonly retryBudget?: Duration.DurationInput | undefined
  /** First retry delay (default 200 ms); tests shorten it. */
  readonly retryBaseDelay?: Duration.DurationInput | undefined
  /** Web address vouchers are linked to (default: the API root's origin). */
  readonly webUrl?: string | undefined
}

export const envNames = {
  consumerToken: "KRAVSYNC_TRIPLETEX_CONSUMER_TOKEN",
  employeeToken: "KRAVSYNC_TRIPLETEX_EMPLOYEE_TOKEN",
  companyId: "KRAVSYNC_TRIPLETEX_COMPANY_ID",
  env: "KRAVSYNC_TRIPLETEX_ENV",
  baseUrl: "KRAVSYNC_TRIPLETEX_BASE_URL"
} as const

const trimSlash = (s: string) => s.replace(/\/+$/, "")

/** The settings from KRAVSYNC_TRIPLETEX_* (docs/connectors.md, «Tripletex»). */
export const config: Config.Config<TripletexSettings> = Config.all({
  consumerToken: Config.redacted(envNames.consumerToken),
  employeeToken: Config.redacted(envNames.employeeToken),
  companyId: Config.integer(envNames.companyId).pipe(
    Config.validate({ message: "must be 0 (your own company) or a client company's id", validation: (n) => n >= 0 }),
    Config.withDefault(0)
  ),
  env: Config.literal("production", "test")(envNames.env).pipe(Config.withDefault("production" as const)),
  baseUrl: Config.option(Config.url(envNames.baseUrl))
}).pipe(
  Config.map(({ baseUrl, env, ...rest }) => ({
    ...rest,
    baseUrl: baseUrl._tag === "Some" ? trimSlash(baseUrl.value.toString()) : environments[env]
  }))
)
