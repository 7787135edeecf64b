/**
 * Progress of the long steps of a run, reported by whoever does the work (the SAF-T reader counts
 * bytes, the client counts API calls, a ledger connector counts pages, a report sink counts rows)
 * and shown by whoever runs it: the CLI draws a bar on stderr (src/cli/ProgressRenderer.ts), a
 * service records it, a library host may ignore it.
 *
 * A `Context.Reference` whose default discards every update, so library code reports progress
 * without requiring anything of its caller. `update` is synchronous and cheap, since it is called
 * from inside parsers and loops; a renderer throttles what it draws, the reporter does not.
 */
import { Context } from "effect"

/** The long steps; each has one unit (bytes, calls, pages, rows, entries, clients). */
export type ProgressStep = "saft" | "api" | "ledger" | "workbook" | "json" | "clients"

export type ProgressUnit = "bytes" | "calls" | "pages" | "rows" | "entries" | "clients"

export const unitOf: Record<ProgressStep, ProgressUnit> = {
  saft: "bytes",
  api: "calls",
  ledger: "pages",
  workbook: "rows",
  json: "entries",
  clients: "clients"
}

export interface ProgressUpdate {
  readonly step: ProgressStep
  /** How many units are done so far in this step (not an increment). */
  readonly done: number
  /** How many there are in all, when known (a file's size, the rows of a report). */
  readonly total?: number | undefined
  /** What is being worked on: a file name, a party, a sheet. */
  readonly subject?: string | undefined
}

export interface ProgressShape {
  readonly update: (update: ProgressUpdate) => void
  /** The step is finished (successfully or not); a renderer prints its last line. */
  readonly end: (step: ProgressStep) => void
}

/** Discards everything: the default when nobody shows progress. */
export const silent: ProgressShape = { update: () => {}, end: () => {} }

export class Progress extends Context.Reference<Progress>()("kravsync/Progress", { defaultValue: (): ProgressShape => silent }) {}

/**
 * A counter for one step that reports at most every `every` units (and always on `end`), for loops
 * that would otherwise call `update` per item.
 */
export const counter = (
  progress: ProgressShape,
  step: ProgressStep,
  options: { readonly total?: number | undefined; readonly subject?: string | undefined; readonly every?: number } = {}
) => {
  let done = 0
  let reported = 0
  const every = options.every ?? 1
  return {
    add: (n = 1) => {
      done += n
      if (done - reported >= every) {
        reported = done
        progress.update({ step, done, total: options.total, subject: options.subject })
      }
    },
    end: () => {
      progress.update({ step, done, total: options.total ?? done, subject: options.subject })
      progress.end(step)
    }
  }
}
