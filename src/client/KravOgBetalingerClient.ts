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
 * The party and the period arrive as the branded `PartIdentifikator` and `Periode`, parsed once
 * where they entered (the CLI, a host); the client does not parse them again. The stages of a call
 * are named functions below (authorize → send → answer → decodeAnswer); request building, response
 * decoding and error mapping live in `internal/`. A period longer than one year is split into yearly
 * calls (the API allows at most one year) and the answers merged. `fetch` also returns the
 * korrelasjonsid of every call (for reports) and, in lenient mode, the list elements that did not
 * decode. Logs and spans carry the endpoint, the masked party and the korrelasjonsid — never a
 * token, a key, a consent token or a full fødselsnummer.
 */
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Clock, Context, Effect, Either, FiberRef, Layer, LogLevel, Option, Redacted, type Scope } from "effect"
import { ConsentProvider, type ConsentProviderShape } from "../auth/Consent.ts"
import { Maskinporten, type MaskinportenShape, type TokenRequest } from "../auth/Maskinporten.ts"
import type { Endepunkt, Rettighetspakke } from "../domain/Dokumenter.ts"
import * as PartIdentifikator from "../domain/PartIdentifikator.ts"
import * as Periode from "../domain/Periode.ts"
import type { ResilienceOptions } from "../http/Resilience.ts"
import type { DocumentOf, Rejected } from "./decode.ts"
import * as Errors from "./errors.ts"
import { fromErrorResponse, fromHttpError } from "./internal/errors.ts"
import * as Request from "./internal/request.ts"
import { decodeBody, mergeLists } from "./internal/response.ts"

/** The body format asked for with `Accept`. */
export type Format = Request.Format

/** Per-call options of `fetch`. */
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
  readonly korrelasjonsIder: ReadonlyArray<string>
  /** List elements set aside by a lenient decode; always empty in strict mode. */
  readonly rejected: ReadonlyArray<Rejected>
}

/** The client's operations: one per endpoint, and `fetch` for any endpoint with how it was fetched. */
export interface KravOgBetalingerClientShape {
  /** "sandbox", "test", "prod" or the base URL. */
  readonly environment: string
  readonly rettighetspakke: Rettighetspakke
  readonly aapneKrav: (part: PartIdentifikator.PartIdentifikator) => Effect.Effect<DocumentOf<"aapnekrav">, Errors.KravOgBetalingerError>
  readonly krav: (part: PartIdentifikator.PartIdentifikator, periode: Periode.Periode) => Effect.Effect<DocumentOf<"krav">, Errors.KravOgBetalingerError>
  readonly innbetalinger: (
    part: PartIdentifikator.PartIdentifikator,
    periode: Periode.Periode
  ) => Effect.Effect<DocumentOf<"innbetalinger">, Errors.KravOgBetalingerError>
  readonly utbetalinger: (
    part: PartIdentifikator.PartIdentifikator,
    periode: Periode.Periode
  ) => Effect.Effect<DocumentOf<"utbetalinger">, Errors.KravOgBetalingerError>
  /** Any endpoint, with korrelasjonsids and (lenient mode) rejected elements. `periode` is ignored for aapnekrav. */
  readonly fetch: <E extends Endepunkt>(
    endpoint: E,
    part: PartIdentifikator.PartIdentifikator,
    periode?: Periode.Periode | undefined,
    options?: FetchOptions
  ) => Effect.Effect<Fetched<E>, Errors.KravOgBetalingerError>
}

/** The client as a service. */
export class KravOgBetalingerClient extends Context.Tag("kravsync/KravOgBetalingerClient")<KravOgBetalingerClient, KravOgBetalingerClientShape>() {}

/** How a client is made: where the API is, which rettighetspakke, the token's system user, resilience. */
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

/** The resilience a client gets when `ClientOptions.resilience` does not say otherwise. */
export const defaultResilience: ResilienceOptions = Request.defaultResilience

/** "/v1/regnskapssystem/04827896468/krav" → "/v1/regnskapssystem/048278*****\/krav": paths in logs never carry a full fødselsnummer. */
export const maskPath: (url: string) => string = Request.maskPath

/** The period of an endpoint that needs one (every endpoint but aapnekrav). */
const requirePeriode = (p: Periode.Periode | undefined): Effect.Effect<Periode.Periode, Errors.InvalidInputError> =>
  p === undefined
    ? Effect.fail(new Errors.InvalidInputError({ argument: "periode", rule: "fraOgMed and tilOgMed are required for this endpoint" }))
    : Effect.succeed(p)

/** What a call needs from the client's construction. */
interface Caller {
  readonly pakke: Rettighetspakke
  readonly http: HttpClient.HttpClient
  readonly maskinporten: MaskinportenShape
  readonly consent: Option.Option<ConsentProviderShape>
  readonly resilience: ResilienceOptions
  readonly tokenRequestFor: (part: PartIdentifikator.PartIdentifikator) => TokenRequest
}

/** One call's request as the API sees it, and how errors and logs name it. */
interface Call {
  readonly request: HttpClientRequest.HttpClientRequest
  readonly tokenRequest: TokenRequest
  readonly label: string
  readonly part: PartIdentifikator.PartIdentifikator
}

/** A 200 answer's body and korrelasjonsid. */
interface Answer {
  readonly text: string
  readonly korrelasjonsid: string | undefined
  readonly status: number
}

interface CallResult<E extends Endepunkt> {
  readonly document: DocumentOf<E>
  readonly korrelasjonsid: string | undefined
  readonly rejected: ReadonlyArray<Rejected>
}

/** The call's request with the bearer token and, for rettighetspakke finans, the party's AltinnSamtykke. */
const authorize = (caller: Caller, call: Call) =>
  Effect.gen(function*() {
    const token = yield* caller.maskinporten.token(call.tokenRequest).pipe(
      Effect.mapError((e) => new Errors.AuthError({ endpoint: call.label, reason: e.message }))
    )
    const bearer = HttpClientRequest.bearerToken(call.request, Redacted.value(token.token))
    if (caller.pakke !== "finans") return { request: bearer, token }
    if (Option.isNone(caller.consent)) {
      return yield* new Errors.AuthError({
        endpoint: call.label,
        reason: `consent missing or expired for party ${PartIdentifikator.mask(call.part)}: no consent provider is configured (rettighetspakke finans)`
      })
    }
    const samtykke = yield* caller.consent.value.consentFor(call.part).pipe(
      Effect.mapError((e) => new Errors.AuthError({ endpoint: call.label, reason: e.message }))
    )
    return { request: HttpClientRequest.setHeader(bearer, "AltinnSamtykke", Redacted.value(samtykke)), token }
  })

/** Sends the request and reads the whole body, logging status, korrelasjonsid and time. */
const send = (caller: Caller, request: HttpClientRequest.HttpClientRequest, label: string) =>
  Effect.gen(function*() {
    const started = yield* Clock.currentTimeMillis
    const response = yield* caller.http.execute(request).pipe(Effect.mapError(fromHttpError(caller.resilience, label)))
    const text = yield* response.text.pipe(Effect.mapError(fromHttpError(caller.resilience, label)))
    const headers = response.headers
    const korrelasjonsid = headers["korrelasjonsid"]
    // Annotating costs a fiber-local map per call: only when the line is logged at all.
    if (LogLevel.lessThanEqual(yield* FiberRef.get(FiberRef.currentMinimumLogLevel), LogLevel.Debug)) {
      yield* Effect.logDebug("Krav og betalinger call").pipe(
        Effect.annotateLogs({ endpoint: label, status: response.status, korrelasjonsid: korrelasjonsid ?? "-", ms: (yield* Clock.currentTimeMillis) - started })
      )
    }
    return { text, korrelasjonsid, status: response.status, contentType: headers["content-type"] ?? "" }
  })

/**
 * The call's 200 answer, or the error its answer maps to. A 401 is tried once more with a fresh
 * token (it may have been revoked or expired early), a KB-005 once more with a fresh consent.
 */
const answer = (caller: Caller, call: Call, renewed = false): Effect.Effect<Answer, Errors.KravOgBetalingerError> =>
  Effect.gen(function*() {
    const { request, token } = yield* authorize(caller, call)
    const response = yield* send(caller, request, call.label)
    if (response.status === 200) return { text: response.text, korrelasjonsid: response.korrelasjonsid, status: 200 }
    const error = fromErrorResponse(response, call.label, call.part)
    if (!renewed && response.status === 401) {
      yield* caller.maskinporten.invalidate(call.tokenRequest, token)
      return yield* answer(caller, call, true)
    }
    if (!renewed && error._tag === "KB-005" && Option.isSome(caller.consent)) {
      yield* caller.consent.value.invalidate(call.part)
      return yield* answer(caller, call, true)
    }
    return yield* Effect.fail(error)
  })

/** The answer decoded into the model; elements a lenient decode set aside are logged by path. */
const decodeAnswer = <E extends Endepunkt>(endpoint: E, format: Format, lenient: boolean, label: string, r: Answer) =>
  Effect.gen(function*() {
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
  })

/** One API call for one period (≤ 1 year), in a span carrying the masked party and the korrelasjonsid. */
const callOnce = <E extends Endepunkt>(
  caller: Caller,
  endpoint: E,
  part: PartIdentifikator.PartIdentifikator,
  periode: Periode.Periode | undefined,
  format: Format,
  lenient: boolean
): Effect.Effect<CallResult<E>, Errors.KravOgBetalingerError> => {
  const label = Request.labelFor(endpoint, part, periode)
  const call: Call = {
    request: Request.requestFor(caller.pakke, endpoint, part, periode, format),
    tokenRequest: caller.tokenRequestFor(part),
    label,
    part
  }
  return answer(caller, call).pipe(
    Effect.tap((r) => Effect.annotateCurrentSpan("korrelasjonsid", r.korrelasjonsid ?? "")),
    Effect.flatMap((r) => decodeAnswer(endpoint, format, lenient, label, r)),
    Effect.withSpan(`KravOgBetalinger.${endpoint}`, {
      attributes: { endpoint, part: PartIdentifikator.mask(part), rettighetspakke: caller.pakke, ...(periode ?? {}) },
      // The span names the call; a stack trace of where it was made (an Error per call) adds nothing.
      captureStackTrace: false
    })
  )
}

const fetchedFrom = <E extends Endepunkt>(endpoint: E, r: CallResult<E>): Fetched<E> => ({
  endpoint,
  document: r.document,
  korrelasjonsIder: r.korrelasjonsid ? [r.korrelasjonsid] : [],
  rejected: r.rejected
})

/**
 * The yearly calls' results as one answer. KB-007 for one year only means that year is empty; it
 * fails the whole only if every year has it. Any other failure fails the whole.
 */
const combineYears = <E extends Endepunkt>(
  endpoint: E,
  periode: Periode.Periode,
  results: ReadonlyArray<Either.Either<CallResult<E>, Errors.KravOgBetalingerError>>
): Either.Either<Fetched<E>, Errors.KravOgBetalingerError> => {
  const ok = results.flatMap((r) => (Either.isRight(r) ? [r.right] : []))
  const failed = results.flatMap((r) => (Either.isLeft(r) ? [r.left] : []))
  const hard = failed.find((e) => e._tag !== "KB-007")
  if (hard !== undefined) return Either.left(hard)
  if (ok.length === 0) return Either.left(failed[0]!)
  return Either.right({
    endpoint,
    document: mergeLists(endpoint, ok.map((r) => r.document), periode),
    korrelasjonsIder: ok.flatMap((r) => (r.korrelasjonsid ? [r.korrelasjonsid] : [])),
    rejected: ok.flatMap((r) => r.rejected)
  })
}

/** `fetch` over `caller`: one call for aapnekrav or a period within a year, else one per year, merged. */
const fetchWith = (caller: Caller, defaultFormat: Format) =>
<E extends Endepunkt>(
  endpoint: E,
  part: PartIdentifikator.PartIdentifikator,
  periodeInput?: Periode.Periode,
  fo: FetchOptions = {}
): Effect.Effect<Fetched<E>, Errors.KravOgBetalingerError> =>
  Effect.gen(function*() {
    const format = fo.accept ?? defaultFormat
    const lenient = fo.lenient ?? false
    if (endpoint === "aapnekrav") return fetchedFrom(endpoint, yield* callOnce(caller, endpoint, part, undefined, format, lenient))
    const periode = yield* requirePeriode(periodeInput)
    const pieces = Periode.splitIntoYears(periode)
    if (pieces.length === 1) return fetchedFrom(endpoint, yield* callOnce(caller, endpoint, part, periode, format, lenient))
    const results = yield* Effect.forEach(pieces, (p) => Effect.either(callOnce(caller, endpoint, part, p, format, lenient)), { concurrency: "unbounded" })
    return yield* combineYears(endpoint, periode, results)
  })

/** The client: its settings resolved, the resilient HttpClient and the Maskinporten (and consent) services from the context. */
export const make = (options: ClientOptions): Effect.Effect<KravOgBetalingerClientShape, never, HttpClient.HttpClient | Maskinporten | Scope.Scope> =>
  Effect.gen(function*() {
    const base = options.apiBaseUrl.replace(/\/+$/, "")
    const pakke: Rettighetspakke = options.rettighetspakke ?? "regnskapssystem"
    const resilience = Request.mergeResilience(options.resilience)
    const caller: Caller = {
      pakke,
      http: yield* Request.resilientHttp(yield* HttpClient.HttpClient, base, resilience),
      maskinporten: yield* Maskinporten,
      consent: yield* Effect.serviceOption(ConsentProvider),
      resilience,
      tokenRequestFor: (part) => Request.tokenRequestFor(pakke, options.systemUser ?? "party", options.scope, part)
    }
    const fetch = fetchWith(caller, options.accept ?? "json")
    return {
      environment: options.environment ?? base,
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
