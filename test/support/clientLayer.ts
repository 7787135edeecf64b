import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import type { SandboxHandle as FakeHandle } from "../../sandbox/Simulator.ts"
import * as Consent from "../../src/auth/Consent.ts"
import * as Mp from "../../src/auth/Maskinporten.ts"
import * as Key from "../../src/auth/SigningKey.ts"
import { type ClientOptions, KravOgBetalingerClient, make } from "../../src/client/KravOgBetalingerClient.ts"

/** Fast retries for tests. */
export const fastRetry = { baseDelay: "5 millis", maxDelay: "30 millis", budget: "10 seconds", maxAttempts: 12 } as const

export const demoKey = (h: FakeHandle) => Key.load({ _tag: "Jwk", origin: Key.fromValue(JSON.stringify(h.demoClient.privateJwk), "demo JWK") })

/** Maskinporten + client over undici against a sandbox/fake handle. */
export const clientLayer = (
  h: FakeHandle,
  options: Partial<ClientOptions> = {},
  mpOptions: Partial<Mp.MaskinportenOptions> = {},
  consent?: Consent.ConsentProviderShape
): Layer.Layer<KravOgBetalingerClient | Mp.Maskinporten> =>
  Layer.unwrapScoped(
    Effect.gen(function*() {
      const key = yield* Effect.orDie(demoKey(h))
      const mp = yield* Mp.make({ issuer: h.maskinportenIssuer, clientId: h.demoClient.clientId, key, ...mpOptions })
      let eff = make({ apiBaseUrl: h.apiBaseUrl, environment: "sandbox", resilience: { retry: fastRetry, rateLimit: false }, ...options }).pipe(
        Effect.provideService(Mp.Maskinporten, mp)
      )
      if (consent) eff = Effect.provideService(eff, Consent.ConsentProvider, consent)
      const client = yield* eff
      return Layer.mergeAll(Layer.succeed(KravOgBetalingerClient, client), Layer.succeed(Mp.Maskinporten, mp))
    })
  ).pipe(Layer.provide(NodeHttpClient.layerUndici))
