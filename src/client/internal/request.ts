/**
 * Building a Krav og betalinger call: the client's settings with their defaults, the resilient
 * HttpClient (base URL prepended, the platform's spans off because they would carry a full
 * fødselsnummer in the URL, a masked log line per retry), the GET for one endpoint and period
 * (URL `{apiBaseUrl}/{rettighetspakke}/{part}/{endepunkt}?fraOgMed&tilOgMed`, om/url.md), and the
 * Maskinporten token request naming the party's Altinn system user.
 */
import { HttpClient, HttpClientError, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import { Chunk, Data, Duration, Effect, type Scope, Stream } from "effect"
import type { TokenRequest } from "../../auth/Maskinporten.ts"
import type { Endepunkt, Rettighetspakke } from "../../domain/Dokumenter.ts"
import * as PartIdentifikator from "../../domain/PartIdentifikator.ts"
import type { Periode } from "../../domain/Periode.ts"
import { defaultIsRetryableError, isTimeout, type ResilienceOptions, type RetryFailure, withResilience } from "../../http/Resilience.ts"

export type Format = "json" | "xml"

export type SystemUser = "party" | "none" | { readonly org: string }

export const defaultResilience: ResilienceOptions = {
  concurrency: 5,
  rateLimit: { limit: 100, interval: "1 second" },
  timeout: "30 seconds",
  retry: { maxAttempts: 6, baseDelay: "200 millis", maxDelay: "5 seconds", budget: "30 seconds" }
}

/** The caller's resilience options over the defaults (retry options merged field by field). */
export const mergeResilience = (o: ResilienceOptions | undefined): ResilienceOptions => ({
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

/** "krav 212201782 2023-01-01–2023-09-01": the endpoint, the masked party and the period, as errors and logs name a call. */
export const labelFor = (endpoint: Endepunkt, part: PartIdentifikator.PartIdentifikator, periode: Periode | undefined): string =>
  `${endpoint} ${PartIdentifikator.mask(part)}${periode ? ` ${periode.fraOgMed}–${periode.tilOgMed}` : ""}`

/** "HTTP 503 korrelasjonsid …", "timeout" or the error's tag: why a call is retried. */
const retryCause = (error: RetryFailure): string => {
  if (error._tag === "RetryableResponse") {
    const korrelasjonsid = error.response.headers["korrelasjonsid"]
    return `HTTP ${error.response.status}${korrelasjonsid ? ` korrelasjonsid ${korrelasjonsid}` : ""}`
  }
  return isTimeout(error) ? "timeout" : error._tag
}

/** The largest response body read: 256 MB. A larger one is refused, naming its size, and not retried. */
export const MAX_RESPONSE_BYTES = 256 * 1024 * 1024

/** The cause of a ResponseError for a body over the limit: its declared size, or what was read before stopping. */
export class ResponseTooLarge extends Data.TaggedError("ResponseTooLarge")<{
  readonly bytes: number
  readonly declared: boolean
  readonly limit: number
}> {}

/** 665845760 → "635 MB" (MiB, as people count file sizes). */
export const megabytes = (bytes: number): string => `${Math.max(1, Math.round(bytes / (1024 * 1024)))} MB`

/** Whether an HTTP error is a body over the limit (never retried: it would be as large again). */
export const tooLarge = (e: unknown): ResponseTooLarge | undefined =>
  typeof e === "object" && e !== null && (e as { _tag?: unknown })._tag === "ResponseError" && (e as { cause?: unknown }).cause instanceof ResponseTooLarge
    ? (e as { cause: ResponseTooLarge }).cause
    : undefined

/**
 * Each response's body limited to `limit` bytes: a Content-Length over it fails before the body
 * is read; a body without one fails as soon as the bytes read pass it (instead of the process
 * running out of memory, or a string too long to make, reported as "could not reach").
 */
export const limitBody = (limit: number) => (raw: HttpClient.HttpClient): HttpClient.HttpClient =>
  HttpClient.transformResponse(raw, (effect) =>
    Effect.flatMap(effect, (response) => {
      const length = response.headers["content-length"]
      const declared = length === undefined ? Number.NaN : Number(length)
      // A declared length within the limit: the body is read as it is (undici stops at that length).
      if (Number.isFinite(declared) && declared <= limit) return Effect.succeed(response)
      const fail = (bytes: number, declared: boolean) =>
        new HttpClientError.ResponseError({
          request: response.request,
          response,
          reason: "Decode",
          cause: new ResponseTooLarge({ bytes, declared, limit }),
          description: `the response is ${declared ? "" : "more than "}${megabytes(bytes)}, over the limit of ${megabytes(limit)}`
        })
      if (Number.isFinite(declared)) return Effect.fail(fail(declared, true))
      let seen = 0
      const arrayBuffer = response.stream.pipe(
        Stream.mapChunksEffect((chunk) => {
          for (const bytes of chunk) seen += bytes.length
          return seen > limit ? Effect.fail(fail(seen, false)) : Effect.succeed(chunk)
        }),
        Stream.runCollect,
        Effect.map((chunks) => {
          const all = Buffer.concat(Chunk.toReadonlyArray(chunks))
          return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer
        })
      )
      // The response as it was, but its body read through the limit (withBufferedBody reads it with arrayBuffer).
      const limited = Object.create(response, {
        arrayBuffer: { value: arrayBuffer },
        text: { value: Effect.map(arrayBuffer, (b) => new TextDecoder().decode(b)) }
      }) as HttpClientResponse.HttpClientResponse
      return Effect.succeed(limited)
    }))

/** `raw` with the base URL, a limit on the size of a response, the resilience stack and a masked warning per retry. */
export const resilientHttp = (
  raw: HttpClient.HttpClient,
  baseUrl: string,
  resilience: ResilienceOptions,
  maxResponseBytes: number = MAX_RESPONSE_BYTES
): Effect.Effect<HttpClient.HttpClient, never, Scope.Scope> => {
  const retry = resilience.retry
  return withResilience({
    ...resilience,
    retry: retry === false
      ? false
      : {
        ...retry,
        isRetryableError: (e) => tooLarge(e) === undefined && (retry?.isRetryableError ?? defaultIsRetryableError)(e),
        onRetry: (request, d) =>
          Effect.logWarning("retrying Krav og betalinger call").pipe(
            Effect.annotateLogs({ path: maskPath(request.url), attempt: d.attempt, delay: Duration.format(d.delay), cause: retryCause(d.error) })
          )
      }
  })(
    // The platform's own spans would carry the full URL (a fødselsnummer); ours carry it masked.
    raw.pipe(limitBody(maxResponseBytes), HttpClient.withTracerDisabledWhen(() => true), HttpClient.mapRequest(HttpClientRequest.prependUrl(baseUrl)))
  )
}

/** GET `/{pakke}/{part}/{endpoint}` with the Accept header for `format` and the period as query parameters. */
export const requestFor = (
  pakke: Rettighetspakke,
  endpoint: Endepunkt,
  part: PartIdentifikator.PartIdentifikator,
  periode: Periode | undefined,
  format: Format
): HttpClientRequest.HttpClientRequest => {
  const request = HttpClientRequest.get(`/${pakke}/${part}/${endpoint}`).pipe(
    HttpClientRequest.setHeader("Accept", format === "xml" ? "application/xml" : "application/json")
  )
  return periode ? HttpClientRequest.setUrlParams(request, { fraOgMed: periode.fraOgMed, tilOgMed: periode.tilOgMed }) : request
}

/**
 * The token request for a call about `part`: with rettighetspakke regnskapssystem the grant names
 * a system user — the party itself when it is an organisation ("party"), none, or a fixed one.
 */
export const tokenRequestFor = (
  pakke: Rettighetspakke,
  systemUser: SystemUser,
  scope: string | undefined,
  part: PartIdentifikator.PartIdentifikator
): TokenRequest => {
  const systemUserOrg = pakke !== "regnskapssystem" || systemUser === "none"
    ? undefined
    : systemUser === "party"
    ? (/^\d{9}$/.test(part) ? part : undefined)
    : systemUser.org
  return { scope, systemUserOrg }
}
