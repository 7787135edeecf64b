/**
 * A small CSV reader for client lists: RFC 4180 (quoted fields, doubled quotes, line breaks inside
 * quotes), with the delimiter taken from the header row — `,` or `;` (what a Norwegian Excel saves)
 * or a tab — and a UTF-8 byte order mark ignored. Each record keeps the line it starts on, so a
 * bad row is reported by its line number in the file.
 */

export interface CsvRecord {
  /** 1-based line of the file the record starts on. */
  readonly line: number
  readonly fields: ReadonlyArray<string>
}

export type CsvResult = { readonly _tag: "Ok"; readonly records: ReadonlyArray<CsvRecord> } | {
  readonly _tag: "Error"
  readonly line: number
  readonly message: string
}

/** The delimiter the header row uses: the most frequent of `;`, `,` and tab outside quotes. */
export const delimiterOf = (headerLine: string): string => {
  const counts = new Map<string, number>([[";", 0], [",", 0], ["\t", 0]])
  let quoted = false
  for (const c of headerLine) {
    if (c === "\"") quoted = !quoted
    else if (!quoted && counts.has(c)) counts.set(c, (counts.get(c) ?? 0) + 1)
  }
  let best = ","
  let n = 0
  for (const [d, k] of counts) {
    if (k > n) {
      best = d
      n = k
    }
  }
  return best
}

export const parseCsv = (input: string): CsvResult => {
  const text = input.replace(/^\uFEFF/, "")
  const delimiter = delimiterOf(text.slice(0, text.search(/\r?\n|$/)))
  const records: Array<CsvRecord> = []
  let fields: Array<string> = []
  let field = ""
  let line = 1
  let start = 1
  let quoted = false
  let wasQuoted = false
  const endRecord = () => {
    fields.push(field)
    // A line with nothing on it is not a record.
    if (!(fields.length === 1 && fields[0] === "" && !wasQuoted)) records.push({ line: start, fields })
    fields = []
    field = ""
    wasQuoted = false
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (quoted) {
      if (c === "\"") {
        if (text[i + 1] === "\"") {
          field += "\""
          i++
        } else quoted = false
      } else {
        if (c === "\n") line++
        field += c
      }
      continue
    }
    if (c === "\"") {
      if (field.trim() !== "") return { _tag: "Error", line, message: "a quote inside an unquoted field (quote the whole field, and double quotes inside it)" }
      field = ""
      quoted = true
      wasQuoted = true
    } else if (c === delimiter) {
      fields.push(field)
      field = ""
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++
      endRecord()
      line++
      start = line
    } else field += c
  }
  if (quoted) return { _tag: "Error", line: start, message: "a quoted field is never closed (a missing \")" }
  if (field !== "" || fields.length > 0 || wasQuoted) endRecord()
  return { _tag: "Ok", records }
}
