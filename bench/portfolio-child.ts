/**
 * Child process for bench/portfolio.ts: one firm's run of the first N clients of a generated
 * portfolio against the in-process sandbox with added latency; prints wall time, the API calls
 * the sandbox answered, CPU time and peak RSS as JSON. A process of its own so peak RSS is this
 * run's alone.
 */
import { NodeContext, NodeHttpClient } from "@effect/platform-node"
import { Effect, Either, Layer, Logger, LogLevel } from "effect"
import { readFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import { ExcelReportSink } from "../connectors/excel/index.ts"
import { OverviewExcelWriter } from "../connectors/excel/OverviewSink.ts"
import * as Saft from "../connectors/saft/index.ts"
import { firmClientLayer } from "../sandbox/portfolio/firmClient.ts"
import type { Portfolio } from "../sandbox/portfolio/generate.ts"
import * as Sandbox from "../sandbox/Simulator.ts"
import type { Dato } from "../src/domain/Dato.ts"
import { JsonReportSink } from "../src/reconcile/JsonReportSink.ts"
import * as Registry from "../src/reconcile/LedgerSourceRegistry.ts"
import { Reconciliation } from "../src/reconcile/Reconciliation.ts"
import * as ReportSink from "../src/reconcile/ReportSink.ts"
import { parseClientList } from "../src/run/ClientList.ts"
import { JsonOverviewWriter, OverviewWriters } from "../src/run/Overview.ts"
import { runClients } from "../src/run/Run.ts"
import * as RunKravData from "../src/run/runKravData.ts"

const [dir = "", nText = "0", concurrencyText = "4", latencyText = "50", outDir = ""] = process.argv.slice(2)
const n = Number(nText)
const portfolio = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Portfolio
const listFile = join(dir, "clients.csv")
const list = Either.getOrThrow(parseClientList(listFile, readFileSync(listFile, "utf8"), {}, ["saft"]))
rmSync(outDir, { recursive: true, force: true })

const program = Effect.gen(function*() {
  const sandbox = yield* Sandbox.start({ dataDir: join(dir, "scenarios"), faults: { latencyMs: Number(latencyText) } })
  const client = firmClientLayer(sandbox, { withoutSystemUser: portfolio.withoutSystemUser, client: { resilience: { rateLimit: false } } })
  const ports = Layer.mergeAll(Registry.layer([Saft.factory]), ReportSink.layer([JsonReportSink, ExcelReportSink]), NodeContext.layer)
  const services = Reconciliation.layer.pipe(
    Layer.provide(RunKravData.layer),
    Layer.provide(client),
    Layer.provideMerge(ports),
    Layer.provide(NodeHttpClient.layerUndici)
  )
  const context = yield* Layer.build(services)
  sandbox.resetStats()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const result = yield* runClients({
    clientList: listFile,
    rows: list.rows.slice(0, n),
    outDir,
    concurrency: Number(concurrencyText),
    today: "2026-11-24" as Dato
  }).pipe(Effect.provide(context), Effect.provideService(OverviewWriters, [JsonOverviewWriter, OverviewExcelWriter]))
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  // What the run still holds once it is over: a report held per client would show here (run with --expose-gc).
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const heapAfterGcMb = process.memoryUsage().heapUsed / 1024 / 1024
  return {
    clients: n,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    apiRequests: sandbox.stats.apiRequests,
    tokenRequests: sandbox.stats.tokenRequests,
    peakInFlightPerToken: sandbox.stats.peakInFlight,
    failed: result.overview.totals.failed,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    heapAfterGcMb
  }
}).pipe(Effect.scoped, Logger.withMinimumLogLevel(LogLevel.Error))

console.log(JSON.stringify(await Effect.runPromise(program)))
rmSync(outDir, { recursive: true, force: true })
process.exit(0)
