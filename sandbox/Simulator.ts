/**
 * The sandbox: Skatteetaten's Krav og betalinger and Trekkpålegg APIs with Maskinporten and Altinn in front of them,
 * in-process on loopback. What tests, benchmarks, the demo and the CLI's default environment run
 * against (docs/sandbox.md).
 */
import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Context, Effect, Either, Layer, Schema, type Scope } from "effect"
import { exportJWK, generateKeyPair, type JWK } from "jose"
import { createServer } from "node:http"
import type { Dato } from "../src/domain/Dato.ts"
import * as D from "../src/domain/Dato.ts"
import * as Data from "./Data.ts"
import * as Faults from "./Faults.ts"
import * as Mp from "./Maskinporten.ts"
import * as Prng from "./Prng.ts"
import { router, type State, type Stats } from "./Server.ts"
import * as Trekk from "./trekkpaalegg/Generate.ts"

export type { Faults } from "./Faults.ts"
export { generateParty, largeAapneKrav, profiles } from "./Generate.ts"

/** The sandbox's fixed "today": generated data and open-claims totals are computed as of it. */
export const DEFAULT_TODAY = "2026-11-24" as Dato

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number
  readonly host?: string
  /** Scenario files (docs/sandbox.md); they add to or replace built-in parties. */
  readonly dataDir?: string
  readonly seed?: number
  readonly today?: Dato | string
  readonly faults?: Partial<Faults.Faults>
  readonly accessTokenTtlSeconds?: number
  readonly consentTtlSeconds?: number
  /**
   * The clock that Maskinporten's and Altinn's token lifetimes are checked against (default
   * `Date.now`): a test moves it forward instead of sleeping, so expiry does not race the machine's load.
   */
  readonly now?: () => number
  /** Parties that have not consented (finans → KB-005). Default: 311851381. */
  readonly withoutConsent?: ReadonlyArray<string>
}

export interface DemoClient {
  readonly clientId: string
  readonly orgnr: string
  readonly kid: string
  readonly privateJwk: JWK
  readonly publicJwk: JWK
  readonly scopes: ReadonlyArray<string>
}

export interface RegisterClient {
  readonly clientId: string
  readonly orgnr?: string
  readonly jwks?: ReadonlyArray<JWK>
  /** PEM business certificates the client may sign grants with (x5c). */
  readonly trustCertificates?: ReadonlyArray<string>
  readonly scopes?: ReadonlyArray<string>
  /** Customers with an Altinn system user for this client; default: every sandbox party. */
  readonly systemUserFor?: ReadonlyArray<string>
}

export interface SandboxHandle {
  readonly url: string
  readonly apiBaseUrl: string
  readonly legacyApiBaseUrl: string
  readonly maskinportenIssuer: string
  readonly altinnUrl: string
  readonly demoClient: DemoClient
  readonly parties: ReadonlyArray<string>
  readonly today: Dato
  readonly registerClient: (c: RegisterClient) => void
  readonly setFaults: (f: Partial<Faults.Faults>) => void
  /** Makes every access token issued so far invalid (the API answers KB-004). */
  readonly revokeTokens: () => void
  readonly revokeConsent: (part: string) => void
  /** A consent token from `part` to the demo vendor (or `consumerOrg`), as Altinn would issue it. */
  readonly consentToken: (part: string, consumerOrg?: string) => Promise<string>
  readonly stats: Stats & { readonly grants: ReadonlyArray<Record<string, unknown>> }
  readonly resetStats: () => void
  /** The Trekkpålegg API's history and clock (docs/sandbox.md, "Trekkpålegg"). */
  readonly trekk: TrekkHandle
}

export interface TrekkHandle {
  /** Every version of every order, published or not, by sekvensnummer. */
  readonly data: Trekk.TrekkData
  /** The day up to which versions are published; starts at `today`. */
  readonly clock: () => Dato
  /** Moves the clock `days` forward (or back), publishing what was created meanwhile. */
  readonly advance: (days: number) => void
  readonly setClock: (d: Dato) => void
}

export class SandboxError extends Schema.TaggedError<SandboxError>()("SandboxError", { message: Schema.String }) {}

/** The demo vendor: a registered Maskinporten client with a system user at every sandbox party. */
const DEMO_CLIENT_ID = "kravsync-sandbox-demo"
const DEMO_VENDOR_ORG = "310478717"

export const start = (options: SandboxOptions = {}): Effect.Effect<SandboxHandle, SandboxError, Scope.Scope> =>
  Effect.gen(function*() {
    const today = (options.today ?? DEFAULT_TODAY) as Dato
    const seed = options.seed ?? 1
    const parties = Data.builtIn({ seed, today })
    if (options.dataDir !== undefined) {
      const loaded = Data.loadScenarios(options.dataDir)
      if (Either.isLeft(loaded)) return yield* new SandboxError({ message: `scenario ${loaded.left.file}: ${loaded.left.message}` })
      for (const s of loaded.right) parties.set(s.part, s)
    }
    const keys = yield* Effect.promise(async () => {
      const server = await generateKeyPair("RS256", { extractable: true })
      const demo = await generateKeyPair("RS256", { extractable: true })
      return { server, demoPrivate: await exportJWK(demo.privateKey), demoPublic: await exportJWK(demo.publicKey) }
    })
    let issuer = ""
    let altinn = ""
    const grants: Array<Record<string, unknown>> = []
    const state: State = {
      grant: {
        issuer: () => issuer,
        clients: new Map(),
        usedJti: new Set(),
        liveTokens: new Set(),
        keys: keys.server,
        accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 120,
        grants,
        now: options.now ?? Date.now
      },
      consent: {
        issuer: () => altinn,
        keys: keys.server,
        ttlSeconds: options.consentTtlSeconds ?? 30,
        withoutConsent: new Set(options.withoutConsent ?? ["311851381"]),
        now: options.now ?? Date.now
      },
      parties,
      today,
      rng: Prng.make(seed),
      faults: { ...Faults.none, ...options.faults },
      stats: { tokenRequests: 0, apiRequests: 0, consentRequests: 0, byStatus: {}, headers: [], peakInFlight: 0 },
      inFlight: new Map(),
      rateWindow: new Map(),
      trekk: { data: Trekk.generate({ seed, today }), clock: today }
    }
    const kid = "kravsync-sandbox-demo-1"
    const demoClient: DemoClient = {
      clientId: DEMO_CLIENT_ID,
      orgnr: DEMO_VENDOR_ORG,
      kid,
      privateJwk: { ...keys.demoPrivate, kid, alg: "RS256", use: "sig" },
      publicJwk: { ...keys.demoPublic, kid, alg: "RS256", use: "sig" },
      scopes: [Mp.SCOPE, Mp.TREKK_SCOPE]
    }
    const registerClient = (c: RegisterClient) =>
      void state.grant.clients.set(c.clientId, {
        clientId: c.clientId,
        orgnr: c.orgnr ?? DEMO_VENDOR_ORG,
        jwks: c.jwks ?? [],
        certificates: c.trustCertificates ?? [],
        scopes: c.scopes ?? [Mp.SCOPE, Mp.TREKK_SCOPE],
        systemUserFor: new Set(c.systemUserFor ?? [...parties.keys()])
      })
    registerClient({ clientId: DEMO_CLIENT_ID, jwks: [demoClient.publicJwk] })

    const context = yield* Layer.build(
      HttpServer.serve(router(state)).pipe(
        Layer.provideMerge(
          NodeHttpServer.layer(() => createServer({ keepAliveTimeout: 60_000 }), { port: options.port ?? 0, host: options.host ?? "127.0.0.1" })
        )
      )
    ).pipe(Effect.mapError((e) => new SandboxError({ message: `the sandbox could not listen: ${String(e)}` })))
    const address = Context.get(context, HttpServer.HttpServer).address
    const host = address._tag === "TcpAddress" ? (address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname) : "127.0.0.1"
    const url = `http://${host}:${address._tag === "TcpAddress" ? address.port : 0}`
    issuer = `${url}/maskinporten/`
    altinn = `${url}/altinn`
    return {
      url,
      apiBaseUrl: `${url}/v1`,
      legacyApiBaseUrl: `${url}/api/innkreving/kravogbetalinger/v1`,
      maskinportenIssuer: issuer,
      altinnUrl: altinn,
      demoClient,
      parties: [...parties.keys()],
      today,
      registerClient,
      setFaults: (f) => {
        state.faults = { ...state.faults, ...f }
      },
      revokeTokens: () => state.grant.liveTokens.clear(),
      revokeConsent: (part) => void state.consent.withoutConsent.add(part),
      consentToken: async (part, consumerOrg = DEMO_VENDOR_ORG) => {
        const answer = await Mp.issueConsent(state.consent, part, consumerOrg)
        if (answer.status !== 200) throw new Error(String(answer.body["error_description"]))
        return String(answer.body["token"])
      },
      stats: Object.assign(state.stats, { grants }),
      resetStats: () => {
        state.stats.tokenRequests = 0
        state.stats.apiRequests = 0
        state.stats.consentRequests = 0
        state.stats.byStatus = {}
        state.stats.headers.length = 0
        state.stats.peakInFlight = 0
        grants.length = 0
      },
      trekk: {
        data: state.trekk.data,
        clock: () => state.trekk.clock,
        advance: (days) => {
          state.trekk.clock = D.addDays(state.trekk.clock, days)
        },
        setClock: (d) => {
          state.trekk.clock = d
        }
      }
    } satisfies SandboxHandle
  })

export class Sandbox extends Context.Tag("kravsync/Sandbox")<Sandbox, SandboxHandle>() {}

/** The sandbox as a Layer, for tests and hosts. */
export const layer = (options?: SandboxOptions): Layer.Layer<Sandbox, SandboxError> => Layer.scoped(Sandbox, start(options))
