/**
 * The Tripletex API v2 client the ledger connector reads through.
 *
 * - Session: `POST /token/session/:create` with `{ consumerToken, employeeToken, expirationDate }`
 *   (the spec's preferred form; the `PUT` query form is legacy), then HTTP Basic with the company
 *   id as user name and the session token as password. One session per client, created on first
 *   use, re-created when its expiration date is reached or once when a request answers 401.
 * - Resilience from src/http: per-request timeout, concurrency gate, a pause driven by
 *   `X-Rate-Limit-Remaining`/`-Reset` (so the quota is never overrun), retries with backoff on
 *   5xx, 429 and network errors.
 * - Lists: `from`/`count` paging until the result is complete (`fullResultSize`, then short page),
 *   checking `versionDigest` so a list that changes while it is read is read again.
 */
import { HttpClient, type HttpClientError, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import { Context, Duration, Effect, Option, Redacted, Ref, Schema, type Scope } from "effect"
import * as D from "../../src/domain/Dato.ts"
import * as Http from "../../src/http/index.ts"
import { Progress } from "../../src/Progress.ts"
import { LedgerSourceError } from "../../src/reconcile/LedgerSource.ts"
import { fromHttpError, fromResponse } from "./errors.ts"
import type { TripletexSettings } from "./Settings.ts"

export type Params = Readonly<Record<string, string | number | boolean | undefined>>

export interface TripletexClientShape {
  readonly settings: TripletexSettings
  /** GET a single-value endpoint (`{ value }`); returns `value`. */
  readonly getValue: (path: string, params: Params, options?: { readonly companyId?: number }) => Effect.Effect<unknown, LedgerSourceError>
  /** GET a list endpoint through every page; returns all `values` (deduplicated by `id`). */
  readonly list: (path: string, params: Params, options?: { readonly companyId?: number }) => Effect.Effect<ReadonlyArray<unknown>, LedgerSourceError>
  /** Sessions created so far (for tests and logs). */
  readonly sessionsCreated: Effect.Effect<number>
}

export class TripletexClient extends Context.Tag("kravsync/connectors/tripletex/TripletexClient")<TripletexClient, TripletexClientShape>() {}

const ListEnvelope = Schema.Struct({
  fullResultSize: Schema.optional(Schema.NullOr(Schema.Number)),
  from: Schema.optional(Schema.NullOr(Schema.Number)),
  count: Schema.optional(Schema.NullOr(Schema.Number)),
  versionDigest: Schema.optional(Schema.NullOr(Schema.String)),
  values: Schema.Array(Schema.Unknown)
})
const ValueEnvelope = Schema.Struct({ value: Schema.Unknown })
const SessionEnvelope = Schema.Struct({ value: Schema.Struct({ token: Schema.String, expirationDate: Schema.optional(Schema.NullOr(Schema.String)) }) })

interface Session {
  readonly token: Redacted.Redacted<string>
  /** The session works before this date (Europe/Oslo); from then on a new one is made. */
  readonly expiresOn: string
}

/** How many times a list is read again when its versionDigest changes between pages. */
const rereads = 2

export const make = (settings: TripletexSettings): Effect.Effect<TripletexClientShape, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const concurrency = Math.max(1, settings.concurrency ?? 4)
    const pageSize = Math.max(1, settings.pageSize ?? 1000)
    // The pieces of src/http, composed so that the rate-limit pause is checked *inside* the
    // concurrency gate: a request that queued for a permit before a pause began must still wait
    // for it.
    const base = yield* HttpClient.HttpClient
    const gate = yield* Effect.makeSemaphore(concurrency)
    const pausedUntil = yield* Ref.make(0)
    const http = base.pipe(
      Http.withBufferedBody,
      Http.withTimeout(settings.timeout ?? Duration.seconds(30)),
      // Pause while at most concurrency − 1 requests are left: those already in flight then
      // still fit in the window, so no request is answered 429 (docs/connectors.md).
      Http.withPause(Http.rateLimitHeaders({ pauseAtOrBelow: concurrency - 1 }), pausedUntil),
      Http.withConcurrencyLimit(gate),
      Http.withRetry({
        // The only POST is the session request, which is safe to repeat.
        methods: ["GET", "POST"],
        maxAttempts: 8,
        baseDelay: settings.retryBaseDelay ?? Duration.millis(200),
        budget: settings.retryBudget ?? Duration.minutes(2),
        onRetry: (request, d) =>
          Effect.logDebug(`tripletex: retry ${request.method} ${new URL(request.url).pathname} after attempt ${d.attempt} in ${Duration.format(d.delay)}`)
      })
    )
    const session = yield* Ref.make(Option.none<Session>())
    const created = yield* Ref.make(0)
    const lock = yield* Effect.makeSemaphore(1)

    const createSession = Effect.gen(function*() {
      const expiresOn = D.addDays(D.todayInOslo(), 1)
      const request = HttpClientRequest.post(`${settings.baseUrl}/token/session/:create`).pipe(
        HttpClientRequest.acceptJson,
        HttpClientRequest.bodyUnsafeJson({
          consumerToken: Redacted.value(settings.consumerToken),
          employeeToken: Redacted.value(settings.employeeToken),
          expirationDate: expiresOn
        })
      )
      const op = "POST /token/session/:create"
      const response = yield* http.execute(request).pipe(Effect.mapError((e) => fromHttpError(e, op)))
      const body = yield* readJson(response, op)
      if (response.status !== 201 && response.status !== 200) {
        const hint = response.status === 401 || response.status === 403
          ? "Tripletex did not accept the consumer token and employee token (KRAVSYNC_TRIPLETEX_CONSUMER_TOKEN, KRAVSYNC_TRIPLETEX_EMPLOYEE_TOKEN); an employee token works only with the consumer token it was made for, and production and test tokens differ"
          : undefined
        return yield* Effect.fail(fromResponse(response.status, body, response.headers["x-tlx-request-id"], op, hint))
      }
      const decoded = yield* Schema.decodeUnknown(SessionEnvelope)(body).pipe(
        Effect.mapError(() =>
          new LedgerSourceError({ system: "tripletex", kind: "invalid-data", message: `Tripletex's answer to ${op} has no session token (value.token)` })
        )
      )
      const exp = decoded.value.expirationDate
      const s: Session = {
        token: Redacted.make(decoded.value.token),
        expiresOn: exp !== undefined && exp !== null && D.problem(exp) === undefined ? exp : expiresOn
      }
      yield* Ref.update(created, (n) => n + 1)
      return s
    })

    const currentSession = lock.withPermits(1)(
      Effect.gen(function*() {
        const s = yield* Ref.get(session)
        if (Option.isSome(s) && D.todayInOslo() < s.value.expiresOn) return s.value
        const fresh = yield* createSession
        yield* Ref.set(session, Option.some(fresh))
        return fresh
      })
    )

    /** Forgets `stale` (unless another request already replaced it). */
    const invalidate = (stale: Session) => Ref.update(session, (s) => (Option.isSome(s) && s.value.token === stale.token ? Option.none() : s))

    const send = (request: HttpClientRequest.HttpClientRequest, companyId: number, op: string) =>
      Effect.gen(function*() {
        const withSession = (s: Session) =>
          http.execute(HttpClientRequest.basicAuth(request, String(companyId), s.token)).pipe(
            Effect.mapError((e: HttpClientError.HttpClientError) => fromHttpError(e, op))
          )
        const s = yield* currentSession
        const first = yield* withSession(s)
        if (first.status !== 401) return first
        // The session expired or was revoked: make a new one and try once more.
        yield* invalidate(s)
        return yield* withSession(yield* currentSession)
      })

    const get = (path: string, params: Params, companyId: number) =>
      Effect.gen(function*() {
        const op = `GET ${path}`
        const query = Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as const]))
        const request = HttpClientRequest.get(`${settings.baseUrl}${path}`).pipe(HttpClientRequest.acceptJson, HttpClientRequest.setUrlParams(query))
        const response = yield* send(request, companyId, op)
        const body = yield* readJson(response, op)
        if (response.status < 200 || response.status >= 300) {
          return yield* Effect.fail(fromResponse(response.status, body, response.headers["x-tlx-request-id"], op))
        }
        return body
      })

    const invalid = (op: string, what: string) =>
      new LedgerSourceError({ system: "tripletex", kind: "invalid-data", message: `Tripletex's answer to ${op} is not ${what}` })

    const progress = yield* Progress
    let pagesRead = 0
    const page = (path: string, params: Params, companyId: number, from: number) =>
      get(path, { ...params, from, count: pageSize }, companyId).pipe(
        Effect.flatMap((body) =>
          Schema.decodeUnknown(ListEnvelope)(body).pipe(Effect.mapError(() => invalid(`GET ${path}`, "a list (ListResponse with values)")))
        ),
        Effect.tap(() => progress.update({ step: "ledger", done: ++pagesRead, subject: "Tripletex" }))
      )

    const readAll = (path: string, params: Params, companyId: number) =>
      Effect.gen(function*() {
        const first = yield* page(path, params, companyId, 0)
        const total = first.fullResultSize ?? undefined
        const offsets: Array<number> = []
        if (total !== undefined && first.values.length > 0) { for (let f = first.values.length; f < total; f += pageSize) offsets.push(f) }
        const rest = yield* Effect.forEach(offsets, (f) => page(path, params, companyId, f), { concurrency })
        const pages = [first, ...rest]
        // fullResultSize is documented as not exact: keep going while pages come back full.
        let last = pages[pages.length - 1] ?? first
        let next = (offsets[offsets.length - 1] ?? 0) + last.values.length
        const ids = (p: typeof first) => p.values.map((v) => (typeof v === "object" && v !== null && "id" in v ? (v as { id: unknown }).id : undefined))
        const seen = new Set(pages.flatMap(ids))
        while (last.values.length >= pageSize) {
          last = yield* page(path, params, companyId, next)
          pages.push(last)
          next += last.values.length
          // A server that ignores `from` would send the same full page for ever.
          const fresh = ids(last).filter((id) => id === undefined || !seen.has(id))
          if (fresh.length === 0) break
          for (const id of fresh) seen.add(id)
        }
        const digests = new Set(pages.filter((p) => p.values.length > 0).map((p) => p.versionDigest ?? ""))
        return { pages, stable: digests.size <= 1 }
      })

    const list: TripletexClientShape["list"] = (path, params, options) =>
      Effect.gen(function*() {
        const companyId = options?.companyId ?? settings.companyId
        for (let attempt = 0;; attempt++) {
          const { pages, stable } = yield* readAll(path, params, companyId)
          if (!stable && attempt < rereads) {
            yield* Effect.logDebug(`tripletex: ${path} changed while it was read (versionDigest); reading it again`)
            continue
          }
          if (!stable) {
            return yield* Effect.fail(
              new LedgerSourceError({
                system: "tripletex",
                kind: "invalid-data",
                message: `the books in Tripletex kept changing while GET ${path} was read (${rereads + 1} tries); try again when nobody is posting`
              })
            )
          }
          const seen = new Set<unknown>()
          const out: Array<unknown> = []
          for (const p of pages) {
            for (const v of p.values) {
              const id = typeof v === "object" && v !== null && "id" in v ? (v as { id: unknown }).id : undefined
              if (id !== undefined && id !== null) {
                if (seen.has(id)) continue
                seen.add(id)
              }
              out.push(v)
            }
          }
          return out
        }
      })

    const getValue: TripletexClientShape["getValue"] = (path, params, options) =>
      get(path, params, options?.companyId ?? settings.companyId).pipe(
        Effect.flatMap((body) => Schema.decodeUnknown(ValueEnvelope)(body).pipe(Effect.mapError(() => invalid(`GET ${path}`, "a single value ({ value })")))),
        Effect.map((e) => e.value)
      )

    return { settings, getValue, list, sessionsCreated: Ref.get(created) } satisfies TripletexClientShape
  })

const readJson = (response: HttpClientResponse.HttpClientResponse, op: string): Effect.Effect<unknown, LedgerSourceError> =>
  response.text.pipe(
    Effect.mapError((e) => fromHttpError(e, op)),
    Effect.map((text) => {
      if (text.trim() === "") return undefined
      try {
        return JSON.parse(text) as unknown
      } catch {
        return text.length > 200 ? `${text.slice(0, 200)}…` : text
      }
    }),
    Effect.flatMap((body) =>
      response.status >= 200 && response.status < 300 && (body === undefined || typeof body === "string")
        ? Effect.fail(new LedgerSourceError({ system: "tripletex", kind: "invalid-data", message: `Tripletex's answer to ${op} is not JSON` }))
        : Effect.succeed(body)
    )
  )
