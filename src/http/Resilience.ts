/**
 * Resilience for any `HttpClient`: per-attempt timeout, retry with backoff (src/http/RetryPolicy.ts),
 * a concurrency gate, a client-side rate limiter and a pause driven by rate-limit response headers.
 *
 * Every piece is a function `HttpClient.HttpClient.With<E, R> → HttpClient.HttpClient.With<E, R>` (the error type stays
 * `HttpClientError`), so they compose with the platform's own combinators; `withResilience`
 * puts them together in the right order and `layer` wraps the `HttpClient` in a context.
 *
 * Order, innermost first: execute → read the whole body (so a connection dropped mid-body is
 * retried too) → per-attempt timeout → retryable status becomes a failure → concurrency gate →
 * rate limiter → header pause → retry. The final response of an exhausted retry (a 503, a 429)
 * is returned as a normal response so the caller can decode the server's error body.
 */
import { HttpClient, HttpClientError, type HttpClientRequest, HttpClientResponse, type HttpMethod } from "@effect/platform"
import { Clock, Data, Duration, Effect, FiberRef, Layer, Option, RateLimiter, Ref, Schedule, type Scope } from "effect"
import { parseRetryAfter, type RetryDecision, retryPolicy, type RetryPolicyOptions } from "./RetryPolicy.ts"

/** The cause inside a `RequestError` produced by `withTimeout`. */
export class RequestTimeout extends Data.TaggedError("RequestTimeout")<{ readonly timeout: Duration.Duration }> {
  override get message() {
    return `no complete response within ${Duration.format(this.timeout)}`
  }
}

/** True when an HttpClientError is the per-attempt timeout of `withTimeout`. */
export const isTimeout = (error: unknown): boolean =>
  HttpClientError.isHttpClientError(error) && error._tag === "RequestError" && error.cause instanceof RequestTimeout

/**
 * A response whose status asked for a retry, carried as a failure through the retry schedule.
 * It never escapes `withRetry`: when retries run out, the response itself is returned.
 */
export class RetryableResponse extends Data.TaggedError("RetryableResponse")<{
  readonly response: HttpClientResponse.HttpClientResponse
}> {}

/** What the retry schedule sees: a transport/decode error or a response with a retryable status. */
export type RetryFailure = HttpClientError.HttpClientError | RetryableResponse

const bodyless = (status: number) => status === 204 || status === 205 || status === 304 || (status >= 100 && status < 200)

/**
 * Reads the whole body before handing the response on, so timeouts and retries cover the body
 * as well as the headers. The returned response serves the buffered bytes.
 */
export const withBufferedBody = <E, R>(self: HttpClient.HttpClient.With<E, R>): HttpClient.HttpClient.With<E | HttpClientError.ResponseError, R> =>
  HttpClient.transformResponse(self, (effect) =>
    Effect.flatMap(effect, (response) =>
      bodyless(response.status)
        ? Effect.succeed(response)
        : Effect.map(
          response.arrayBuffer,
          (body) =>
            HttpClientResponse.fromWeb(response.request, new Response(body, { status: response.status, headers: response.headers as Record<string, string> }))
        )))

/** Fails an attempt that takes longer than `timeout` with a `RequestError` (reason Transport, cause `RequestTimeout`). */
export const withTimeout =
  (timeout: Duration.DurationInput) => <E, R>(self: HttpClient.HttpClient.With<E, R>): HttpClient.HttpClient.With<E | HttpClientError.RequestError, R> => {
    const d = Duration.decode(timeout)
    return HttpClient.transform(self, (effect, request) =>
      Effect.timeoutFail(effect, {
        duration: d,
        onTimeout: () =>
          new HttpClientError.RequestError({
            request,
            reason: "Transport",
            cause: new RequestTimeout({ timeout: d }),
            description: `timed out after ${Duration.format(d)}`
          })
      }))
  }

/** When the current request's first attempt actually started: past every gate and limiter, not while it queued. */
interface AttemptStart {
  at: number | undefined
}

/** Set by `withRetry` for each request; `withAttemptStart` fills it in when the first attempt gets going. */
const currentAttemptStart = FiberRef.unsafeMake<AttemptStart | undefined>(undefined)

/**
 * Notes when an attempt really starts (innermost: after the concurrency gate, the rate limiter and
 * any pause), so that `withRetry`'s budget counts from there. A request queued behind four slow ones
 * keeps its whole retry budget.
 */
export const withAttemptStart = <E, R>(self: HttpClient.HttpClient.With<E, R>): HttpClient.HttpClient.With<E, R> =>
  HttpClient.transform(self, (effect) =>
    Effect.zipRight(
      Effect.flatMap(FiberRef.get(currentAttemptStart), (s) =>
        s === undefined || s.at !== undefined ? Effect.void : Effect.map(Clock.currentTimeMillis, (now) => void (s.at = now))),
      effect
    ))

/** Runs at most `permits` attempts at once through this client (each attempt takes one permit). */
export const withConcurrencyLimit = (semaphore: Effect.Semaphore) => <E, R>(self: HttpClient.HttpClient.With<E, R>): HttpClient.HttpClient.With<E, R> =>
  HttpClient.transform(self, (effect) => semaphore.withPermits(1)(effect))

/** Every attempt waits for the rate limiter (Effect's `RateLimiter`). */
export const withRateLimiter = (limiter: RateLimiter.RateLimiter) => <E, R>(self: HttpClient.HttpClient.With<E, R>): HttpClient.HttpClient.With<E, R> =>
  HttpClient.transform(self, (effect) => limiter(effect))

/** Reads a pause from a response: how long to hold every further request, if at all. */
export type PauseHook = (response: HttpClientResponse.HttpClientResponse, nowMillis: number) => Option.Option<Duration.Duration>

export interface RateLimitHeadersOptions {
  /** Default "x-rate-limit-remaining" (Tripletex). */
  readonly remaining?: string | undefined
  /** Default "x-rate-limit-reset". */
  readonly reset?: string | undefined
  /** How the reset header counts: seconds until the window resets (Tripletex) or epoch seconds. Default "delta-seconds". */
  readonly resetKind?: "delta-seconds" | "epoch-seconds" | undefined
  /** Pause once remaining is at or below this. Default 0. */
  readonly pauseAtOrBelow?: number | undefined
}

/** A PauseHook for `X-Rate-Limit-Remaining` / `X-Rate-Limit-Reset` style headers. */
export const rateLimitHeaders = (options: RateLimitHeadersOptions = {}): PauseHook => {
  const remainingName = (options.remaining ?? "x-rate-limit-remaining").toLowerCase()
  const resetName = (options.reset ?? "x-rate-limit-reset").toLowerCase()
  const threshold = options.pauseAtOrBelow ?? 0
  return (response, now) => {
    const remaining = Number(response.headers[remainingName])
    const reset = Number(response.headers[resetName])
    if (response.headers[remainingName] === undefined || !Number.isFinite(remaining) || remaining > threshold) return Option.none()
    if (response.headers[resetName] === undefined || !Number.isFinite(reset)) return Option.none()
    const ms = options.resetKind === "epoch-seconds" ? reset * 1000 - now : reset * 1000
    return Option.some(Duration.millis(Math.max(0, ms)))
  }
}

/**
 * Applies a PauseHook: after a response that asks for a pause, every attempt through this client
 * waits until the pause is over. `pausedUntil` is shared by all requests of the client.
 */
export const withPause = (hook: PauseHook, pausedUntil: Ref.Ref<number>) => <E, R>(self: HttpClient.HttpClient.With<E, R>): HttpClient.HttpClient.With<E, R> =>
  HttpClient.transform(self, (effect) =>
    Effect.gen(function*() {
      const until = yield* Ref.get(pausedUntil)
      const now = yield* Clock.currentTimeMillis
      if (until > now) yield* Effect.sleep(Duration.millis(until - now))
      const response = yield* effect
      const after = yield* Clock.currentTimeMillis
      const pause = hook(response, after)
      if (Option.isSome(pause)) yield* Ref.update(pausedUntil, (u) => Math.max(u, after + Duration.toMillis(pause.value)))
      return response
    }))

export interface RetryOptions extends Omit<RetryPolicyOptions<RetryFailure>, "isRetryable" | "serverDelay"> {
  /** Statuses retried. Default 408, 429, 500, 502, 503, 504. */
  readonly isRetryableResponse?: ((response: HttpClientResponse.HttpClientResponse) => boolean) | undefined
  /** Errors retried. Default: transport errors (incl. timeouts) and bodies cut off mid-read. */
  readonly isRetryableError?: ((error: HttpClientError.HttpClientError) => boolean) | undefined
  /** Methods retried. Default the idempotent ones: GET HEAD OPTIONS PUT DELETE (not POST/PATCH). */
  readonly methods?: ReadonlyArray<HttpMethod.HttpMethod> | undefined
  /** Statuses whose `Retry-After` is honoured. Default 429 and 503. */
  readonly retryAfterStatuses?: ReadonlyArray<number> | undefined
  /** Called before each retry (for logs/metrics); must not log secrets from the request. */
  readonly onRetry?: ((request: HttpClientRequest.HttpClientRequest, decision: RetryDecision<RetryFailure>) => Effect.Effect<void>) | undefined
}

export const defaultRetryableStatuses: ReadonlyArray<number> = [408, 429, 500, 502, 503, 504]

export const defaultIsRetryableError = (error: HttpClientError.HttpClientError): boolean =>
  (error._tag === "RequestError" && error.reason === "Transport") || (error._tag === "ResponseError" && error.reason === "Decode")

/**
 * Retries an attempt per `RetryOptions`; the budget counts from when the first attempt really started
 * (marked by `withAttemptStart` inside the gates), else from the first failure.
 */
export const withRetry =
  (options: RetryOptions = {}) =>
  <R>(self: HttpClient.HttpClient.With<HttpClientError.HttpClientError, R>): HttpClient.HttpClient.With<HttpClientError.HttpClientError, R> => {
    const isRetryableResponse = options.isRetryableResponse ?? ((r) => defaultRetryableStatuses.includes(r.status))
    const isRetryableError = options.isRetryableError ?? defaultIsRetryableError
    const methods = options.methods ?? ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]
    const retryAfterStatuses = options.retryAfterStatuses ?? [429, 503]
    return HttpClient.transform(self, (effect, request) => {
      if (!methods.includes(request.method)) return effect
      const attempt: Effect.Effect<HttpClientResponse.HttpClientResponse, RetryFailure, R> = Effect.flatMap(
        effect,
        (response) => isRetryableResponse(response) ? Effect.fail(new RetryableResponse({ response })) : Effect.succeed(response)
      )
      return Effect.gen(function*() {
        const started: AttemptStart = { at: undefined }
        const policy = retryPolicy<RetryFailure>(
          {
            ...options,
            isRetryable: (f) => (f._tag === "RetryableResponse" ? true : isRetryableError(f)),
            serverDelay: (f, now) =>
              f._tag === "RetryableResponse" && retryAfterStatuses.includes(f.response.status)
                ? parseRetryAfter(f.response.headers["retry-after"], now)
                : Option.none()
          },
          () => started.at
        )
        const onRetry = options.onRetry
        const schedule = onRetry === undefined ? policy : Schedule.tapOutput(policy, (d) => (d.retrying ? onRetry(request, d) : Effect.void))
        return yield* Effect.retry(attempt, schedule).pipe(
          Effect.locally(currentAttemptStart, started),
          Effect.catchTag("RetryableResponse", (f) => Effect.succeed(f.response))
        )
      })
    })
  }

export interface ResilienceOptions {
  /** Retry policy; `false` disables retrying. */
  readonly retry?: RetryOptions | false | undefined
  /** Per-attempt timeout covering headers and body. Default 30 s; `false` disables. */
  readonly timeout?: Duration.DurationInput | false | undefined
  /** Attempts in flight at once. Default 5; `false` for no gate. */
  readonly concurrency?: number | false | undefined
  /** Client-side rate limit: at most `limit` attempts per `interval` (token bucket). Default none. */
  readonly rateLimit?: { readonly limit: number; readonly interval: Duration.DurationInput } | false | undefined
  /** Pause all requests when the server says the quota is spent (see `rateLimitHeaders`). Default none. */
  readonly pause?: PauseHook | false | undefined
  /** Read whole bodies inside the timeout/retry (default true). */
  readonly bufferBody?: boolean | undefined
}

export const resilienceDefaults = {
  timeout: Duration.seconds(30),
  concurrency: 5
} as const

/**
 * Wraps a client with all of the above. Needs a Scope for the rate limiter; the gate, limiter and
 * pause state are shared by every request made through the returned client.
 */
export const withResilience = (options: ResilienceOptions = {}) =>
<R>(
  client: HttpClient.HttpClient.With<HttpClientError.HttpClientError, R>
): Effect.Effect<HttpClient.HttpClient.With<HttpClientError.HttpClientError, R>, never, Scope.Scope> =>
  Effect.gen(function*() {
    let c: HttpClient.HttpClient.With<HttpClientError.HttpClientError, R> = options.bufferBody === false ? client : withBufferedBody(client)
    // Innermost, so the retry budget starts when an attempt gets going, not while it waits for a permit.
    c = withAttemptStart(c)
    const timeout = options.timeout === undefined ? resilienceDefaults.timeout : options.timeout
    if (timeout !== false) c = withTimeout(timeout)(c)
    // The pause sits inside the concurrency gate: a request that queued for a permit before a
    // pause began must still honour it when its turn comes.
    if (options.pause) c = withPause(options.pause, yield* Ref.make(0))(c)
    const concurrency = options.concurrency === undefined ? resilienceDefaults.concurrency : options.concurrency
    if (concurrency !== false) c = withConcurrencyLimit(yield* Effect.makeSemaphore(Math.max(1, concurrency)))(c)
    if (options.rateLimit) {
      const limiter = yield* RateLimiter.make({ limit: options.rateLimit.limit, interval: options.rateLimit.interval, algorithm: "token-bucket" })
      c = withRateLimiter(limiter)(c)
    }
    if (options.retry !== false) c = withRetry(options.retry ?? {})(c)
    return c
  })

/** Replaces the `HttpClient` in context with a resilient one. */
export const layer = (options: ResilienceOptions = {}): Layer.Layer<HttpClient.HttpClient, never, HttpClient.HttpClient> =>
  Layer.scoped(HttpClient.HttpClient, Effect.flatMap(HttpClient.HttpClient, withResilience(options)))
