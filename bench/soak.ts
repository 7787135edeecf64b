/**
 * The long soak (issue "Reliability"): `npx tsx bench/soak.ts`. Bounded in count and time, on
 * loopback only. Writes the `## soak` section of docs/reliability.md:
 * 1. faults — every generated party's documents, fetched many times through the real client from
 *    the simulator answering 30 % KB-002, dropping 10 % of connections and sending 429s, against a
 *    fault-free fetch: requests, injected faults (by status), retries, outputs identical;
 * 2. pending calls — 1000 concurrent fetches through one client (its 5-permit gate) in a child
 *    process with a 256 MB heap (test/soak/pending-child.ts), peak RSS;
 * 3. kill -9 — a reconciliation killed at random points while rewriting existing reports: how
 *    many kills, how many reports left valid afterwards.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { Effect } from "effect"
import ExcelJS from "exceljs"
import { spawn, spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Sandbox from "../sandbox/client.ts"
import { KravOgBetalingerClient } from "../src/client/KravOgBetalingerClient.ts"
import * as PartIdentifikator from "../src/domain/PartIdentifikator.ts"
import * as Periode from "../src/domain/Periode.ts"

const root = join(import.meta.dirname, "..")
const PARTIES = ["212201782", "313367002", "311851381", "310478717", "314055403"]
const ROUNDS = 12
const periode = Periode.make("2025-01-01", "2025-12-31")
if (periode._tag === "Left") throw new Error("periode")
const p = (s: string) => {
  const r = PartIdentifikator.parse(s)
  if (r._tag === "Left") throw new Error(s)
  return r.right
}

const fetchRounds = (faults: Record<string, number>, rounds: number) =>
  Effect.gen(function*() {
    const client = yield* KravOgBetalingerClient
    const h = yield* Sandbox.RunningSandbox
    const jobs = Array.from({ length: rounds }, () => PARTIES.flatMap((x) => [["aapnekrav", x], ["krav", x], ["innbetalinger", x]] as const)).flat()
    const docs = yield* Effect.forEach(
      jobs,
      ([endpoint, x]) =>
        (endpoint === "aapnekrav" ? client.aapneKrav(p(x)) : endpoint === "krav" ? client.krav(p(x), periode.right) : client.innbetalinger(p(x), periode.right))
          .pipe(
            Effect.map((d) => `${endpoint} ${x} ${JSON.stringify(d)}`),
            Effect.catchAll((e) => Effect.succeed(`${endpoint} ${x} ${e._tag}`))
          ),
      { concurrency: 16 }
    )
    const stats = (h as unknown as { stats: { apiRequests: number; byStatus: Record<number, number> } }).stats
    return { docs, requests: stats.apiRequests, byStatus: { ...stats.byStatus } }
  }).pipe(
    Effect.provide(
      Sandbox.layerSandbox({
        sandbox: { seed: 11, faults },
        client: {
          resilience: {
            retry: { baseDelay: "2 millis", maxDelay: "50 millis", budget: "60 seconds", maxAttempts: 80 },
            rateLimit: false
          }
        }
      })
    ),
    Effect.provide(NodeHttpClient.layerUndici),
    Effect.scoped
  )

/**
 * 1000 calls pending at once: test/soak/pending-child.ts in a child process with a 256 MB heap
 * (the test in test/soak/pending.test.ts checks that they all complete); its peak RSS includes
 * the in-process sandbox and tsx.
 */
const pendingCalls = (n: number, heapMb: number) => {
  const child = spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, "--import", "tsx", join(root, "test", "soak", "pending-child.ts"), String(n)], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024
  })
  const last = child.stdout.trim().split("\n").at(-1) ?? ""
  if (child.status !== 0 || !last.startsWith("{")) throw new Error(`the pending-calls child failed (exit ${child.status}): ${child.stderr.slice(-2000)}`)
  return JSON.parse(last) as { n: number; completed: number; failures: number; peakRssMb: number }
}

const kills = async (n: number) => {
  const dir = mkdtempSync(join(tmpdir(), "kravsync-soak-"))
  const args = [
    join(root, "bin", "kravsync.mjs"),
    "reconcile",
    ...["--part", "313367002", "--ledger", "saft:sandbox/demo/ledgers/313367002.xml", "--sandbox-data", "sandbox/demo/full", "--as-of", "2025-12-31"],
    ...["--out", join(dir, "r.json"), "--out", join(dir, "r.xlsx")]
  ]
  if (spawnSync(process.execPath, args, { cwd: root }).status !== 0) throw new Error("the first, complete run failed")
  let valid = 0
  for (let i = 0; i < n; i++) {
    const child = spawn(process.execPath, args, { cwd: root, stdio: "ignore" })
    const exited = new Promise((resolve) => child.on("exit", resolve)) // listening before it can exit
    await new Promise((resolve) => setTimeout(resolve, 100 + Math.floor(Math.random() * 1800)))
    child.kill("SIGKILL")
    await exited
    let ok = true
    try {
      JSON.parse(readFileSync(join(dir, "r.json"), "utf8"))
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.readFile(join(dir, "r.xlsx"))
      ok = wb.getWorksheet("Sammendrag") !== undefined
    } catch {
      ok = false
    }
    if (ok) valid++
  }
  return { kills: n, valid }
}

export const run = async () => {
  if (!existsSync(join(root, "dist", "bin", "main.js"))) spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" })
  const clean = await Effect.runPromise(fetchRounds({}, ROUNDS))
  const faulty = await Effect.runPromise(fetchRounds({ kb002Share: 0.3, dropShare: 0.1, rate429Share: 0.05, retryAfterSeconds: 0 }, ROUNDS))
  const identical = faulty.docs.filter((d, i) => d === clean.docs[i]).length
  const pending = pendingCalls(1000, 256)
  const killed = await kills(20)
  const body = `The long soak (\`npx tsx bench/soak.ts\`, bounded, loopback only). Short versions of the first and last parts
run in the suite (test/soak/soak.test.ts), the pending calls as they are (test/soak/pending.test.ts).

| what | figure |
|---|---|
| documents fetched per run | ${faulty.docs.length} (${PARTIES.length} parties × 3 endpoints × ${ROUNDS} rounds, 16 at a time) |
| API requests, fault-free run | ${clean.requests} |
| API requests with faults (30 % KB-002, 10 % dropped, 5 % 429) | ${faulty.requests} |
| answers by status with faults | ${Object.entries(faulty.byStatus).map(([s, n]) => `${s}: ${n}`).join(", ")} (dropped connections have no status) |
| retries (requests beyond the fault-free run's) | ${faulty.requests - clean.requests} |
| outputs identical to the fault-free run | ${identical} of ${faulty.docs.length} |
| 1000 calls pending at once through one client (30 % KB-002, 10 % dropped), peak RSS | ${pending.peakRssMb} MB with a 256 MB heap (\`node --max-old-space-size=256 --import tsx test/soak/pending-child.ts 1000\`, the in-process sandbox and tsx included); retries up to 60 attempts 2–20 ms apart: ${pending.completed} of ${pending.n} completed, ${pending.failures} failed. Before the ordered gate (src/http/Gate.ts): 1485 MB, and out of heap under \`--max-old-space-size=256\` |
| kill -9 at random points of a reconcile rewriting its reports | ${killed.kills} kills, reports left valid (JSON parses, workbook opens) after ${killed.valid} |

Reports are written to a temporary file beside the target and renamed over it when complete (src/reconcile/ReportSink.ts
\`atomically\`), so a kill leaves the previous report or the new one; the temporary file of a killed run
(\`.r.json.<pid>.<random>.tmp\`) is removed by the next write of the same report once its process is gone.`
  console.log(body)
  const path = join(root, "docs", "reliability.md")
  const text = existsSync(path) ? readFileSync(path, "utf8") : "# Reliability\n"
  const header = "## soak\n"
  const start = text.indexOf(header)
  const next = start < 0 ? -1 : text.indexOf("\n## ", start + header.length)
  const section = `${header}\n${body}\n`
  writeFileSync(path, start < 0 ? `${text.trimEnd()}\n\n${section}` : `${text.slice(0, start)}${section}${next < 0 ? "" : text.slice(next)}`)
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
