/**
 * The reconciliation report as an Excel workbook: what the accountant opens.
 *
 * WorkbookRows.ts says what each sheet holds, row by row; this module gives it its looks (number
 * formats, fills, fonts, widths, wrapping, frozen filtered headers, print setup) and writes it with
 * exceljs's streaming writer, each row committed as it is made and the writer waiting now and then
 * for the zip to catch up (zipBacklog.ts), so a report with 1,000,000 ledger entries never has the
 * workbook, or a second copy of its rows, in memory. Labels follow the report's
 * language (bokmål by default). Rows written are reported to the progress port (src/Progress.ts).
 */
import { Effect } from "effect"
import ExcelJS from "exceljs"
import { counter, Progress, type ProgressShape, silent } from "../../src/Progress.ts"
import type { Report } from "../../src/reconcile/Report.ts"
import { atomically, ReportSinkError, type ReportSinkShape } from "../../src/reconcile/ReportSink.ts"
import { addTrekkSheet } from "./TrekkSheet.ts"
import { type CellValue, type Kind, type SheetRows, workbookSheets } from "./WorkbookRows.ts"
import { waitForZip } from "./zipBacklog.ts"

export { osloTime, type PrintHeader } from "./WorkbookRows.ts"

export const NOK_FORMAT = "#,##0.00;[Red]-#,##0.00"
export const DATE_FORMAT = "dd.mm.yyyy"

type Style = Partial<ExcelJS.Style>

/** Shared by many cells, so never to be changed: frozen, a change throws instead of restyling every cell that shares it. */
const shared = <A extends object>(a: A): A => {
  for (const v of Object.values(a)) if (typeof v === "object" && v !== null) shared(v)
  return Object.freeze(a)
}

const ATTENTION_FILL: ExcelJS.Fill = shared({ type: "pattern", pattern: "solid", fgColor: { argb: "FFFFE0B2" } })
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDE5F0" } }

/**
 * The item cells' styles: one shared object per distinct (kind of cell, number format, attention)
 * combination, made once. exceljs looks a style's id up by the object's identity and renders its XML
 * only for an object it has not seen: a fresh style per cell re-rendered the same XML for every cell,
 * 38 % of the workbook's time (issue "Performance", docs/performance.md). A style with no number
 * format takes the format of the first cell exceljs sees it on (General for a number, its default
 * date format for a date), so a date is always given the date style, whatever its column: one such
 * style shared by a text cell and a date cell lost the date's format on *Om rapporten*.
 */
const STYLES = (() => {
  const make = (numFmt: string | undefined, fill: ExcelJS.Fill | undefined, wrap: boolean): Style =>
    shared({
      ...(numFmt === undefined ? {} : { numFmt }),
      ...(fill === undefined ? {} : { fill }),
      // top-aligned, so a row made taller by a wrapped cell still reads across
      alignment: wrap ? { vertical: "top", wrapText: true } : { vertical: "top" }
    })
  const pair = (numFmt?: string, wrap = false) => ({ normal: make(numFmt, undefined, wrap), attention: make(numFmt, ATTENTION_FILL, wrap) })
  return { text: pair(), wrap: pair(undefined, true), amount: pair(NOK_FORMAT), date: pair(DATE_FORMAT) } as const satisfies Record<Kind, unknown>
})()

/**
 * An item row's own style, shared by every item row. exceljs gives each row a fresh empty style and
 * renders it as XML when the row is written (to find it is the default style): one shared object is
 * rendered once. Nothing is set on an item row as a whole, so the row's XML is the same.
 */
const ITEM_ROW_STYLE: Style = shared({})

/** The property exceljs reads a row's style from (the typings leave it out). */
type RowWithStyle = ExcelJS.Row & { style: Style }

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
const TITLE_DATE: Style = { numFmt: DATE_FORMAT, alignment: { horizontal: "left" } }

/** Header/footer text: `&` starts a code there, so it is doubled. */
const printable = (text: string): string => text.replaceAll("&", "&&").slice(0, 120)

const isFormula = (v: CellValue): boolean => typeof v === "object" && !(v instanceof Date)

/**
 * One sheet: a styled, frozen, filterable header row under the title block (if any), rows written
 * and committed one by one. Every sheet prints landscape, one page wide, with the header row repeated
 * on each page, a page header saying whose reconciliation it is; a `onePage` sheet (Sammendrag) is
 * scaled to one page in height as well.
 */
const writeSheet = async (wb: ExcelJS.stream.xlsx.WorkbookWriter, sheet: SheetRows, written: () => void): Promise<void> => {
  const { columns, headerRow, print, title } = sheet
  const ws = wb.addWorksheet(sheet.name, {
    views: [{ state: "frozen", ySplit: headerRow }],
    pageSetup: {
      orientation: "landscape",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: sheet.onePage ? 1 : 0,
      paperSize: 9,
      printTitlesRow: `${headerRow}:${headerRow}`,
      margins: { left: 0.5, right: 0.5, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 }
    },
    headerFooter: { oddHeader: `&L${printable(print.left)}&R${printable(print.right)}`, oddFooter: `&L${printable(sheet.name)}&RSide &P av &N` }
  })
  // No column styles: exceljs would copy them into a new object for every cell (see STYLES).
  // Widths fit the header, and the first column the title's labels.
  const labelWidth = Math.max(0, ...(title?.lines ?? []).map(([label]) => label.length + 2))
  const widths = columns.map((c, i) => Math.max(c.width, c.header.length + 3, i === 0 ? labelWidth : 0))
  ws.columns = widths.map((width) => ({ width }))
  const plain = columns.map((c) => STYLES[c.kind ?? "text"].normal)
  const marked = columns.map((c) => STYLES[c.kind ?? "text"].attention)
  const wrapping = columns.flatMap((c, i) => (c.kind === "wrap" ? [i] : []))
  let n = 0
  for (const [values, kind] of sheet.rows()) {
    const row = ws.addRow(values)
    if (kind === "item" || kind === "attention") {
      const attention = kind === "attention"
      const styles = attention ? marked : plain
      const dateStyle = attention ? STYLES.date.attention : STYLES.date.normal
      for (let i = 0; i < values.length; i++) {
        const v = values[i]
        // Empty cells stay unstyled unless the row is marked.
        if (v === undefined && !attention) continue
        row.getCell(i + 1).style = v instanceof Date ? dateStyle : (styles[i] ?? (attention ? STYLES.text.attention : STYLES.text.normal))
      }
      // tall enough for its wrapped cells (only the few columns that wrap are measured)
      let lines = 1
      for (const i of wrapping) {
        const v = values[i]
        if (typeof v === "string") lines = Math.max(lines, wrappedLines(v, widths[i] ?? 10))
      }
      if (lines > 1) row.height = lines * LINE_HEIGHT
      ;(row as RowWithStyle).style = ITEM_ROW_STYLE
    } else if (kind === "heading") row.getCell(1).font = TITLE_HEADING
    else if (kind === "label") {
      row.getCell(1).font = BOLD
      if (values[1] instanceof Date) row.getCell(2).style = TITLE_DATE
    } else if (kind === "header") {
      row.font = BOLD
      row.eachCell((cell) => (cell.fill = HEADER_FILL))
      ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: columns.length } }
    } else if (kind === "total") {
      // bold, SUM formulas in the amount format
      row.font = BOLD
      for (let i = 0; i < values.length; i++) if (isFormula(values[i])) row.getCell(i + 1).numFmt = NOK_FORMAT
    }
    row.commit()
    written()
    // now and then, let the zip catch up (zipBacklog.ts)
    if (++n % 100 === 0) await waitForZip(ws)
  }
  ws.commit()
}

export interface WriteOptions {
  /** Told how many rows are written, every 5,000 rows (default: nobody). */
  readonly progress?: ProgressShape
  /** What the progress is about: the file the user asked for (default: the path written). */
  readonly subject?: string
}

/** Writes the workbook for `report` to `path`, sheet by sheet, row by row. */
export const writeWorkbook = async (report: Report, path: string, options: WriteOptions = {}): Promise<void> => {
  const sheets = workbookSheets(report)
  let total = 0
  for (const s of sheets) total += s.rowCount
  const rows = counter(options.progress ?? silent, "workbook", { total, subject: options.subject ?? path, every: 5000 })
  const written = () => rows.add()
  try {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false })
    wb.creator = `kravsync ${report.metadata.kravsyncVersion}`
    // The Trekkpålegg sheet (when the run reconciled Trekkpålegg) goes before the last sheet, Om rapporten.
    const trekk = report.trekkpaalegg
    for (let i = 0; i < sheets.length; i++) {
      if (trekk !== undefined && i === sheets.length - 1) addTrekkSheet(wb, trekk, report.metadata.language)
      await writeSheet(wb, sheets[i] as SheetRows, written)
    }
    await wb.commit()
  } finally {
    rows.end()
  }
}

/** The `.xlsx` report sink: written into a temporary file beside the target and renamed over it when complete. */
export const ExcelReportSink: ReportSinkShape = {
  extensions: [".xlsx"],
  description: "Excel workbook (Sammendrag, Avstemmingsbro, Avvik, Krav, Innbetalinger, Hovedbok, Trekkpålegg when asked for, Om rapporten)",
  write: (report, path) =>
    Effect.flatMap(Progress, (progress) =>
      atomically(path, (temp) =>
        Effect.tryPromise({
          try: () => writeWorkbook(report, temp, { progress, subject: path }),
          catch: (e) => new ReportSinkError({ path, message: `could not write the workbook: ${e instanceof Error ? e.message : String(e)}` })
        })))
}
