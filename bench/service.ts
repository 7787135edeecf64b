/**
 * The service under load (issue #16): `npx tsx bench/service.ts` (or `npm run bench`). Starts the
 * service in this process exactly as `kravsync serve` wires it — the built-in sandbox as
 * Skatteetaten, one client for every run (one gate of 5 concurrent API calls), the SAF-T connector
 * over the demo's books, a fresh libSQL store, Node's HTTP server on loopback — and measures, over
 * real HTTP:
 * 1. 20 concurrent reconciliations (the four demo companies at five month-ends each), started at
 *    once and polled to the end: wall time, runs/s, per-run latency p50/p99, errors, and the most
 *    API calls the sandbox saw in flight at once;
 * 2. 200 concurrent report reads (GET /runs/{id}/report, over the 20 finished runs), against 200
 *    concurrent GET /health in the same run as the baseline: p50/p99, reads/s, errors, and CPU time
 *    per read (process.cpuUsage: the machine is shared, CPU time is steadier than wall time).
 * Each load repeats ROUNDS times; the figures are the medians over the rounds. Bounded in count and
 * time; loopback only. Writes the `## service` section of docs/performance.md.
 */
import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { NodeHttpClient } from "@effect/platform-node"
import { Context, Effect, Exit, Layer, Scope } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:http"
import { cpus, loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { ExcelReportSink } from "../connectors/excel/index.ts"
import * as Saft from "../connectors/saft/index.ts"
import { RunningSandbox, startSandbox } from "../sandbox/client.ts"
import * as Mp from "../src/auth/Maskinporten.ts"
import * as Key from "../src/auth/SigningKey.ts"
import { fromClient } from "../src/client/KravDataLive.ts"
import { KravOgBetalingerClient, make } from "../src/client/KravOgBetalingerClient.ts"
import { JsonReportSink } from "../src/reconcile/JsonReportSink.ts"
import { KravData } from "../src/reconcile/KravData.ts"
import * as LedgerSourceRegistry from "../src/reconcile/LedgerSourceRegistry.ts"
import * as ReportSink from "../src/reconcile/ReportSink.ts"
import * as Auth from "../src/service/Auth.ts"
import * as Server from "../src/service/Server.ts"
import * as Database from "../src/store/Database.ts"
import { writeSection } from "./section.ts"

const ROUNDS = 3
const KEY = "ks_bench_key"
const PARTIES = ["313367002", "311851381", "310478717", "314055403"]
const MONTHS = ["2025-08-31", "2025-09-30", "2025-10-31", "2025-11-30", "2025-12-31"]
const root = join(import.meta.dirname, "..")
const demo = join(root, "sandbox", "demo")

const quantile = (xs: ReadonlyArray<number>, q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN
}
const median = (xs: ReadonlyArray<number>) => quantile(xs, 0.5)
const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1))

const startService = async (dataDir: string) => {
  const scope = Effect.runSync(Scope.make())
  let peak: () => number = () => 0
  const layer = Layer.unwrapScoped(Effect.gen(function*() {
    const h = yield* startSandbox({ dataDir: join(demo, "full") })
    peak = () => (h as unknown as { stats: { peakInFlight: number } }).stats.peakInFlight
    // The client as `kravsync serve` builds it for the sandbox (default resilience: gate of 5, 30 s timeout).
    const key = yield* Key.load({ _tag: "Jwk", origin: Key.fromValue(JSON.stringify(h.demoClient.privateJwk), "demo JWK"), kid: h.demoClient.kid })
    const mp = yield* Mp.make({ issuer: h.maskinportenIssuer, clientId: h.demoClient.clientId, key })
    const client = yield* make({ apiBaseUrl: h.apiBaseUrl, environment: "sandbox" }).pipe(Effect.provideService(Mp.Maskinporten, mp))
    const ports = Layer.mergeAll(
      Layer.succeed(KravData, fromClient(client)),
      Layer.succeed(KravOgBetalingerClient, client),
      Layer.succeed(RunningSandbox, h),
      LedgerSourceRegistry.layer([Saft.factory]),
      ReportSink.layer([JsonReportSink, ExcelReportSink]),
      Database.layer({ dataDir })
    )
    return Server.layer({
      apiKeys: [{ name: "bench", sha256: Auth.hashKey(KEY), organisations: ["*"] }],
      ledgers: { ledgerRoot: demo },
      storeDescription: "bench",
      maxConcurrentRuns: 4
    }).pipe(Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })), Layer.provide(ports))
  })).pipe(Layer.provide(NodeHttpClient.layerUndici))
  const ctx = await Effect.runPromise(Layer.buildWithScope(layer, scope))
  const address = Context.get(ctx, HttpServer.HttpServer).address
  const url = address._tag === "TcpAddress" ? `http://127.0.0.1:${address.port}` : ""
  return { url, peak: () => peak(), close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
}

/** What went wrong, by kind ("503", "ECONNRESET"), over the whole bench. */
const failures = new Map<string, number>()
const failed = (kind: string) => failures.set(kind, (failures.get(kind) ?? 0) + 1)

const get = async (url: string): Promise<{ ok: boolean; ms: number; bytes: number }> => {
  const t = performance.now()
  try {
    const r = await fetch(url, { headers: { authorization: `Bearer ${KEY}` } })
    const body = await r.arrayBuffer()
    if (r.status !== 200) failed(`HTTP ${r.status}: ${Buffer.from(body).toString("utf8").slice(0, 200)}`)
    return { ok: r.status === 200, ms: performance.now() - t, bytes: body.byteLength }
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause
    failed(`${String(e)} ${cause?.code ?? cause?.message ?? ""}`)
    return { ok: false, ms: performance.now() - t, bytes: 0 }
  }
}

const reconciliations = async (url: string) => {
  const jobs = PARTIES.flatMap((party) => MONTHS.map((asOf) => ({ party, asOf })))
  const t0 = performance.now()
  const results = await Promise.all(jobs.map(async ({ asOf, party }) => {
    const t = performance.now()
    const r = await fetch(`${url}/runs`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ party, ledger: `saft:ledgers/${party}.xml`, asOf })
    })
    if (r.status !== 202) {
      failed(`POST /runs HTTP ${r.status}`)
      return { ok: false, ms: performance.now() - t, id: "" }
    }
    const id = ((await r.json()) as { run: { id: string } }).run.id
    for (let i = 0; i < 6000; i++) {
      const s = (await (await fetch(`${url}/runs/${id}`, { headers: { authorization: `Bearer ${KEY}` } })).json()) as { state: string }
      if (s.state === "done") return { ok: true, ms: performance.now() - t, id }
      if (s.state !== "queued" && s.state !== "running") {
        failed(`run ${s.state}: ${JSON.stringify((s as { error?: unknown }).error)}`)
        return { ok: false, ms: performance.now() - t, id }
      }
      await new Promise((f) => setTimeout(f, 50))
    }
    return { ok: false, ms: performance.now() - t, id }
  }))
  const wall = performance.now() - t0
  return { wall, results }
}

const burst = async (urls: ReadonlyArray<string>, n: number) => {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const results = await Promise.all(Array.from({ length: n }, (_, i) => get(urls[i % urls.length] ?? "")))
  const wall = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  return { wall, results, cpuMs: (cpu.user + cpu.system) / 1000 }
}

export const run = async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "kravsync-bench-service-"))
  const service = await startService(dataDir)
  try {
    // warm-up: one reconciliation and a few reads, discarded
    const warm = await reconciliations(service.url).then((r) => r.results.filter((x) => x.ok).map((x) => x.id))
    await burst(warm.map((id) => `${service.url}/runs/${id}/report`), 20)
    await burst([`${service.url}/health`], 20)

    const recon: Array<{ wall: number; p50: number; p99: number; errors: number }> = []
    let ids: Array<string> = []
    for (let r = 0; r < ROUNDS; r++) {
      const { results, wall } = await reconciliations(service.url)
      const okMs = results.map((x) => x.ms)
      recon.push({ wall, p50: quantile(okMs, 0.5), p99: quantile(okMs, 0.99), errors: results.filter((x) => !x.ok).length })
      ids = results.filter((x) => x.ok).map((x) => x.id)
    }
    const reads: Array<{ wall: number; p50: number; p99: number; errors: number; cpuMs: number; bytes: number }> = []
    const health: Array<{ wall: number; p50: number; p99: number; errors: number; cpuMs: number }> = []
    for (let r = 0; r < ROUNDS * 2; r++) {
      const h = await burst([`${service.url}/health`], 200)
      health.push({
        wall: h.wall,
        p50: quantile(h.results.map((x) => x.ms), 0.5),
        p99: quantile(h.results.map((x) => x.ms), 0.99),
        errors: h.results.filter((x) => !x.ok).length,
        cpuMs: h.cpuMs
      })
      const b = await burst(ids.map((id) => `${service.url}/runs/${id}/report`), 200)
      const lat = b.results.map((x) => x.ms)
      reads.push({
        wall: b.wall,
        p50: quantile(lat, 0.5),
        p99: quantile(lat, 0.99),
        errors: b.results.filter((x) => !x.ok).length,
        cpuMs: b.cpuMs,
        bytes: median(b.results.map((x) => x.bytes))
      })
    }
    const m = <T>(xs: ReadonlyArray<T>, f: (x: T) => number) => median(xs.map(f))
    const rp50 = m(reads, (x) => x.p50)
    const rp99 = m(reads, (x) => x.p99)
    const hp50 = m(health, (x) => x.p50)
    const cp50 = m(recon, (x) => x.p50)
    const cp99 = m(recon, (x) => x.p99)
    const readErrors = reads.reduce((n, x) => n + x.errors, 0) + health.reduce((n, x) => n + x.errors, 0)
    const reconErrors = recon.reduce((n, x) => n + x.errors, 0)
    const body =
      `\`npx tsx bench/service.ts\`: the service (\`kravsync serve\`'s wiring) in one process with the built-in sandbox as Skatteetaten, one client for every run (its gate of 5 concurrent API calls), the SAF-T connector over the demo's books, a fresh libSQL store and Node's HTTP server on loopback; the load comes from the same process over real HTTP (Node's fetch). Medians over ${ROUNDS} rounds of reconciliations and ${
        ROUNDS * 2
      } rounds of reads, after a warm-up round. Machine: ${cpus().length} cores shared with other work (load average ${
        loadavg()[0]?.toFixed(1)
      } at the end), so wall-clock figures carry noise; CPU time per read (process.cpuUsage, server and load generator together) is the steadier figure.

| load | requests | errors | throughput | p50 | p99 | p99 / p50 |
|---|---:|---:|---:|---:|---:|---:|
| 20 concurrent reconciliations (4 companies × 5 month-ends, started at once, polled every 50 ms) | ${20 * ROUNDS} runs | ${reconErrors} | ${
        (20 / (m(recon, (x) => x.wall) / 1000)).toFixed(2)
      } runs/s | ${ms(cp50)} ms | ${ms(cp99)} ms | ${(cp99 / cp50).toFixed(1)} |
| 200 concurrent GET /runs/{id}/report (${(m(reads, (x) => x.bytes) / 1024).toFixed(0)} KiB each) | ${200 * ROUNDS * 2} | ${
        reads.reduce((n, x) => n + x.errors, 0)
      } | ${(200 / (m(reads, (x) => x.wall) / 1000)).toFixed(0)} reads/s | ${ms(rp50)} ms | ${ms(rp99)} ms | ${(rp99 / rp50).toFixed(1)} |
| baseline: 200 concurrent GET /health, same run | ${200 * ROUNDS * 2} | ${health.reduce((n, x) => n + x.errors, 0)} | ${
        (200 / (m(health, (x) => x.wall) / 1000)).toFixed(0)
      } req/s | ${ms(hp50)} ms | ${ms(m(health, (x) => x.p99))} ms | ${(m(health, (x) => x.p99) / hp50).toFixed(1)} |

- A report read costs ${(rp50 / hp50).toFixed(1)}× a health check at the median (p50 against p50) and ${
        (m(reads, (x) => x.cpuMs) / m(health, (x) => x.cpuMs)).toFixed(1)
      }× its CPU time (${(m(reads, (x) => x.cpuMs) / 200).toFixed(2)} ms against ${
        (m(health, (x) => x.cpuMs) / 200).toFixed(2)
      } ms of CPU per request): the stored JSON is served as written, with only the carry-forward added (the decoded report is cached per run).
- Errors: ${reconErrors + readErrors} in all (target zero). p99 under 10× p50: reconciliations ${cp99 < 10 * cp50 ? "yes" : "no"}, report reads ${
        rp99 < 10 * rp50 ? "yes" : "no"
      }.
- Failures by kind: ${failures.size === 0 ? "none" : [...failures].map(([k, n]) => `${n} × ${k}`).join("; ")}.
- The most API calls the sandbox saw in flight at once during all of it: ${service.peak()} (the shared gate allows 5). Reconciliations queue for the service's ${4} run slots, so a run's latency includes its wait for a slot: p99 is the last of 20 to finish.`
    writeSection("service", body)
    console.log(body)
  } finally {
    await service.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
