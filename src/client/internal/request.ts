/**
 * Building a Krav og betalinger call: the client's settings with their defaults, the resilient
 * HttpClient (base URL prepended, the platform's spans off because they would carry a full
 * fødselsnummer in the URL, a masked log line per retry), the GET for one endpoint and period
 * (URL `{apiBaseUrl}/{rettighetspakke}/{part}/{endepunkt}?fraOgMed&tilOgMed`, om/url.md), and the
 * Maskinporten token request naming the party's Altinn system user.
 */
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Duration, Effect, type Scope } from "effect"
import type { TokenRequest } from "../../auth/Maskinporten.ts"
import type { Endepunkt, Rettighetspakke } from "../../domain/Dokumenter.ts"
import * as PartIdentifikator from "../../domain/PartIdentifikator.ts"
import type { Periode } from "../../domain/Periode.ts"
import { isTimeout, type ResilienceOptions, type RetryFailure, withResilience } from "../../http/Resilience.ts"

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

/** `raw` with the base URL, the resilience stack and a masked warning per retry. */
export const resilientHttp = (
  raw: HttpClient.HttpClient,
  baseUrl: string,
  resilience: ResilienceOptions
): Effect.Effect<HttpClient.HttpClient, never, Scope.Scope> => {
  const retry = resilience.retry
  return withResilience({
    ...resilience,
    retry: retry === false
      ? false
      : {
        ...retry,
        onRetry: (request, d) =>
          Effect.logWarning("retrying Krav og betalinger call").pipe(
            Effect.annotateLogs({ path: maskPath(request.url), attempt: d.attempt, delay: Duration.format(d.delay), cause: retryCause(d.error) })
          )
      }
  })(
    // The platform's own spans would carry the full URL (a fødselsnummer); ours carry it masked.
    raw.pipe(HttpClient.withTracerDisabledWhen(() => true), HttpClient.mapRequest(HttpClientRequest.prependUrl(baseUrl)))
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
