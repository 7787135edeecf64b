/**
 * The reconciliation report as an Excel workbook: what the accountant opens.
 *
 * Written with exceljs's streaming writer (rows are committed as they are produced), so a report
 * with 100,000 ledger entries never holds the workbook in memory. Labels follow the report's
 * language (bokmål by default). Amounts are numbers in kroner computed exactly from øre, dates are
 * real dates at UTC midnight (no time zone moves a day), totals are SUM formulas whose cached
 * results are the engine's own totals.
 */
import { Effect } from "effect"
import ExcelJS from "exceljs"
import type { Dato } from "../../src/domain/Dato.ts"
import { lookupKravgruppe, lookupKravtype } from "../../src/domain/Kodeliste.ts"
import { type Oere, toKronerNumber } from "../../src/domain/Money.ts"
import { followUpItems } from "../../src/reconcile/FollowUp.ts"
import type { Report } from "../../src/reconcile/Report.ts"
import { atomically, ReportSinkError, type ReportSinkShape } from "../../src/reconcile/ReportSink.ts"
import { allStatuses, itemKindLabel, type Language, needsAttention, type Status, statusLabel } from "../../src/reconcile/Status.ts"
import { type Labels, labels } from "./labels.ts"
import { safeText } from "./safeText.ts"

export const NOK_FORMAT = "#,##0.00;[Red]-#,##0.00"
export const DATE_FORMAT = "dd.mm.yyyy"

const ATTENTION_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFE0B2" } }
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDE5F0" } }

const kr = (o: Oere | number): number => toKronerNumber(o as Oere)
const date = (d: Dato | undefined): Date | undefined =>
  d === undefined ? undefined : new Date(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))))

type Kind = "text" | "wrap" | "amount" | "date"
interface Column {
  readonly header: string
  readonly width: number
  /** "wrap": text wrapped within the column's width (a long cell must not run past the page's edge). */
  readonly kind?: Kind
}

const colLetter = (n: number): string => {
  let s = ""
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s
  return s
}

/**
 * The cell styles, one shared object per kind of cell and attention state. exceljs renders a
 * style's XML once per distinct object (it caches by identity): a fresh style per cell — the
 * column's copied in by the cell constructor, then a fill set on it — made it render the same XML
 * for every cell, 38 % of the workbook's time (issue "Performance", measured in docs/performance.md).
 */
const STYLES = (() => {
  const make = (numFmt: string | undefined, fill: ExcelJS.Fill | undefined, wrap: boolean): Partial<ExcelJS.Style> => ({
    ...(numFmt === undefined ? {} : { numFmt }),
    ...(fill === undefined ? {} : { fill }),
    // top-aligned, so a row made taller by a wrapped cell still reads across
    alignment: wrap ? { vertical: "top", wrapText: true } : { vertical: "top" }
  })
  const pair = (numFmt?: string, wrap = false) => ({ normal: make(numFmt, undefined, wrap), attention: make(numFmt, ATTENTION_FILL, wrap) })
  return { text: pair(), wrap: pair(undefined, true), amount: pair(NOK_FORMAT), date: pair(DATE_FORMAT) } as const
})()

/** Points per line of the default font (Calibri 11), the row height exceljs declares. */
const LINE_HEIGHT = 15

/**
 * How many lines `text` takes wrapped in a column `width` characters wide. Neither Excel nor
 * LibreOffice fits a row's height to wrapped text when it opens a file, so the writer sets it. The
 * estimate wraps words greedily at one character per unit of width (less the cell's padding): a
 * width unit is a digit of Calibri 11, wider than most letters, so the estimate holds for Calibri and
 * for the wider fonts standing in for it where it is not installed; a line too many is whitespace
 * where a line too few hides text.
 */
export const wrappedLines = (text: string, width: number): number => {
  const max = Math.max(1, Math.floor(width) - 1)
  let lines = 0
  for (const paragraph of text.split("\n")) {
    let line = 0
    lines++
    for (const word of paragraph.split(" ")) {
      const need = line === 0 ? word.length : line + 1 + word.length
      if (need <= max || line === 0) line = need
      else {
        lines++
        line = word.length
      }
      // a word longer than the line breaks where it must
      while (line > max) {
        lines++
        line -= max
      }
    }
  }
  return lines
}

/** The title block's styles: its heading, and a date value aligned left like the text values around it. */
const TITLE_HEADING: Partial<ExcelJS.Font> = { name: "Calibri", bold: true, size: 14 }
/** Bold in the workbook's own font: a font with no name is drawn in the program's default (a serif in LibreOffice). */
const BOLD: Partial<ExcelJS.Font> = { name: "Calibri", bold: true, size: 11 }
const TITLE_DATE: Partial<ExcelJS.Style> = { numFmt: DATE_FORMAT, alignment: { horizontal: "left" } }

/** The shared style of a cell: by its value (a date is always a date) and its column's kind. */
const styleOf = (value: unknown, kind: Kind, attention: boolean): Partial<ExcelJS.Style> => {
  const styles = value instanceof Date ? STYLES.date : STYLES[kind]
  return attention ? styles.attention : styles.normal
}

/** A printed page's header and footer: whose reconciliation it is, and the page number. */
export interface PrintHeader {
  readonly left: string
  readonly right: string
}

/** Above a sheet's table: a heading, then (label, value) lines. */
interface Title {
  readonly heading: string
  readonly lines: ReadonlyArray<readonly [string, unknown]>
}

/**
 * A sheet with a styled, frozen, filterable header row; rows are written and committed one by one.
 * A `title` comes above the header: a printed page 1 says whose reconciliation it is. Every sheet
 * prints landscape, one page wide, with the header row repeated on each page; a `onePage` sheet
 * (Sammendrag) is scaled to one page in height as well.
 */
const sheet = (
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: ReadonlyArray<Column>,
  print: PrintHeader,
  title?: Title,
  onePage = false
) => {
  const headerRow = title === undefined ? 1 : title.lines.length + 3
  const ws = wb.addWorksheet(name, {
    views: [{ state: "frozen", ySplit: headerRow }],
    pageSetup: {
      orientation: "landscape",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: onePage ? 1 : 0,
      paperSize: 9,
      printTitlesRow: `${headerRow}:${headerRow}`,
      margins: { left: 0.5, right: 0.5, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 }
    },
    headerFooter: { oddHeader: `&L${printable(print.left)}&R${printable(print.right)}`, oddFooter: `&L${printable(name)}&RSide &P av &N` }
  })
  // No column styles: exceljs would copy them into a new object for every cell (see STYLES).
  // Widths fit the header, and the first column the title's labels.
  const labelWidth = Math.max(0, ...(title?.lines ?? []).map(([label]) => label.length + 2))
  ws.columns = columns.map((c, i) => ({ width: Math.max(c.width, c.header.length + 3, i === 0 ? labelWidth : 0) }))
  const kinds = columns.map((c) => c.kind ?? "text")
  const widths = (ws.columns as Array<Partial<ExcelJS.Column>>).map((c) => c.width ?? 10)
  if (title !== undefined) {
    const heading = ws.addRow([title.heading])
    heading.getCell(1).font = TITLE_HEADING
    heading.commit()
    for (const [label, value] of title.lines) {
      const row = ws.addRow([label, typeof value === "string" ? safeText(value) : value])
      row.getCell(1).font = BOLD
      if (value instanceof Date) row.getCell(2).style = TITLE_DATE
      row.commit()
    }
    ws.addRow([]).commit()
  }
  const header = ws.addRow(columns.map((c) => c.header))
  header.font = BOLD
  header.eachCell((cell) => (cell.fill = HEADER_FILL))
  ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: columns.length } }
  header.commit()
  let rows = headerRow
  return {
    add: (values: ReadonlyArray<unknown>, attention = false) => {
      rows++
      const row = ws.addRow(values.map((v) => (typeof v === "string" ? safeText(v) : v)))
      for (let i = 0; i < values.length; i++) {
        const v = values[i]
        // Empty cells stay unstyled, as before, unless the row is marked.
        if (v === undefined && !attention) continue
        row.getCell(i + 1).style = styleOf(v, kinds[i] ?? "text", attention)
      }
      // tall enough for its wrapped cells (only the few columns that wrap are measured)
      let lines = 1
      for (let i = 0; i < values.length; i++) {
        const v = values[i]
        if (kinds[i] === "wrap" && typeof v === "string") lines = Math.max(lines, wrappedLines(v, widths[i] ?? 10))
      }
      if (lines > 1) row.height = lines * LINE_HEIGHT
      row.commit()
    },
    /** A bold totals row with SUM formulas over the amount columns named, cached with the engine's totals. */
    totals: (label: string, sums: ReadonlyArray<{ readonly column: number; readonly result: number }>) => {
      const values: Array<unknown> = [label]
      for (const s of sums) values[s.column - 1] = { formula: `SUM(${colLetter(s.column)}${headerRow + 1}:${colLetter(s.column)}${rows})`, result: s.result }
      const row = ws.addRow(values)
      row.font = BOLD
      for (const s of sums) row.getCell(s.column).numFmt = NOK_FORMAT
      row.commit()
    },
    done: () => ws.commit()
  }
}

const status = (s: Status, l: Language) => statusLabel(s, l)

/** Header/footer text: `&` starts a code there, so it is doubled. */
const printable = (text: string): string => text.replaceAll("&", "&&").slice(0, 120)

/** An ISO timestamp as Oslo wall-clock time, "25.11.2026 21:49" (what an accountant reads, not UTC). */
export const osloTime = (iso: string): string => {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const parts = new Intl.DateTimeFormat("nb-NO", {
    timeZone: "Europe/Oslo",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit"
  }).formatToParts(d)
  const part = (t: string) => parts.find((p) => p.type === t)?.value ?? ""
  return `${part("day")}.${part("month")}.${part("year")} ${part("hour")}:${part("minute")}`
}

/** A Dato as the accountant writes it: dd.mm.yyyy. */
const nbDate = (d: string): string => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`

/** Whose reconciliation this is, on every printed page. */
const printHeader = (r: Report, t: Labels): PrintHeader => ({
  left: `${r.metadata.skjermet ? t.skjermetShort : (r.metadata.partyName ?? "")} (${r.metadata.party})`,
  right: `${t.asOf} ${nbDate(r.metadata.asOf)}`
})

const distinct = (xs: ReadonlyArray<string>): Array<string> => [...new Set(xs.filter((x) => x.trim() !== ""))]

/**
 * Names from Skatteetaten's code lists (src/domain/Kodeliste.ts), in Norwegian whatever the
 * report's language: the accountant reads "Mva-melding å betale", not `åBetaleMva`; the raw code
 * has a column of its own. A code the lists do not have is said to be unknown.
 */
const kravtypeName = (code: string, t: Labels): string => lookupKravtype(code)?.tekst ?? t.notInCodeList

/** A claim's kravgruppe by name; without one, the group its kravtype belongs to in the code list. */
const kravgruppeName = (code: string | undefined, kravtype: string, t: Labels): string => {
  if (code !== undefined && code.trim() !== "") return lookupKravgruppe(code)?.tekst ?? t.notInCodeList
  const group = lookupKravtype(kravtype)?.kravgruppe
  return group === undefined ? "" : (lookupKravgruppe(group)?.tekst ?? group)
}

/** A Sammendrag row's kravgrupper (a row keyed by kravtype codes carries those): names, the code itself when unknown. */
const groupOrTypeName = (code: string): string => lookupKravgruppe(code)?.tekst ?? lookupKravtype(code)?.tekst ?? code

/** Page 1: whose reconciliation, of which period, at which date, from which ledger and data, made when. */
const titleBlock = (r: Report, t: Labels): Title => {
  const m = r.metadata
  const lines: ReadonlyArray<readonly [string, unknown]> = [
    [t.company, m.skjermet ? t.skjermetShort : (m.partyName ?? "")],
    [t.orgnr, m.party],
    [t.period, `${nbDate(m.periode.fraOgMed)} – ${nbDate(m.periode.tilOgMed)}`],
    [t.asOf, date(m.asOf)],
    [t.ledgerSource, `${m.ledger.system}: ${m.ledger.description}`],
    [t.environment, m.environment],
    [t.generatedAt, osloTime(m.generatedAt)]
  ]
  return { heading: t.titleHeading, lines }
}

const writeSummary = (wb: ExcelJS.stream.xlsx.WorkbookWriter, r: Report, t: Labels, l: Language) => {
  const ph = printHeader(r, t)
  const s = sheet(
    wb,
    t.sheets.summary,
    [
      { header: t.account, width: 14 },
      { header: t.accountName, width: 26, kind: "wrap" },
      { header: t.kravgrupper, width: 22, kind: "wrap" },
      { header: t.skatteetatenSaldo, width: 18, kind: "amount" },
      { header: t.ledgerSaldo, width: 18, kind: "amount" },
      { header: t.difference, width: 16, kind: "amount" },
      { header: t.explained, width: 16, kind: "amount" },
      { header: t.unexplained, width: 16, kind: "amount" },
      { header: t.attention, width: 12 },
      { header: t.statusCounts, width: 44, kind: "wrap" },
      { header: t.codes, width: 22, kind: "wrap" }
    ],
    ph,
    titleBlock(r, t),
    true
  )
  for (const a of r.accounts) {
    // Counts per status over all kinds of item; the per-kind detail is in the JSON report.
    const perStatus = new Map<Status, number>()
    for (const b of a.byStatus) if (b.count > 0) perStatus.set(b.status, (perStatus.get(b.status) ?? 0) + b.count)
    const counts = [...perStatus].map(([st, n]) => `${status(st, l).toLowerCase()} ${n}`)
    s.add(
      [
        a.key,
        distinct(a.accountNames).join(", "),
        distinct(a.kravgrupper.map(groupOrTypeName)).join(", "),
        kr(a.skatteetaten.saldo),
        kr(a.ledger.saldo),
        kr(a.difference),
        kr(a.explained),
        kr(a.unexplained),
        a.needsAttention ? t.yes : "",
        counts.join(", "),
        distinct(a.kravgrupper).join(", ")
      ],
      a.needsAttention
    )
  }
  const tot = r.totals
  s.totals(t.total, [
    { column: 4, result: kr(tot.skatteetatenSaldo) },
    { column: 5, result: kr(tot.ledgerSaldo) },
    { column: 6, result: kr(tot.difference) },
    { column: 7, result: kr(tot.explained) },
    { column: 8, result: kr(tot.unexplained) }
  ])
  s.add([])
  // a sentence marked orange is marked across the table, not just under its first column
  const band = (text: string, attention: boolean) => s.add(attention ? [text, ...Array<undefined>(10)] : [text], attention)
  band(tot.conserved ? t.conserved : t.notConserved, !tot.conserved)
  band(tot.needsAttention ? t.needsAttention : t.allReconciled, tot.needsAttention)
  s.done()
}

const writeDeviations = (wb: ExcelJS.stream.xlsx.WorkbookWriter, r: Report, t: Labels, l: Language) => {
  const ph = printHeader(r, t)
  const s = sheet(wb, t.sheets.deviations, [
    { header: t.kind, width: 18 },
    { header: t.status, width: 24 },
    { header: t.id, width: 32 },
    { header: t.date, width: 12, kind: "date" },
    { header: t.amount, width: 16, kind: "amount" },
    { header: t.contribution, width: 18, kind: "amount" },
    { header: t.account, width: 14 },
    { header: t.kravtype, width: 26 },
    { header: t.kravtypeCode, width: 20 },
    { header: t.explanation, width: 80 }
  ], ph)
  for (const d of followUpItems(r)) {
    s.add([
      itemKindLabel(d.kind, l),
      status(d.status, l),
      d.voucher === undefined ? d.id : `${d.voucher} (${d.id})`,
      date(d.date),
      kr(d.amount),
      kr(d.contribution),
      d.row,
      d.kravtype === undefined ? "" : kravtypeName(d.kravtype, t),
      d.kravtype ?? "",
      d.text
    ], true)
  }
  for (const a of r.setAside) {
    s.add([
      t.setAside,
      a.kind,
      a.location,
      undefined,
      a.amount === undefined ? undefined : kr(a.amount),
      undefined,
      a.account ?? "",
      "",
      "",
      `${a.reason}${a.raw ? ` — ${a.raw}` : ""}`
    ], true)
  }
  for (const u of r.unmappedCodes) {
    const gruppe = kravgruppeName(u.kravgruppe, u.kravtype, t)
    const gruppeText = u.kravgruppe === undefined || gruppe === u.kravgruppe ? gruppe : `${gruppe}, ${u.kravgruppe}`
    s.add([
      t.unmapped,
      "",
      "",
      undefined,
      kr(u.gjenstaaende),
      undefined,
      "",
      kravtypeName(u.kravtype, t),
      u.kravtype,
      t.unmappedHint(u.claims, gruppeText)
    ], true)
  }
  for (const n of r.ledgerNotes) {
    s.add([
      t.ledgerNote,
      n.kind,
      n.location,
      undefined,
      n.amount === undefined ? undefined : kr(n.amount),
      undefined,
      n.account ?? "",
      "",
      "",
      n.voucher ? `${n.message} (${n.voucher})` : n.message
    ], true)
  }
  s.done()
}

const writeClaims = (wb: ExcelJS.stream.xlsx.WorkbookWriter, r: Report, t: Labels, l: Language) => {
  const ph = printHeader(r, t)
  const s = sheet(wb, t.sheets.claims, [
    { header: t.kravidentifikator, width: 20 },
    { header: t.kravtype, width: 26 },
    { header: t.kravtypeCode, width: 20 },
    { header: t.kravgruppe, width: 18 },
    { header: t.kravgruppeCode, width: 16 },
    { header: t.description, width: 24 },
    { header: t.period, width: 18 },
    { header: t.forfall, width: 26 },
    { header: t.dueDate, width: 12, kind: "date" },
    { header: "KID", width: 16 },
    { header: t.original, width: 16, kind: "amount" },
    { header: t.remaining, width: 16, kind: "amount" },
    { header: t.status, width: 24 },
    { header: t.entries, width: 24 },
    { header: t.booked, width: 16, kind: "amount" },
    { header: t.explanation, width: 70 }
  ], ph)
  if (r.metadata.skjermet) s.add([t.skjermetNote])
  else {
    for (const c of r.claims) {
      for (const f of c.forfall) {
        s.add(
          [
            c.kravidentifikator,
            kravtypeName(c.kravtype, t),
            c.kravtype,
            kravgruppeName(c.kravgruppe, c.kravtype, t),
            c.kravgruppe ?? "",
            c.kravbeskrivelse ?? "",
            c.kravperiode ?? "",
            f.kravforfallsIdentifikator,
            date(f.forfallsdato),
            f.kid ?? "",
            kr(f.opprinneligBeloep),
            kr(f.gjenstaaendeBeloep),
            status(f.status, l),
            f.entryIds.join(", "),
            kr(f.booked),
            f.text
          ],
          needsAttention(f.status)
        )
      }
      if (c.renter) {
        s.add([
          c.kravidentifikator,
          kravtypeName(c.kravtype, t),
          c.kravtype,
          kravgruppeName(c.kravgruppe, c.kravtype, t),
          c.kravgruppe ?? "",
          itemKindLabel("renter", l),
          c.kravperiode ?? "",
          "",
          undefined,
          "",
          kr(c.renter.amount),
          kr(c.renter.amount),
          status(c.renter.status, l),
          c.renter.entryIds.join(", "),
          kr(c.renter.booked),
          c.renter.text
        ], needsAttention(c.renter.status))
      }
    }
  }
  s.done()
}

const writePayments = (wb: ExcelJS.stream.xlsx.WorkbookWriter, r: Report, t: Labels, l: Language) => {
  const ph = printHeader(r, t)
  const s = sheet(wb, t.sheets.payments, [
    { header: t.id, width: 24 },
    { header: t.date, width: 12, kind: "date" },
    { header: t.paid, width: 16, kind: "amount" },
    { header: t.unplaced, width: 16, kind: "amount" },
    { header: "KID", width: 16 },
    { header: t.paymentType, width: 16 },
    { header: t.status, width: 24 },
    { header: t.entries, width: 24 },
    { header: t.booked, width: 16, kind: "amount" },
    { header: t.explanation, width: 70 }
  ], ph)
  if (r.metadata.skjermet) s.add([t.skjermetNote])
  else {
    for (const p of r.payments) {
      s.add([
        p.innbetalingsidentifikator,
        date(p.innbetalingsdato),
        kr(p.innbetaltBeloep),
        kr(p.uplassertBeloep),
        p.kid ?? "",
        p.innbetalingstype ?? "",
        status(p.status, l),
        p.entryIds.join(", "),
        kr(p.booked),
        p.text
      ], needsAttention(p.status))
    }
    // Money paid out is negative here: the sheet's column is what went to Skatteetaten.
    for (const u of r.utbetalinger) {
      s.add([
        u.utbetalingsidentifikator,
        date(u.utbetaltdato),
        -kr(u.utbetaltBeloep),
        0,
        "",
        t.disbursement,
        status(u.status, l),
        u.entryIds.join(", "),
        kr(u.booked),
        u.text
      ], needsAttention(u.status))
    }
    for (const m of r.motregninger) {
      s.add([m.id, date(m.dato), kr(m.beloep), 0, "", t.setOff, status(m.status, l), m.entryIds.join(", "), kr(m.booked), m.text], needsAttention(m.status))
    }
  }
  s.done()
}

const writeLedger = (wb: ExcelJS.stream.xlsx.WorkbookWriter, r: Report, t: Labels, l: Language) => {
  const ph = printHeader(r, t)
  const s = sheet(wb, t.sheets.ledger, [
    { header: t.voucher, width: 14 },
    { header: t.date, width: 12, kind: "date" },
    { header: t.account, width: 12 },
    { header: t.amount, width: 16, kind: "amount" },
    { header: t.description, width: 36 },
    { header: t.reference, width: 18 },
    { header: t.counterparty, width: 18 },
    { header: t.status, width: 24 },
    { header: t.matchedTo, width: 30 },
    { header: t.explanation, width: 60 },
    { header: t.link, width: 30 },
    { header: t.id, width: 20 }
  ], ph)
  for (const e of r.ledgerEntries) {
    s.add(
      [
        e.voucher,
        date(e.date),
        e.account,
        kr(e.amount),
        e.description ?? "",
        e.reference ?? "",
        e.counterparty ?? "",
        status(e.status, l),
        e.matchedTo.map((m) => m.id).join(", "),
        e.text,
        e.link ?? "",
        e.id
      ],
      needsAttention(e.status)
    )
  }
  s.done()
}

const writeBridge = (wb: ExcelJS.stream.xlsx.WorkbookWriter, r: Report, t: Labels, l: Language) => {
  const ph = printHeader(r, t)
  const s = sheet(wb, t.sheets.bridge, [
    { header: t.account, width: 14 },
    { header: t.side, width: 30 },
    { header: t.field, width: 40 },
    { header: t.amount, width: 18, kind: "amount" }
  ], ph)
  const statusCodes = new Set<string>(allStatuses)
  for (const a of r.accounts) {
    const b = a.bridge
    const sk = b.skatteetaten
    for (
      const [k, v] of [
        ["opening", sk.opening],
        ["claims", sk.claims],
        ["payments", sk.payments],
        ["setOffs", sk.setOffs],
        ["refunds", sk.refunds],
        ["stipulerteRenter", sk.stipulerteRenter],
        ["other", sk.other],
        ["closing", sk.closing]
      ] as const
    ) {
      if (v !== 0 || k === "opening" || k === "closing") s.add([a.key, t.skatteetatenSide, t.bridgeLines[k], kr(v)])
    }
    const lg = b.ledger
    for (
      const [k, v] of [
        ["opening", lg.opening],
        ["claims", lg.claims],
        ["payments", lg.payments],
        ["setOffs", lg.setOffs],
        ["refunds", lg.refunds],
        ["accruedNotClaimed", lg.accruedNotClaimed],
        ["other", lg.other],
        ["closing", lg.closing]
      ] as const
    ) {
      if (v !== 0 || k === "opening" || k === "closing") s.add([a.key, t.ledgerSide, t.bridgeLines[k], kr(v)])
    }
    for (const p of b.differenceParts) {
      const name = statusCodes.has(p.part) ? statusLabel(p.part as Status, l) : (t.differenceParts[p.part] ?? p.part)
      s.add(
        [a.key, t.differencePart, name, kr(p.amount)],
        p.part === "opening-balance-differs" || (statusCodes.has(p.part) && needsAttention(p.part as Status))
      )
    }
    s.add([a.key, t.difference, "", kr(a.difference)])
  }
  s.done()
}

const writeAbout = (wb: ExcelJS.stream.xlsx.WorkbookWriter, r: Report, t: Labels) => {
  const ph = printHeader(r, t)
  const s = sheet(wb, t.sheets.about, [
    { header: t.field, width: 28 },
    { header: t.value, width: 90 }
  ], ph)
  const m = r.metadata
  const rows: ReadonlyArray<readonly [string, unknown]> = [
    [t.party, m.party],
    [t.partyName, m.skjermet ? t.skjermetShort : (m.partyName ?? "")],
    [t.period, `${nbDate(m.periode.fraOgMed)} – ${nbDate(m.periode.tilOgMed)}`],
    [t.asOf, date(m.asOf)],
    [t.ledgerSource, `${m.ledger.system}: ${m.ledger.description}`],
    [t.ledgerPeriod, m.ledger.statedPeriode === undefined ? "" : `${nbDate(m.ledger.statedPeriode.fraOgMed)} – ${nbDate(m.ledger.statedPeriode.tilOgMed)}`],
    [t.environment, m.environment],
    [t.mapping, m.mapping],
    [t.korrelasjonsIder, m.korrelasjonsIder.join(", ")],
    [t.generatedAt, osloTime(m.generatedAt)],
    [t.version, m.kravsyncVersion],
    [t.schemaVersion, r.schemaVersion]
  ]
  for (const [k, v] of rows) s.add([k, v])
  s.done()
}

/** Writes the workbook for `report` to `path`. */
export const writeWorkbook = async (report: Report, path: string): Promise<void> => {
  const l = report.metadata.language
  const t = labels[l]
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false })
  wb.creator = `kravsync ${report.metadata.kravsyncVersion}`
  writeSummary(wb, report, t, l)
  writeBridge(wb, report, t, l)
  writeDeviations(wb, report, t, l)
  writeClaims(wb, report, t, l)
  writePayments(wb, report, t, l)
  writeLedger(wb, report, t, l)
  writeAbout(wb, report, t)
  await wb.commit()
}

/** The `.xlsx` report sink: written into a temporary file beside the target and renamed over it when complete. */
export const ExcelReportSink: ReportSinkShape = {
  extensions: [".xlsx"],
  description: "Excel workbook (Sammendrag, Avstemmingsbro, Avvik, Krav, Innbetalinger, Hovedbok, Om rapporten)",
  write: (report, path) =>
    atomically(path, (temp) =>
      Effect.tryPromise({
        try: () => writeWorkbook(report, temp),
        catch: (e) => new ReportSinkError({ path, message: `could not write the workbook: ${e instanceof Error ? e.message : String(e)}` })
      }))
}
