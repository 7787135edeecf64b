/**
 * A retry policy as an Effect `Schedule`: exponential backoff with jitter, a cap per delay, a
 * maximum number of attempts, a total time budget, a predicate deciding what is retryable, and
 * a server-given delay (`Retry-After`) that overrides the backoff when the failure carries one.
 *
 * The schedule's input is the failure; its output describes the retry it decided on, so callers
 * can log it. Generic: nothing here knows which API it is used against.
 */
import { Duration, Effect, Option, Random, Schedule, ScheduleDecision, ScheduleInterval } from "effect"

export interface RetryPolicyOptions<E> {
  /** Total attempts including the first; 1 disables retrying. Default 6. */
  readonly maxAttempts?: number | undefined
  /** First backoff delay. Default 200 ms. */
  readonly baseDelay?: Duration.DurationInput | undefined
  /** Growth per attempt. Default 2. */
  readonly factor?: number | undefined
  /** Cap on one backoff delay (not on a server-given delay). Default 5 s. */
  readonly maxDelay?: Duration.DurationInput | undefined
  /** Relative jitter: a delay d becomes uniform in [d·(1−j), d·(1+j)]. 0 disables. Default 0.5. */
  readonly jitter?: number | undefined
  /**
   * Time budget for all attempts and waits together, counted from `startedAt`. A retry whose
   * wait would end after the budget is not made; the last failure is returned instead. Default 30 s.
   */
  readonly budget?: Duration.DurationInput | undefined
  /** Whether a failure is worth another attempt. Default: every failure. */
  readonly isRetryable?: ((error: E) => boolean) | undefined
  /** A delay the server asked for (e.g. parsed `Retry-After`); replaces the backoff delay. */
  readonly serverDelay?: ((error: E, nowMillis: number) => Option.Option<Duration.Duration>) | undefined
  /** A server delay longer than this is not honoured; the failure is returned. Default: the budget. */
  readonly maxServerDelay?: Duration.DurationInput | undefined
}

/** What the schedule decided for one failure. */
export interface RetryDecision<E> {
  /** The attempt that just failed, from 1. */
  readonly attempt: number
  readonly delay: Duration.Duration
  /** False when the schedule gave up (attempts, budget, or a failure that is not retryable). */
  readonly retrying: boolean
  /** True when the delay came from the server rather than the backoff. */
  readonly serverGiven: boolean
  readonly error: E
}

export const defaults = {
  maxAttempts: 6,
  baseDelay: Duration.millis(200),
  factor: 2,
  maxDelay: Duration.seconds(5),
  jitter: 0.5,
  budget: Duration.seconds(30)
} as const

/** The backoff delay before attempt `attempt + 1`, before jitter: min(maxDelay, base·factor^(attempt−1)). */
export const backoffMillis = (attempt: number, options: Pick<RetryPolicyOptions<unknown>, "baseDelay" | "factor" | "maxDelay">): number => {
  const base = Duration.toMillis(Duration.decode(options.baseDelay ?? defaults.baseDelay))
  const factor = options.factor ?? defaults.factor
  const cap = Duration.toMillis(Duration.decode(options.maxDelay ?? defaults.maxDelay))
  return Math.min(cap, base * Math.pow(factor, Math.max(0, attempt - 1)))
}

/**
 * The policy as a Schedule. `startedAt` (epoch ms, from `Clock.currentTimeMillis`, or a function or
 * an effect read at the first failure — when the first attempt really started) anchors the budget;
 * when omitted or unknown the budget counts from the first failure.
 */
export const retryPolicy = <E>(
  options: RetryPolicyOptions<E> = {},
  startedAt?: number | (() => number | undefined) | Effect.Effect<number | undefined>
): Schedule.Schedule<RetryDecision<E>, E> => {
  const maxAttempts = Math.max(1, options.maxAttempts ?? defaults.maxAttempts)
  const budget = Duration.toMillis(Duration.decode(options.budget ?? defaults.budget))
  const maxServer = options.maxServerDelay === undefined ? budget : Duration.toMillis(Duration.decode(options.maxServerDelay))
  const jitter = Math.min(1, Math.max(0, options.jitter ?? defaults.jitter))
  const isRetryable = options.isRetryable ?? (() => true)
  type State = { readonly attempt: number; readonly start: number | undefined }
  const initial = typeof startedAt === "number" ? startedAt : undefined
  return Schedule.makeWithState<State, E, RetryDecision<E>>({ attempt: 0, start: initial }, (now, error, state) =>
    Effect.gen(function*() {
      const attempt = state.attempt + 1
      const start = state.start ??
        (typeof startedAt === "function" ? startedAt() : Effect.isEffect(startedAt) ? yield* startedAt : undefined) ??
        now
      const next: State = { attempt, start }
      const stop = [next, { attempt, delay: Duration.zero, retrying: false, serverGiven: false, error }, ScheduleDecision.done] as const
      if (attempt >= maxAttempts || !isRetryable(error)) return stop
      const server = options.serverDelay === undefined ? Option.none() : options.serverDelay(error, now)
      let delay: number
      if (Option.isSome(server)) {
        delay = Math.max(0, Duration.toMillis(server.value))
        if (delay > maxServer) return stop
      } else {
        const d = backoffMillis(attempt, options)
        const r = jitter === 0 ? 0.5 : yield* Random.next
        delay = Math.max(0, Math.round(d * (1 - jitter + 2 * jitter * r)))
      }
      if (now + delay - start > budget) return stop
      return [
        next,
        { attempt, delay: Duration.millis(delay), retrying: true, serverGiven: Option.isSome(server), error },
        ScheduleDecision.continueWith(ScheduleInterval.after(now + delay))
      ] as const
    }))
}

/**
 * Parses a `Retry-After` header: delay-seconds ("120") or an HTTP-date. A date in the past gives
 * zero; anything unparseable gives none.
 */
export const parseRetryAfter = (value: string | undefined, nowMillis: number): Option.Option<Duration.Duration> => {
  if (value === undefined) return Option.none()
  const v = value.trim()
  if (/^\d+(\.\d+)?$/.test(v)) return Option.some(Duration.millis(Math.round(Number(v) * 1000)))
  const at = Date.parse(v)
  if (Number.isNaN(at)) return Option.none()
  return Option.some(Duration.millis(Math.max(0, at - nowMillis)))
}
