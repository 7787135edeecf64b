/**
 * The accounting firm as a Maskinporten client of the sandbox: its own key, registered with an
 * Altinn system user at every sandbox party except those the portfolio says it has none for
 * (Portfolio.withoutSystemUser, as a client that never granted the firm access), and one
 * KravOgBetalingerClient over it — the one client a firm's run shares across all its clients.
 */
import type { HttpClient } from "@effect/platform"
import { Effect, Layer } from "effect"
import { exportJWK, generateKeyPair } from "jose"
import * as Mp from "../../src/auth/Maskinporten.ts"
import * as Key from "../../src/auth/SigningKey.ts"
import { type ClientOptions, KravOgBetalingerClient, make } from "../../src/client/KravOgBetalingerClient.ts"
import type { SandboxHandle } from "../Simulator.ts"

/** The firm's organisation number (a valid one not used by any sandbox party). */
export const FIRM_ORGNR = "999000002"
export const FIRM_CLIENT_ID = "kravsync-sandbox-firm"

export const firmClientLayer = (
  h: SandboxHandle,
  options: { readonly withoutSystemUser?: ReadonlyArray<string>; readonly client?: Partial<ClientOptions> } = {}
): Layer.Layer<KravOgBetalingerClient, Key.KeyLoadError, HttpClient.HttpClient> =>
  Layer.scoped(
    KravOgBetalingerClient,
    Effect.gen(function*() {
      const kid = "kravsync-firm-1"
      const pair = yield* Effect.promise(() => generateKeyPair("RS256", { extractable: true }))
      const [privateJwk, publicJwk] = yield* Effect.promise(() => Promise.all([exportJWK(pair.privateKey), exportJWK(pair.publicKey)]))
      const without = new Set(options.withoutSystemUser ?? [])
      h.registerClient({
        clientId: FIRM_CLIENT_ID,
        orgnr: FIRM_ORGNR,
        jwks: [{ ...publicJwk, kid, alg: "RS256", use: "sig" }],
        systemUserFor: h.parties.filter((p) => !without.has(p))
      })
      const key = yield* Key.load({ _tag: "Jwk", origin: Key.fromValue(JSON.stringify({ ...privateJwk, kid, alg: "RS256" }), "the sandbox firm's JWK"), kid })
      const mp = yield* Mp.make({ issuer: h.maskinportenIssuer, clientId: FIRM_CLIENT_ID, key })
      return yield* make({ apiBaseUrl: h.apiBaseUrl, environment: "sandbox", ...options.client }).pipe(Effect.provideService(Mp.Maskinporten, mp))
    })
  )
