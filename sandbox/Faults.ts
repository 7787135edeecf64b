/**
 * Fault injection for the sandbox, set per run (options, `--faults`) or at runtime through the
 * handle. Shares are probabilities per API request, drawn from a seeded PRNG.
 */
import { Either } from "effect"

export interface Faults {
  /** Share of API requests answered KB-002 (500, a backend system failed). */
  readonly kb002Share: number
  /** Share answered KB-001 (500, unexpected error in the service). */
  readonly kb001Share: number
  /** Share of requests whose connection is dropped before an answer. */
  readonly dropShare: number
  /** Added latency per API request, milliseconds. */
  readonly latencyMs: number
  /** The next n API requests answer 429 with Retry-After. */
  readonly tooManyRequests: number
  /** Share of API requests answered 429 with Retry-After. */
  readonly rate429Share: number
  readonly retryAfterSeconds: number
  /** Requests per second per organisation above which the API answers 429 (0: no limit). */
  readonly rateLimitPerSecond: number
  /** Enforce om/bruk.md's "no more than 5 concurrent calls" per organisation with 429. */
  readonly enforceConcurrency: boolean
  /** Every API request answers this KB code (KB-001 … KB-009), for tests. */
  readonly forceKode: string | undefined
}

export const none: Faults = {
  kb002Share: 0,
  kb001Share: 0,
  dropShare: 0,
  latencyMs: 0,
  tooManyRequests: 0,
  rate429Share: 0,
  retryAfterSeconds: 1,
  rateLimitPerSecond: 0,
  enforceConcurrency: false,
  forceKode: undefined
}

const keys: Record<string, keyof Faults> = {
  kb002: "kb002Share",
  kb001: "kb001Share",
  drop: "dropShare",
  latency: "latencyMs",
  "429": "rate429Share",
  "retry-after": "retryAfterSeconds",
  rate: "rateLimitPerSecond",
  concurrency: "enforceConcurrency",
  force: "forceKode"
}

/** Parses `kb002=0.3,latency=50,drop=0.1,429=0.05,retry-after=1,rate=20,concurrency`. */
export const parse = (text: string): Either.Either<Partial<Faults>, string> => {
  const out: Record<string, unknown> = {}
  for (const part of text.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const [k = "", v] = part.split("=", 2)
    const key = keys[k]
    if (key === undefined) return Either.left(`unknown fault "${k}" (known: ${Object.keys(keys).join(", ")})`)
    if (key === "enforceConcurrency") out[key] = v === undefined || v === "true" || v === "1"
    else if (key === "forceKode") out[key] = v
    else {
      const n = Number(v)
      if (v === undefined || !Number.isFinite(n) || n < 0) return Either.left(`fault "${k}" needs a non-negative number, got "${v ?? ""}"`)
      if (key.endsWith("Share") && n > 1) return Either.left(`fault "${k}" is a share between 0 and 1, got ${n}`)
      out[key] = n
    }
  }
  return Either.right(out as Partial<Faults>)
}
