/**
 * `reconcile --store DIR` (issue "kravsync as a service"): the CLI keeps its runs in the store the
 * service uses, and an item signed off there is *kjent avvik* in the next run's reports — in the
 * JSON report's carryForward and on the workbook's Avvik sheet — while the rest stay *følg opp*.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import ExcelJS from "exceljs"
import { execFile } from "node:child_process"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import * as Database from "../../src/store/Database.ts"
import { Store } from "../../src/store/Store.ts"

const root = join(import.meta.dirname, "..", "..")
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("KRAVSYNC_")))
const args = [
  "--part",
  "212201782",
  "--ledger",
  "saft:sandbox/demo/full/212201782-2023-full.xml",
  "--sandbox-data",
  "sandbox/demo/full",
  "--as-of",
  "2023-09-30"
]

interface Carried {
  readonly carryForward: {
    readonly known: number
    readonly followUp: number
    readonly items: ReadonlyArray<{ kind: string; id: string; amount: number; disposition: string; signOff?: { comment: string } }>
  }
}

describe("reconcile --store", () => {
  it.live("keeps the run; an item signed off in the store is kjent avvik in the next run's JSON and workbook", () =>
    Effect.gen(function*() {
      const dir = mkdtempSync(join(tmpdir(), "kravsync-store-"))
      const run = (out: string) =>
        Effect.promise(() =>
          promisify(execFile)(process.execPath, [join(root, "bin", "kravsync.mjs"), "reconcile", ...args, "--store", join(dir, "data"), "--out", out], {
            cwd: root,
            env,
            encoding: "utf8"
          })
        )
      yield* run(join(dir, "mars.json"))
      const first = JSON.parse(readFileSync(join(dir, "mars.json"), "utf8")) as Carried
      expect(first.carryForward.known).toBe(0)
      expect(first.carryForward.followUp).toBeGreaterThan(1)
      const item = first.carryForward.items[0]
      if (item === undefined) throw new Error("no follow-up item")

      // The accountant signs one item off in the store (as the service's sign-off endpoint does).
      yield* Effect.gen(function*() {
        const store = yield* Store
        const [latest] = yield* store.listRuns("212201782")
        if (latest === undefined) throw new Error("the run was not stored")
        yield* store.signOff({
          runId: latest.id,
          party: "212201782",
          scope: "item",
          items: [{ kind: item.kind as never, itemId: item.id, amount: item.amount as never }],
          signedBy: "Kari Regnskap",
          comment: "bokført i april"
        })
      }).pipe(Effect.provide(Database.layer({ dataDir: join(dir, "data") })))

      yield* run(join(dir, "april.json"))
      yield* run(join(dir, "april.xlsx"))
      const second = JSON.parse(readFileSync(join(dir, "april.json"), "utf8")) as Carried
      expect(second.carryForward.known).toBe(1)
      expect(second.carryForward.followUp).toBe(first.carryForward.followUp - 1)
      const known = second.carryForward.items.find((i) => i.kind === item.kind && i.id === item.id)
      expect(known).toMatchObject({ disposition: "kjent-avvik", signOff: { comment: "bokført i april" } })

      const wb = new ExcelJS.Workbook()
      yield* Effect.promise(() => wb.xlsx.readFile(join(dir, "april.xlsx")))
      const avvik = wb.getWorksheet("Avvik")
      const rows: Array<Array<unknown>> = []
      avvik?.eachRow((r) => void rows.push((r.values as Array<unknown>).slice(1)))
      const header = rows.find((r) => r.includes("Vurdering"))
      expect(header).toEqual(expect.arrayContaining(["Vurdering", "Kvittert av", "Kvittert", "Kommentar"]))
      expect(rows.some((r) => r.includes("Kjent avvik") && r.includes("Kari Regnskap") && r.includes("bokført i april"))).toBe(true)
      expect(rows.filter((r) => r.includes("Følg opp")).length).toBe(second.carryForward.followUp)
    }), 240_000)
})
