/**
 * Resilience for any `HttpClient`: per-attempt timeout, retry with backoff (src/http/RetryPolicy.ts),
 * a concurrency gate, a client-side rate limiter and a pause driven by rate-limit response headers.
 *
 * Every piece is a function `HttpClient.HttpClient.With<E, R> → HttpClient.HttpClient.With<E, R>` (the error type stays
 * `HttpClientError`), so they compose with the platform's own combinators; `withResilience`
 * puts them together in the right order and `layer` wraps the `HttpClient` in a context.
 *
 * Order, innermost first: execute → read the whole body (so a connection dropped mid-body is
 * retried too) → mark when the first attempt really starts → per-attempt timeout → header pause →
 * concurrency gate (first come, first served: src/http/Gate.ts) → rate limiter → retry (where a
 * retryable status becomes a failure). Everything per attempt is built after the permit is taken,
 * so a call waiting for one holds only its place in the queue. The final response of an exhausted
 * retry (a 503, a 429) is returned as a normal response so the caller can decode the server's
 * error body.
 */
import { type Headers, HttpClient, HttpClientError, type HttpClientRequest, type HttpClientResponse, type HttpMethod, UrlParams } from "@effect/platform"
import { Clock, Data, Duration, Effect, Fiber, FiberRef, Layer, Option, RateLimiter, Ref, Runtime, Schedule, type Scope, Stream } from "effect"
import { fairly, type Gate, isGate, makeGate } from "./Gate.ts"
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

const utf8 = new TextDecoder()

const BODY: unique symbol = Symbol.for("kravsync/http/BufferedBody")

/** A buffered body: its bytes, its text decoded once when first asked for. */
class Body {
  private decoded: string | undefined
  private headersRead: Headers.Headers | undefined
  constructor(readonly response: HttpClientResponse.HttpClientResponse, readonly bytes: Uint8Array) {}
  text(): string {
    return (this.decoded ??= utf8.decode(this.bytes))
  }
  /** The platform's response makes its headers object anew on every read. */
  headers(): Headers.Headers {
    return (this.headersRead ??= this.response.headers)
  }
  decodeError(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.response.request, response: this.response, reason: "Decode", cause })
  }
}

type Buffered = HttpClientResponse.HttpClientResponse & { readonly [BODY]: Body }

/** The body accessors of a buffered response, shared by all of them: an Effect is made only when one is asked for. */
const bodyAccessors: PropertyDescriptorMap = {
  headers: {
    get(this: Buffered) {
      return this[BODY].headers()
    }
  },
  arrayBuffer: {
    get(this: Buffered) {
      const bytes = this[BODY].bytes
      return Effect.sync(() => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
    }
  },
  text: {
    get(this: Buffered) {
      const body = this[BODY]
      return Effect.sync(() => body.text())
    }
  },
  json: {
    get(this: Buffered) {
      const body = this[BODY]
      return Effect.try({ try: () => (body.text() === "" ? null : JSON.parse(body.text()) as unknown), catch: (cause) => body.decodeError(cause) })
    }
  },
  urlParamsBody: {
    get(this: Buffered) {
      const body = this[BODY]
      return Effect.try({ try: () => UrlParams.fromInput(new URLSearchParams(body.text())), catch: (cause) => body.decodeError(cause) })
    }
  },
  stream: {
    get(this: Buffered) {
      return Stream.succeed(this[BODY].bytes)
    }
  },
  // Rare enough that a Response is made for it when asked.
  formData: {
    get(this: Buffered) {
      const body = this[BODY]
      const headers = body.headers() as Record<string, string>
      return Effect.tryPromise({ try: () => new Response(body.bytes, { headers }).formData(), catch: (cause) => body.decodeError(cause) })
    }
  }
}

/**
 * The response as it was, serving `bytes` as its body: one object over the original (status,
 * headers, request and cookies read from it), the text decoded once when asked for, no second
 * `Response` around the bytes.
 */
export const bufferedResponse = (response: HttpClientResponse.HttpClientResponse, bytes: Uint8Array): HttpClientResponse.HttpClientResponse => {
  const buffered = Object.create(response, bodyAccessors) as { [BODY]: Body }
  buffered[BODY] = new Body(response, bytes)
  return buffered as unknown as HttpClientResponse.HttpClientResponse
}

/**
 * Reads the whole body before handing the response on, so timeouts and retries cover the body
 * as well as the headers. The returned response serves the buffered bytes (`bufferedResponse`).
 */
export const withBufferedBody = <E, R>(self: HttpClient.HttpClient.With<E, R>): HttpClient.HttpClient.With<E | HttpClientError.ResponseError, R> =>
  HttpClient.transformResponse(self, (effect) =>
    Effect.flatMap(effect, (response) =>
      bodyless(response.status)
        ? Effect.succeed(response)
        : Effect.map(response.arrayBuffer, (body) => bufferedResponse(response, new Uint8Array(body)))))

/**
 * `self`, failed with `onTimeout()` if it has not finished after `millis`: one fiber and a timer
 * (Effect.timeoutFail races two fibers and a sleeping one, about 50 µs an attempt). The fiber runs
 * with the caller's context and fiber references and starts at once, so the request is on its way
 * before the timer can fire; a timed-out or interrupted attempt is interrupted (the request
 * aborted) before the call returns. The timer is the platform's `setTimeout`, not the Effect
 * Clock, so a TestClock does not move it.
 */
export const deadline = <A, E, R, E2>(self: Effect.Effect<A, E, R>, millis: number, onTimeout: () => E2): Effect.Effect<A, E | E2, R> =>
  Effect.flatMap(Effect.runtime<R>(), (runtime) =>
    Effect.async<A, E | E2>((resume) => {
      let done = false
      const fiber = Runtime.runFork(runtime)(self)
      const timer = setTimeout(() => {
        if (done) return
        done = true
        resume(Effect.zipRight(Fiber.interrupt(fiber), Effect.fail(onTimeout())))
      }, millis)
      fiber.addObserver((exit) => {
        if (done) return
        done = true
        clearTimeout(timer)
        resume(exit)
      })
      // The caller was interrupted: stop the timer and the attempt.
      return Effect.suspend(() => {
        done = true
        clearTimeout(timer)
        return Fiber.interrupt(fiber)
      })
    }))

/** Fails an attempt that takes longer than `timeout` with a `RequestError` (reason Transport, cause `RequestTimeout`). */
export const withTimeout =
  (timeout: Duration.DurationInput) => <E, R>(self: HttpClient.HttpClient.With<E, R>): HttpClient.HttpClient.With<E | HttpClientError.RequestError, R> => {
    const d = Duration.decode(timeout)
    const millis = Duration.toMillis(d)
    const cause = new RequestTimeout({ timeout: d })
    const description = `timed out after ${Duration.format(d)}`
    return HttpClient.transform(
      self,
      (effect, request) => deadline(effect, millis, () => new HttpClientError.RequestError({ request, reason: "Transport", cause, description }))
    )
  }

/** The request `withRetry` is retrying, and when its first attempt actually started: past every gate and limiter, not while it queued. */
interface AttemptStart {
  readonly request: HttpClientRequest.HttpClientRequest
  at: number | undefined
}

/** Set by `withRetry` for each request; `withAttemptStart` fills in `at` when the first attempt gets going. */
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

/**
 * Runs at most so many attempts at once through this client (each attempt takes one permit), in
 * the order they arrived: a `Gate` (src/http/Gate.ts), or a Semaphore shared with other work,
 * taken first come, first served.
 */
export const withConcurrencyLimit = (limit: Gate | Effect.Semaphore) => <E, R>(self: HttpClient.HttpClient.With<E, R>): HttpClient.HttpClient.With<E, R> => {
  const withPermit = isGate(limit) ? limit.withPermit : fairly(limit)
  return HttpClient.transform(self, (effect) => withPermit(effect))
}

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
 *
 * The policy is built once per client; what it needs of a request (the request for `onRetry`, the
 * start of its first attempt) it reads from a fiber reference set per request. A request that
 * succeeds at once costs that reference and a `catchAll`: the schedule's driver is made at its
 * first failure.
 */
export const withRetry =
  (options: RetryOptions = {}) =>
  <R>(self: HttpClient.HttpClient.With<HttpClientError.HttpClientError, R>): HttpClient.HttpClient.With<HttpClientError.HttpClientError, R> => {
    const isRetryableResponse = options.isRetryableResponse ?? ((r) => defaultRetryableStatuses.includes(r.status))
    const isRetryableError = options.isRetryableError ?? defaultIsRetryableError
    const methods = options.methods ?? ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]
    const retryAfterStatuses = options.retryAfterStatuses ?? [429, 503]
    const policy = retryPolicy<RetryFailure>(
      {
        ...options,
        isRetryable: (f) => (f._tag === "RetryableResponse" ? true : isRetryableError(f)),
        serverDelay: (f, now) =>
          f._tag === "RetryableResponse" && retryAfterStatuses.includes(f.response.status)
            ? parseRetryAfter(f.response.headers["retry-after"], now)
            : Option.none()
      },
      Effect.map(FiberRef.get(currentAttemptStart), (s) => s?.at)
    )
    const onRetry = options.onRetry
    const schedule = onRetry === undefined
      ? policy
      : Schedule.tapOutput(
        policy,
        (d) => d.retrying ? Effect.flatMap(FiberRef.get(currentAttemptStart), (s) => (s === undefined ? Effect.void : onRetry(s.request, d))) : Effect.void
      )
    const retrying = <A, E, R2>(attempt: Effect.Effect<A, E, R2>, first: E) =>
      Effect.flatMap(Schedule.driver(schedule as unknown as Schedule.Schedule<RetryDecision<RetryFailure>, E>), (driver) => {
        const next = (e: E): Effect.Effect<A, E, R2> =>
          Effect.matchEffect(driver.next(e), { onFailure: () => Effect.fail(e), onSuccess: () => Effect.catchAll(attempt, next) })
        return next(first)
      })
    return HttpClient.transform(self, (effect, request) => {
      if (!methods.includes(request.method)) return effect
      const attempt: Effect.Effect<HttpClientResponse.HttpClientResponse, RetryFailure, R> = Effect.flatMap(
        effect,
        (response) => isRetryableResponse(response) ? Effect.fail(new RetryableResponse({ response })) : Effect.succeed(response)
      )
      return Effect.suspend(() =>
        Effect.catchAll(attempt, (first) => retrying(attempt, first)).pipe(
          Effect.locally(currentAttemptStart, { request, at: undefined }),
          Effect.catchTag("RetryableResponse", (f) => Effect.succeed(f.response))
        )
      )
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
    if (concurrency !== false) c = withConcurrencyLimit(yield* makeGate(Math.max(1, concurrency)))(c)
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
