/**
 * Client throughput and per-request overhead: KravOgBetalingerClient (token cache, resilience,
 * schema decoding into øre) against raw `undici.request` + `JSON.parse` on the same server, at
 * concurrency 1 and 32. Uses the in-process sandbox when sandbox exists, else the test stand-in.
 * Run alone: `npx tsx bench/client.ts`.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Either, Layer, Redacted } from "effect"
import { request } from "undici"
import { type SandboxHandle, startSandbox } from "../sandbox/client.ts"
import * as Mp from "../src/auth/Maskinporten.ts"
import * as Key from "../src/auth/SigningKey.ts"
import { make } from "../src/client/KravOgBetalingerClient.ts"
import * as PartIdentifikator from "../src/domain/PartIdentifikator.ts"
import * as Periode from "../src/domain/Periode.ts"
import { writeSection } from "./section.ts"

const part = Either.getOrThrow(PartIdentifikator.parse("212201782"))
const periode = Either.getOrThrow(Periode.make("2023-01-01", "2023-09-01"))

const measure = async (n: number, concurrency: number, one: () => Promise<unknown>) => {
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++
        await one()
      }
    })
  )
  const ms = performance.now() - started
  return { ms, rps: (n / ms) * 1000, perRequestMs: ms / n }
}

export const run = async () => {
  const program = Effect.gen(function*() {
    const h: Pick<SandboxHandle, "apiBaseUrl" | "maskinportenIssuer" | "demoClient"> = yield* startSandbox()
    const key = yield* Key.load({ _tag: "Jwk", origin: Key.fromValue(JSON.stringify(h.demoClient.privateJwk)), kid: h.demoClient.kid })
    const mp = yield* Mp.make({ issuer: h.maskinportenIssuer, clientId: h.demoClient.clientId, key })
    const token = Redacted.value((yield* mp.token({ systemUserOrg: "212201782" })).token)
    const url = `${h.apiBaseUrl}/regnskapssystem/212201782/krav?fraOgMed=${periode.fraOgMed}&tilOgMed=${periode.tilOgMed}`
    const rows: Array<string> = []
    for (const [concurrency, n] of [[1, 500], [32, 3000]] as const) {
      const client = yield* make({ apiBaseUrl: h.apiBaseUrl, environment: "bench", resilience: { concurrency, rateLimit: false } }).pipe(
        Effect.provideService(Mp.Maskinporten, mp)
      )
      const viaClient = () => Effect.runPromise(client.krav(part, periode))
      const raw = async () => {
        const r = await request(url, { headers: { authorization: `Bearer ${token}`, accept: "application/json" } })
        if (r.statusCode !== 200) throw new Error(`HTTP ${r.statusCode}`)
        return JSON.parse(await r.body.text()) as unknown
      }
      yield* Effect.promise(() => measure(100, concurrency, raw)) // warm-up
      yield* Effect.promise(() => measure(100, concurrency, viaClient))
      const base = yield* Effect.promise(() => measure(n, concurrency, raw))
      const ours = yield* Effect.promise(() => measure(n, concurrency, viaClient))
      rows.push(
        `| ${concurrency} | ${n} | ${base.rps.toFixed(0)} | ${ours.rps.toFixed(0)} | ${(base.rps / ours.rps).toFixed(2)}× | ${
          (base.perRequestMs * 1000).toFixed(0)
        } µs | ${(ours.perRequestMs * 1000).toFixed(0)} µs | ${((ours.perRequestMs - base.perRequestMs) * 1000).toFixed(0)} µs |`
      )
    }
    return { rows, server: "the in-process sandbox" }
  }).pipe(Effect.scoped, Effect.provide(Layer.mergeAll(NodeHttpClient.layerUndici)))
  const { rows, server } = await Effect.runPromise(program as Effect.Effect<{ rows: Array<string>; server: string }, unknown>)
  const body = `Krav og betalinger client (\`npx tsx bench/client.ts\`, or \`npm run bench\`): \`krav\` for 212201782 (the seed
document, 2 krav) from ${server} over loopback. Baseline: \`undici.request\` with a ready token + \`JSON.parse\`,
measured in the same run. The client adds the token cache lookup, the resilience stack (gate, timeout, retry,
buffered body), error mapping and the schema decode into øre. Ratio = baseline throughput / client throughput.

| concurrency | requests | baseline req/s | client req/s | ratio | baseline per request | client per request | overhead per request |
|---|---|---|---|---|---|---|---|
${rows.join("\n")}`
  writeSection("client", body)
  console.log(body)
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
