/**
 * The Trekkpålegg client over the connection the settings name, for `kravsync reconcile
 * --trekkpaalegg`: beside the sandbox (its Trekkpålegg API at /api/trekkpaalegg/v1), Skatteetaten's
 * test environment at https://api-test.sits.no (apispesifikasjon/index.md), and for prod or custom
 * an explicit --api-url (the production URL is not published). The connection layer is passed in,
 * so the Krav og betalinger client and this one share one sandbox and one Maskinporten client.
 * `kravsync trekkpaalegg` finds the API with the same `baseUrlFor`.
 */
import type { HttpClient } from "@effect/platform"
import { Effect, Layer, Option } from "effect"
import type { Maskinporten } from "../../auth/Maskinporten.ts"
import { RunningSandbox } from "../../client/SandboxEnvironment.ts"
import { resilienceFor, type Settings, SettingsError } from "../../client/Settings.ts"
import { make, TEST_BASE_URL, TrekkpaaleggClient } from "../../client/TrekkpaaleggClient.ts"

/** Where the Trekkpålegg API is for the settings: beside the sandbox, the published test URL, or --api-url. */
export const baseUrlFor = (s: Settings) =>
  Effect.gen(function*() {
    const sandbox = yield* Effect.serviceOption(RunningSandbox)
    if (s.env === "sandbox" && Option.isSome(sandbox)) return { url: `${sandbox.value.url}/api/trekkpaalegg/v1`, environment: "sandbox" }
    if (s.env === "test") return { url: s.apiUrl ?? TEST_BASE_URL, environment: "test" }
    if (s.apiUrl === undefined) {
      return yield* new SettingsError({
        setting: "api-url",
        rule: `the Trekkpålegg API's ${s.env} URL is not published; give it with --api-url (up to /api/trekkpaalegg/v1)`,
        ruleNb: `Trekkpålegg-API-ets URL i ${s.env} er ikke publisert; oppgi den med --api-url (til og med /api/trekkpaalegg/v1)`
      })
    }
    return { url: s.apiUrl, environment: s.env === "prod" ? "prod" : s.apiUrl }
  })

/** The TrekkpaaleggClient over `connection` (Maskinporten, and RunningSandbox in the sandbox). */
export const trekkClientLayer = <E>(
  s: Settings,
  connection: Layer.Layer<Maskinporten, E>
): Layer.Layer<TrekkpaaleggClient, E | SettingsError, HttpClient.HttpClient> =>
  Layer.scoped(
    TrekkpaaleggClient,
    Effect.gen(function*() {
      const base = yield* baseUrlFor(s)
      return yield* make({
        apiBaseUrl: base.url,
        environment: base.environment,
        systemUser: s.systemUser === undefined || s.systemUser === "party" ? "party" : s.systemUser === "none" ? "none" : { org: s.systemUser },
        resilience: resilienceFor(s)
      })
    })
  ).pipe(Layer.provide(connection))
