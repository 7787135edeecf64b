/**
 * A firm's run in-process against the sandbox: a generated portfolio (sandbox/portfolio), the
 * sandbox serving its scenarios, a counting proxy in front of the API (the firm's calls in flight,
 * all clients together), the firm's own Maskinporten client with no system user for the
 * portfolio's `withoutSystemUser` clients, and the run's services as bin/ wires them.
 */
import { NodeContext, NodeHttpClient } from "@effect/platform-node"
import { Effect, Either, Layer, Logger, LogLevel, type Scope } from "effect"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { ExcelReportSink } from "../../connectors/excel/index.ts"
import { OverviewExcelWriter } from "../../connectors/excel/OverviewSink.ts"
import * as Saft from "../../connectors/saft/index.ts"
import { type CountingProxy, startCountingProxy } from "../../sandbox/portfolio/countingProxy.ts"
import { firmClientLayer } from "../../sandbox/portfolio/firmClient.ts"
import type { Portfolio } from "../../sandbox/portfolio/generate.ts"
import * as Sandbox from "../../sandbox/Simulator.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import { JsonReportSink } from "../../src/reconcile/JsonReportSink.ts"
import * as Registry from "../../src/reconcile/LedgerSourceRegistry.ts"
import { Reconciliation } from "../../src/reconcile/Reconciliation.ts"
import * as ReportSink from "../../src/reconcile/ReportSink.ts"
import type { ReportSinkError } from "../../src/reconcile/ReportSink.ts"
import { type ClientRow, parseClientList } from "../../src/run/ClientList.ts"
import { JsonOverviewWriter, OverviewWriters } from "../../src/run/Overview.ts"
import { runClients, type RunOptions, type RunResult } from "../../src/run/Run.ts"
import type { RunFolderError } from "../../src/run/RunFolder.ts"
import * as RunKravData from "../../src/run/runKravData.ts"
import { fastRetry } from "../support/clientLayer.ts"

export interface Firm {
  readonly sandbox: Sandbox.SandboxHandle
  readonly proxy: CountingProxy
  /** The portfolio's client list, read. */
  readonly rows: ReadonlyArray<ClientRow>
  /** Runs the portfolio's client list into `outDir`. */
  readonly run: (outDir: string, options?: Partial<RunOptions>) => Effect.Effect<RunResult, RunFolderError | ReportSinkError>
}

export const TODAY = "2026-11-24" as Dato

export const startFirm = (dir: string, portfolio: Portfolio): Effect.Effect<Firm, unknown, Scope.Scope> =>
  Effect.gen(function*() {
    const sandbox = yield* Sandbox.start({ dataDir: join(dir, "scenarios"), seed: 7 })
    const proxy = yield* startCountingProxy(sandbox.url)
    const client = firmClientLayer(sandbox, {
      withoutSystemUser: portfolio.withoutSystemUser,
      client: { apiBaseUrl: `${proxy.url}/v1`, resilience: { retry: fastRetry, rateLimit: false } }
    })
    const ports = Layer.mergeAll(Registry.layer([Saft.factory]), ReportSink.layer([JsonReportSink, ExcelReportSink]), NodeContext.layer)
    const services = Reconciliation.layer.pipe(
      Layer.provide(RunKravData.layer),
      Layer.provide(client),
      Layer.provideMerge(ports),
      Layer.provide(NodeHttpClient.layerUndici)
    )
    // Built once: one client (one gate of 5) for every run of this firm.
    const context = yield* Layer.build(services)
    const listFile = join(dir, "clients.csv")
    const list = parseClientList(listFile, readFileSync(listFile, "utf8"), {}, ["saft", "tripletex", "fiken"])
    if (Either.isLeft(list)) return yield* Effect.fail(list.left)
    return {
      sandbox,
      proxy,
      rows: list.right.rows,
      run: (outDir, options = {}) =>
        runClients({ clientList: listFile, rows: list.right.rows, problems: list.right.problems, outDir, concurrency: 6, today: TODAY, ...options }).pipe(
          Effect.provide(context),
          Effect.provideService(OverviewWriters, [JsonOverviewWriter, OverviewExcelWriter]),
          // The retries' warnings are expected here; the statuses say what happened.
          Logger.withMinimumLogLevel(LogLevel.Error)
        )
    }
  })
