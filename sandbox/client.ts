/**
 * `layerSandbox`: starts the in-process sandbox and wires
 * its registered demo client: Maskinporten at the sandbox's issuer, the client at its API, and for
 * `finans` its Altinn consent simulator. Offline; what the CLI uses by default.
 */
import type { HttpClient } from "@effect/platform"
import { Effect, Layer, type Scope } from "effect"
import * as Consent from "../src/auth/Consent.ts"
import * as Mp from "../src/auth/Maskinporten.ts"
import * as Key from "../src/auth/SigningKey.ts"
import { type ClientOptions, KravOgBetalingerClient, make } from "../src/client/KravOgBetalingerClient.ts"
import { RunningSandbox, SandboxEnvironment, SandboxUnavailable } from "../src/client/SandboxEnvironment.ts"
import * as Sandbox from "./Simulator.ts"
import type { SandboxHandle, SandboxOptions } from "./Simulator.ts"

export type { SandboxHandle, SandboxOptions } from "./Simulator.ts"

export { RunningSandbox, SandboxUnavailable }

export const startSandbox = (options: SandboxOptions = {}): Effect.Effect<SandboxHandle, SandboxUnavailable, Scope.Scope> =>
  Effect.mapError(Sandbox.start(options), (e) => new SandboxUnavailable({ reason: e.message }))

/** Where the sandbox's Altinn simulator hands out consent tokens; `{part}` is replaced. */
export const consentUrl = (h: SandboxHandle) => `${h.altinnUrl}/consent/{part}`

export const layerSandbox = (
  options: { readonly sandbox?: SandboxOptions; readonly client?: Partial<ClientOptions> } = {}
): Layer.Layer<KravOgBetalingerClient | Mp.Maskinporten | RunningSandbox, SandboxUnavailable | Key.KeyLoadError, HttpClient.HttpClient> =>
  Layer.unwrapScoped(
    Effect.gen(function*() {
      const h = yield* startSandbox(options.sandbox)
      const key = yield* Key.load({
        _tag: "Jwk",
        origin: Key.fromValue(JSON.stringify(h.demoClient.privateJwk), "the sandbox demo client's JWK"),
        kid: h.demoClient.kid
      })
      const mp = yield* Mp.make({ issuer: h.maskinportenIssuer, clientId: h.demoClient.clientId, key, scope: options.client?.scope })
      const consent = yield* Consent.fromHttp(consentUrl(h), { bearer: () => Effect.map(mp.token(), (t) => t.token) })
      const client = yield* make({ apiBaseUrl: h.apiBaseUrl, environment: "sandbox", ...options.client }).pipe(
        Effect.provideService(Mp.Maskinporten, mp),
        Effect.provideService(Consent.ConsentProvider, consent)
      )
      return Layer.mergeAll(Layer.succeed(KravOgBetalingerClient, client), Layer.succeed(Mp.Maskinporten, mp), Layer.succeed(RunningSandbox, h))
    })
  )

/** The SandboxEnvironment port (src/client/SandboxEnvironment.ts) served by this sandbox: what bin/ provides. */
export const environment: Layer.Layer<SandboxEnvironment> = Layer.succeed(SandboxEnvironment, {
  layer: (o) => layerSandbox({ sandbox: o.dataDir === undefined ? {} : { dataDir: o.dataDir }, ...(o.client === undefined ? {} : { client: o.client }) })
})
