/**
 * Trekkpålegg in the main reconciliation, as a user runs it: the built bin's `kravsync reconcile`
 * in a child process against its built-in sandbox over real HTTP (Krav og betalinger and
 * Trekkpålegg from one sandbox), the employer's payroll-style books from `kravsync trekk-testdata`.
 * With --trekkpaalegg the JSON report gets the `trekkpaalegg` section and the workbook the
 * *Trekkpålegg* sheet and a line on Sammendrag; clean books tie out with no finding, each
 * deliberate difference is found once; without the switch, or for a party without orders, the
 * rest of the report is what it was.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import ExcelJS from "exceljs"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as SaftWriter from "../../sandbox/saft/SaftWriter.ts"
import { DEFAULT_TODAY } from "../../sandbox/Simulator.ts"
import { ALL_TREKK_DIFFERENCES, generateTrekkBooks } from "../../sandbox/trekkpaalegg/Books.ts"
import * as G from "../../sandbox/trekkpaalegg/Generate.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import { decodeReportJson } from "../../src/reconcile/JsonReportSink.ts"
import type { Report } from "../../src/reconcile/Report.ts"
import { kravsyncEffect } from "../support/cli.ts"

const dir = mkdtempSync(join(tmpdir(), "kravsync-trekk-main-"))
/** Each test runs the bin several times; on a loaded machine one run takes tens of seconds. */
const CHILD_TIMEOUT = 400_000

const kravsync = kravsyncEffect

const PERIOD = ["--fra", "2026-01-01", "--til", "2026-11-24", "--as-of", "2026-11-24"]

const testdata = (name: string, avvik: boolean) =>
  Effect.gen(function*() {
    const out = join(dir, name)
    const made = yield* kravsync(["trekk-testdata", "--out-dir", out, ...(avvik ? ["--avvik"] : [])])
    expect(made.code).toBe(0)
    const [saft, lonn] = made.stdout.trim().split("\n")
    return { saft: String(saft), lonn: String(lonn) }
  })

const readReport = (file: string): Report => Either.getOrThrow(decodeReportJson(readFileSync(file, "utf8")))

/** The report as JSON text without what differs between two runs of the same data (the time, the request ids). */
const stable = (file: string): unknown => {
  const r = JSON.parse(readFileSync(file, "utf8")) as { metadata: Record<string, unknown> }
  delete r.metadata["generatedAt"]
  delete r.metadata["korrelasjonsIder"]
  return r
}

const workbookTexts = (file: string) =>
  Effect.promise(async () => {
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file)
    const text = (ws: ExcelJS.Worksheet | undefined) => {
      const out: Array<string> = []
      ws?.eachRow((row) => row.eachCell((c) => void out.push(String(c.value))))
      return out.join("\n")
    }
    // Page 1 is Sammendrag (Summary in English); the Trekkpålegg sheet has its name in both languages.
    return { names: wb.worksheets.map((w) => w.name), summary: text(wb.worksheets[0]), trekk: text(wb.getWorksheet("Trekkpålegg")) }
  })

describe("kravsync reconcile --trekkpaalegg", () => {
  it.live(
    "clean payroll books: the JSON section and the Trekkpålegg sheet, no finding; without the switch the report is as before",
    () =>
      Effect.gen(function*() {
        const { lonn, saft } = yield* testdata("clean", false)
        const plain = join(dir, "plain.json")
        const before = yield* kravsync(["reconcile", "--part", "313367002", "--ledger", `saft:${saft}`, ...PERIOD, "--out", plain])
        expect(before.code).toBe(0)
        const json = join(dir, "with.json")
        const xlsx = join(dir, "with.xlsx")
        const r = yield* kravsync([
          "reconcile",
          "--part",
          "313367002",
          "--ledger",
          `saft:${saft}`,
          ...PERIOD,
          "--trekkpaalegg",
          "--loennsgrunnlag",
          lonn,
          "--out",
          json,
          "--out",
          xlsx
        ])
        expect(r.stderr).not.toMatch(/\n\s+at /)
        expect(r.code).toBe(0)
        // Without the switch there is no section and no Trekkpålegg line.
        expect(readFileSync(plain, "utf8")).not.toContain("trekkpaalegg")
        expect(before.stdout).not.toContain("Trekkpålegg")
        const report = readReport(json)
        const section = report.trekkpaalegg
        expect(section).toBeDefined()
        if (section === undefined) return
        expect(section.findings).toEqual([])
        expect(section.needsAttention).toBe(false)
        expect(section.totals.conserved).toBe(true)
        expect(section.totals.monthsNeedingPayroll).toBe(0)
        expect(section.totals.withheld).toBe(section.totals.expected)
        expect(section.totals.withheld).toBeGreaterThan(0)
        expect(section.accounts).toEqual(["2610"])
        expect(section.sources.loennsgrunnlag).toBe(lonn)
        expect(section.orders.map((o) => o.trekkid).sort()).toEqual(
          G.current(G.generate({ seed: 1, today: DEFAULT_TODAY }), "313367002", DEFAULT_TODAY).map((v) => v.trekkid).sort()
        )
        // Everything but the section is the report the run without the switch wrote.
        const { trekkpaalegg: _, ...rest } = stable(json) as Record<string, unknown>
        expect(rest).toEqual(stable(plain))
        expect(r.stdout).toContain("Trekkpålegg på 2610")
        expect(r.stdout).toContain("ingen avvik")
        // The workbook: the sheet before Om rapporten, and page 1 says what is owed on 2610.
        const wb = yield* workbookTexts(xlsx)
        expect(wb.names.slice(-2)).toEqual(["Trekkpålegg", "Om rapporten"])
        expect(wb.summary).toContain("Trekkpålegg (2610)")
        expect(wb.summary).toContain("ingen avvik (se arket Trekkpålegg)")
        expect(wb.trekk).toContain("Ingen avvik.")
        expect(`${wb.summary}\n${wb.trekk}`).not.toMatch(/(?<!\d)\d{11}(?!\d)/)
      }),
    CHILD_TIMEOUT
  )

  it.live(
    "each deliberate difference is found once, in the JSON section, the sheet and the summary; --fail-on-attention exits 6",
    () =>
      Effect.gen(function*() {
        const { lonn, saft } = yield* testdata("avvik", true)
        const json = join(dir, "avvik.json")
        const xlsx = join(dir, "avvik.xlsx")
        const r = yield* kravsync([
          "reconcile",
          "--part",
          "313367002",
          "--ledger",
          `saft:${saft}`,
          ...PERIOD,
          "--loennsgrunnlag",
          lonn,
          "--out",
          json,
          "--out",
          xlsx,
          "--fail-on-attention",
          "--lang",
          "en"
        ])
        expect(r.code).toBe(6)
        const section = readReport(json).trekkpaalegg
        expect(section?.findings.map((f) => f.kind).sort()).toEqual([...ALL_TREKK_DIFFERENCES].sort())
        expect(section?.totals.conserved).toBe(true)
        expect(r.stdout).toContain("Findings: 4")
        expect(r.stderr).toContain("Trekkpålegg (2610)")
        const wb = yield* workbookTexts(xlsx)
        expect(wb.names.slice(-2)).toEqual(["Trekkpålegg", "About"])
        expect(wb.summary).toContain("Withholding orders (2610)")
        expect(wb.summary).toContain("4 findings")
        for (const label of ["Not withheld", "Withheld, not paid", "Paid with another KID", "Withheld after the order ended"]) {
          expect(wb.trekk.split(label).length - 1).toBe(1)
        }
      }),
    CHILD_TIMEOUT
  )

  it.live(
    "a party without orders gets an empty section and the same report otherwise; a mapping file moves utleggstrekk; a person is refused",
    () =>
      Effect.gen(function*() {
        const party = "314961900"
        expect(G.TREKK_EMPLOYERS[party]).toBeUndefined()
        const periode = { fraOgMed: "2026-01-01" as Dato, tilOgMed: "2026-11-24" as Dato }
        const books = generateTrekkBooks({
          data: G.generate({ seed: 1, today: DEFAULT_TODAY }),
          trekkpliktig: party,
          name: "Uten Trekk AS",
          periode,
          asOf: DEFAULT_TODAY
        })
        const saft = join(dir, `${party}.xml`)
        writeFileSync(saft, SaftWriter.saftText(books.saft))
        const plain = join(dir, "none-plain.json")
        const json = join(dir, "none-with.json")
        const mapping = join(dir, "mapping.json")
        writeFileSync(mapping, JSON.stringify({ utleggstrekk: ["2611"] }))
        const a = yield* kravsync(["reconcile", "--part", party, "--ledger", `saft:${saft}`, ...PERIOD, "--out", plain])
        const b = yield* kravsync(["reconcile", "--part", party, "--ledger", `saft:${saft}`, ...PERIOD, "--trekkpaalegg", "--mapping", mapping, "--out", json])
        expect([a.code, b.code]).toEqual([0, 0])
        const section = readReport(json).trekkpaalegg
        expect(section?.orders).toEqual([])
        expect(section?.findings).toEqual([])
        expect(section?.accounts).toEqual(["2611"])
        expect(section?.sources.assumptions).toContain(`kontoer: ${mapping}`)
        const { trekkpaalegg: _, ...rest } = stable(json) as Record<string, unknown>
        const { metadata, ...others } = rest as { metadata: Record<string, unknown> }
        const { metadata: plainMetadata, ...plainOthers } = stable(plain) as { metadata: Record<string, unknown> }
        // Only the mapping's source differs: the file named no kravgrupper, so the tax accounts are the standard ones.
        expect({ ...metadata, mapping: "" }).toEqual({ ...plainMetadata, mapping: "" })
        expect(others).toEqual(plainOthers)
        // 2610 given to a kravgruppe without saying where utleggstrekk is: refused before anything is fetched.
        const clash = join(dir, "clash.json")
        writeFileSync(clash, JSON.stringify({ kravgrupper: { forskuddstrekk: ["2600", "2610"] } }))
        const refused = yield* kravsync(["reconcile", "--part", party, "--ledger", `saft:${saft}`, ...PERIOD, "--trekkpaalegg", "--mapping", clash])
        expect(refused.code).toBe(2)
        expect(refused.stderr).toContain("utleggstrekk")
        expect(refused.stderr).toContain("2610")
        // A person is no trekkpliktig: refused as input before anything is fetched, the number not repeated.
        const person = yield* kravsync(["reconcile", "--part", "04827896468", "--ledger", `saft:${saft}`, ...PERIOD, "--trekkpaalegg"])
        expect(person.code).toBe(2)
        expect(person.stderr).toContain("--trekkpaalegg")
        expect(person.stderr).not.toContain("04827896468")
      }),
    CHILD_TIMEOUT
  )
})
