import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import ExcelJS from "exceljs"
import { mkdtempSync, readdirSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { decodeReportJson } from "../../src/reconcile/JsonReportSink.ts"
import { runOk } from "../support/run.ts"

const bin = join(import.meta.dirname, "..", "..", "bin", "kravsync.mjs")

describe("kravsync demo", () => {
  it("writes a workbook and a JSON report per test party, offline, with no flags; every report ties out", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "kravsync-demo-"))
    const stdout = await runOk(process.execPath, [bin, "demo"], { cwd, env: { ...process.env, KRAVSYNC_ENV: "sandbox" } })
    expect(stdout).toContain("kravsync-demo/313367002.xlsx")
    const files = readdirSync(join(cwd, "kravsync-demo")).sort()
    expect(files).toEqual(["212201782", "310478717", "311851381", "313367002", "314055403"].flatMap((p) => [`${p}.json`, `${p}.xlsx`]))
    const statuses = new Set<string>()
    for (const f of files.filter((x) => x.endsWith(".json"))) {
      const r = decodeReportJson(readFileSync(join(cwd, "kravsync-demo", f), "utf8"))
      if (Either.isLeft(r)) throw new Error(String(r.left))
      expect(r.right.totals.conserved).toBe(true)
      expect(r.right.totals.unexplained).toBe(0)
      for (const s of r.right.totals.byStatus) if (s.count > 0) statuses.add(s.status)
    }
    // the demo ledgers carry a deliberate difference of each kind
    for (
      const s of ["matched", "amount-differs", "missing-in-ledger", "only-in-ledger", "unplaced-payment", "interest-not-booked", "skjermet", "wrong-account"]
    ) expect(statuses).toContain(s)
    // and the full year kept the way accountants keep it: opening balances, year-end accruals, internal moves
    for (const s of ["opening-balance", "accrued-not-claimed", "internal-transfer"]) expect(statuses).toContain(s)
    // the company booked without a deliberate difference needs no follow-up at all
    const bygg = decodeReportJson(readFileSync(join(cwd, "kravsync-demo", "311851381.json"), "utf8"))
    if (Either.isLeft(bygg)) throw new Error(String(bygg.left))
    expect(bygg.right.totals.needsAttention).toBe(false)
    expect(bygg.right.utbetalinger.length + bygg.right.payments.length).toBeGreaterThan(0)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(join(cwd, "kravsync-demo", "313367002.xlsx"))
    const sum = wb.getWorksheet("Sammendrag")
    expect(sum?.getCell("A1").value).toBe("Avstemming av skattekontoen")
    expect(sum?.getCell("B2").value).toBe("Sandbox Regnskap AS")
    expect(sum?.getCell("B3").value).toBe("313367002")
    expect(sum?.getCell("A10").value).toBe("Konto")
    // kravgrupper by their names, the codes beside them; Krav names each kravtype from the code list
    const mva = sum?.getRow(13).values as Array<unknown>
    expect([mva[1], mva[3], mva[11]]).toEqual(["2740", "Merverdiavgift", "merverdiavgift"])
    const krav = wb.getWorksheet("Krav")!
    const named: Array<[unknown, unknown]> = []
    krav.eachRow((row, n) => n > 1 && named.push([row.getCell(2).value, row.getCell(3).value]))
    expect(named).toContainEqual(["Mva-melding å betale", "åBetaleMva"])
    expect(named).toContainEqual(["Utskrevet forskuddsskatt", "utskrevetForskuddsskatt"])
    for (const [name, code] of named) expect(name).not.toBe(code)
  })
})
