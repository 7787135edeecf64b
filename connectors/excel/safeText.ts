/**
 * Text from outside (descriptions, names, account holders, references) must never become a
 * formula. exceljs already writes strings as string cells, which a spreadsheet does not evaluate;
 * but a value such as `=HYPERLINK(…)` would come alive again as soon as someone saves the sheet
 * as CSV and opens that. OWASP's advice for CSV/formula injection: prefix a leading `=`, `+`, `-`,
 * `@`, tab or carriage return with a single quote, so the text reads as text everywhere.
 */
const DANGEROUS = /^[=+\-@\t\r]/

export const safeText = (s: string): string => (DANGEROUS.test(s) ? `'${s}` : s)
