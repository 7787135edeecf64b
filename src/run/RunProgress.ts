/**
 * The run's own progress on stderr: clients done / failed / remaining, what is being worked on,
 * and an estimate of the time left — a live bar redrawn in place on a terminal, a plain line per
 * finished client otherwise (a log file or CI gets one line each, nothing redrawn).
 *
 * Behind `RunProgressView` so the CLI's general progress renderer (src/cli/ProgressRenderer.ts)
 * can later draw it; the run also reports each finished client to the Progress port (step
 * "clients"). The ETA is the time this run has taken per client it finished (skipped ones do
 * not count) times the clients remaining; clients run concurrently, and the time per finished
 * client measured over the run already reflects that.
 */
import type { Language } from "../reconcile/Status.ts"
import type { Outcome } from "./StatusRecord.ts"

/** What a client is doing. */
export type ClientStep = "ledger" | "skatteetaten" | "reports"

export interface RunProgressView {
  /** The run starts: `total` clients, `skipped` of them already done with the same inputs. */
  readonly start: (total: number, skipped: number) => void
  readonly step: (orgnr: string, step: ClientStep) => void
  readonly finished: (orgnr: string, outcome: Outcome, label: string) => void
  /** The run is over (all finished, or stopped): the last line. */
  readonly end: () => void
}

export const silentView: RunProgressView = { start: () => {}, step: () => {}, finished: () => {}, end: () => {} }

const STEP: Record<ClientStep, Record<Language, string>> = {
  ledger: { nb: "leser regnskapet", en: "reading the ledger" },
  skatteetaten: { nb: "henter fra Skatteetaten", en: "fetching from Skatteetaten" },
  reports: { nb: "skriver rapportene", en: "writing the reports" }
}

const OUTCOME: Record<Outcome, Record<Language, string>> = {
  "tied-out": { nb: "avstemt", en: "tied out" },
  "follow-up": { nb: "følg opp", en: "follow up" },
  failed: { nb: "feilet", en: "failed" }
}

/** "1:05" / "1:02:05". */
export const clock = (ms: number): string => {
  const s = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const ss = String(s % 60).padStart(2, "0")
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`
}

export interface RendererOptions {
  readonly write: (text: string) => void
  /** Redraw one line in place (a terminal) or print a line per finished client. */
  readonly live: boolean
  readonly language?: Language
  /** Terminal width for the live line. Default 100. */
  readonly columns?: number
  readonly now?: () => number
  /** Least time between two redraws of the live line. Default 100 ms. */
  readonly throttleMs?: number
}

/** The counts and the ETA, for either form. */
export interface ProgressState {
  readonly total: number
  readonly done: number
  readonly failed: number
  readonly remaining: number
  readonly etaMs: number | undefined
}

export const makeRenderer = (o: RendererOptions): RunProgressView & { readonly state: () => ProgressState } => {
  const lang = o.language ?? "nb"
  const en = lang === "en"
  const now = o.now ?? Date.now
  const throttle = o.throttleMs ?? 100
  let total = 0
  let skipped = 0
  let done = 0
  let failed = 0
  let started = now()
  let lastDraw = 0
  let drawn = false
  const current = new Map<string, ClientStep>()
  const state = (): ProgressState => {
    const finishedHere = done + failed - skipped
    const remaining = total - done - failed
    const elapsed = now() - started
    return { total, done, failed, remaining, etaMs: finishedHere > 0 ? (elapsed / finishedHere) * remaining : undefined }
  }
  const counts = (s: ProgressState) =>
    en
      ? `${s.done}/${s.total} done, ${s.failed} failed, ${s.remaining} remaining`
      : `${s.done}/${s.total} ferdig, ${s.failed} feilet, ${s.remaining} igjen`
  const eta = (
    s: ProgressState
  ) => (s.etaMs === undefined || s.remaining === 0 ? "" : en ? ` · about ${clock(s.etaMs)} left` : ` · ca. ${clock(s.etaMs)} igjen`)
  const draw = (force: boolean) => {
    if (!o.live) return
    const t = now()
    if (!force && t - lastDraw < throttle) return
    lastDraw = t
    const s = state()
    const width = 20
    const filled = s.total === 0 ? width : Math.round(((s.done + s.failed) / s.total) * width)
    const first = current.entries().next()
    const doing = first.done ? "" : ` · ${first.value[0]}: ${STEP[first.value[1]][lang]}${current.size > 1 ? ` (+${current.size - 1})` : ""}`
    const line = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${counts(s)}${doing}${eta(s)}`
    const max = (o.columns ?? 100) - 1
    o.write(`\r${line.length > max ? line.slice(0, max) : line}\x1b[K`)
    drawn = true
  }
  return {
    state,
    start: (t, s) => {
      total = t
      skipped = s
      done = s
      started = now()
      if (!o.live && s > 0) {
        o.write(
          en ? `${s} of ${t} clients already done with the same inputs; skipped\n` : `${s} av ${t} klienter allerede ferdig med samme grunnlag; hoppes over\n`
        )
      }
      draw(true)
    },
    step: (orgnr, step) => {
      current.set(orgnr, step)
      draw(false)
    },
    finished: (orgnr, outcome, label) => {
      current.delete(orgnr)
      if (outcome === "failed") failed++
      else done++
      if (o.live) return draw(outcome === "failed")
      const s = state()
      o.write(`[${counts(s)}] ${orgnr} ${label}: ${OUTCOME[outcome][lang]}${eta(s)}\n`)
    },
    end: () => {
      if (o.live) {
        draw(true)
        if (drawn) o.write("\n")
      }
    }
  }
}
