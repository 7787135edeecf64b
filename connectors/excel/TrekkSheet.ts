/**
 * The *Trekkpålegg* sheet: one row per order and month (what the order asks for on the pay date,
 * what 2610 shows withheld and paid, the status), then the findings, each with its explanation,
 * and a title block with the period, the totals and the assumptions. `addTrekkSheet` adds it to
 * any exceljs WorkbookWriter (the main workbook's, when the section joins the main report);
 * `writeTrekkWorkbook` writes a workbook holding only it, and `TrekkWorkbookLive` is that as the
 * product's TrekkWorkbook port. Text from outside goes through safeText; the skyldner is masked.
 */
import { Effect, Layer } from "effect"
import ExcelJS from "exceljs"
import { formatNok, type Oere } from "../../src/domain/Money.ts"
import { atomically, ReportSinkError } from "../../src/reconcile/ReportSink.ts"
import type { TrekkSection } from "../../src/trekk/Section.ts"
import { TrekkWorkbook } from "../../src/trekk/TrekkWorkbook.ts"
import { safeText } from "./safeText.ts"

const NOK = "#,##0.00;[Red]-#,##0.00"
const DATE = "dd.mm.yyyy"
const BOLD = { bold: true }
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFD9E1F2" } }
const ATTENTION_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFCE4D6" } }

const texts = {
  nb: {
    sheet: "Trekkpålegg",
    heading: (t: string) => `Trekkpålegg mot utleggstrekk, trekkpliktig ${t}`,
    periode: "Periode",
    asOf: "Per dato",
    accounts: "Kontoer",
    expected: "Skal trekkes",
    withheld: "Trukket",
    paid: "Betalt",
    difference: "Differanse (trukket − skal trekkes)",
    closing: "Skyldig på kontoene ved periodens slutt",
    notDue: "Herav ikke forfalt",
    overdue: "Herav forfalt, ikke betalt",
    findings: "Avvik",
    assumptions: "Forutsetninger",
    columns: [
      "Trekkid",
      "Saksnummer",
      "Skyldner",
      "KID",
      "Måned",
      "Utbetalingsdato",
      "Trekk",
      "Grunnlag",
      "Skal trekkes",
      "Trukket",
      "Betalt",
      "Betalt med annen KID",
      "Frist",
      "Status"
    ],
    findingColumns: ["Avvik", "Trekkid", "Saksnummer", "Måned", "Dato", "Beløp", "Forklaring"],
    status: { ok: "OK", avvik: "Avvik", "ikke-forfalt": "Ikke forfalt", "krever-loennsgrunnlag": "Krever lønnsgrunnlag", "ikke-aktiv": "Ikke aktivt" },
    kind: {
      "ikke-trukket": "Ikke trukket",
      "feil-beloep": "Feil beløp trukket",
      "trukket-ikke-betalt": "Trukket, ikke betalt",
      "betalt-med-annen-kid": "Betalt med annen KID",
      "trukket-etter-avslutning": "Trukket etter avslutning",
      "trukket-utenfor-periode": "Trukket før trekkperioden",
      "betalt-uten-trekk": "Betalt uten trekk",
      "ukjent-postering": "Postering uten trekkpålegg",
      "inngaaende-saldo": "Inngående saldo"
    },
    none: "Ingen avvik."
  },
  en: {
    sheet: "Trekkpålegg",
    heading: (t: string) => `Withholding orders against utleggstrekk, employer ${t}`,
    periode: "Period",
    asOf: "As of",
    accounts: "Accounts",
    expected: "To withhold",
    withheld: "Withheld",
    paid: "Paid",
    difference: "Difference (withheld − to withhold)",
    closing: "Owed on the accounts at the end of the period",
    notDue: "Of which not due",
    overdue: "Of which overdue, not paid",
    findings: "Findings",
    assumptions: "Assumptions",
    columns: [
      "Trekkid",
      "Saksnummer",
      "Employee",
      "KID",
      "Month",
      "Pay date",
      "Order",
      "Pay",
      "To withhold",
      "Withheld",
      "Paid",
      "Paid with other KID",
      "Due",
      "Status"
    ],
    findingColumns: ["Finding", "Trekkid", "Saksnummer", "Month", "Date", "Amount", "Explanation"],
    status: { ok: "OK", avvik: "Finding", "ikke-forfalt": "Not due", "krever-loennsgrunnlag": "Needs payroll", "ikke-aktiv": "Not active" },
    kind: {
      "ikke-trukket": "Not withheld",
      "feil-beloep": "Wrong amount withheld",
      "trukket-ikke-betalt": "Withheld, not paid",
      "betalt-med-annen-kid": "Paid with another KID",
      "trukket-etter-avslutning": "Withheld after the order ended",
      "trukket-utenfor-periode": "Withheld before the order's period",
      "betalt-uten-trekk": "Paid without withholding",
      "ukjent-postering": "Line naming no order",
      "inngaaende-saldo": "Opening balance"
    },
    none: "No findings."
  }
} as const

/** "2026-03-20" as an Excel date (noon UTC, so no time zone moves the day). */
const excelDate = (d: string) => new Date(`${d}T12:00:00Z`)
const kr = (o: Oere | undefined) => (o === undefined ? undefined : o / 100)
const nok = (o: Oere) => formatNok(o, { grouping: " " })

/** Adds the *Trekkpålegg* sheet for `section` to `wb`. */
export const addTrekkSheet = (wb: ExcelJS.stream.xlsx.WorkbookWriter, section: TrekkSection, language: "nb" | "en" = "nb"): void => {
  const t = texts[language]
  const s = section
  const title: ReadonlyArray<readonly [string, string]> = [
    [t.periode, `${s.periode.fraOgMed} – ${s.periode.tilOgMed}`],
    [t.asOf, s.asOf],
    [t.accounts, s.accounts.join(", ")],
    [t.expected, nok(s.totals.expected)],
    [t.withheld, nok(s.totals.withheld)],
    [t.paid, nok(s.totals.paid)],
    [t.difference, nok(s.totals.difference)],
    [t.closing, nok(s.totals.closingOwed)],
    [t.notDue, nok(s.totals.notDue)],
    [t.overdue, nok(s.totals.overdue)],
    [t.findings, String(s.findings.length)],
    [t.assumptions, s.sources.assumptions.join("; ")]
  ]
  const header = title.length + 3
  const ws = wb.addWorksheet(t.sheet, {
    views: [{ state: "frozen", ySplit: header }],
    pageSetup: { orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9, printTitlesRow: `${header}:${header}` }
  })
  ws.columns = [10, 16, 14, 14, 9, 13, 12, 14, 14, 14, 14, 14, 12, 20].map((width, i) => ({ width: Math.max(width, (t.columns[i] ?? "").length + 3) }))
  const heading = ws.addRow([safeText(t.heading(s.trekkpliktig))])
  heading.font = { bold: true, size: 14 }
  heading.commit()
  for (const [label, value] of title) {
    const r = ws.addRow([label, safeText(value)])
    r.getCell(1).font = BOLD
    r.commit()
  }
  ws.addRow([]).commit()
  const h = ws.addRow([...t.columns])
  h.font = BOLD
  h.eachCell((c) => (c.fill = HEADER_FILL))
  ws.autoFilter = { from: { row: header, column: 1 }, to: { row: header, column: t.columns.length } }
  h.commit()
  for (const order of s.orders) {
    for (const m of order.months) {
      const r = ws.addRow([
        safeText(order.trekkid),
        safeText(order.saksnummer),
        order.skyldner,
        safeText(order.kidnummer),
        m.maaned,
        excelDate(m.utbetalingsdato),
        m.trekkbeloep !== undefined ? kr(m.trekkbeloep) : m.trekkprosent !== undefined ? `${m.trekkprosent.replace(".", language === "nb" ? "," : ".")} %` : "",
        kr(m.grunnlag),
        kr(m.expected),
        kr(m.withheld),
        kr(m.paid),
        kr(m.paidOtherKid),
        excelDate(m.betalingsfrist),
        t.status[m.status]
      ])
      for (const i of [8, 9, 10, 11, 12]) r.getCell(i).numFmt = NOK
      if (m.trekkbeloep !== undefined) r.getCell(7).numFmt = NOK
      r.getCell(6).numFmt = DATE
      r.getCell(13).numFmt = DATE
      if (m.status === "avvik" || m.status === "krever-loennsgrunnlag") r.eachCell((c) => (c.fill = ATTENTION_FILL))
      r.commit()
    }
  }
  ws.addRow([]).commit()
  const fh = ws.addRow([t.findings])
  fh.font = { bold: true, size: 12 }
  fh.commit()
  const fcols = ws.addRow([...t.findingColumns])
  fcols.font = BOLD
  fcols.eachCell((c) => (c.fill = HEADER_FILL))
  fcols.commit()
  if (s.findings.length === 0) ws.addRow([t.none]).commit()
  for (const f of s.findings) {
    const r = ws.addRow([
      t.kind[f.kind],
      safeText(f.trekkid ?? ""),
      safeText(f.saksnummer ?? ""),
      f.maaned ?? "",
      f.date === undefined ? "" : excelDate(f.date),
      kr(f.amount),
      safeText(language === "nb" ? f.message : f.messageEn)
    ])
    r.getCell(5).numFmt = DATE
    r.getCell(6).numFmt = NOK
    r.getCell(7).alignment = { wrapText: true, vertical: "top" }
    r.commit()
  }
  // Committed here, so the next sheet of the main workbook streams after it.
  ws.commit()
}

/** A workbook holding only the *Trekkpålegg* sheet. */
export const writeTrekkWorkbook = async (section: TrekkSection, path: string, language: "nb" | "en" = "nb"): Promise<void> => {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false })
  wb.creator = "kravsync"
  addTrekkSheet(wb, section, language)
  await wb.commit()
}

/** The TrekkWorkbook port, written atomically like the other sinks. */
export const TrekkWorkbookLive: Layer.Layer<TrekkWorkbook> = Layer.succeed(TrekkWorkbook, {
  write: (section, path, language) =>
    atomically(path, (temp) =>
      Effect.tryPromise({
        try: () => writeTrekkWorkbook(section, temp, language),
        catch: (e) => new ReportSinkError({ path, message: `could not write the workbook: ${e instanceof Error ? e.message : String(e)}` })
      }))
})
