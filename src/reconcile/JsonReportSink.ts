/**
 * The JSON report sink. The report is encoded through the Report schema and written piece by
 * piece (one array element at a time) so a report with a million ledger entries never becomes
 * one giant string.
 */
import { Effect, Schema } from "effect"
import { createWriteStream } from "node:fs"
import { Report } from "./Report.ts"
import { ReportSinkError, type ReportSinkShape } from "./ReportSink.ts"

const ARRAYS = ["accounts", "claims", "payments", "utbetalinger", "motregninger", "ledgerEntries", "setAside", "ledgerNotes", "unmappedCodes"] as const

/** The encoded report as JSON text chunks, in the schema's field order. */
export function* jsonChunks(report: Report): Generator<string> {
  const encodeHead = Schema.encodeSync(Report)
  // Encode everything but the big arrays in one go, then each element on its own.
  const head = encodeHead({ ...report, ...Object.fromEntries(ARRAYS.map((k) => [k, []])) } as Report)
  const element = {
    accounts: Schema.encodeSync(Report.fields.accounts.value),
    claims: Schema.encodeSync(Report.fields.claims.value),
    payments: Schema.encodeSync(Report.fields.payments.value),
    utbetalinger: Schema.encodeSync(Report.fields.utbetalinger.value),
    motregninger: Schema.encodeSync(Report.fields.motregninger.value),
    ledgerNotes: Schema.encodeSync(Report.fields.ledgerNotes.value),
    ledgerEntries: Schema.encodeSync(Report.fields.ledgerEntries.value),
    setAside: Schema.encodeSync(Report.fields.setAside.value),
    unmappedCodes: Schema.encodeSync(Report.fields.unmappedCodes.value)
  } as const
  yield "{\n"
  const keys = Object.keys(Report.fields) as Array<keyof typeof Report.fields>
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as keyof typeof Report.fields
    const comma = i < keys.length - 1 ? "," : ""
    if ((ARRAYS as ReadonlyArray<string>).includes(k)) {
      const arr = report[k as (typeof ARRAYS)[number]] as ReadonlyArray<unknown>
      const enc = element[k as (typeof ARRAYS)[number]] as (x: unknown) => unknown
      if (arr.length === 0) {
        yield `  ${JSON.stringify(k)}: []${comma}\n`
        continue
      }
      yield `  ${JSON.stringify(k)}: [\n`
      for (let j = 0; j < arr.length; j++) yield `    ${JSON.stringify(enc(arr[j]))}${j < arr.length - 1 ? "," : ""}\n`
      yield `  ]${comma}\n`
    } else {
      yield `  ${JSON.stringify(k)}: ${JSON.stringify((head as Record<string, unknown>)[k], null, 2).replace(/\n/g, "\n  ")}${comma}\n`
    }
  }
  yield "}\n"
}

export const writeJson = (report: Report, path: string): Effect.Effect<void, ReportSinkError> =>
  Effect.async<void, ReportSinkError>((resume) => {
    const out = createWriteStream(path, { encoding: "utf8" })
    const chunks = jsonChunks(report)
    let done = false
    const fail = (e: unknown) => {
      if (done) return
      done = true
      resume(Effect.fail(new ReportSinkError({ path, message: e instanceof Error ? e.message : String(e) })))
    }
    out.on("error", fail)
    const pump = () => {
      try {
        let buf = ""
        for (let r = chunks.next();; r = chunks.next()) {
          if (r.done) {
            out.end(buf, () => {
              if (!done) {
                done = true
                resume(Effect.void)
              }
            })
            return
          }
          buf += r.value
          if (buf.length > 1 << 16) {
            const ok = out.write(buf)
            buf = ""
            if (!ok) {
              out.once("drain", pump)
              return
            }
          }
        }
      } catch (e) {
        fail(e)
        out.destroy()
      }
    }
    pump()
  })

export const JsonReportSink: ReportSinkShape = {
  extensions: [".json"],
  description: "JSON report (docs/report.md)",
  write: writeJson
}

/** Decodes a JSON report text (for tests and tools that read reports back). */
export const decodeReportJson = Schema.decodeUnknownEither(Schema.parseJson(Report))
