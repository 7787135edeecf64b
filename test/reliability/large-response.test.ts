/**
 * Issue #14, item 3c: a response over the limit (256 MB) is its own error naming the size, not
 * "could not reach"; it is not retried, and a body that does not declare its length is cut off at
 * the limit rather than read whole.
 */
import { HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { fromHttpError } from "../../src/client/internal/errors.ts"
import { MAX_RESPONSE_BYTES, mergeResilience, resilientHttp } from "../../src/client/internal/request.ts"
import { testHttp } from "../support/http.ts"

const serve = (handler: Parameters<typeof createServer>[1]) =>
  Effect.acquireRelease(
    Effect.async<{ server: Server; url: string }>((resume) => {
      const server = createServer(handler)
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })))
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

const resilience = mergeResilience({ retry: { maxAttempts: 4, baseDelay: "1 millis", maxDelay: "5 millis", budget: "5 seconds" } })

describe("a too-large response (issue #14, item 3c)", () => {
  it.scoped("a declared 635 MB body is refused before it is read, naming the size, and not retried", () =>
    Effect.gen(function*() {
      let hits = 0
      const { url } = yield* serve((_req, res) => {
        hits++
        res.writeHead(200, { "content-type": "application/json", "content-length": String(635 * 1024 * 1024) })
        res.write("{\"krav\": [")
        res.on("close", () => res.destroy())
      })
      expect(MAX_RESPONSE_BYTES).toBe(256 * 1024 * 1024)
      const http = yield* resilientHttp(testHttp, url, resilience)
      const error = yield* Effect.flip(http.execute(HttpClientRequest.get("/krav")))
      const mapped = fromHttpError(resilience, "krav 212201782")(error)
      expect(mapped.message).not.toMatch(/could not reach/)
      expect(mapped.message).toMatch(/635 MB/)
      expect(mapped.message).toMatch(/256 MB/)
      expect(mapped.message).toContain("krav 212201782")
      expect(hits).toBe(1)
    }))

  it.scoped("a body without a declared length is cut off at the limit", () =>
    Effect.gen(function*() {
      let hits = 0
      const { url } = yield* serve((_req, res) => {
        hits++
        res.writeHead(200, { "content-type": "application/json" })
        const chunk = Buffer.alloc(64 * 1024, 0x20)
        let sent = 0
        const more = () => {
          while (sent < 8 * 1024 * 1024) {
            sent += chunk.length
            if (!res.write(chunk)) return void res.once("drain", more)
          }
          res.end()
        }
        res.on("close", () => res.destroy())
        more()
      })
      const http = yield* resilientHttp(testHttp, url, resilience, 1024 * 1024)
      const error = yield* Effect.flip(http.execute(HttpClientRequest.get("/krav")))
      const mapped = fromHttpError(resilience, "krav 212201782")(error)
      expect(mapped.message).not.toMatch(/could not reach/)
      expect(mapped.message).toMatch(/more than 1 MB/)
      expect(hits).toBe(1)
    }))
})
