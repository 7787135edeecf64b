/**
 * `layerSandbox`: starts the in-process sandbox (src/sandbox, its own helper's module) and wires
 * its registered demo client: Maskinporten at the sandbox's issuer, the client at its API, and for
 * `finans` its Altinn consent simulator. Offline; what the CLI uses by default.
 *
 * The sandbox module is loaded on first use through the contract below, so the client does not
 * depend on the sandbox's internals (and the library works without it).
 */
import { NodeHttpClient } from "@effect/platform-node"
import { Context, Effect, Layer, Schema, type Scope } from "effect"
import * as Consent from "../auth/Consent.ts"
import * as Mp from "../auth/Maskinporten.ts"
import * as Key from "../auth/SigningKey.ts"
import { type ClientOptions, KravOgBetalingerClient, make } from "./KravOgBetalingerClient.ts"

/** What kravsync needs from src/sandbox (its published contract). */
export interface SandboxOptions {
  readonly port?: number
  readonly host?: string
  readonly dataDir?: string
  readonly seed?: number
  readonly today?: string
  readonly accessTokenTtlSeconds?: number
  readonly consentTtlSeconds?: number
}

export interface SandboxHandle {
  readonly url: string
  readonly apiBaseUrl: string
  readonly maskinportenIssuer: string
  readonly altinnUrl: string
  readonly demoClient: {
    readonly clientId: string
    readonly orgnr: string
    readonly kid: string
    readonly privateJwk: object
    readonly scopes: ReadonlyArray<string>
  }
}

interface SandboxModule {
  readonly start: (options?: SandboxOptions) => Effect.Effect<SandboxHandle, { readonly message: string }, Scope.Scope>
}

export class SandboxUnavailable extends Schema.TaggedError<SandboxUnavailable>()("SandboxUnavailable", { reason: Schema.String }) {
  override get message() {
    return `the sandbox could not start: ${this.reason}`
  }
}

/** The running sandbox, for notes ("sandbox data at …") and tests. */
export class RunningSandbox extends Context.Tag("kravsync/RunningSandbox")<RunningSandbox, SandboxHandle>() {}

const specifier = "../sandbox/index.ts"

export const startSandbox = (options: SandboxOptions = {}): Effect.Effect<SandboxHandle, SandboxUnavailable, Scope.Scope> =>
  Effect.tryPromise({
    try: () => import(/* @vite-ignore */ specifier) as Promise<SandboxModule>,
    catch: () => new SandboxUnavailable({ reason: "src/sandbox is not part of this build" })
  }).pipe(Effect.flatMap((m) => m.start(options).pipe(Effect.mapError((e) => new SandboxUnavailable({ reason: e.message })))))

/** Where the sandbox's Altinn simulator hands out consent tokens; `{part}` is replaced. */
export const consentUrl = (h: SandboxHandle) => `${h.altinnUrl}/consent/{part}`

export const layerSandbox = (
  options: { readonly sandbox?: SandboxOptions; readonly client?: Partial<ClientOptions> } = {}
): Layer.Layer<KravOgBetalingerClient | Mp.Maskinporten | RunningSandbox, SandboxUnavailable | Key.KeyLoadError> =>
  Layer.unwrapScoped(
    Effect.gen(function* () {
      const h = yield* startSandbox(options.sandbox)
      const key = yield* Key.load({ _tag: "Jwk", origin: Key.fromValue(JSON.stringify(h.demoClient.privateJwk), "the sandbox demo client's JWK"), kid: h.demoClient.kid })
      const mp = yield* Mp.make({ issuer: h.maskinportenIssuer, clientId: h.demoClient.clientId, key, scope: options.client?.scope })
      const consent = yield* Consent.fromHttp(consentUrl(h), { bearer: () => Effect.map(mp.token(), (t) => t.token) })
      const client = yield* make({ apiBaseUrl: h.apiBaseUrl, environment: "sandbox", ...options.client }).pipe(
        Effect.provideService(Mp.Maskinporten, mp),
        Effect.provideService(Consent.ConsentProvider, consent)
      )
      return Layer.mergeAll(Layer.succeed(KravOgBetalingerClient, client), Layer.succeed(Mp.Maskinporten, mp), Layer.succeed(RunningSandbox, h))
    })
  ).pipe(Layer.provide(NodeHttpClient.layerUndici))
