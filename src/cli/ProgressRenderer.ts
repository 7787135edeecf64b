/**
 * Shows src/Progress.ts's updates on stderr: a live bar on a terminal, sparse plain lines when
 * stderr is a file or a pipe (a log, CI), nothing with --quiet. stdout is never touched, so a
 * document piped from stdout stays clean.
 *
 * Short steps stay silent: a bar appears only once a step has run for `barAfterMs` (300 ms), and
 * plain lines only once it has run for `plainAfterMs` (2 s), then at most one line per
 * `plainEveryMs` (5 s) and a closing line. `KRAVSYNC_PROGRESS` overrides the choice: `off`, `bar`,
 * `plain` (every step, from its start: for logs that must show each step) or `auto` (the default).
 */
import { Effect } from "effect"
import { Progress, type ProgressShape, type ProgressStep, type ProgressUnit, type ProgressUpdate, unitOf } from "../Progress.ts"
import type { Language } from "../reconcile/Status.ts"

export type ProgressMode = "auto" | "off" | "bar" | "plain"

export interface ProgressOutput {
  readonly write: (text: string) => unknown
  readonly isTTY?: boolean | undefined
  readonly columns?: number | undefined
}

export interface RendererOptions {
  readonly output: ProgressOutput
  readonly language: Language
  readonly quiet?: boolean | undefined
  readonly mode?: ProgressMode | undefined
  readonly now?: () => number
  readonly barAfterMs?: number
  readonly plainAfterMs?: number
  readonly plainEveryMs?: number
}

export interface Renderer extends ProgressShape {
  /** Ends any bar still drawn (its line is finished with a newline); call once when the command ends. */
  readonly close: () => void
}

const STEP: Record<ProgressStep, { readonly nb: string; readonly en: string }> = {
  saft: { nb: "Leser SAF-T", en: "Reading SAF-T" },
  api: { nb: "Henter fra Skatteetaten", en: "Fetching from Skatteetaten" },
  ledger: { nb: "Leser regnskapet", en: "Reading the ledger" },
  workbook: { nb: "Skriver arbeidsbok", en: "Writing workbook" },
  json: { nb: "Skriver JSON-rapport", en: "Writing JSON report" },
  clients: { nb: "Avstemmer klienter", en: "Reconciling clients" }
}

const UNIT: Record<Exclude<ProgressUnit, "bytes">, { readonly nb: readonly [string, string]; readonly en: readonly [string, string] }> = {
  calls: { nb: ["kall", "kall"], en: ["call", "calls"] },
  pages: { nb: ["side", "sider"], en: ["page", "pages"] },
  rows: { nb: ["rad", "rader"], en: ["row", "rows"] },
  entries: { nb: ["post", "poster"], en: ["entry", "entries"] },
  clients: { nb: ["klient", "klienter"], en: ["client", "clients"] }
}

/** 1 234 567 in bokmål (narrow no-break space), 1,234,567 in English. */
const integer = (n: number, language: Language) => Math.round(n).toLocaleString(language === "en" ? "en-GB" : "nb-NO")

const megabytes = (bytes: number, language: Language) => {
  const mb = bytes / 1_000_000
  const text = mb < 10 ? mb.toFixed(1) : mb.toFixed(0)
  return `${language === "en" ? text : text.replace(".", ",")} MB`
}

const seconds = (ms: number, language: Language) => {
  const s = (ms / 1000).toFixed(1)
  return `${language === "en" ? s : s.replace(".", ",")} s`
}

/** "68 MB av 110 MB", "12 av 40 kall", "5 000 rader". */
export const amountText = (u: ProgressUpdate, language: Language): string => {
  const unit = unitOf[u.step]
  const of = language === "en" ? "of" : "av"
  if (unit === "bytes") return u.total !== undefined ? `${megabytes(u.done, language)} ${of} ${megabytes(u.total, language)}` : megabytes(u.done, language)
  const [one, many] = UNIT[unit][language]
  const noun = (u.total ?? u.done) === 1 ? one : many
  return u.total !== undefined ? `${integer(u.done, language)} ${of} ${integer(u.total, language)} ${noun}` : `${integer(u.done, language)} ${noun}`
}

const percent = (u: ProgressUpdate) => u.total !== undefined && u.total > 0 ? Math.min(100, Math.floor((u.done / u.total) * 100)) : undefined

interface StepState {
  readonly started: number
  last: ProgressUpdate
  /** When the last plain line was written; undefined before the first. */
  printedAt: number | undefined
}

/** The mode the environment asks for: KRAVSYNC_PROGRESS=off|bar|plain|auto (anything else is auto). */
export const modeFromEnv = (value: string | undefined): ProgressMode => value === "off" || value === "bar" || value === "plain" ? value : "auto"

export const make = (options: RendererOptions): Renderer => {
  const now = options.now ?? Date.now
  const language = options.language
  const mode = options.quiet === true ? "off" : options.mode ?? "auto"
  const style: "off" | "bar" | "plain" = mode === "auto" ? (options.output.isTTY === true ? "bar" : "plain") : mode
  const barAfter = options.barAfterMs ?? 300
  const plainAfter = mode === "plain" ? 0 : options.plainAfterMs ?? 2000
  const plainEvery = options.plainEveryMs ?? 5000
  const steps = new Map<ProgressStep, StepState>()
  let barShown = false
  let barDrawnAt = 0

  const label = (u: ProgressUpdate) => `${STEP[u.step][language]}${u.subject !== undefined ? ` ${u.subject}` : ""}`
  const line = (u: ProgressUpdate) => {
    const p = percent(u)
    return `${label(u)}: ${amountText(u, language)}${p !== undefined ? ` (${p} %)` : ""}`
  }

  const drawBar = (u: ProgressUpdate, state: StepState) => {
    const width = Math.max(40, options.output.columns ?? 80)
    const p = percent(u)
    const cells = 20
    const filled = p === undefined ? 0 : Math.round((p / 100) * cells)
    const bar = p === undefined ? "" : `[${"█".repeat(filled)}${"░".repeat(cells - filled)}] ${String(p).padStart(3)} %  `
    const text = `${label(u)}  ${bar}${amountText(u, language)}  ${seconds(now() - state.started, language)}`
    options.output.write(`\r\x1b[K${text.length > width - 1 ? text.slice(0, width - 1) : text}`)
    barShown = true
    barDrawnAt = now()
  }

  const clearBar = () => {
    if (barShown) {
      options.output.write("\r\x1b[K")
      barShown = false
    }
  }

  return {
    update: (u) => {
      if (style === "off") return
      const t = now()
      const state = steps.get(u.step) ?? { started: t, last: u, printedAt: undefined }
      steps.set(u.step, state)
      state.last = u
      const elapsed = t - state.started
      if (style === "bar") {
        // Redraw at most ten times a second.
        if (elapsed >= barAfter && (!barShown || t - barDrawnAt >= 100)) drawBar(u, state)
        return
      }
      if (elapsed < plainAfter) return
      if (state.printedAt === undefined || t - state.printedAt >= plainEvery) {
        state.printedAt = t
        options.output.write(`${line(u)}\n`)
      }
    },
    end: (step) => {
      const state = steps.get(step)
      steps.delete(step)
      if (state === undefined || style === "off") return
      const took = seconds(now() - state.started, language)
      const done = language === "en" ? "done" : "ferdig"
      if (style === "bar") {
        if (!barShown) return
        clearBar()
        options.output.write(`${label(state.last)}: ${amountText(state.last, language)}, ${done} (${took})\n`)
        return
      }
      if (state.printedAt !== undefined || plainAfter === 0) {
        options.output.write(`${label(state.last)}: ${amountText(state.last, language)}, ${done} (${took})\n`)
      }
    },
    close: () => {
      clearBar()
      steps.clear()
    }
  }
}

/** The renderer the CLI uses: stderr, the language and --quiet of the command, KRAVSYNC_PROGRESS. */
export const forStderr = (language: Language, quiet: boolean): Renderer =>
  make({
    output: process.stderr,
    language,
    quiet,
    mode: modeFromEnv(process.env["KRAVSYNC_PROGRESS"])
  })

/** Runs `self` with progress shown on stderr (or nowhere, with --quiet), and ends any bar when it ends. */
export const withProgress = (language: Language, quiet: boolean) => <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.acquireUseRelease(
    Effect.sync(() => forStderr(language, quiet)),
    (renderer) => Effect.provideService(self, Progress, renderer),
    (renderer) => Effect.sync(() => renderer.close())
  )
