import { HttpClient, HttpClientRequest } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Either, Fiber, Option } from "effect"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import * as Http from "../../src/http/index.ts"

/** A loopback server whose handler sees the request number (from 1). */
const serve = (handler: (n: number, req: IncomingMessage, res: ServerResponse) => void) =>
  Effect.acquireRelease(
    Effect.async<{ url: string; count: () => number; times: Array<number>; maxInFlight: () => number }>((resume) => {
      let n = 0
      let inFlight = 0
      let max = 0
      const times: Array<number> = []
      const server = createServer((req, res) => {
        n++
        times.push(Date.now())
        inFlight++
        max = Math.max(max, inFlight)
        res.on("close", () => inFlight--)
        handler(n, req, res)
      })
      server.listen(0, "127.0.0.1", () => {
        const port = (server.address() as AddressInfo).port
        resume(Effect.succeed(Object.assign({ url: `http://127.0.0.1:${port}`, count: () => n, times, maxInFlight: () => max }, { server })))
      })
    }),
    (s) =>
      Effect.async<void>((resume) => {
        ;(s as unknown as { server: { closeAllConnections(): void; close(cb: () => void): void } }).server.closeAllConnections()
        ;(s as unknown as { server: { close(cb: () => void): void } }).server.close(() => resume(Effect.void))
      })
  )

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers })
  res.end(JSON.stringify(body))
}

const fast = { baseDelay: "5 millis", maxDelay: "20 millis", budget: "5 seconds" } as const

const resilient = (options: Http.ResilienceOptions) => Effect.flatMap(HttpClient.HttpClient, Http.withResilience(options))

describe("src/http resilience over real HTTP", () => {
  it.scopedLive("retries 500s and dropped connections until a 200, reading the final body", () =>
    Effect.gen(function*() {
      const s = yield* serve((n, _req, res) => {
        if (n === 1) return json(res, 500, { kode: "X" })
        if (n === 2) return res.socket?.destroy()
        if (n === 3) {
          // headers sent, body cut off
          res.writeHead(200, { "content-type": "application/json", "content-length": "100" })
          res.write("{\"partial\":")
          return setTimeout(() => res.socket?.destroy(), 5)
        }
        json(res, 200, { ok: n })
      })
      const client = yield* resilient({ retry: fast })
      const body = yield* client.get(`${s.url}/x`).pipe(Effect.flatMap((r) => r.json))
      expect(body).toEqual({ ok: 4 })
      expect(s.count()).toBe(4)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("gives up inside the budget and hands back the last error response", () =>
    Effect.gen(function*() {
      const s = yield* serve((_n, _req, res) => json(res, 500, { kode: "KB-002" }))
      const client = yield* resilient({ retry: { baseDelay: "40 millis", maxDelay: "40 millis", jitter: 0, budget: "200 millis", maxAttempts: 100 } })
      const r = yield* client.get(`${s.url}/x`)
      expect(r.status).toBe(500)
      expect(yield* r.json).toEqual({ kode: "KB-002" })
      // 40 ms apart within 200 ms: at most 6 attempts, however slow the machine (how many fit depends on
      // its load, so no lower bound beyond the first; that retries happen is the test above)
      expect(s.count()).toBeGreaterThanOrEqual(1)
      expect(s.count()).toBeLessThanOrEqual(6)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("the retry budget counts from when a request gets past the gate, not while it queues (issue \"Reliability\", 4)", () =>
    Effect.gen(function*() {
      // /slow holds the only permit for 600 ms; /flaky, queued behind it, fails once and then succeeds.
      let flaky = 0
      const s = yield* serve((_n, req, res) => {
        if (req.url === "/slow") return void setTimeout(() => json(res, 200, { slow: true }), 600)
        flaky++
        return flaky === 1 ? json(res, 503, { kode: "KB-002" }) : json(res, 200, { ok: flaky })
      })
      const client = yield* resilient({ concurrency: 1, retry: { baseDelay: "10 millis", maxDelay: "10 millis", jitter: 0, budget: "300 millis" } })
      const slow = yield* Effect.fork(client.get(`${s.url}/slow`))
      yield* Effect.sleep("50 millis") // /slow has the permit
      const r = yield* client.get(`${s.url}/flaky`)
      // Queued ~550 ms, more than the whole budget: counted from the queue, no retry was left and the 503 came back.
      expect(r.status).toBe(200)
      expect(yield* r.json).toEqual({ ok: 2 })
      yield* Fiber.join(slow)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("honours Retry-After on 429 (seconds)", () =>
    Effect.gen(function*() {
      const s = yield* serve((n, _req, res) => (n === 1 ? json(res, 429, {}, { "retry-after": "1" }) : json(res, 200, { ok: true })))
      const decisions: Array<Http.RetryDecision<Http.RetryFailure>> = []
      const client = yield* resilient({ retry: { ...fast, onRetry: (_r, d) => Effect.sync(() => decisions.push(d)) } })
      const r = yield* client.get(`${s.url}/x`)
      expect(r.status).toBe(200)
      expect(decisions).toHaveLength(1)
      expect(decisions[0]!.serverGiven).toBe(true)
      expect(Duration.toMillis(decisions[0]!.delay)).toBe(1000)
      expect(s.times[1]! - s.times[0]!).toBeGreaterThanOrEqual(950)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a Retry-After beyond the budget is not waited for", () =>
    Effect.gen(function*() {
      const s = yield* serve((_n, _req, res) => json(res, 503, {}, { "retry-after": "120" }))
      const client = yield* resilient({ retry: { ...fast, budget: "2 seconds" } })
      const r = yield* client.get(`${s.url}/x`)
      expect(r.status).toBe(503)
      expect(s.count()).toBe(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("times out a hanging attempt and retries it", () =>
    Effect.gen(function*() {
      const s = yield* serve((n, _req, res) => (n === 1 ? undefined : json(res, 200, { ok: n })))
      const client = yield* resilient({ timeout: "100 millis", retry: fast })
      const body = yield* client.get(`${s.url}/x`).pipe(Effect.flatMap((r) => r.json))
      expect(body).toEqual({ ok: 2 })
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a timeout with retries off is a RequestError recognised by isTimeout", () =>
    Effect.gen(function*() {
      const s = yield* serve(() => undefined)
      const client = yield* resilient({ timeout: "50 millis", retry: false })
      const e = yield* Effect.flip(client.get(`${s.url}/x`))
      expect(Http.isTimeout(e)).toBe(true)
      // never a second attempt; on a loaded machine the one request may not even have arrived in 50 ms
      expect(s.count()).toBeLessThanOrEqual(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("never has more attempts in flight than the gate allows", () =>
    Effect.gen(function*() {
      const s = yield* serve((_n, _req, res) => setTimeout(() => json(res, 200, {}), 10))
      const client = yield* resilient({ concurrency: 3, retry: fast })
      yield* Effect.forEach(Array.from({ length: 30 }), () => client.get(`${s.url}/x`), { concurrency: "unbounded", discard: true })
      expect(s.count()).toBe(30)
      expect(s.maxInFlight()).toBe(3)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("POST is not retried by default", () =>
    Effect.gen(function*() {
      const s = yield* serve((_n, _req, res) => json(res, 500, {}))
      const client = yield* resilient({ retry: fast })
      const r = yield* client.execute(HttpClientRequest.post(`${s.url}/x`))
      expect(r.status).toBe(500)
      expect(s.count()).toBe(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("pauses after X-Rate-Limit-Remaining reaches 0 until the reset", () =>
    Effect.gen(function*() {
      const s = yield* serve((n, _req, res) =>
        json(
          res,
          200,
          {},
          n === 1 ? { "x-rate-limit-remaining": "0", "x-rate-limit-reset": "1" } : { "x-rate-limit-remaining": "9", "x-rate-limit-reset": "1" }
        )
      )
      const client = yield* resilient({ pause: Http.rateLimitHeaders(), retry: false })
      yield* client.get(`${s.url}/a`)
      yield* client.get(`${s.url}/b`)
      expect(s.times[1]! - s.times[0]!).toBeGreaterThanOrEqual(950)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("the client-side rate limiter spaces attempts", () =>
    Effect.gen(function*() {
      const s = yield* serve((_n, _req, res) => json(res, 200, {}))
      const client = yield* resilient({ rateLimit: { limit: 2, interval: "300 millis" }, retry: false })
      yield* Effect.forEach(Array.from({ length: 4 }), () => client.get(`${s.url}/x`), { concurrency: "unbounded", discard: true })
      // 4 attempts at 2 per 300 ms: the last starts at least ~300 ms after the first
      expect(s.times[3]! - s.times[0]!).toBeGreaterThanOrEqual(250)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})

describe("retry policy", () => {
  it("parses Retry-After as seconds and as an HTTP-date", () => {
    expect(Http.parseRetryAfter("3", 0)).toEqual(Option.some(Duration.millis(3000)))
    const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT")
    expect(Http.parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now)).toEqual(Option.some(Duration.millis(30000)))
    expect(Http.parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now)).toEqual(Option.some(Duration.millis(0)))
    expect(Option.isNone(Http.parseRetryAfter("soon", now))).toBe(true)
  })

  it("backoff grows by the factor and stops at the cap", () => {
    const o = { baseDelay: "100 millis", factor: 2, maxDelay: "1 second" } as const
    expect([1, 2, 3, 4, 5, 6].map((n) => Http.backoffMillis(n, o))).toEqual([100, 200, 400, 800, 1000, 1000])
  })

  it.live("stops at maxAttempts and on a non-retryable failure", () =>
    Effect.gen(function*() {
      let calls = 0
      const r1 = yield* Effect.either(
        Effect.suspend(() => (calls++, Effect.fail("e"))).pipe(Effect.retry(Http.retryPolicy({ maxAttempts: 4, baseDelay: 0, jitter: 0 })))
      )
      expect(Either.isLeft(r1)).toBe(true)
      expect(calls).toBe(4)
      calls = 0
      yield* Effect.either(
        Effect.suspend(() => (calls++, Effect.fail(calls))).pipe(Effect.retry(Http.retryPolicy<number>({ baseDelay: 0, isRetryable: (n) => n < 2 })))
      )
      expect(calls).toBe(2)
    }))
})
