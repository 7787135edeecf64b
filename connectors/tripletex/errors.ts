/**
 * Tripletex's error envelope (spec: components/schemas/ApiError; info "Error/warning envelope")
 * turned into a `LedgerSourceError` a user can act on, with the request id Tripletex support asks for.
 */
import type { HttpClientError } from "@effect/platform"
import { Option, Schema } from "effect"
import { isTimeout } from "../../src/http/index.ts"
import { LedgerSourceError } from "../../src/reconcile/LedgerSource.ts"

const optional = <S extends Schema.Schema.Any>(s: S) => Schema.optional(Schema.NullOr(s))

export const ApiError = Schema.Struct({
  status: optional(Schema.Number),
  code: optional(Schema.Number),
  message: optional(Schema.String),
  link: optional(Schema.String),
  developerMessage: optional(Schema.String),
  validationMessages: optional(Schema.Array(Schema.Struct({ field: optional(Schema.String), message: optional(Schema.String) }))),
  requestId: optional(Schema.String)
})
export type ApiError = typeof ApiError.Type

const decodeApiError = Schema.decodeUnknownOption(ApiError)

const kindOf = (status: number): LedgerSourceError["kind"] =>
  status === 401 || status === 403 ? "auth" : status === 404 ? "not-found" : status === 429 ? "rate-limited" : status >= 500 ? "transport" : "invalid-data"

const hints: Record<number, string> = {
  401: "the session was refused; check the consumer and employee tokens",
  403: "the employee token lacks the permission (or company access) this needs",
  429: "Tripletex's rate limit was still hit after waiting"
}

/** `Tripletex answered 403 (code 9000) on GET /ledger/posting: … — … [field: message] (request id …)`. */
export const fromResponse = (status: number, body: unknown, headerRequestId: string | undefined, operation: string, hint?: string): LedgerSourceError => {
  const e = Option.getOrUndefined(decodeApiError(body))
  const requestId = e?.requestId ?? headerRequestId
  const parts = [e?.message, e?.developerMessage !== e?.message ? e?.developerMessage : undefined].filter((s): s is string => typeof s === "string" && s !== "")
  const validation = (e?.validationMessages ?? []).map((v) => `${v.field ?? "?"}: ${v.message ?? "?"}`)
  const text = [
    `Tripletex answered ${status}${e?.code != null ? ` (code ${e.code})` : ""} on ${operation}`,
    parts.length > 0 ? `: ${parts.join(" — ")}` : "",
    validation.length > 0 ? ` [${validation.join("; ")}]` : "",
    hint ?? hints[status] ? ` — ${hint ?? hints[status]}` : "",
    requestId !== undefined ? ` (request id ${requestId})` : ""
  ].join("")
  return new LedgerSourceError({
    system: "tripletex",
    kind: kindOf(status),
    message: text,
    location: requestId === undefined ? undefined : `request id ${requestId}`
  })
}

/** The innermost useful words of an error chain ("connect ECONNREFUSED 127.0.0.1:9"). */
const causeText = (e: unknown): string | undefined => {
  let found: string | undefined
  for (let c: unknown = e, depth = 0; c !== null && typeof c === "object" && depth < 6; c = (c as { cause?: unknown }).cause, depth++) {
    const m = (c as { message?: unknown }).message
    if (typeof m === "string" && m !== "" && m !== "fetch failed") found = m
  }
  return found
}

/** A request that got no usable answer (connection refused/reset, timeout, unreadable body). */
export const fromHttpError = (error: HttpClientError.HttpClientError, operation: string): LedgerSourceError => {
  const host = (() => {
    try {
      return new URL(error.request.url).host
    } catch {
      return error.request.url
    }
  })()
  if (isTimeout(error)) {
    return new LedgerSourceError({
      system: "tripletex",
      kind: "transport",
      message: `Tripletex (${host}) did not answer ${operation} in time: ${error.message}`
    })
  }
  if (error._tag === "ResponseError") {
    return new LedgerSourceError({
      system: "tripletex",
      kind: "invalid-data",
      message: `Tripletex's answer to ${operation} could not be read: ${error.description ?? error.reason}`
    })
  }
  return new LedgerSourceError({
    system: "tripletex",
    kind: "transport",
    message: `could not reach Tripletex at ${host} for ${operation}: ${error.description ?? causeText(error.cause) ?? error.reason}`
  })
}
