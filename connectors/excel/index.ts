/** The Excel workbook report sink (`--out report.xlsx`). */
export { safeText } from "./safeText.ts"
export { DATE_FORMAT, ExcelReportSink, NOK_FORMAT, writeWorkbook } from "./WorkbookSink.ts"
