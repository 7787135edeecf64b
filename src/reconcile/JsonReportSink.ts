/**
 * The JSON report sink. The report is encoded through the Report schema and written piece by
 * piece (one array element at a time, straight from the report's own arrays) so a report with a
 * million ledger entries never becomes one giant string nor a second copy in memory; a ledger
 * line's explanation and sentence are made as it is written (engine/lines.ts). Progress goes to
 * the Progress port (src/Progress.ts): step "json", one unit per array element.
 */
import { Effect, Schema } from "effect"
import { closeSync, openSync, writeSync } from "node:fs"
import { counter, Progress } from "../Progress.ts"
import { Report } from "./Report.ts"
import { atomically, ReportSinkError, type ReportSinkShape } from "./ReportSink.ts"

const ARRAYS = ["accounts", "claims", "payments", "utbetalinger", "motregninger", "ledgerEntries", "setAside", "ledgerNotes", "unmappedCodes"] as const

/** The report's optional fields: written only when present, so a report without them is what it always was. */
const OPTIONAL: Partial<Record<keyof typeof Report.fields, true>> = { carryForward: true, trekkpaalegg: true }

/** How many array elements the report holds (the JSON step's total). */
export const elementCount = (report: Report): number => ARRAYS.reduce((n, k) => n + report[k].length, 0)

/**
 * The encoded report as JSON text chunks, in the schema's field order. The report's encoded form is
 * its type (no field transforms), so the big arrays' elements are stringified as they are — one
 * `Schema.encode` per element cost 3× the stringify (docs/performance.md); the head is still encoded
 * through the schema, and test/reconcile/digest.test.ts holds the output to the byte. `onElement`
 * is called once per array element written.
 */
export function* jsonChunks(report: Report, onElement?: () => void): Generator<string> {
  const head = Schema.encodeSync(Report)({ ...report, ...Object.fromEntries(ARRAYS.map((k) => [k, []])) } as Report)
  yield "{\n"
  // An optional field that is absent is left out, as the schema's encoding leaves it out.
  const keys = (Object.keys(Report.fields) as Array<keyof typeof Report.fields>).filter((k) => !(k in OPTIONAL) || report[k] !== undefined)
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
      const last = arr.length - 1
      for (let j = 0; j < last; j++) {
        yield "    " + JSON.stringify(arr[j]) + ",\n"
        onElement?.()
      }
      yield "    " + JSON.stringify(arr[last]) + "\n"
      onElement?.()
      yield `  ]${comma}\n`
    } else {
      yield `  ${JSON.stringify(k)}: ${JSON.stringify((head as Record<string, unknown>)[k], null, 2).replace(/\n/g, "\n  ")}${comma}\n`
    }
  }
  yield "}\n"
}

/** Bytes written to the file at a time, and how many such writes run before the event loop gets a turn. */
const WRITE_CHUNK = 1 << 20
const CHUNKS_PER_TURN = 32

/**
 * Writes the report to `path` atomically: into a temporary file beside it, flushed, then renamed
 * over the target — an existing report is replaced only by a complete one, and a failed or killed
 * write leaves the old one as it was. Every write error, the last included, fails with the path.
 * Each piece is encoded into one reused buffer as soon as it is made, and the buffer goes to the file
 * a megabyte at a time with synchronous writes — a write stream's round trips, a fresh Buffer per
 * chunk, and joining pieces before encoding them each cost more than the stringify itself
 * (docs/performance.md) — yielding to the event loop every few megabytes so a progress renderer
 * and other fibers keep running.
 */
export const writeJson = (report: Report, path: string): Effect.Effect<void, ReportSinkError> =>
  Effect.flatMap(Progress, (progress) =>
    atomically(path, (temp) =>
      Effect.async<void, ReportSinkError>((resume) => {
        const fail = (e: unknown) => new ReportSinkError({ path, message: e instanceof Error ? e.message : String(e) })
        let fd: number
        try {
          fd = openSync(temp, "wx")
        } catch (e) {
          resume(Effect.fail(fail(e)))
          return
        }
        const count = counter(progress, "json", { total: elementCount(report), subject: path, every: 10_000 })
        const chunks = jsonChunks(report, count.add)
        const bytes = Buffer.allocUnsafe(WRITE_CHUNK)
        let open = true
        const close = (): unknown => {
          if (!open) return undefined
          open = false
          count.end()
          try {
            closeSync(fd)
            return undefined
          } catch (e) {
            return e
          }
        }
        // Each piece is encoded into the buffer as soon as it is made (while it is in the cache; joining
        // pieces first and encoding the joined string cost more than the stringify).
        let used = 0
        const flush = () => {
          for (let off = 0; off < used;) off += writeSync(fd, bytes, off, used - off)
          used = 0
        }
        const put = (text: string) => {
          if (3 * text.length <= bytes.length) {
            used += bytes.write(text, used, "utf8")
            return
          }
          const big = Buffer.from(text, "utf8")
          for (let off = 0; off < big.length;) off += writeSync(fd, big, off, big.length - off)
        }
        /** A piece made but not yet written when the loop gave the event loop a turn. */
        let pending: string | undefined
        const pump = () => {
          if (!open) return
          try {
            if (pending !== undefined) put(pending)
            pending = undefined
            let flushes = 0
            for (let r = chunks.next();; r = chunks.next()) {
              if (r.done) {
                flush()
                const e = close()
                resume(e === undefined ? Effect.void : Effect.fail(fail(e)))
                return
              }
              const text = r.value
              // A UTF-16 unit takes at most 3 bytes in UTF-8.
              if (used + 3 * text.length > bytes.length) {
                flush()
                if (++flushes === CHUNKS_PER_TURN) {
                  pending = text
                  setImmediate(pump)
                  return
                }
              }
              put(text)
            }
          } catch (e) {
            close()
            resume(Effect.fail(fail(e)))
          }
        }
        pump()
        // Interrupted: stop writing; atomically removes the temporary file.
        return Effect.sync(() => void close())
      })))

export const JsonReportSink: ReportSinkShape = {
  extensions: [".json"],
  description: "JSON report (docs/report.md)",
  write: writeJson
}

/** Decodes a JSON report text (for tests and tools that read reports back). */
export const decodeReportJson = Schema.decodeUnknownEither(Schema.parseJson(Report))
