/**
 * Child process of test/soak/pending.test.ts and bench/soak.ts (issue #14 item 5): `n` concurrent
 * `client.fetch` calls through one client against a faulty in-process sandbox (30 % KB-002,
 * 10 % dropped connections), each call's document dropped as soon as it arrives (the caller keeps
 * only whether it succeeded), so what is measured is what the client holds for calls that wait for
 * one of its 5 permits. Started with a small `--max-old-space-size`; prints one JSON line:
 * `{ n, completed, failures, peakRssMb }`.
 *
 * Usage: node --max-old-space-size=256 --import tsx test/soak/pending-child.ts [n]
 */
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Logger, LogLevel } from "effect"
import * as Sandbox from "../../sandbox/client.ts"
import { KravOgBetalingerClient } from "../../src/client/KravOgBetalingerClient.ts"
import * as PartIdentifikator from "../../src/domain/PartIdentifikator.ts"

const PARTIES = ["212201782", "313367002", "311851381", "310478717", "314055403"]
const n = Number(process.argv[2] ?? "1000")

const part = (s: string) => {
  const r = PartIdentifikator.parse(s)
  if (r._tag === "Left") throw new Error(s)
  return r.right
}

const program = Effect.gen(function*() {
  const client = yield* KravOgBetalingerClient
  let peak = process.memoryUsage().rss
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
  let completed = 0
  let failures = 0
  yield* Effect.forEach(
    Array.from({ length: n }, (_, i) => PARTIES[i % PARTIES.length]!),
    (x) =>
      client.fetch("aapnekrav", part(x)).pipe(
        Effect.match({ onFailure: () => void failures++, onSuccess: () => void completed++ })
      ),
    { concurrency: "unbounded", discard: true }
  )
  clearInterval(sampler)
  peak = Math.max(peak, process.memoryUsage().rss)
  return { n, completed, failures, peakRssMb: Math.round(peak / 1048576) }
}).pipe(
  Effect.provide(
    Sandbox.layerSandbox({
      sandbox: { seed: 3, faults: { kb002Share: 0.3, dropShare: 0.1 } },
      // Short waits, a budget and attempts that no call exhausts: every call completes (the test checks completion).
      client: { resilience: { retry: { baseDelay: "2 millis", maxDelay: "20 millis", budget: "10 minutes", maxAttempts: 60 }, rateLimit: false } }
    })
  ),
  Effect.provide(NodeHttpClient.layerUndici),
  // The retry warnings would drown the one line this prints.
  Logger.withMinimumLogLevel(LogLevel.Error),
  Effect.scoped
)

const result = await Effect.runPromise(program)
process.stdout.write(`${JSON.stringify(result)}\n`)
