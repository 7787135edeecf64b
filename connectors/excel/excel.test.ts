import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import ExcelJS from "exceljs"
import { existsSync, mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { toKronerNumber } from "../../src/domain/Money.ts"
import { Progress, type ProgressShape, type ProgressUpdate } from "../../src/Progress.ts"
import type { Report } from "../../src/reconcile/Report.ts"
import { aapneKrav, entry, innbetalinger, kravListe, run, snapshot } from "../../test/reconcile/helpers.ts"
import { runOk } from "../../test/support/run.ts"
import { DATE_FORMAT, ExcelReportSink, NOK_FORMAT, safeText, writeWorkbook } from "./index.ts"
import { MAX_CELL_TEXT, TRUNCATION_MARKER } from "./safeText.ts"
import { type RowKind, workbookSheets } from "./WorkbookRows.ts"
import { wrappedLines } from "./WorkbookSink.ts"
import { waitForZip, zipBacklog } from "./zipBacklog.ts"

const INJECTIONS = ["=HYPERLINK(\"http://x\",\"klikk\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]

/** A report with every kind of item, hostile texts in the ledger, made by the engine itself. */
const report = (language: "nb" | "en" = "nb", skjermet = false): Report => {
  const krav = [
    {
      id: "mva-1",
      kravtype: "åBetaleMva",
      kravgruppe: "merverdiavgift",
      opprettet: "2023-04-01",
      forfall: [{ id: "mva-1-1", forfallsdato: "2023-04-10", opprinnelig: 10000, kid: "1234567890" }]
    },
    {
      id: "aga-1",
      kravtype: "arbeidsgiveravgift",
      opprettet: "2023-03-01",
      renter: 120.5,
      forfall: [{ id: "aga-1-1", forfallsdato: "2023-03-15", opprinnelig: 5000.25 }]
    },
    { id: "tr-1", kravtype: "forskuddstrekk", opprettet: "2023-03-01", forfall: [{ id: "tr-1-1", forfallsdato: "2023-03-15", opprinnelig: 777 }] },
    // a kravtype the code lists do not have yet (new codes arrive without a new API version)
    { id: "ny-1", kravtype: "nyKravtype2027", opprettet: "2023-05-01", forfall: [{ id: "ny-1-1", forfallsdato: "2023-05-15", opprinnelig: 300 }] }
  ]
  return run({
    aapneKrav: aapneKrav(krav, [], skjermet),
    krav: kravListe(krav),
    innbetalinger: innbetalinger([{ id: "inn-1", dato: "2023-04-10", beloep: 10000, kid: "1234567890" }]),
    ledger: snapshot([
      entry("2740", "2023-04-01", -10000, { reference: "1234567890", description: INJECTIONS[0] }),
      entry("2770", "2023-03-01", -5000, { description: INJECTIONS[1] }),
      entry("2740", "2023-06-01", -42, { description: INJECTIONS[2], counterparty: INJECTIONS[3], reference: INJECTIONS[4] }),
      entry("2740", "2023-06-02", -1, { description: INJECTIONS[5] })
    ]),
    language
  })
}

/** The same report with a payment left unplaced: every item sheet then has a row that needs attention. */
const reportWithUnplaced = (): Report => {
  const base = report()
  const extra = run({
    aapneKrav: aapneKrav([], [{ innbetalingsidentifikator: "inn-2", innbetalingsdato: "2023-05-02", innbetaltBeloep: 250, uplassertBeloep: 250 }]),
    krav: kravListe([]),
    innbetalinger: innbetalinger([{ id: "inn-2", dato: "2023-05-02", beloep: 250, uplassert: 250 }]),
    ledger: snapshot([])
  })
  return { ...base, payments: [...base.payments, ...extra.payments] }
}

const readBack = async (path: string) => {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.readFile(path)
  return wb
}

const write = async (r: Report) => {
  const path = join(mkdtempSync(join(tmpdir(), "kravsync-xlsx-")), "r.xlsx")
  await writeWorkbook(r, path)
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.readFile(path)
  return { path, wb }
}

const rows = (ws: ExcelJS.Worksheet) => {
  const out: Array<Array<ExcelJS.CellValue>> = []
  ws.eachRow((row) => out.push((row.values as Array<ExcelJS.CellValue>).slice(1)))
  return out
}

describe("Excel workbook", () => {
  it("has the seven sheets, frozen filtered headers, numbers and dates as such, and SUM totals equal to the engine's", async () => {
    const r = report()
    const { wb } = await write(r)
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Sammendrag", "Avstemmingsbro", "Avvik", "Krav", "Innbetalinger", "Hovedbok", "Om rapporten"])
    const sum = wb.getWorksheet("Sammendrag")!
    // page 1 says whose reconciliation it is, then the table: header row, one row per account row, totals
    expect(sum.getCell("A1").value).toBe("Avstemming av skattekontoen")
    expect(sum.getCell("A2").value).toBe("Firma")
    expect(sum.getCell("B2").value).toBe(r.metadata.partyName)
    expect(sum.getCell("A3").value).toBe("Organisasjonsnummer")
    expect(sum.getCell("B3").value).toBe(r.metadata.party)
    expect(sum.getCell("B4").value).toBe("01.01.2023 – 31.12.2023")
    expect(sum.getCell("B5").value).toEqual(new Date(`${r.metadata.asOf}T00:00:00Z`))
    expect(sum.getCell("B5").numFmt).toBe(DATE_FORMAT)
    expect(sum.getCell("B8").value).toBe("01.01.2024 01:00") // generatedAt 2024-01-01T00:00Z in Oslo time
    // the labels fit their column, the heading has a row of its own
    expect(sum.getColumn(1).width ?? 0).toBeGreaterThanOrEqual("Organisasjonsnummer".length)
    const head = 10
    expect(sum.getCell(`A${head}`).value).toBe("Konto")
    expect(sum.views[0]).toMatchObject({ state: "frozen", ySplit: head })
    expect(sum.autoFilter).toBeDefined()
    // Sammendrag prints on one landscape page; the other sheets one page wide
    expect(sum.pageSetup).toMatchObject({ orientation: "landscape", fitToWidth: 1, fitToHeight: 1, printTitlesRow: `${head}:${head}` })
    expect(wb.getWorksheet("Hovedbok")!.pageSetup).toMatchObject({ orientation: "landscape", fitToWidth: 1, fitToHeight: 0 })
    expect(sum.headerFooter.oddHeader).toContain(r.metadata.party)
    // every column at least as wide as its header
    sum.getRow(head).eachCell((c, i) => expect(sum.getColumn(i).width ?? 0).toBeGreaterThanOrEqual(String(c.value).length))
    // one row per account row of the report, with the report's numbers in kroner
    for (const [i, a] of r.accounts.entries()) {
      const row = sum.getRow(head + 1 + i)
      expect(row.getCell(1).value).toBe(a.key)
      expect(row.getCell(4).value).toBe(toKronerNumber(a.skatteetaten.saldo))
      expect(row.getCell(5).value).toBe(toKronerNumber(a.ledger.saldo))
      expect(row.getCell(8).value).toBe(toKronerNumber(a.unexplained))
      expect(row.getCell(4).numFmt).toBe(NOK_FORMAT)
    }
    // a wrapped cell's row is tall enough for it: no program fits row heights when it opens a file
    expect([wrappedLines("avstemt 3", 44), wrappedLines("ord ".repeat(30).trim(), 44), wrappedLines("a\nb", 44), wrappedLines("x".repeat(90), 44)]).toEqual([
      1,
      3,
      2,
      3
    ])
    for (const [i] of r.accounts.entries()) {
      const row = sum.getRow(head + 1 + i)
      const lines = Math.max(...[2, 3, 10, 11].map((c) => wrappedLines(String(row.getCell(c).value ?? ""), sum.getColumn(c).width ?? 10)))
      if (lines > 1) expect(row.height).toBe(lines * 15)
      expect(row.getCell(10).alignment).toMatchObject({ wrapText: true })
    }
    const totals = sum.getRow(head + 1 + r.accounts.length)
    const cell = totals.getCell(6).value as ExcelJS.CellFormulaValue
    expect(cell.formula).toBe(`SUM(F${head + 1}:F${head + r.accounts.length})`)
    expect(cell.result).toBe(toKronerNumber(r.totals.difference))
    expect((totals.getCell(4).value as ExcelJS.CellFormulaValue).result).toBe(toKronerNumber(r.totals.skatteetatenSaldo))
    // Om rapporten: the as-of date is a real date in dd.mm.yyyy, "Laget" is Oslo time
    const about = rows(wb.getWorksheet("Om rapporten")!)
    expect(about.find((x) => x[0] === "Avstemt per")?.[1]).toEqual(new Date(`${r.metadata.asOf}T00:00:00Z`))
    expect(about.find((x) => x[0] === "Laget")?.[1]).toBe("01.01.2024 01:00")
    // every ledger entry is in Hovedbok with its amount and a real date
    const ledger = wb.getWorksheet("Hovedbok")!
    expect(ledger.rowCount - 1).toBe(r.ledgerEntries.length)
    for (const [i, e] of r.ledgerEntries.entries()) {
      const row = ledger.getRow(i + 2)
      expect(row.getCell(4).value).toBe(toKronerNumber(e.amount))
      expect(row.getCell(2).value).toEqual(new Date(`${e.date}T00:00:00Z`))
      expect(row.getCell(2).numFmt).toBe(DATE_FORMAT)
    }
    // every kravforfall is in Krav with its status label
    const claims = rows(wb.getWorksheet("Krav")!).slice(1)
    expect(claims.filter((c) => c[8] instanceof Date).length).toBe(r.claims.flatMap((c) => c.forfall).length)
    // Avvik lists what needs action, largest effect first
    const avvik = rows(wb.getWorksheet("Avvik")!).slice(1).map((row) => Math.abs(Number(row[5] ?? 0)))
    expect(avvik.length).toBeGreaterThan(0)
    expect([...avvik].sort((a, b) => b - a)).toEqual(avvik)
  })

  it("kravtype and kravgruppe read by their names from Skatteetaten's code lists, each raw code in a column of its own", async () => {
    const r = report()
    const { wb } = await write(r)
    const claims = rows(wb.getWorksheet("Krav")!)
    expect(claims[0]?.slice(0, 6)).toEqual(["Kravidentifikator", "Kravtype", "Kravtypekode", "Kravgruppe", "Kravgruppekode", "Beskrivelse"])
    const claim = (id: string) => claims.find((c) => c[0] === id)?.slice(0, 5)
    expect(claim("mva-1")).toEqual(["mva-1", "Mva-melding å betale", "åBetaleMva", "Merverdiavgift", "merverdiavgift"])
    expect(claim("aga-1")).toEqual(["aga-1", "Arbeidsgiveravgift", "arbeidsgiveravgift", "Arbeidsgiveravgift", "arbeidsgiveravgift"])
    // a code the lists do not know is said to be unknown, never shown as if it were a name
    expect(claim("ny-1")?.[1]).toBe("(ukjent kode, ikke i Skatteetatens kodeliste)")
    expect(claim("ny-1")?.[2]).toBe("nyKravtype2027")
    // the interest row of a claim carries the same names
    expect(claims.filter((c) => c[0] === "aga-1").map((c) => c[1])).toEqual(["Arbeidsgiveravgift", "Arbeidsgiveravgift"])
    // Avvik: the claims' rows name their kravtype; the unmapped kravtype is named (unknown) with its code
    const avvik = rows(wb.getWorksheet("Avvik")!)
    expect(avvik[0]?.slice(6, 10)).toEqual(["Konto", "Kravtype", "Kravtypekode", "Forklaring"])
    const trekk = avvik.find((a) => a[2] === "tr-1-1")
    expect(trekk?.slice(7, 9)).toEqual(["Forskuddstrekk", "forskuddstrekk"])
    const unmapped = avvik.find((a) => a[0] === "Ikke tilordnet konto")
    expect(unmapped?.slice(7, 9)).toEqual(["(ukjent kode, ikke i Skatteetatens kodeliste)", "nyKravtype2027"])
    // wherever a code is shown, a name (or the word that it is unknown) stands beside it
    for (const a of avvik.slice(1).filter((x) => typeof x[8] === "string" && x[8] !== "")) expect(a[7]).not.toBe(a[8])
    // Sammendrag: the kravgrupper by name, the codes in the last column
    const sum = wb.getWorksheet("Sammendrag")!
    expect(sum.getCell("C10").value).toBe("Kravgrupper")
    expect(sum.getCell("K10").value).toBe("Koder")
    const mva = rows(sum).find((x) => x[0] === "2740")
    expect(mva?.[2]).toBe("Merverdiavgift")
    expect(mva?.[10]).toBe("merverdiavgift")
    // English headers, the names still the code lists' own (Norwegian)
    const en = rows((await write(report("en"))).wb.getWorksheet("Claims")!)
    expect(en[0]?.slice(0, 5)).toEqual(["Claim id", "Claim type", "Claim type code", "Claim group", "Claim group code"])
    expect(en.find((c) => c[0] === "mva-1")?.[1]).toBe("Mva-melding å betale")
  })

  it("text that starts like a formula comes back as text, never as a formula", async () => {
    const { wb } = await write(report())
    const texts: Array<string> = []
    for (const ws of wb.worksheets) {
      ws.eachRow((row) =>
        row.eachCell((c) => {
          expect(typeof c.value === "object" && c.value !== null && "formula" in c.value && !String(c.value.formula).startsWith("SUM(")).toBe(false)
          if (typeof c.value === "string") texts.push(c.value)
        })
      )
    }
    // (XML turns a stored CR into LF on reading, so compare with line ends folded)
    const fold = (x: string) => x.replace(/\r/g, "\n")
    for (const s of INJECTIONS) expect(texts.map(fold)).toContain(fold(`'${s}`))
    expect(safeText("Merverdiavgift")).toBe("Merverdiavgift")
  })

  it("a text longer than a cell holds (32,767 characters) is cut to the limit and says so; shorter text is left whole", async () => {
    const exact = "x".repeat(MAX_CELL_TEXT)
    expect(safeText(exact)).toBe(exact)
    const long = "Lang beskrivelse. ".repeat(3000) // 54,000 characters
    const cut = safeText(long)
    expect(cut).toHaveLength(MAX_CELL_TEXT)
    expect(cut.endsWith(TRUNCATION_MARKER)).toBe(true)
    expect(long.startsWith(cut.slice(0, -TRUNCATION_MARKER.length))).toBe(true)
    // the quote against formulas counts towards the limit
    const quoted = safeText(`=${"y".repeat(40_000)}`)
    expect(quoted).toHaveLength(MAX_CELL_TEXT)
    expect(quoted.startsWith("'=y")).toBe(true)
    // a surrogate pair at the cut is not split in half
    const emoji = safeText("a" + "😀".repeat(20_000))
    expect(emoji.length).toBeLessThanOrEqual(MAX_CELL_TEXT)
    expect(emoji.endsWith(TRUNCATION_MARKER)).toBe(true)
    expect(emoji.slice(0, -TRUNCATION_MARKER.length)).not.toMatch(/[\uD800-\uDBFF]$/)
    // and in a workbook: the ledger line's description comes back cut, with the marker
    const r = run({
      aapneKrav: aapneKrav([], []),
      krav: kravListe([]),
      ledger: snapshot([entry("2740", "2023-04-01", -100, { description: long })])
    })
    const { wb } = await write(r)
    const texts = rows(wb.getWorksheet("Hovedbok")!).slice(1).flat().filter((v): v is string => typeof v === "string")
    const cell = texts.find((v) => v.startsWith("Lang beskrivelse."))
    expect(cell).toHaveLength(MAX_CELL_TEXT)
    expect(cell?.endsWith(TRUNCATION_MARKER)).toBe(true)
  })

  it("Avstemmingsbro: per row, both sides run from opening to closing and the difference's parts sum to it", async () => {
    const r = report()
    const { wb } = await write(r)
    const lines = rows(wb.getWorksheet("Avstemmingsbro")!).slice(1)
    const kr = (n: number) => toKronerNumber(n as never)
    for (const a of r.accounts) {
      const mine = lines.filter((l) => l[0] === a.key)
      const side = (name: string) => mine.filter((l) => l[1] === name)
      const sumOf = (ls: ReadonlyArray<ReadonlyArray<ExcelJS.CellValue>>) => Math.round(ls.reduce((n, l) => n + Number(l[3] ?? 0), 0) * 100)
      const skatteetaten = side("Skatteetaten")
      expect(skatteetaten.at(-1)?.[3]).toBe(kr(a.skatteetaten.saldo))
      expect(sumOf(skatteetaten.slice(0, -1))).toBe(a.skatteetaten.saldo)
      const ledger = side("Regnskapet")
      expect(ledger.at(-1)?.[3]).toBe(kr(a.ledger.saldo))
      expect(sumOf(ledger.slice(0, -1))).toBe(a.ledger.saldo)
      expect(sumOf(side("Differansen består av"))).toBe(a.difference)
    }
  })

  it("English labels with language en; a skjermet party's details are not written", async () => {
    const en = await write(report("en"))
    expect(en.wb.worksheets.map((w) => w.name)).toEqual(["Summary", "Bridge", "Deviations", "Claims", "Payments", "Ledger", "About"])
    const skjermet = await write(report("nb", true))
    const claims = rows(skjermet.wb.getWorksheet("Krav")!)
    expect(claims).toHaveLength(2)
    expect(String(claims[1]?.[0])).toContain("skjermet")
    expect(rows(skjermet.wb.getWorksheet("Innbetalinger")!)).toHaveLength(2)
  })

  it("keeps every format through the shared styles: per sheet, dates dd.mm.yyyy, amounts in the NOK format, attention rows filled", async () => {
    const r = reportWithUnplaced()
    const { wb } = await write(r)
    const ATTENTION = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFE0B2" } }
    const counts: Record<string, { dates: number; amounts: number; marked: number; plain: number }> = {}
    for (const sheet of workbookSheets(r)) {
      const ws = wb.getWorksheet(sheet.name)!
      // what each row is, from the same rows the sink wrote
      const kinds: Array<RowKind> = [...sheet.rows()].map(([, kind]) => kind)
      expect(ws.rowCount, sheet.name).toBe(kinds.length)
      const n = { dates: 0, amounts: 0, marked: 0, plain: 0 }
      for (const [i, kind] of kinds.entries()) {
        const row = ws.getRow(i + 1)
        const at = (c: number) => `${sheet.name}!${row.getCell(c).address}`
        if (kind === "header") {
          for (let c = 1; c <= sheet.columns.length; c++) {
            expect(row.getCell(c).font, at(c)).toMatchObject({ name: "Calibri", bold: true })
            expect(row.getCell(c).fill, at(c)).toMatchObject({ pattern: "solid", fgColor: { argb: "FFDDE5F0" } })
          }
        }
        if (kind === "total") {
          row.eachCell((cell, c) => {
            expect(cell.font, at(c)).toMatchObject({ bold: true })
            if (typeof cell.value === "object" && cell.value !== null && "formula" in cell.value) expect(cell.numFmt, at(c)).toBe(NOK_FORMAT)
          })
        }
        if (kind !== "item" && kind !== "attention") continue
        const marked = kind === "attention"
        if (marked) n.marked++
        else n.plain++
        for (const [c0, column] of sheet.columns.entries()) {
          const c = c0 + 1
          const cell = row.getCell(c)
          if (cell.value instanceof Date) {
            expect(cell.numFmt, at(c)).toBe(DATE_FORMAT)
            n.dates++
          } else if (column.kind === "amount" && typeof cell.value === "number") {
            expect(cell.numFmt, at(c)).toBe(NOK_FORMAT)
            n.amounts++
          } else if (cell.value !== null) expect(cell.numFmt, at(c)).toBeUndefined()
          // a marked row is orange across the table, its empty cells too; no other row is
          if (marked) expect(cell.fill, at(c)).toEqual(ATTENTION)
          else expect((cell.fill as ExcelJS.FillPattern | undefined)?.pattern ?? "none", at(c)).toBe("none")
          if (cell.value !== null) expect(cell.alignment, at(c)).toMatchObject({ vertical: "top", ...(column.kind === "wrap" ? { wrapText: true } : {}) })
        }
      }
      counts[sheet.name] = n
    }
    // none of the checks above is empty: each sheet has the cells that could lose their format
    const min = (name: string, what: Partial<Record<"dates" | "amounts" | "marked" | "plain", true>>) => {
      for (const k of Object.keys(what) as Array<keyof typeof what>) expect(counts[name]?.[k], `${name}: ${k}`).toBeGreaterThan(0)
    }
    min("Sammendrag", { amounts: true, marked: true, plain: true })
    min("Avstemmingsbro", { amounts: true, plain: true })
    min("Avvik", { dates: true, amounts: true, marked: true })
    min("Krav", { dates: true, amounts: true, marked: true, plain: true })
    min("Innbetalinger", { dates: true, amounts: true, marked: true })
    min("Hovedbok", { dates: true, amounts: true, marked: true, plain: true })
    min("Om rapporten", { dates: true, plain: true })
    // the date cells that stand in a text column: Om rapporten's as-of date, and the title block's
    const about = wb.getWorksheet("Om rapporten")!
    const asOf = about.getColumn(1).values.indexOf("Avstemt per")
    expect(about.getCell(asOf, 2).value).toEqual(new Date(`${r.metadata.asOf}T00:00:00Z`))
    expect(about.getCell(asOf, 2).numFmt).toBe(DATE_FORMAT)
    expect((about.getCell(asOf, 2).fill as ExcelJS.FillPattern | undefined)?.pattern ?? "none").toBe("none")
    const sum = wb.getWorksheet("Sammendrag")!
    expect(sum.getCell("B5").numFmt).toBe(DATE_FORMAT)
    expect(sum.getCell("B5").alignment).toMatchObject({ horizontal: "left" })
    expect(sum.getCell("A1").font).toMatchObject({ bold: true, size: 14 })
    // Om rapporten's "Laget" is Oslo wall-clock time, as text
    expect(about.getCell(about.getColumn(1).values.indexOf("Laget"), 2).value).toBe("01.01.2024 01:00")
  })

  it("writes the very rows the benchmark's bare exceljs baseline writes: same sheets, values and order", async () => {
    const r = reportWithUnplaced()
    const { wb } = await write(r)
    const path = join(mkdtempSync(join(tmpdir(), "kravsync-xlsx-")), "bare.xlsx")
    const bare = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: false, useSharedStrings: false })
    for (const sheet of workbookSheets(r)) {
      const ws = bare.addWorksheet(sheet.name)
      for (const [values] of sheet.rows()) ws.addRow(values).commit()
      ws.commit()
    }
    await bare.commit()
    const plain = await readBack(path)
    expect(plain.worksheets.map((w) => w.name)).toEqual(wb.worksheets.map((w) => w.name))
    for (const ws of wb.worksheets) {
      expect(rows(plain.getWorksheet(ws.name)!), ws.name).toEqual(rows(ws))
      expect(rows(ws).length, ws.name).toBeGreaterThan(1)
    }
  })

  it("reports the rows written to the progress port: the total up front, every 5,000 rows, the end", async () => {
    // 3,000 ledger lines only in the ledger: 3,000 rows in Hovedbok and 3,000 in Avvik
    const entries = Array.from({ length: 3000 }, (_, i) => entry("2740", "2023-06-01", -(i + 1), { id: `L${i}`, voucher: `V${i}` }))
    const r = run({ aapneKrav: aapneKrav([], []), krav: kravListe([]), ledger: snapshot(entries) })
    const updates: Array<ProgressUpdate> = []
    const ended: Array<string> = []
    const recorder: ProgressShape = { update: (u) => updates.push(u), end: (step) => ended.push(step) }
    const dir = mkdtempSync(join(tmpdir(), "kravsync-xlsx-"))
    const target = join(dir, "r.xlsx")
    await Effect.runPromise(ExcelReportSink.write(r, target).pipe(Effect.provideService(Progress, recorder)))
    const wb = await readBack(target)
    const written = wb.worksheets.reduce((n, ws) => n + ws.rowCount, 0)
    expect(written).toBeGreaterThan(6000)
    expect(written).toBeLessThan(10_000)
    expect(updates.every((u) => u.step === "workbook" && u.total === written && u.subject === target)).toBe(true)
    expect(updates.map((u) => u.done)).toEqual([5000, written])
    expect(ended).toEqual(["workbook"])
  })

  it("sees how far the zip is behind a worksheet (exceljs has no backpressure) and waits for it to catch up", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "kravsync-xlsx-")), "backlog.xlsx")
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: false, useSharedStrings: false })
    const ws = wb.addWorksheet("rows")
    // committed in one synchronous loop: nothing is compressed yet, the XML waits in the archiver's input
    for (let i = 0; i < 3000; i++) ws.addRow([`rad ${i}`, i, "x".repeat(100)]).commit()
    const before = zipBacklog(ws)
    // if this is undefined, exceljs or archiver changed inside (zipBacklog.ts): the sink no longer waits, and uses more memory
    expect(before).toBeGreaterThan(64 * 1024)
    await waitForZip(ws, 64 * 1024)
    expect(zipBacklog(ws)).toBeLessThanOrEqual(32 * 1024)
    ws.commit()
    await wb.commit()
    expect((await readBack(path)).getWorksheet("rows")!.rowCount).toBe(3000)
  })

  // LibreOffice is installed on the development machines (Debian package libreoffice-calc-nogui);
  // where it is absent this check is skipped, and says so.
  const soffice = ["/usr/bin/soffice", "/usr/local/bin/soffice"].find((p) => existsSync(p))
  it.skipIf(soffice === undefined)("opens in LibreOffice without repair, and the converted values match (skipped without soffice)", async () => {
    const r = report()
    const { path } = await write(r)
    const out = mkdtempSync(join(tmpdir(), "kravsync-lo-"))
    // comma-separated, double-quoted, UTF-8 (not the system charset), values as stored (not as shown)
    await runOk(soffice!, [
      `-env:UserInstallation=file://${out}/profile`,
      "--headless",
      "--convert-to",
      "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false",
      "--outdir",
      out,
      path
    ], { timeout: 170_000 })
    const csv = readFileSync(join(out, "r.csv"), "utf8").trim().split("\n")
    // the title block first, then the table's header row
    expect(csv[0]).toContain("Avstemming av skattekontoen")
    expect(csv[1]).toContain(r.metadata.partyName)
    const head = csv.findIndex((line) => line.includes("Skatteetaten saldo"))
    expect(head).toBe(9)
    const first = r.accounts[0]!
    expect(csv[head + 1]).toContain(first.key)
    // the totals row: LibreOffice recalculates the SUM formulas and gets the engine's totals
    const totals = csv.find((line) => line.startsWith("Sum,"))!.split(",")
    expect(Number(totals[3])).toBe(toKronerNumber(r.totals.skatteetatenSaldo))
    expect(Number(totals[4])).toBe(toKronerNumber(r.totals.ledgerSaldo))
    expect(Number(totals[5])).toBe(toKronerNumber(r.totals.difference))
    expect(Number(totals[7])).toBe(toKronerNumber(r.totals.unexplained))
  })
})
