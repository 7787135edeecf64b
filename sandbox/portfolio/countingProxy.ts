/**
 * A loopback HTTP proxy in front of the sandbox's API that counts the API requests in flight from
 * all callers together. The sandbox counts per access token (stats.peakInFlight), and under
 * rettighetspakke regnskapssystem a firm holds one token per client (the token names the client's
 * system user), so the sandbox's count is per client; om/bruk.md's limit of 5 is per organisation —
 * the firm — which is what this proxy measures: every request through it is the firm's.
 * A request counts from its arrival until the sandbox's answer (or dropped connection) is complete.
 */
import { Effect, type Scope } from "effect"
import { Agent, createServer, request as httpRequest } from "node:http"
import type { AddressInfo } from "node:net"

export interface CountingProxy {
  /** The proxy's base URL in place of the sandbox's `url` (`${url}/v1` for the API). */
  readonly url: string
  readonly inFlight: () => number
  /** The most requests in flight at once since the start (or the last reset). */
  readonly peak: () => number
  readonly requests: () => number
  readonly reset: () => void
}

export const startCountingProxy = (target: string): Effect.Effect<CountingProxy, never, Scope.Scope> =>
  Effect.gen(function*() {
    const upstream = new URL(target)
    const agent = new Agent({ keepAlive: true, maxSockets: 64 })
    let inFlight = 0
    let peak = 0
    let requests = 0
    const server = createServer((req, res) => {
      inFlight++
      requests++
      peak = Math.max(peak, inFlight)
      let counted = true
      const done = () => {
        if (counted) inFlight--
        counted = false
      }
      const out = httpRequest(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers, agent },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
          answer.on("end", done)
          answer.on("error", () => {
            done()
            res.destroy()
          })
        }
      )
      // The sandbox dropped the connection: the caller's connection is dropped too.
      out.on("error", () => {
        done()
        res.destroy()
      })
      res.on("close", done)
      req.pipe(out)
    })
    yield* Effect.acquireRelease(
      Effect.async<void>((resume) => void server.listen(0, "127.0.0.1", () => resume(Effect.void))),
      () =>
        Effect.async<void>((resume) => {
          agent.destroy()
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    )
    const port = (server.address() as AddressInfo).port
    return {
      url: `http://127.0.0.1:${port}`,
      inFlight: () => inFlight,
      peak: () => peak,
      requests: () => requests,
      reset: () => {
        peak = inFlight
        requests = 0
      }
    }
  })
