/**
 * The Trekkpålegg API v1 client (beta-apier/docs/trekkpaalegg/apispesifikasjon/index.md): every
 * current order of a trekkpliktig (`GET /api/trekkpaalegg/v1`, paged with `fraSekvensnummer` and
 * `maksAntall`) and one version of one order (`GET /api/trekkpaalegg/v1/{trekkid}/{trekkversjon}`).
 *
 * Built like the Krav og betalinger client and on the same parts: the resilient HttpClient of
 * src/http (through client/internal/request.ts: retries on 5xx and connection failures within a
 * budget, Retry-After on 429, at most 5 in flight, a body size limit), the Maskinporten token
 * provider with a second scope (`skatteetaten:trekkpaalegg`, tilgang.md — a token of its own in
 * the provider's cache), a 401 retried once with a fresh token, and the KB-coded errors of
 * client/errors.ts (api/trekkpaalegg.md "Feilkoder" lists the same KB-001…KB-009 table).
 *
 * `poll` follows the paging rule of the spec: "Dersom antall returnerte trekkpålegg er lik
 * maksAntall så må det gjøres en ny spørring med fraSekvensnummer lik det største sekvensnummeret
 * i siste retur", until a short page; the highest sekvensnummer seen is the watermark to poll
 * from next time ("Kan benyttes som et 'vannmerke'", feltbeskrivelser/Models/Trekkpaalegg.md).
 *
 * Logs, spans and errors name the trekkpliktig (an organisation) and the korrelasjonsid, never a
 * skyldner: an 11-digit run in a decode message is masked (PartIdentifikator.mask's form).
 */
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Clock, Context, Effect, Either, Layer, Redacted, type Scope } from "effect"
import { Maskinporten, type MaskinportenShape, type TokenRequest } from "../auth/Maskinporten.ts"
import type { Organisasjonsnummer, PartIdentifikator } from "../domain/PartIdentifikator.ts"
import type { Trekkpaalegg } from "../domain/trekkpaalegg/Trekkpaalegg.ts"
import type { ResilienceOptions } from "../http/Resilience.ts"
import { counter, Progress } from "../Progress.ts"
import * as Errors from "./errors.ts"
import { fromErrorResponse, fromHttpError } from "./internal/errors.ts"
import * as Request from "./internal/request.ts"
import * as T from "./trekkpaalegg/request.ts"

/** Every failure of a Trekkpålegg call: the same classes as Krav og betalinger's. */
export type TrekkpaaleggError = Errors.KravOgBetalingerError

/** One answered call. */
export interface Side {
  readonly orders: ReadonlyArray<Trekkpaalegg>
  readonly korrelasjonsid: string | undefined
}

/** The result of a poll from a watermark until a short page. */
export interface Poll {
  readonly trekkpliktig: Organisasjonsnummer
  readonly fraSekvensnummer: number
  /** Every order received, in the order received (each a latest version at the time of its page). */
  readonly orders: ReadonlyArray<Trekkpaalegg>
  /** The highest sekvensnummer received, or `fraSekvensnummer` when nothing was: where to poll from next. */
  readonly watermark: number
  readonly pages: number
  readonly korrelasjonsIder: ReadonlyArray<string>
}

export interface PollOptions {
  /** Only orders changed after this sekvensnummer. Default 0 (everything). */
  readonly fraSekvensnummer?: number | undefined
  /** Page size. Default the client's `maksAntall` (500). */
  readonly maksAntall?: number | undefined
}

export interface TrekkpaaleggClientShape {
  readonly environment: string
  /** The scope the tokens are asked for. */
  readonly scope: string
  /** One call of "hent alle gjeldende": all current orders, or one page of them. */
  readonly hentAlleGjeldende: (trekkpliktig: Organisasjonsnummer, page?: T.Page) => Effect.Effect<Side, TrekkpaaleggError>
  /** Pages from a watermark until a page shorter than maksAntall. */
  readonly poll: (trekkpliktig: Organisasjonsnummer, options?: PollOptions) => Effect.Effect<Poll, TrekkpaaleggError>
  /** "hent versjon": one version of one order. */
  readonly hentVersjon: (
    trekkpliktig: Organisasjonsnummer,
    trekkid: string,
    trekkversjon: number
  ) => Effect.Effect<{ readonly order: Trekkpaalegg; readonly korrelasjonsid: string | undefined }, TrekkpaaleggError>
}

export class TrekkpaaleggClient extends Context.Tag("kravsync/TrekkpaaleggClient")<TrekkpaaleggClient, TrekkpaaleggClientShape>() {}

export interface TrekkpaaleggClientOptions {
  /** Up to and including /api/trekkpaalegg/v1. */
  readonly apiBaseUrl: string
  readonly environment?: string | undefined
  /** Default "party": the trekkpliktig as Altinn system user (tilgang.md alternative 2); "none": alternative 1. */
  readonly systemUser?: T.SystemUser | undefined
  /** Default skatteetaten:trekkpaalegg; the seed page's skatteetaten:trekkpålegg is read as that. */
  readonly scope?: string | undefined
  /** Page size of `poll`. Default 500. */
  readonly maksAntall?: number | undefined
  readonly resilience?: ResilienceOptions | undefined
}

/** Where Skatteetaten's test environment serves the API (apispesifikasjon/index.md: "https://api-test.sits.no (test)"). */
export const TEST_BASE_URL = "https://api-test.sits.no/api/trekkpaalegg/v1"

export const DEFAULT_MAKS_ANTALL = 500

interface Caller {
  readonly http: HttpClient.HttpClient
  readonly maskinporten: MaskinportenShape
  readonly resilience: ResilienceOptions
  readonly tokenRequestFor: (trekkpliktig: Organisasjonsnummer) => TokenRequest
}

interface Answer {
  readonly text: string
  readonly korrelasjonsid: string | undefined
  readonly status: number
}

const badInput = (argument: string, rule: string) => new Errors.InvalidInputError({ argument, rule })

const checkPage = (page: T.Page | undefined): Effect.Effect<void, Errors.InvalidInputError> => {
  if (page === undefined) return Effect.void
  if (!Number.isSafeInteger(page.fraSekvensnummer) || page.fraSekvensnummer < 0) {
    return Effect.fail(badInput("fraSekvensnummer", "0 or greater (a whole number)"))
  }
  if (!Number.isSafeInteger(page.maksAntall) || page.maksAntall < 1) return Effect.fail(badInput("maksAntall", "1 or greater (a whole number)"))
  return Effect.void
}

/** The request sent with a bearer token; a 401 once more with a fresh token; any other non-200 as its KB error. */
const answer = (
  caller: Caller,
  request: HttpClientRequest.HttpClientRequest,
  trekkpliktig: Organisasjonsnummer,
  label: string,
  renewed = false
): Effect.Effect<Answer, TrekkpaaleggError> =>
  Effect.gen(function*() {
    const tokenRequest = caller.tokenRequestFor(trekkpliktig)
    const token = yield* caller.maskinporten.token(tokenRequest).pipe(Effect.mapError((e) => new Errors.AuthError({ endpoint: label, reason: e.message })))
    const started = yield* Clock.currentTimeMillis
    const response = yield* caller.http.execute(HttpClientRequest.bearerToken(request, Redacted.value(token.token))).pipe(
      Effect.mapError(fromHttpError(caller.resilience, label))
    )
    const text = yield* response.text.pipe(Effect.mapError(fromHttpError(caller.resilience, label)))
    const korrelasjonsid = response.headers["korrelasjonsid"]
    yield* Effect.logDebug("Trekkpålegg call").pipe(
      Effect.annotateLogs({ endpoint: label, status: response.status, korrelasjonsid: korrelasjonsid ?? "-", ms: (yield* Clock.currentTimeMillis) - started })
    )
    if (response.status === 200) return { text, korrelasjonsid, status: 200 }
    if (!renewed && response.status === 401) {
      yield* caller.maskinporten.invalidate(tokenRequest, token)
      return yield* answer(caller, request, trekkpliktig, label, true)
    }
    return yield* Effect.fail(
      fromErrorResponse(
        { text, contentType: response.headers["content-type"] ?? "", status: response.status, korrelasjonsid },
        label,
        trekkpliktig as string as PartIdentifikator
      )
    )
  })

const decodeError = (label: string, a: Answer, p: T.Problem) =>
  new Errors.DecodeError({ endpoint: label, korrelasjonsid: a.korrelasjonsid, status: a.status, path: p.path, reason: p.message })

const list = (caller: Caller, trekkpliktig: Organisasjonsnummer, page: T.Page | undefined): Effect.Effect<Side, TrekkpaaleggError> => {
  const label = T.labelFor(trekkpliktig, page)
  return Effect.gen(function*() {
    yield* checkPage(page)
    const a = yield* answer(caller, T.listRequest(page), trekkpliktig, label)
    const decoded = T.decodeList(a.text, trekkpliktig)
    if (Either.isLeft(decoded)) return yield* decodeError(label, a, decoded.left)
    yield* Effect.annotateCurrentSpan("korrelasjonsid", a.korrelasjonsid ?? "")
    return { orders: decoded.right, korrelasjonsid: a.korrelasjonsid }
  }).pipe(Effect.withSpan("Trekkpaalegg.hentAlleGjeldende", { attributes: { trekkpliktig, ...(page ?? {}) } }))
}

const pollWith = (caller: Caller, defaultMaks: number) => (trekkpliktig: Organisasjonsnummer, o: PollOptions = {}): Effect.Effect<Poll, TrekkpaaleggError> =>
  Effect.gen(function*() {
    const start = o.fraSekvensnummer ?? 0
    const maksAntall = o.maksAntall ?? defaultMaks
    yield* checkPage({ fraSekvensnummer: start, maksAntall })
    const orders: Array<Trekkpaalegg> = []
    const korrelasjonsIder: Array<string> = []
    let fra = start
    let pages = 0
    // One "api" unit per page asked for; how many pages there are is not known before the short one.
    const progress = counter(yield* Progress, "api", { subject: `trekkpålegg ${trekkpliktig}` })
    for (;;) {
      const side = yield* list(caller, trekkpliktig, { fraSekvensnummer: fra, maksAntall }).pipe(Effect.tapError(() => Effect.sync(progress.end)))
      pages++
      progress.add()
      if (side.korrelasjonsid !== undefined) korrelasjonsIder.push(side.korrelasjonsid)
      const next = side.orders.reduce((m, t) => Math.max(m, t.sekvensnummer), fra)
      orders.push(...side.orders)
      if (side.orders.length < maksAntall) {
        progress.end()
        return { trekkpliktig, fraSekvensnummer: start, orders, watermark: next, pages, korrelasjonsIder }
      }
      // A full page that does not move the watermark would be asked for again forever.
      if (next <= fra) {
        return yield* new Errors.DecodeError({
          endpoint: T.labelFor(trekkpliktig, { fraSekvensnummer: fra, maksAntall }),
          korrelasjonsid: side.korrelasjonsid,
          status: 200,
          path: "[*].sekvensnummer",
          reason: `a full page of ${maksAntall} with no sekvensnummer above ${fra}: the next page cannot be asked for`
        })
      }
      fra = next
    }
  })

const version = (caller: Caller) => (trekkpliktig: Organisasjonsnummer, trekkid: string, trekkversjon: number) => {
  const what = { trekkid, trekkversjon }
  const label = T.labelFor(trekkpliktig, what)
  return Effect.gen(function*() {
    if (trekkid.trim() === "") return yield* badInput("trekkid", "must not be empty")
    if (!Number.isSafeInteger(trekkversjon) || trekkversjon < 1) return yield* badInput("trekkversjon", "1 or greater (a whole number)")
    const a = yield* answer(caller, T.versionRequest(trekkid, trekkversjon), trekkpliktig, label)
    const decoded = T.decodeOne(a.text, trekkpliktig, trekkid, trekkversjon)
    if (Either.isLeft(decoded)) return yield* decodeError(label, a, decoded.left)
    return { order: decoded.right, korrelasjonsid: a.korrelasjonsid }
  }).pipe(Effect.withSpan("Trekkpaalegg.hentVersjon", { attributes: { trekkpliktig, trekkid, trekkversjon } }))
}

/** The client over the HttpClient and Maskinporten in context. */
export const make = (options: TrekkpaaleggClientOptions): Effect.Effect<TrekkpaaleggClientShape, never, HttpClient.HttpClient | Maskinporten | Scope.Scope> =>
  Effect.gen(function*() {
    const base = options.apiBaseUrl.replace(/\/+$/, "")
    const resilience = Request.mergeResilience(options.resilience)
    const { scope, note } = T.normaliseScope(options.scope)
    if (note !== undefined) yield* Effect.logWarning(note)
    const systemUser = options.systemUser ?? "party"
    const caller: Caller = {
      http: yield* Request.resilientHttp(yield* HttpClient.HttpClient, base, resilience),
      maskinporten: yield* Maskinporten,
      resilience,
      tokenRequestFor: (trekkpliktig) => T.tokenRequestFor(systemUser, scope, trekkpliktig)
    }
    return {
      environment: options.environment ?? base,
      scope,
      hentAlleGjeldende: (trekkpliktig, page) => list(caller, trekkpliktig, page),
      poll: pollWith(caller, options.maksAntall ?? DEFAULT_MAKS_ANTALL),
      hentVersjon: version(caller)
    } satisfies TrekkpaaleggClientShape
  })

export const layer = (options: TrekkpaaleggClientOptions): Layer.Layer<TrekkpaaleggClient, never, HttpClient.HttpClient | Maskinporten> =>
  Layer.scoped(TrekkpaaleggClient, make(options))

export { maskDigits, normaliseScope, SCOPE, SCOPE_ALIASES } from "./trekkpaalegg/request.ts"
