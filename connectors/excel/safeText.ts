/**
 * Text from outside (descriptions, names, account holders, references) must never become a
 * formula. exceljs already writes strings as string cells, which a spreadsheet does not evaluate;
 * but a value such as `=HYPERLINK(…)` would come alive again as soon as someone saves the sheet
 * as CSV and opens that. OWASP's advice for CSV/formula injection: prefix a leading `=`, `+`, `-`,
 * `@`, tab or carriage return with a single quote, so the text reads as text everywhere.
 *
 * A cell holds at most 32,767 characters in Excel (and LibreOffice): a longer text makes Excel
 * call the file corrupt and "repair" it. Such a text is cut to the limit and ends with a visible
 * marker, so the reader knows there was more (the JSON report keeps it whole).
 */
const DANGEROUS = /^[=+\-@\t\r]/

/** Excel's limit on the characters (UTF-16 code units) in one cell. */
export const MAX_CELL_TEXT = 32_767

/** What ends a text cut to fit a cell. */
export const TRUNCATION_MARKER = "… [forkortet]"

export const safeText = (s: string): string => {
  const text = DANGEROUS.test(s) ? `'${s}` : s
  if (text.length <= MAX_CELL_TEXT) return text
  let cut = MAX_CELL_TEXT - TRUNCATION_MARKER.length
  // never split a surrogate pair (an emoji, a rare letter) in half
  const last = text.charCodeAt(cut - 1)
  if (last >= 0xd800 && last <= 0xdbff) cut--
  return text.slice(0, cut) + TRUNCATION_MARKER
}
