/** A Trekkpålegg client over undici against a running sandbox, with fast retries for tests. */
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import type { SandboxHandle } from "../../sandbox/Simulator.ts"
import * as Mp from "../../src/auth/Maskinporten.ts"
import { make, TrekkpaaleggClient, type TrekkpaaleggClientOptions } from "../../src/client/TrekkpaaleggClient.ts"
import { demoKey, fastRetry } from "../support/clientLayer.ts"

export const trekkBaseUrl = (h: SandboxHandle) => `${h.url}/api/trekkpaalegg/v1`

export const trekkLayer = (h: SandboxHandle, options: Partial<TrekkpaaleggClientOptions> = {}): Layer.Layer<TrekkpaaleggClient | Mp.Maskinporten> =>
  Layer.unwrapScoped(
    Effect.gen(function*() {
      const key = yield* Effect.orDie(demoKey(h))
      const mp = yield* Mp.make({ issuer: h.maskinportenIssuer, clientId: h.demoClient.clientId, key })
      const client = yield* make({ apiBaseUrl: trekkBaseUrl(h), environment: "sandbox", resilience: { retry: fastRetry, rateLimit: false }, ...options }).pipe(
        Effect.provideService(Mp.Maskinporten, mp)
      )
      return Layer.mergeAll(Layer.succeed(TrekkpaaleggClient, client), Layer.succeed(Mp.Maskinporten, mp))
    })
  ).pipe(Layer.provide(NodeHttpClient.layerUndici))
