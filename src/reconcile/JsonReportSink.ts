/**
 * The JSON report sink. The report is encoded through the Report schema and written piece by
 * piece (one array element at a time) so a report with a million ledger entries never becomes
 * one giant string.
 */
import { Effect, Schema } from "effect"
import { createWriteStream } from "node:fs"
import { Report } from "./Report.ts"
import { atomically, ReportSinkError, type ReportSinkShape } from "./ReportSink.ts"

const ARRAYS = ["accounts", "claims", "payments", "utbetalinger", "motregninger", "ledgerEntries", "setAside", "ledgerNotes", "unmappedCodes"] as const

/**
 * The encoded report as JSON text chunks, in the schema's field order. The report's encoded form is
 * its type (no field transforms), so the big arrays' elements are stringified as they are — one
 * `Schema.encode` per element cost 3× the stringify (docs/performance.md); the head is still encoded
 * through the schema, and test/reconcile/digest.test.ts holds the output to the byte.
 */
export function* jsonChunks(report: Report): Generator<string> {
  const head = Schema.encodeSync(Report)({ ...report, ...Object.fromEntries(ARRAYS.map((k) => [k, []])) } as Report)
  yield "{\n"
  const keys = Object.keys(Report.fields) as Array<keyof typeof Report.fields>
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as keyof typeof Report.fields
    const comma = i < keys.length - 1 ? "," : ""
    if ((ARRAYS as ReadonlyArray<string>).includes(k)) {
      const arr = report[k as (typeof ARRAYS)[number]] as ReadonlyArray<unknown>
      if (arr.length === 0) {
        yield `  ${JSON.stringify(k)}: []${comma}\n`
        continue
      }
      yield `  ${JSON.stringify(k)}: [\n`
      for (let j = 0; j < arr.length; j++) yield `    ${JSON.stringify(arr[j])}${j < arr.length - 1 ? "," : ""}\n`
      yield `  ]${comma}\n`
    } else {
      yield `  ${JSON.stringify(k)}: ${JSON.stringify((head as Record<string, unknown>)[k], null, 2).replace(/\n/g, "\n  ")}${comma}\n`
    }
  }
  yield "}\n"
}

/**
 * Writes the report to `path` atomically: into a temporary file beside it, flushed, then renamed
 * over the target — an existing report is replaced only by a complete one, and a failed or killed
 * write leaves the old one as it was. Every write error, the last included, fails with the path.
 */
export const writeJson = (report: Report, path: string): Effect.Effect<void, ReportSinkError> =>
  atomically(path, (temp) =>
    Effect.async<void, ReportSinkError>((resume) => {
      const out = createWriteStream(temp, { encoding: "utf8", flags: "wx" })
      const chunks = jsonChunks(report)
      let done = false
      const finish = (e?: unknown) => {
        if (done) return
        done = true
        resume(e === undefined || e === null ? Effect.void : Effect.fail(new ReportSinkError({ path, message: e instanceof Error ? e.message : String(e) })))
      }
      out.on("error", finish)
      const pump = () => {
        try {
          let buf = ""
          for (let r = chunks.next();; r = chunks.next()) {
            if (r.done) {
              // end()'s callback gets the stream's error, if any: a failed last write is a failed report.
              out.end(buf, (e?: Error | null) => finish(e))
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
          finish(e)
          out.destroy()
        }
      }
      pump()
    }))

export const JsonReportSink: ReportSinkShape = {
  extensions: [".json"],
  description: "JSON report (docs/report.md)",
  write: writeJson
}

/** Decodes a JSON report text (for tests and tools that read reports back). */
export const decodeReportJson = Schema.decodeUnknownEither(Schema.parseJson(Report))
