/**
 * Starts the service for a test, over real loopback HTTP: the sandbox (sandbox/demo/full's
 * scenarios, optionally slowed with latency), one Skatteetaten client for every run, the SAF-T
 * connector with the demo's books as the ledger folder, the JSON and Excel sinks, a fresh store
 * (libSQL by default) and Node's HTTP server on a free port.
 */
import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Context, Effect, Exit, Layer, Scope } from "effect"
import { createServer } from "node:http"
import { join } from "node:path"
import { ExcelReportSink } from "../../connectors/excel/index.ts"
import * as Saft from "../../connectors/saft/index.ts"
import { startSandbox } from "../../sandbox/client.ts"
import type { SandboxOptions } from "../../sandbox/Simulator.ts"
import { fromClient } from "../../src/client/KravDataLive.ts"
import { KravOgBetalingerClient } from "../../src/client/KravOgBetalingerClient.ts"
import { JsonReportSink } from "../../src/reconcile/JsonReportSink.ts"
import { KravData } from "../../src/reconcile/KravData.ts"
import * as LedgerSourceRegistry from "../../src/reconcile/LedgerSourceRegistry.ts"
import * as ReportSink from "../../src/reconcile/ReportSink.ts"
import * as Auth from "../../src/service/Auth.ts"
import * as Server from "../../src/service/Server.ts"
import * as Database from "../../src/store/Database.ts"
import { clientLayer } from "../support/clientLayer.ts"

export const repo = join(import.meta.dirname, "..", "..")
export const demoData = join(repo, "sandbox", "demo")

/** Keys for the tests: one per scope. */
export const KEYS = {
  /** Sees Sandbox Regnskap AS (313367002) and Sandbox Handel AS (310478717). */
  firm: "ks_test_firm_key_313367002_310478717",
  /** Sees only Sandbox Bygg AS (311851381). */
  other: "ks_test_other_key_311851381",
  /** Sees every party. */
  admin: "ks_test_admin_key_all"
} as const

export const apiKeys: ReadonlyArray<Auth.ApiKeyConfig> = [
  { name: "firm", sha256: Auth.hashKey(KEYS.firm), organisations: ["313 367 002", "310478717"] },
  { name: "other", sha256: Auth.hashKey(KEYS.other), organisations: ["311851381"] },
  { name: "admin", sha256: Auth.hashKey(KEYS.admin), organisations: ["*"] }
]

export interface Started {
  readonly url: string
  /** Values no response may contain: the sandbox client's private key material. */
  readonly secrets: ReadonlyArray<string>
  /** The most API calls the sandbox has had in flight at once (its stats.peakInFlight). */
  readonly peakInFlight: () => number
  readonly close: () => Promise<void>
}

export interface HarnessOptions {
  readonly database?: Database.DatabaseOptions
  readonly faults?: SandboxOptions["faults"]
  readonly ledgerRoot?: string
  readonly service?: Partial<Server.ServiceOptions>
}

export const serviceLayer = (dataDir: string, options: HarnessOptions = {}, secrets: Array<string> = [], peak: { read: () => number } = { read: () => 0 }) =>
  Layer.unwrapScoped(Effect.gen(function*() {
    const sandbox = yield* startSandbox({ dataDir: join(demoData, "full"), ...(options.faults === undefined ? {} : { faults: options.faults }) })
    peak.read = () => (sandbox as unknown as { stats: { peakInFlight: number } }).stats.peakInFlight
    const jwk = sandbox.demoClient.privateJwk as Record<string, unknown>
    for (const k of ["d", "p", "q", "dp", "dq", "qi"]) if (typeof jwk[k] === "string") secrets.push(jwk[k])
    const client = Context.get(yield* Layer.build(clientLayer(sandbox, { resilience: { rateLimit: false } })), KravOgBetalingerClient)
    const ports = Layer.mergeAll(
      Layer.succeed(KravData, fromClient(client)),
      LedgerSourceRegistry.layer([Saft.factory]),
      ReportSink.layer([JsonReportSink, ExcelReportSink]),
      Database.layer(options.database ?? { dataDir })
    )
    return Server.layer({
      apiKeys,
      ledgers: { ledgerRoot: options.ledgerRoot ?? demoData, allow: ["saft"] },
      storeDescription: Database.describe(options.database ?? { dataDir }),
      ...options.service
    }).pipe(
      Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" })),
      Layer.provide(ports)
    )
  }))

/** The service on a free loopback port until `close`. */
export const start = async (dataDir: string, options: HarnessOptions = {}): Promise<Started> => {
  const scope = Effect.runSync(Scope.make())
  const secrets: Array<string> = [...Object.values(KEYS)]
  const peak = { read: () => 0 }
  const ctx = await Effect.runPromise(Layer.buildWithScope(serviceLayer(dataDir, options, secrets, peak), scope))
  const address = Context.get(ctx, HttpServer.HttpServer).address
  const url = address._tag === "TcpAddress" ? `http://127.0.0.1:${address.port}` : ""
  return { url, secrets, peakInFlight: () => peak.read(), close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
}

export interface Call {
  readonly status: number
  readonly body: unknown
  readonly text: string
  readonly headers: Headers
}

/** One request with a key (or none), its JSON body parsed when it is JSON. */
export const call = async (base: string, method: string, path: string, key?: string, body?: unknown, headers: Record<string, string> = {}): Promise<Call> => {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  const buf = Buffer.from(await r.arrayBuffer())
  const text = (r.headers.get("content-type") ?? "").includes("json") ? buf.toString("utf8") : ""
  return { status: r.status, body: text === "" ? buf : (JSON.parse(text) as unknown), text, headers: r.headers }
}

/** Polls a run until it is no longer queued or running. */
export const settle = async (base: string, key: string, id: string, timeoutMs = 120_000): Promise<Record<string, unknown>> => {
  const until = Date.now() + timeoutMs
  for (;;) {
    const r = await call(base, "GET", `/runs/${id}`, key)
    const run = r.body as Record<string, unknown>
    if (r.status !== 200) throw new Error(`GET /runs/${id}: ${r.status} ${r.text}`)
    if (run.state !== "queued" && run.state !== "running") return run
    if (Date.now() > until) throw new Error(`run ${id} still ${String(run.state)}`)
    await new Promise((f) => setTimeout(f, 100))
  }
}
