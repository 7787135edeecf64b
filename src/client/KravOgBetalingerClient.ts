/**
 * The Krav og betalinger API v1 client: one service, four endpoints
 * (api/kravogbetalinger.md; URL `{apiBaseUrl}/{rettighetspakke}/{part}/{endepunkt}`, om/url.md).
 *
 * Modelled on @effect/ai-openai's OpenAiClient: a service behind a tag, `make` takes the
 * HttpClient (made resilient by src/http: retries on KB-001/KB-002/other 5xx, connection resets
 * and timeouts within a budget, Retry-After on 429, at most 5 requests in flight as om/bruk.md
 * asks, a client-side rate limit), `mapRequest` adds the base URL and the bearer token, and the
 * response is decoded into the model or mapped to one tagged error per KB code.
 *
 * Input is validated before any request. A period longer than one year is split into yearly
 * calls (the API allows at most one year) and the answers merged. `fetch` also returns the
 * korrelasjonsid of every call (for reports) and, in lenient mode, the list elements that did not
 * decode. Logs and spans carry the endpoint, the masked party and the korrelasjonsid — never a
 * token, a key, a consent token or a full fødselsnummer.
 */
import { HttpClient, type HttpClientError, HttpClientRequest } from "@effect/platform"
import { Clock, Context, Duration, Effect, Either, Layer, Option, Redacted, type Scope } from "effect"
import { ConsentProvider } from "../auth/Consent.ts"
import { Maskinporten, type TokenRequest } from "../auth/Maskinporten.ts"
import { documentFor, type Endepunkt, type Rettighetspakke } from "../domain/Dokumenter.ts"
import * as PartIdentifikator from "../domain/PartIdentifikator.ts"
import * as Periode from "../domain/Periode.ts"
import { isTimeout, type ResilienceOptions, withResilience } from "../http/Resilience.ts"
import { decodeLenient, type DecodeProblem, decodeStrict, type DocumentOf, type Rejected } from "./decode.ts"
import * as Errors from "./errors.ts"
import { parseFeil, readXmlDocument } from "./xml.ts"

export type Format = "json" | "xml"

export interface PeriodeInput {
  readonly fraOgMed: string
  readonly tilOgMed: string
}

export interface FetchOptions {
  /** Decode list elements one by one and return the bad ones as `rejected`. Default false (strict). */
  readonly lenient?: boolean | undefined
  readonly accept?: Format | undefined
}

/** A document with what the report needs about how it was fetched. */
export interface Fetched<E extends Endepunkt> {
  readonly endpoint: E
  readonly document: DocumentOf<E>
  /** One per API call that answered 200, in call order (several when the period was split). */
  readonly korrelasjonsider: ReadonlyArray<string>
  /** List elements set aside by a lenient decode; always empty in strict mode. */
  readonly rejected: ReadonlyArray<Rejected>
}

export interface KravOgBetalingerClientShape {
  /** "sandbox", "test", "prod" or the base URL. */
  readonly environment: string
  readonly rettighetspakke: Rettighetspakke
  readonly aapneKrav: (part: string) => Effect.Effect<DocumentOf<"aapnekrav">, Errors.KravOgBetalingerError>
  readonly krav: (part: string, periode: PeriodeInput) => Effect.Effect<DocumentOf<"krav">, Errors.KravOgBetalingerError>
  readonly innbetalinger: (part: string, periode: PeriodeInput) => Effect.Effect<DocumentOf<"innbetalinger">, Errors.KravOgBetalingerError>
  readonly utbetalinger: (part: string, periode: PeriodeInput) => Effect.Effect<DocumentOf<"utbetalinger">, Errors.KravOgBetalingerError>
  /** Any endpoint, with korrelasjonsids and (lenient mode) rejected elements. `periode` is ignored for aapnekrav. */
  readonly fetch: <E extends Endepunkt>(
    endpoint: E,
    part: string,
    periode?: PeriodeInput | undefined,
    options?: FetchOptions
  ) => Effect.Effect<Fetched<E>, Errors.KravOgBetalingerError>
}

export class KravOgBetalingerClient extends Context.Tag("kravsync/KravOgBetalingerClient")<KravOgBetalingerClient, KravOgBetalingerClientShape>() {}

export interface ClientOptions {
  /** Up to and including /v1. */
  readonly apiBaseUrl: string
  /** Label for logs and reports ("sandbox", "test", "prod"). Default: the base URL. */
  readonly environment?: string | undefined
  /** Default "regnskapssystem" (system user in the token); "finans" sends AltinnSamtykke. */
  readonly rettighetspakke?: Rettighetspakke | undefined
  readonly accept?: Format | undefined
  /**
   * Which customer's Altinn system user the token names (regnskapssystem): "party" — the
   * organisation being asked about (default); "none"; or a fixed organisation number.
   */
  readonly systemUser?: "party" | "none" | { readonly org: string } | undefined
  /** Maskinporten scope. Default skatteetaten:kravogbetalinger. */
  readonly scope?: string | undefined
  /** HTTP resilience (src/http). Defaults: 5 in flight, 100 requests/s, 30 s timeout, 6 attempts in 30 s. */
  readonly resilience?: ResilienceOptions | undefined
}

export const defaultResilience: ResilienceOptions = {
  concurrency: 5,
  rateLimit: { limit: 100, interval: "1 second" },
  timeout: "30 seconds",
  retry: { maxAttempts: 6, baseDelay: "200 millis", maxDelay: "5 seconds", budget: "30 seconds" }
}

const mergeResilience = (o: ResilienceOptions | undefined): ResilienceOptions => ({
  ...defaultResilience,
  ...o,
  retry: o?.retry === false ? false : { ...(defaultResilience.retry || {}), ...(o?.retry || {}) }
})

/** "/v1/regnskapssystem/04827896468/krav" → "/v1/regnskapssystem/048278*****\/krav": paths in logs never carry a full fødselsnummer. */
export const maskPath = (url: string): string => {
  const path = (() => {
    try {
      return new URL(url).pathname
    } catch {
      return url
    }
  })()
  return path.split("/").map((s) => PartIdentifikator.mask(s)).join("/")
}

const validatePart = (part: string) =>
  Either.match(PartIdentifikator.parse(part), {
    onLeft: (e) => Effect.fail(new Errors.InvalidInputError({ argument: "part", rule: e.message })),
    onRight: (p) => Effect.succeed(p as string)
  })

const validatePeriode = (p: PeriodeInput | undefined) =>
  p === undefined
    ? Effect.fail(new Errors.InvalidInputError({ argument: "periode", rule: "fraOgMed and tilOgMed are required for this endpoint" }))
    : Either.match(Periode.make(p.fraOgMed, p.tilOgMed), {
      onLeft: (e) => Effect.fail(new Errors.InvalidInputError({ argument: e.field, rule: e.message })),
      onRight: (x) => Effect.succeed(x)
    })

interface CallResult<E extends Endepunkt> {
  readonly document: DocumentOf<E>
  readonly korrelasjonsid: string | undefined
  readonly rejected: ReadonlyArray<Rejected>
}

/** Identity of a list element, for dropping exact repeats when yearly answers overlap. */
const mergeLists = <E extends Endepunkt>(endpoint: E, docs: ReadonlyArray<DocumentOf<E>>, periode: Periode.Periode): DocumentOf<E> => {
  const first = docs[0] as Record<string, unknown>
  const field = documentFor[endpoint].list
  const seen = new Set<string>()
  const merged: Array<unknown> = []
  let any = false
  for (const d of docs as ReadonlyArray<Record<string, unknown>>) {
    const list = d[field]
    if (!Array.isArray(list)) continue
    any = true
    for (const item of list) {
      // Only byte-identical repeats are dropped: two different elements are never merged away.
      const key = JSON.stringify(item)
      if (seen.has(key)) continue
      seen.add(key)
      merged.push(item)
    }
  }
  const skjermet = (docs as ReadonlyArray<{ skjermet?: boolean | null }>).some((d) => d.skjermet === true)
  return { ...first, periode, ...(skjermet ? { skjermet: true } : {}), ...(any ? { [field]: merged } : {}) } as DocumentOf<E>
}

export const make = (options: ClientOptions): Effect.Effect<KravOgBetalingerClientShape, never, HttpClient.HttpClient | Maskinporten | Scope.Scope> =>
  Effect.gen(function*() {
    const base = options.apiBaseUrl.replace(/\/+$/, "")
    const pakke: Rettighetspakke = options.rettighetspakke ?? "regnskapssystem"
    const environment = options.environment ?? base
    const mp = yield* Maskinporten
    const consent = yield* Effect.serviceOption(ConsentProvider)
    const resilience = mergeResilience(options.resilience)
    const retry = resilience.retry
    const raw = yield* HttpClient.HttpClient
    const http = yield* withResilience({
      ...resilience,
      retry: retry === false
        ? false
        : {
          ...retry,
          onRetry: (request, d) =>
            Effect.logWarning("retrying Krav og betalinger call").pipe(
              Effect.annotateLogs({
                path: maskPath(request.url),
                attempt: d.attempt,
                delay: Duration.format(d.delay),
                cause: d.error._tag === "RetryableResponse"
                  ? `HTTP ${d.error.response.status}${
                    d.error.response.headers["korrelasjonsid"] ? ` korrelasjonsid ${d.error.response.headers["korrelasjonsid"]}` : ""
                  }`
                  : isTimeout(d.error)
                  ? "timeout"
                  : d.error._tag
              })
            )
        }
    })(
      // The platform's own spans would carry the full URL (a fødselsnummer); ours carry it masked.
      raw.pipe(HttpClient.withTracerDisabledWhen(() => true), HttpClient.mapRequest(HttpClientRequest.prependUrl(base)))
    )

    const tokenRequestFor = (part: string): TokenRequest => {
      const su = options.systemUser ?? "party"
      const systemUserOrg = pakke !== "regnskapssystem" || su === "none" ? undefined : su === "party" ? (/^\d{9}$/.test(part) ? part : undefined) : su.org
      return { scope: options.scope, systemUserOrg }
    }

    const mapHttpError = (label: string) => (e: HttpClientError.HttpClientError) =>
      isTimeout(e)
        ? new Errors.TimeoutError({
          endpoint: label,
          timeout: resilience.timeout === false ? "?" : Duration.format(Duration.decode(resilience.timeout ?? "30 seconds"))
        })
        : new Errors.TransportError({
          endpoint: label,
          reason: e._tag === "RequestError" ? `connection failed (${e.reason})` : `response could not be read (${e.reason})`
        })

    const errorFrom = (text: string, contentType: string, status: number, headerKorr: string | undefined, label: string, part: string) => {
      let fields: { kode: string | undefined; melding: string | undefined; korrelasjonsid: string | undefined } = {
        kode: undefined,
        melding: undefined,
        korrelasjonsid: undefined
      }
      if (contentType.includes("xml") || text.trimStart().startsWith("<")) fields = parseFeil(text)
      else {
        try {
          const j = JSON.parse(text) as Record<string, unknown>
          fields = {
            kode: typeof j.kode === "string" ? j.kode : undefined,
            melding: typeof j.melding === "string" ? j.melding : undefined,
            korrelasjonsid: typeof j.korrelasjonsid === "string" ? j.korrelasjonsid : undefined
          }
        } catch {
          // not JSON: a gateway page; status and endpoint say enough
        }
      }
      return Errors.fromResponse({ ...fields, korrelasjonsid: fields.korrelasjonsid ?? headerKorr }, status, label, PartIdentifikator.mask(part))
    }

    const decodeBody = <E extends Endepunkt>(
      endpoint: E,
      format: Format,
      text: string,
      lenient: boolean
    ): Either.Either<{ document: DocumentOf<E>; rejected: ReadonlyArray<Rejected> }, DecodeProblem> => {
      const value: Either.Either<unknown, DecodeProblem> = format === "xml"
        ? readXmlDocument(endpoint, text)
        : Either.try({ try: () => JSON.parse(text) as unknown, catch: () => ({ path: "", message: "the body is not JSON" }) })
      return Either.flatMap(
        value,
        (v) => (lenient ? decodeLenient(endpoint, v) : Either.map(decodeStrict(endpoint, v), (document) => ({ document, rejected: [] })))
      )
    }

    /** One API call for one period (≤ 1 year). */
    const callOnce = <E extends Endepunkt>(
      endpoint: E,
      part: string,
      periode: Periode.Periode | undefined,
      format: Format,
      lenient: boolean
    ): Effect.Effect<CallResult<E>, Errors.KravOgBetalingerError> => {
      const label = `${endpoint} ${PartIdentifikator.mask(part)}${periode ? ` ${periode.fraOgMed}–${periode.tilOgMed}` : ""}`
      let request = HttpClientRequest.get(`/${pakke}/${part}/${endpoint}`).pipe(
        HttpClientRequest.setHeader("Accept", format === "xml" ? "application/xml" : "application/json")
      )
      if (periode) request = HttpClientRequest.setUrlParams(request, { fraOgMed: periode.fraOgMed, tilOgMed: periode.tilOgMed })
      const tokenRequest = tokenRequestFor(part)

      const attempt = (renewed: boolean): Effect.Effect<{ text: string; korrelasjonsid: string | undefined; status: number }, Errors.KravOgBetalingerError> =>
        Effect.gen(function*() {
          const token = yield* mp.token(tokenRequest).pipe(Effect.mapError((e) => new Errors.AuthError({ endpoint: label, reason: e.message })))
          let req = HttpClientRequest.bearerToken(request, Redacted.value(token.token))
          if (pakke === "finans") {
            if (Option.isNone(consent)) {
              return yield* new Errors.AuthError({
                endpoint: label,
                reason: `consent missing or expired for party ${PartIdentifikator.mask(part)}: no consent provider is configured (rettighetspakke finans)`
              })
            }
            const samtykke = yield* consent.value.consentFor(part).pipe(Effect.mapError((e) => new Errors.AuthError({ endpoint: label, reason: e.message })))
            req = HttpClientRequest.setHeader(req, "AltinnSamtykke", Redacted.value(samtykke))
          }
          const started = yield* Clock.currentTimeMillis
          const response = yield* http.execute(req).pipe(Effect.mapError(mapHttpError(label)))
          const text = yield* response.text.pipe(Effect.mapError(mapHttpError(label)))
          const korrelasjonsid = response.headers["korrelasjonsid"]
          yield* Effect.logDebug("Krav og betalinger call").pipe(
            Effect.annotateLogs({
              endpoint: label,
              status: response.status,
              korrelasjonsid: korrelasjonsid ?? "-",
              ms: (yield* Clock.currentTimeMillis) - started
            })
          )
          if (response.status === 200) return { text, korrelasjonsid, status: 200 }
          const error = errorFrom(text, response.headers["content-type"] ?? "", response.status, korrelasjonsid, label, part)
          if (!renewed && response.status === 401) {
            // The token may have been revoked or expired early: one more try with a fresh one.
            yield* mp.invalidate(tokenRequest, token)
            return yield* attempt(true)
          }
          if (!renewed && error._tag === "KB-005" && Option.isSome(consent)) {
            yield* consent.value.invalidate(part)
            return yield* attempt(true)
          }
          return yield* Effect.fail(error)
        })

      return Effect.gen(function*() {
        const r = yield* attempt(false)
        yield* Effect.annotateCurrentSpan("korrelasjonsid", r.korrelasjonsid ?? "")
        const decoded = decodeBody(endpoint, format, r.text, lenient)
        if (Either.isLeft(decoded)) {
          return yield* new Errors.DecodeError({
            endpoint: label,
            korrelasjonsid: r.korrelasjonsid,
            status: r.status,
            path: decoded.left.path,
            reason: decoded.left.message
          })
        }
        if (decoded.right.rejected.length > 0) {
          yield* Effect.logWarning("elements set aside").pipe(
            Effect.annotateLogs({ endpoint: label, korrelasjonsid: r.korrelasjonsid ?? "-", rejected: decoded.right.rejected.map((x) => x.path).join(", ") })
          )
        }
        return { document: decoded.right.document, korrelasjonsid: r.korrelasjonsid, rejected: decoded.right.rejected }
      }).pipe(
        Effect.withSpan(`KravOgBetalinger.${endpoint}`, {
          attributes: { endpoint, part: PartIdentifikator.mask(part), rettighetspakke: pakke, ...(periode ?? {}) }
        })
      )
    }

    const fetch = <E extends Endepunkt>(
      endpoint: E,
      partInput: string,
      periodeInput?: PeriodeInput,
      fo: FetchOptions = {}
    ): Effect.Effect<Fetched<E>, Errors.KravOgBetalingerError> =>
      Effect.gen(function*() {
        const part = yield* validatePart(partInput)
        const format = fo.accept ?? options.accept ?? "json"
        const lenient = fo.lenient ?? false
        if (endpoint === "aapnekrav") {
          const r = yield* callOnce(endpoint, part, undefined, format, lenient)
          return { endpoint, document: r.document, korrelasjonsider: r.korrelasjonsid ? [r.korrelasjonsid] : [], rejected: r.rejected }
        }
        const periode = yield* validatePeriode(periodeInput)
        const pieces = Periode.splitIntoYears(periode)
        if (pieces.length === 1) {
          const r = yield* callOnce(endpoint, part, periode, format, lenient)
          return { endpoint, document: r.document, korrelasjonsider: r.korrelasjonsid ? [r.korrelasjonsid] : [], rejected: r.rejected }
        }
        // KB-007 for one year only means that year is empty; it fails the whole only if every year has it.
        const results = yield* Effect.forEach(pieces, (p) => Effect.either(callOnce(endpoint, part, p, format, lenient)), { concurrency: "unbounded" })
        const ok = results.flatMap((r) => (Either.isRight(r) ? [r.right] : []))
        const failed = results.flatMap((r) => (Either.isLeft(r) ? [r.left] : []))
        const hard = failed.find((e) => e._tag !== "KB-007")
        if (hard !== undefined) return yield* Effect.fail(hard)
        if (ok.length === 0) return yield* Effect.fail(failed[0]!)
        return {
          endpoint,
          document: mergeLists(endpoint, ok.map((r) => r.document), periode),
          korrelasjonsider: ok.flatMap((r) => (r.korrelasjonsid ? [r.korrelasjonsid] : [])),
          rejected: ok.flatMap((r) => r.rejected)
        }
      })

    return {
      environment,
      rettighetspakke: pakke,
      aapneKrav: (part) => Effect.map(fetch("aapnekrav", part), (f) => f.document),
      krav: (part, periode) => Effect.map(fetch("krav", part, periode), (f) => f.document),
      innbetalinger: (part, periode) => Effect.map(fetch("innbetalinger", part, periode), (f) => f.document),
      utbetalinger: (part, periode) => Effect.map(fetch("utbetalinger", part, periode), (f) => f.document),
      fetch
    } satisfies KravOgBetalingerClientShape
  })

/** The client over the HttpClient and Maskinporten in context (and a ConsentProvider for finans). */
export const layer = (options: ClientOptions): Layer.Layer<KravOgBetalingerClient, never, HttpClient.HttpClient | Maskinporten> =>
  Layer.scoped(KravOgBetalingerClient, make(options))
