/** The Excel workbook report sink (`--out report.xlsx`). */
export { ExcelReportSink, writeWorkbook, NOK_FORMAT, DATE_FORMAT } from "./WorkbookSink.ts"
export { safeText } from "./safeText.ts"
