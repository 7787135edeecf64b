/**
 * The overview: clients needing action first; totals equal to the rows øre for øre (a property);
 * the workbook's SUM formulas cached with those totals and tying out with the cells; text from
 * outside never becomes a formula; each reconciled client links to its workbook.
 */
import { describe, expect, it } from "@effect/vitest"
import ExcelJS from "exceljs"
import * as fc from "fast-check"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { writeOverviewWorkbook } from "../../connectors/excel/OverviewSink.ts"
import type { Oere } from "../../src/domain/Money.ts"
import { makeOverview, type OverviewRow, rowOfProblem } from "../../src/run/Overview.ts"
import { clock, makeRenderer } from "../../src/run/RunProgress.ts"

const dir = mkdtempSync(join(tmpdir(), "kravsync-overview-"))
const o = (n: number) => n as Oere

const reconciled = (orgnr: string, difference: number, unexplained: number, items: number, name?: string): OverviewRow => ({
  orgnr,
  ...(name === undefined ? {} : { name }),
  line: Number(orgnr.slice(-2)),
  ledger: `saft:${orgnr}.xml`,
  periode: { fraOgMed: "2025-01-01", tilOgMed: "2025-12-31" } as OverviewRow["periode"],
  skatteetatenSaldo: o(100_000 + difference),
  ledgerSaldo: o(100_000),
  difference: o(difference),
  unexplained: o(unexplained),
  followUpItems: items,
  followUpRows: items > 0 ? ["2740"] : [],
  outcome: items > 0 ? "follow-up" : "tied-out",
  workbook: `klienter/${orgnr}/${orgnr}.xlsx`,
  report: `klienter/${orgnr}/${orgnr}.json`
})

const failed = (orgnr: string, message: string): OverviewRow => ({
  orgnr,
  line: 9,
  ledger: "saft:x.xml",
  outcome: "failed",
  failure: { category: "input", tag: "LedgerSourceError", message }
})

const rowsOf = (ws: ExcelJS.Worksheet) => {
  const out: Array<Array<ExcelJS.CellValue>> = []
  ws.eachRow((row) => out.push((row.values as Array<ExcelJS.CellValue>).slice(1)))
  return out
}

const oere = (v: ExcelJS.CellValue): number => (typeof v === "number" ? Math.round(v * 100) : 0)

describe("the overview", () => {
  it("orders clients needing action first: failed, then follow-up by unexplained, then tied out", () => {
    const ov = makeOverview("k.csv", "nb", [
      reconciled("900000011", 0, 0, 0),
      reconciled("900000022", -5000, -300, 2),
      failed("900000033", "bad"),
      reconciled("900000044", 7000, 900, 1),
      reconciled("900000055", 100, 0, 1)
    ], 0)
    expect(ov.rows.map((r) => r.orgnr)).toEqual(["900000033", "900000044", "900000022", "900000055", "900000011"])
    expect(ov.totals).toMatchObject({ clients: 5, tiedOut: 1, followUp: 3, failed: 1, difference: 2100, unexplained: 600, followUpItems: 4 })
  })

  it("a bad row of the list is a failed client naming its line and field", () => {
    const ov = makeOverview("k.csv", "nb", [
      reconciled("900000011", 0, 0, 0),
      rowOfProblem({ line: 7, orgnr: "31336700", field: "orgnr", message: "not 9 digits" })
    ], 0)
    expect(ov.rows[0]).toMatchObject({ orgnr: "31336700", line: 7, outcome: "failed", failure: { category: "input", message: "line 7, orgnr: not 9 digits" } })
    expect(ov.totals.failed).toBe(1)
  })

  it("totals are the sums of the rows, øre for øre (property)", () => {
    const row = fc.tuple(
      fc.integer({ min: -100_000_000_000, max: 100_000_000_000 }),
      fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
      fc.integer({ min: 0, max: 40 }),
      fc.boolean()
    )
    fc.assert(fc.property(fc.array(row, { maxLength: 30 }), (xs) => {
      const rows = xs.map((
        [d, u, n, f],
        i
      ) => (f ? failed(`9000000${String(i).padStart(2, "0")}`, "x") : reconciled(`9100000${String(i).padStart(2, "0")}`, d, u, n)))
      const ov = makeOverview("k.csv", "nb", rows, 0)
      const ok = ov.rows.filter((r) => r.outcome !== "failed")
      expect(ov.totals.difference).toBe(ok.reduce((s, r) => s + (r.difference ?? 0), 0))
      expect(ov.totals.skatteetatenSaldo - ov.totals.ledgerSaldo).toBe(ov.totals.difference)
      expect(ov.totals.tiedOut + ov.totals.followUp + ov.totals.failed).toBe(rows.length)
    }))
  })

  it("the workbook: sums tie out with the cells, no formula from outside, links to the clients' workbooks", async () => {
    const ov = makeOverview("k.csv", "nb", [
      reconciled("900000011", 12_345, 0, 0, "=HYPERLINK(\"http://evil\",\"klikk\")"),
      reconciled("900000022", -98_765_43, -1, 3, "Fjord & Co AS"),
      failed("900000033", "+cmd|' /C calc'!A0"),
      reconciled("900000044", 1, 2, 1, "@SUM(A1)")
    ], 0)
    const path = join(dir, "oversikt.xlsx")
    await writeOverviewWorkbook(ov, path)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(path)
    const ws = wb.getWorksheet("Oversikt")
    if (ws === undefined) throw new Error("no Oversikt sheet")
    const rows = rowsOf(ws)
    expect(rows[0]?.slice(0, 3)).toEqual(["Status", "Organisasjonsnummer", "Navn"])
    const body = rows.slice(1, -1)
    expect(body.map((r) => r[1])).toEqual(ov.rows.map((r) => r.orgnr))
    expect(body.map((r) => r[0])).toEqual(["Feilet", "Følg opp", "Følg opp", "Avstemt"])
    // No cell holds a formula but the totals, and outside text is defused.
    const texts = body.flatMap((r) => r.filter((c): c is string => typeof c === "string"))
    expect(texts.filter((t) => /^[=+\-@]/.test(t))).toEqual([])
    expect(texts).toContain("'=HYPERLINK(\"http://evil\",\"klikk\")")
    expect(texts).toContain("'+cmd|' /C calc'!A0")
    const totals = rows[rows.length - 1] ?? []
    for (const [column, field] of [[5, "skatteetatenSaldo"], [6, "ledgerSaldo"], [7, "difference"], [8, "unexplained"]] as const) {
      const cell = totals[column] as { formula: string; result: number }
      expect(cell.formula).toBe(`SUM(${"ABCDEFGHIJ"[column]}2:${"ABCDEFGHIJ"[column]}${body.length + 1})`)
      expect(Math.round(cell.result * 100)).toBe(ov.totals[field])
      expect(body.reduce((s, r) => s + oere(r[column] ?? null), 0)).toBe(ov.totals[field])
    }
    const links = body.map((r) => r[12] as { hyperlink?: string } | string)
    expect(links.map((l) => (typeof l === "object" && l !== null ? l.hyperlink : ""))).toEqual(ov.rows.map((r) => r.workbook ?? ""))
  })
})

describe("the run's progress", () => {
  it("plain lines: counts, the client, its outcome and an ETA", () => {
    const out: Array<string> = []
    let t = 0
    const r = makeRenderer({ write: (s) => void out.push(s), live: false, now: () => t })
    r.start(4, 1)
    r.step("900000011", "ledger")
    t = 10_000
    r.finished("900000011", "tied-out", "Fjord AS")
    t = 20_000
    r.finished("900000022", "failed", "Kyst AS")
    r.end()
    expect(out).toEqual([
      "1 av 4 klienter allerede ferdig med samme grunnlag; hoppes over\n",
      "[2/4 ferdig, 0 feilet, 2 igjen] 900000011 Fjord AS: avstemt · ca. 0:20 igjen\n",
      "[2/4 ferdig, 1 feilet, 1 igjen] 900000022 Kyst AS: feilet · ca. 0:10 igjen\n"
    ])
  })

  it("live: one line redrawn in place with the bar and the current step, throttled", () => {
    const out: Array<string> = []
    let t = 0
    const r = makeRenderer({ write: (s) => void out.push(s), live: true, language: "en", now: () => t, throttleMs: 100 })
    r.start(2, 0)
    t = 50
    r.step("900000011", "skatteetaten")
    t = 200
    r.step("900000011", "reports")
    t = 1000
    r.finished("900000011", "follow-up", "Fjord AS")
    r.end()
    expect(out.every((s) => s.startsWith("\r") || s === "\n")).toBe(true)
    expect(out).toHaveLength(5)
    expect(out[1]).toContain("0/2 done, 0 failed, 2 remaining · 900000011: writing the reports")
    expect(out[2]).toContain("[##########..........] 1/2 done, 0 failed, 1 remaining")
    expect(out[4]).toBe("\n")
    expect(clock(3_723_000)).toBe("1:02:03")
  })
})
