/**
 * The run's overview as an Excel workbook (`oversikt.xlsx`, docs/run.md): one sheet, *Oversikt*,
 * one row per client in the overview's order (clients needing action first), each linking to the
 * client's own workbook, then a totals row.
 *
 * The per-client workbook's rules hold (docs/excel.md): amounts are numbers in kroner computed
 * exactly from øre; the totals are SUM formulas whose cached results are the overview's own totals,
 * which equal the sum of the rows øre for øre (a failed client has no amounts, so it adds nothing);
 * every text from outside (names, ledger specs, error messages) goes through safeText, so none
 * becomes a formula. Labels in bokmål, English with `--lang en`.
 */
import { Effect } from "effect"
import ExcelJS from "exceljs"
import { type Oere, toKronerNumber } from "../../src/domain/Money.ts"
import { atomically, ReportSinkError } from "../../src/reconcile/ReportSink.ts"
import type { Overview, OverviewRow, OverviewWriterShape } from "../../src/run/Overview.ts"
import type { Outcome } from "../../src/run/StatusRecord.ts"
import { labels } from "./labels.ts"
import { safeText } from "./safeText.ts"
import { NOK_FORMAT } from "./WorkbookSink.ts"

const ATTENTION_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFE0B2" } }
const FAILED_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFF8C8C8" } }
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDE5F0" } }
const BOLD: Partial<ExcelJS.Font> = { name: "Calibri", bold: true, size: 11 }
const LINK: Partial<ExcelJS.Font> = { name: "Calibri", size: 11, underline: true, color: { argb: "FF0563C1" } }

type Lang = "nb" | "en"

const text: Record<Lang, {
  readonly sheet: string
  readonly outcome: Record<Outcome, string>
  readonly orgnr: string
  readonly name: string
  readonly ledger: string
  readonly periode: string
  readonly items: string
  readonly rows: string
  readonly error: string
  readonly workbook: string
  readonly open: string
  readonly clients: (n: number, tied: number, follow: number, failed: number) => string
}> = {
  nb: {
    sheet: "Oversikt",
    outcome: { "tied-out": "Avstemt", "follow-up": "Følg opp", failed: "Feilet" },
    orgnr: "Organisasjonsnummer",
    name: "Navn",
    ledger: "Regnskap",
    periode: "Periode",
    items: "Poster å følge opp",
    rows: "Kontoer å følge opp",
    error: "Feil",
    workbook: "Arbeidsbok",
    open: "Åpne",
    clients: (n, t, f, x) => `${n} klienter: ${t} avstemt, ${f} følg opp, ${x} feilet`
  },
  en: {
    sheet: "Overview",
    outcome: { "tied-out": "Tied out", "follow-up": "Follow up", failed: "Failed" },
    orgnr: "Organisation number",
    name: "Name",
    ledger: "Ledger",
    periode: "Period",
    items: "Items to follow up",
    rows: "Accounts to follow up",
    error: "Error",
    workbook: "Workbook",
    open: "Open",
    clients: (n, t, f, x) => `${n} clients: ${t} tied out, ${f} follow up, ${x} failed`
  }
}

const kr = (o: Oere | undefined): number | null => (o === undefined ? null : toKronerNumber(o))

const colLetter = (n: number): string => {
  let s = ""
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s
  return s
}

/** The columns, and which hold amounts (1-based), in order. */
const AMOUNT_COLUMNS = [6, 7, 8, 9] as const
const ITEMS_COLUMN = 10

/** Writes the overview workbook to `path` (not atomically: OverviewExcelWriter does that). */
export const writeOverviewWorkbook = async (o: Overview, path: string): Promise<void> => {
  const lang: Lang = o.language
  const t = text[lang]
  const l = labels[lang]
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false })
  wb.creator = "kravsync"
  const ws = wb.addWorksheet(t.sheet, {
    views: [{ state: "frozen", ySplit: 1 }],
    pageSetup: { orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: "1:1" }
  })
  const headers = [
    l.status,
    t.orgnr,
    t.name,
    t.ledger,
    t.periode,
    l.skatteetatenSaldo,
    l.ledgerSaldo,
    l.difference,
    l.unexplained,
    t.items,
    t.rows,
    t.error,
    t.workbook
  ]
  ws.columns = [12, 20, 32, 28, 23, 18, 18, 18, 18, 12, 22, 60, 12].map((width) => ({ width }))
  const header = ws.addRow(headers)
  header.font = BOLD
  header.eachCell((c) => {
    c.fill = HEADER_FILL
  })
  ws.autoFilter = { from: "A1", to: `${colLetter(headers.length)}1` }
  header.commit()
  const write = (r: OverviewRow) => {
    const values: Array<ExcelJS.CellValue> = [
      t.outcome[r.outcome],
      safeText(r.orgnr),
      safeText(r.name ?? ""),
      safeText(r.ledger),
      r.periode === undefined ? "" : `${r.periode.fraOgMed} – ${r.periode.tilOgMed}`,
      kr(r.skatteetatenSaldo),
      kr(r.ledgerSaldo),
      kr(r.difference),
      kr(r.unexplained),
      r.followUpItems ?? null,
      safeText((r.followUpRows ?? []).join(", ")),
      r.failure === undefined ? "" : safeText(r.failure.message),
      // A link relative to the overview: the run folder moves as a whole.
      r.workbook === undefined ? "" : { text: t.open, hyperlink: r.workbook.replaceAll("\\", "/") }
    ]
    const row = ws.addRow(values)
    const fill = r.outcome === "failed" ? FAILED_FILL : r.outcome === "follow-up" ? ATTENTION_FILL : undefined
    for (let i = 1; i <= headers.length; i++) {
      const c = row.getCell(i)
      if (fill !== undefined) c.fill = fill
      if ((AMOUNT_COLUMNS as ReadonlyArray<number>).includes(i)) c.numFmt = NOK_FORMAT
      c.alignment = i === 12 ? { vertical: "top", wrapText: true } : { vertical: "top" }
    }
    if (r.workbook !== undefined) row.getCell(13).font = LINK
    row.commit()
  }
  for (const r of o.rows) write(r)
  const last = o.rows.length + 1
  const sum = (column: number, result: number) => ({ formula: `SUM(${colLetter(column)}2:${colLetter(column)}${last})`, result })
  const totals = ws.addRow([
    l.total,
    t.clients(o.totals.clients, o.totals.tiedOut, o.totals.followUp, o.totals.failed),
    "",
    "",
    "",
    sum(6, toKronerNumber(o.totals.skatteetatenSaldo)),
    sum(7, toKronerNumber(o.totals.ledgerSaldo)),
    sum(8, toKronerNumber(o.totals.difference)),
    sum(9, toKronerNumber(o.totals.unexplained)),
    sum(ITEMS_COLUMN, o.totals.followUpItems)
  ])
  totals.font = BOLD
  for (const c of AMOUNT_COLUMNS) totals.getCell(c).numFmt = NOK_FORMAT
  totals.commit()
  ws.commit()
  await wb.commit()
}

/** The `.xlsx` overview writer: into a temporary file beside the target, renamed over it when complete. */
export const OverviewExcelWriter: OverviewWriterShape = {
  extension: ".xlsx",
  write: (o, path) =>
    atomically(path, (temp) =>
      Effect.tryPromise({
        try: () => writeOverviewWorkbook(o, temp),
        catch: (e) => new ReportSinkError({ path, message: `could not write the overview workbook: ${e instanceof Error ? e.message : String(e)}` })
      }))
}
