/**
 * The sandbox's HTTP routes: Skatteetaten's Krav og betalinger API (today's `/v1/…` layout and
 * the seed page's older `/api/innkreving/kravogbetalinger/v1/…`), the Maskinporten simulator and
 * the Altinn consent simulator, on one @effect/platform HttpServer.
 *
 * Error codes, statuses and the body format come from the seed page's table
 * (seed-examples/krav-og-betalinger-api-page-2025.md) and om/feil.md; the 5-concurrent-calls rule
 * from om/bruk.md; access rules from om/rettighetspakker.md, om/systembruker.md, om/samtykke.md.
 *
 * The Trekkpålegg API (`/api/trekkpaalegg/v1`, beta-apier/docs/trekkpaalegg/apispesifikasjon/
 * index.md) sits behind the same Maskinporten checks with its own scope (tilgang.md), the same
 * fault injection and the same KB-coded errors (api/trekkpaalegg.md "Feilkoder"); the trekkpliktig
 * is the token's system user, or the client's own organisation without one (tilgang.md,
 * alternatives 2 and 1). What it answers is in sandbox/trekkpaalegg/Api.ts.
 */
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeHttpServerRequest } from "@effect/platform-node"
import { Effect, Either } from "effect"
import { randomUUID } from "node:crypto"
import type { Dato } from "../src/domain/Dato.ts"
import { documentFor, type Endepunkt } from "../src/domain/Dokumenter.ts"
import * as PartIdentifikator from "../src/domain/PartIdentifikator.ts"
import * as Periode from "../src/domain/Periode.ts"
import { encodeFeilXml, encodeXml } from "../src/domain/xml.ts"
import * as Data from "./Data.ts"
import type { Faults } from "./Faults.ts"
import * as Mp from "./Maskinporten.ts"
import type { Prng } from "./Prng.ts"
import * as TrekkApi from "./trekkpaalegg/Api.ts"
import type { TrekkData } from "./trekkpaalegg/Generate.ts"

export const KB = {
  "KB-001": { status: 500, melding: "Uventet feil på tjenesten." },
  "KB-002": { status: 500, melding: "Uventet feil i et bakenforliggende system." },
  "KB-003": { status: 404, melding: "Ukjent url benyttet." },
  "KB-004": { status: 401, melding: "Feil i forbindelse med autentisering." },
  "KB-005": { status: 403, melding: "Feil i forbindelse med samtykketoken." },
  "KB-006": { status: 400, melding: "Feil i forbindelse med validering av inputdata." },
  "KB-007": { status: 404, melding: "Fant ingen krav/betalinger på angitt identifikator og periode." },
  "KB-008": { status: 406, melding: "Feil tilknyttet dataformat. Kun json eller xml er støttet." },
  "KB-009": { status: 404, melding: "Ingen treff på oppgitt identifikator." }
} as const
export type Kode = keyof typeof KB

export interface Stats {
  tokenRequests: number
  apiRequests: number
  consentRequests: number
  byStatus: Record<number, number>
  /** Request headers of each API request, for tests. */
  headers: Array<Record<string, string>>
  /** The most API requests one caller (one access token) had in flight at once, counted whether or not the rule is enforced. */
  peakInFlight: number
}

/** Everything the routes read and mutate; owned by index.ts. */
export interface State {
  readonly grant: Mp.GrantState
  readonly consent: Mp.ConsentState
  readonly parties: Map<string, Data.PartySource>
  readonly today: Dato
  readonly rng: Prng
  faults: Faults
  readonly stats: Stats
  readonly inFlight: Map<string, number>
  readonly rateWindow: Map<string, { second: number; count: number }>
  /** The Trekkpålegg history and the clock that decides which versions are published. */
  readonly trekk: { readonly data: TrekkData; clock: Dato }
}

/** A person the sandbox treats as owner of an ENK, so that ENK's system user may read the person's claims. */
const PERSON_OWNERS: Record<string, string> = { "04827896468": "212201782" }

type Format = "json" | "xml"

const korrelasjonsid = () => randomUUID()

const respond = (state: State, status: number, body: string, contentType: string, korr: string, extra: Record<string, string> = {}) => {
  state.stats.byStatus[status] = (state.stats.byStatus[status] ?? 0) + 1
  return HttpServerResponse.text(body, { status, contentType, headers: { Korrelasjonsid: korr, ...extra } })
}

const feil = (state: State, kode: Kode, format: Format, detail?: string, extra: Record<string, string> = {}) => {
  const korr = korrelasjonsid()
  const melding = detail ? `${KB[kode].melding} ${detail}` : KB[kode].melding
  return format === "xml"
    ? respond(state, KB[kode].status, encodeFeilXml({ kode, melding, korrelasjonsid: korr }), "application/xml; charset=utf-8", korr, extra)
    : respond(state, KB[kode].status, JSON.stringify({ kode, melding, korrelasjonsid: korr }), "application/json; charset=utf-8", korr, extra)
}

/** JSON is the default (om/bruk.md); only JSON and XML are offered (KB-008). */
const negotiate = (accept: string | undefined): Format | undefined => {
  if (accept === undefined || accept.trim() === "") return "json"
  const types = accept.split(",").map((t) => t.split(";")[0]?.trim().toLowerCase() ?? "")
  for (const t of types) {
    if (t === "application/json" || t === "*/*" || t === "application/*") return "json"
    if (t === "application/xml" || t === "text/xml") return "xml"
  }
  return undefined
}

/** The configured faults for one authenticated API request: a response to send instead of the answer, or undefined. */
const injectFaults = (state: State, req: HttpServerRequest.HttpServerRequest, orgnr: string, format: Format) =>
  Effect.gen(function*() {
    const f = state.faults
    if (f.latencyMs > 0) yield* Effect.sleep(`${f.latencyMs} millis`)
    if (f.dropShare > 0 && state.rng.next() < f.dropShare) {
      NodeHttpServerRequest.toIncomingMessage(req).socket.destroy()
      return HttpServerResponse.empty({ status: 500 })
    }
    const retryAfter = { "Retry-After": String(f.retryAfterSeconds) }
    if (f.tooManyRequests > 0) {
      state.faults = { ...f, tooManyRequests: f.tooManyRequests - 1 }
      return respond(state, 429, "", "text/plain", korrelasjonsid(), retryAfter)
    }
    if (f.rate429Share > 0 && state.rng.next() < f.rate429Share) return respond(state, 429, "", "text/plain", korrelasjonsid(), retryAfter)
    if (f.rateLimitPerSecond > 0) {
      const second = Math.floor(Date.now() / 1000)
      const w = state.rateWindow.get(orgnr)
      const count = w !== undefined && w.second === second ? w.count + 1 : 1
      state.rateWindow.set(orgnr, { second, count })
      if (count > f.rateLimitPerSecond) return respond(state, 429, "", "text/plain", korrelasjonsid(), { "Retry-After": "1" })
    }
    if (f.forceKode !== undefined && f.forceKode in KB) return feil(state, f.forceKode as Kode, format)
    if (f.kb001Share > 0 && state.rng.next() < f.kb001Share) return feil(state, "KB-001", format)
    if (f.kb002Share > 0 && state.rng.next() < f.kb002Share) return feil(state, "KB-002", format)
    return undefined
  })

const API_PATH = /^(?:\/v1|\/api\/innkreving\/kravogbetalinger\/v1)\/([^/]+)\/([^/]+)\/([^/?]+)$/

const api = (state: State) =>
  Effect.gen(function*() {
    const req = yield* HttpServerRequest.HttpServerRequest
    const query = yield* HttpServerRequest.ParsedSearchParams
    if (new URL(req.url, "http://sandbox").pathname.startsWith(TREKK_PREFIX)) return yield* trekkpaalegg(state, req, query)
    state.stats.apiRequests++
    state.stats.headers.push({ ...req.headers })
    const url = new URL(req.url, "http://sandbox")
    const format = negotiate(req.headers["accept"])
    if (format === undefined) return feil(state, "KB-008", "json", `Accept "${req.headers["accept"]}" støttes ikke.`)
    const m = API_PATH.exec(url.pathname)
    const rettighetspakke = m?.[1]
    const endpoint = m?.[3] as Endepunkt | undefined
    if (
      req.method !== "GET" || m === null || (rettighetspakke !== "regnskapssystem" && rettighetspakke !== "finans") || endpoint === undefined ||
      !(endpoint in documentFor)
    ) {
      return feil(state, "KB-003", format)
    }
    const part = m[2] ?? ""

    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers["authorization"] ?? "")?.[1]
    if (bearer === undefined) return feil(state, "KB-004", format, "Maskinporten-token mangler.")
    const access = yield* Effect.promise(() => Mp.verifyAccessToken(state.grant, bearer))
    if ("problem" in access) return feil(state, "KB-004", format, `Maskinporten-${access.problem}.`)
    if (!access.scopes.includes(Mp.SCOPE)) return feil(state, "KB-004", format, `Tokenet mangler scope ${Mp.SCOPE}.`)

    // Faults come after authentication, like a backend failure would.
    const fault = yield* injectFaults(state, req, access.orgnr, format)
    if (fault !== undefined) return fault

    const identifier = PartIdentifikator.classify(part)
    if (Either.isLeft(identifier)) return feil(state, "KB-006", format, identifier.left.message)

    if (rettighetspakke === "regnskapssystem") {
      const su = access.systemUserOrg
      if (su === undefined) return feil(state, "KB-004", format, "Tokenet mangler systembruker (authorization_details).")
      if (su !== part && PERSON_OWNERS[part] !== su) return feil(state, "KB-004", format, "Systembrukeren har ikke tilgang til parten.")
    } else {
      const problem = yield* Effect.promise(() => Mp.checkConsent(state.consent, req.headers["altinnsamtykke"], part, access.orgnr))
      if (problem !== undefined) return feil(state, "KB-005", format, problem)
    }

    let periode: Periode.Periode | undefined
    if (endpoint !== "aapnekrav") {
      const fra = query["fraOgMed"]
      const til = query["tilOgMed"]
      if (typeof fra !== "string" || typeof til !== "string") return feil(state, "KB-006", format, "fraOgMed og tilOgMed må oppgis.")
      const p = Periode.make(fra, til)
      if (Either.isLeft(p)) return feil(state, "KB-006", format, p.left.message)
      if (!Periode.withinOneYear(p.right)) return feil(state, "KB-006", format, "Perioden kan være maks ett år.")
      periode = p.right
    }

    const source = state.parties.get(part)
    if (source === undefined) return feil(state, "KB-009", format)
    const answer = Data.answer(source, endpoint, periode, state.today)
    if (answer._tag === "Empty") return feil(state, "KB-007", format)
    const korr = korrelasjonsid()
    if (format === "json") {
      const body = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body)
      return respond(state, 200, body, "application/json; charset=utf-8", korr)
    }
    const wire = typeof answer.body === "string" ? JSON.parse(answer.body) : answer.body
    const doc = documentFor[endpoint]
    return respond(state, 200, encodeXml(doc.schema as never, doc.xmlRoot, wire as never), "application/xml; charset=utf-8", korr)
  })

const TREKK_PREFIX = "/api/trekkpaalegg/"

/** GET /api/trekkpaalegg/v1[/{trekkid}/{trekkversjon}] for the trekkpliktig the token names. */
const trekkpaalegg = (state: State, req: HttpServerRequest.HttpServerRequest, query: Readonly<Record<string, string | ReadonlyArray<string>>>) =>
  Effect.gen(function*() {
    state.stats.apiRequests++
    state.stats.headers.push({ ...req.headers })
    const format = negotiate(req.headers["accept"])
    // The API offers JSON only ("Trekkpålegget leveres i formatet JSON").
    if (format !== "json") return feil(state, "KB-008", "json", `Accept "${req.headers["accept"]}" støttes ikke; kun JSON.`)
    const url = new URL(req.url, "http://sandbox")
    if (req.method !== "GET" || !TrekkApi.PATH.test(url.pathname)) return feil(state, "KB-003", format)
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers["authorization"] ?? "")?.[1]
    if (bearer === undefined) return feil(state, "KB-004", format, "Maskinporten-token mangler.")
    const access = yield* Effect.promise(() => Mp.verifyAccessToken(state.grant, bearer))
    if ("problem" in access) return feil(state, "KB-004", format, `Maskinporten-${access.problem}.`)
    if (!access.scopes.includes(Mp.TREKK_SCOPE)) return feil(state, "KB-004", format, `Tokenet mangler scope ${Mp.TREKK_SCOPE}.`)
    const fault = yield* injectFaults(state, req, access.orgnr, format)
    if (fault !== undefined) return fault
    const trekkpliktig = access.systemUserOrg ?? access.orgnr
    const a = TrekkApi.answer(state.trekk.data, trekkpliktig, url.pathname, query, state.trekk.clock)
    if (a._tag === "Feil") return feil(state, a.kode, format, a.detail)
    return respond(state, 200, JSON.stringify(a.body), "application/json; charset=utf-8", korrelasjonsid())
  })

/** om/bruk.md: no more than 5 concurrent calls per organisation; counted always (stats.peakInFlight), enforced with 429 when asked. */
const withConcurrencyRule = (state: State, handler: ReturnType<typeof api>) =>
  Effect.gen(function*() {
    const req = yield* HttpServerRequest.HttpServerRequest
    // The caller's organisation is not known before the token is read; the token itself is a fine key.
    const key = req.headers["authorization"] ?? "anonymous"
    const n = state.inFlight.get(key) ?? 0
    if (state.faults.enforceConcurrency && n >= 5) return respond(state, 429, "", "text/plain", korrelasjonsid(), { "Retry-After": "1" })
    state.inFlight.set(key, n + 1)
    state.stats.peakInFlight = Math.max(state.stats.peakInFlight, n + 1)
    return yield* handler.pipe(Effect.ensuring(Effect.sync(() => state.inFlight.set(key, (state.inFlight.get(key) ?? 1) - 1))))
  })

const oauth = (state: State, answer: Mp.OAuthAnswer) =>
  respond(state, answer.status, JSON.stringify(answer.body), "application/json; charset=utf-8", korrelasjonsid(), { "Cache-Control": "no-store" })

const token = (state: State) =>
  Effect.gen(function*() {
    const req = yield* HttpServerRequest.HttpServerRequest
    state.stats.tokenRequests++
    const body = yield* Effect.orElseSucceed(req.text, () => "")
    return oauth(state, yield* Effect.promise(() => Mp.grant(state.grant, new URLSearchParams(body))))
  })

const metadata = (state: State) =>
  Effect.sync(() => {
    const issuer = state.grant.issuer()
    return HttpServerResponse.unsafeJson({
      issuer,
      token_endpoint: `${issuer}token`,
      grant_types_supported: ["urn:ietf:params:oauth:grant-type:jwt-bearer"],
      token_endpoint_auth_methods_supported: ["private_key_jwt"],
      authorization_details_types_supported: ["urn:altinn:systemuser"]
    })
  })

/** GET /altinn/consent/{part} with a Maskinporten bearer: a consent token the party gave the caller. */
const consent = (state: State) =>
  Effect.gen(function*() {
    const req = yield* HttpServerRequest.HttpServerRequest
    const { part = "" } = yield* HttpRouter.params
    state.stats.consentRequests++
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers["authorization"] ?? "")?.[1]
    const access = bearer === undefined ? { problem: "missing" } : yield* Effect.promise(() => Mp.verifyAccessToken(state.grant, bearer))
    if ("problem" in access) return oauth(state, { status: 401, body: { error: "invalid_token", error_description: "a valid Maskinporten token is required" } })
    return oauth(state, yield* Effect.promise(() => Mp.issueConsent(state.consent, part, access.orgnr)))
  })

export const router = (state: State) =>
  HttpRouter.empty.pipe(
    HttpRouter.post("/maskinporten/token", token(state)),
    HttpRouter.get("/maskinporten/.well-known/oauth-authorization-server", metadata(state)),
    HttpRouter.get("/altinn/consent/:part", consent(state)),
    HttpRouter.all("*", withConcurrencyRule(state, api(state))),
    HttpRouter.catchAllCause((cause) => Effect.as(Effect.logError("sandbox route failed", cause), HttpServerResponse.empty({ status: 500 })))
  )
