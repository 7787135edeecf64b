/**
 * A short soak (issue "Reliability"; the long one is `npx tsx bench/soak.ts`, docs/reliability.md):
 * - faults: every party's documents fetched through the real client from a simulator answering 30 %
 *   KB-002, dropping 10 % of connections and sending 429s, come out identical to a fault-free
 *   fetch — the rule, not a count of retries (how many faults land depends on scheduling);
 * - kill -9: a reconciliation killed at random points while it rewrites existing reports leaves
 *   each report either the old one or a complete new one — never half-written.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import ExcelJS from "exceljs"
import { spawn } from "node:child_process"
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Sandbox from "../../sandbox/client.ts"
import { KravOgBetalingerClient } from "../../src/client/KravOgBetalingerClient.ts"
import { part, periode } from "../support/ids.ts"
import { run } from "../support/run.ts"

const PARTIES = ["212201782", "313367002", "311851381", "310478717"]
const PERIODE = periode("2025-01-01", "2025-12-31")

/** Every document of every party, as JSON text, fetched through a client on a sandbox with `faults`. */
const fetchAll = (faults: Record<string, number>) =>
  Effect.gen(function*() {
    const client = yield* KravOgBetalingerClient
    const docs = yield* Effect.forEach(
      PARTIES.flatMap((p) => [["aapnekrav", p], ["krav", p], ["innbetalinger", p]] as const),
      ([endpoint, p]) =>
        (endpoint === "aapnekrav" ? client.aapneKrav(part(p)) : endpoint === "krav" ? client.krav(part(p), PERIODE) : client.innbetalinger(part(p), PERIODE))
          .pipe(
            Effect.map((d) => `${endpoint} ${p} ${JSON.stringify(d)}`),
            Effect.catchTag("KB-007", () => Effect.succeed(`${endpoint} ${p} KB-007`))
          ),
      { concurrency: 8 }
    )
    return docs
  }).pipe(
    Effect.provide(
      Sandbox.layerSandbox({
        sandbox: { seed: 7, faults: faults },
        client: { resilience: { retry: { baseDelay: "2 millis", maxDelay: "20 millis", budget: "30 seconds", maxAttempts: 60 }, rateLimit: false } }
      })
    ),
    Effect.provide(NodeHttpClient.layerUndici)
  )

describe("soak", () => {
  it.live("documents fetched through 30 % KB-002, 10 % dropped connections and 429s equal the fault-free ones", () =>
    Effect.gen(function*() {
      const clean = yield* fetchAll({})
      const faulty = yield* fetchAll({ kb002Share: 0.3, dropShare: 0.1, rate429Share: 0.05, retryAfterSeconds: 0 })
      expect(faulty).toEqual(clean)
      expect(clean.length).toBe(PARTIES.length * 3)
    }))

  it("kill -9 while reports are rewritten leaves each report whole: the old one or a new one", async () => {
    const root = join(import.meta.dirname, "..", "..")
    const dir = mkdtempSync(join(tmpdir(), "kravsync-kill-"))
    const args = (out: string) => [
      join(root, "bin", "kravsync.mjs"),
      "reconcile",
      ...["--part", "313367002", "--ledger", "saft:sandbox/demo/ledgers/313367002.xml", "--sandbox-data", "sandbox/demo/full", "--as-of", "2025-12-31"],
      ...["--out", join(out, "r.json"), "--out", join(out, "r.xlsx")]
    ]
    // the reports as they were before: a complete run
    expect((await run(process.execPath, args(dir), { cwd: root })).status).toBe(0)
    const oldJson = readFileSync(join(dir, "r.json"), "utf8")
    copyFileSync(join(dir, "r.xlsx"), join(dir, "old.xlsx"))
    // killed at points spread over a run (start-up, fetch, reconcile, writing)
    for (const ms of [150, 400, 700, 900, 1100, 1300, 1600]) {
      const child = spawn(process.execPath, args(dir), { cwd: root, stdio: "ignore" })
      const exited = new Promise((resolve) => child.on("exit", resolve)) // listening before it can exit
      await new Promise((resolve) => setTimeout(resolve, ms))
      child.kill("SIGKILL")
      await exited
      const json = readFileSync(join(dir, "r.json"), "utf8")
      expect(() => JSON.parse(json)).not.toThrow()
      expect(JSON.parse(json)).toMatchObject({ schemaVersion: 1, metadata: { party: "313367002" } })
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.readFile(join(dir, "r.xlsx"))
      expect(wb.getWorksheet("Sammendrag")).toBeDefined()
    }
    expect(oldJson.length).toBeGreaterThan(0)
  })
})
