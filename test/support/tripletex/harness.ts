/** Test wiring: a fake Tripletex with the contract check attached, and settings pointing at it. */
import { Duration, Effect, Redacted, type Scope } from "effect"
import type { TripletexSettings } from "../../../connectors/tripletex/Settings.ts"
import { make, type TripletexSourceOptions } from "../../../connectors/tripletex/TripletexLedgerSource.ts"
import type { Dato } from "../../../src/domain/Dato.ts"
import type { PartIdentifikator } from "../../../src/domain/PartIdentifikator.ts"
import type { LedgerQuery } from "../../../src/reconcile/LedgerSource.ts"
import { testHttp } from "../http.ts"
import { type Contract, makeContract } from "./contract.ts"
import { type FakeTripletex, type FakeTripletexOptions, start } from "./FakeTripletex.ts"

let shared: Contract | undefined
/** One contract (compiled schemas) per test file; violations are cleared per fake. */
export const contract = (): Contract => (shared ??= makeContract())

export const startChecked = (options: FakeTripletexOptions = {}): Effect.Effect<{ fake: FakeTripletex; contract: Contract }, never, Scope.Scope> =>
  Effect.gen(function*() {
    const c = contract()
    c.violations.length = 0
    const fake = yield* start({ ...options, onExchange: (x) => (c.record(x), options.onExchange?.(x)) })
    return { fake, contract: c }
  })

export const settingsFor = (fake: FakeTripletex, over: Partial<TripletexSettings> = {}): TripletexSettings => ({
  baseUrl: fake.url,
  consumerToken: Redacted.make(fake.consumerToken),
  employeeToken: Redacted.make(fake.employeeToken),
  companyId: 0,
  retryBaseDelay: Duration.millis(20),
  ...over
})

export const sourceFor = (fake: FakeTripletex, over: Partial<TripletexSettings> = {}, options: TripletexSourceOptions = {}) =>
  make(settingsFor(fake, over), options, testHttp)

export const query = (accounts: ReadonlyArray<string>, fraOgMed = "2023-01-01", tilOgMed = "2023-12-31", company = "212201782"): LedgerQuery => ({
  company: company as PartIdentifikator,
  periode: { fraOgMed: fraOgMed as Dato, tilOgMed: tilOgMed as Dato },
  accounts
})
