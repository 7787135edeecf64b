/**
 * The firm's overview of a run (`oversikt.json`, and `oversikt.xlsx` through the OverviewWriters
 * port): one row per client of the list — name, organisasjonsnummer, ledger, period, Skatteetaten's
 * saldo, the ledger's, the difference, the unexplained part, how many items need follow-up, and the
 * outcome (tied out / follow up / failed with the error) — the clients needing action first, each
 * linking to its workbook. Built from the status records on disk, so an interrupted run resumed
 * gives the same overview as one that ran through.
 *
 * Order: failed clients first, then those needing follow-up (largest unexplained amount first,
 * then largest difference), then those tied out; within each, by organisasjonsnummer. Totals are
 * over the reconciled clients (a failed one has no figures) and equal the sum of the rows, øre for øre.
 */
import { Context, Effect, Schema } from "effect"
import { join } from "node:path"
import { type Oere, OereSchema } from "../domain/Money.ts"
import { Periode } from "../domain/Periode.ts"
import type { ReportSinkError } from "../reconcile/ReportSink.ts"
import type { Language } from "../reconcile/Status.ts"
import type { RowProblem } from "./ClientList.ts"
import { writeTextAtomically } from "./RunFolder.ts"
import { ClientFailure, Outcome, type StatusRecord } from "./StatusRecord.ts"

export const OVERVIEW_SCHEMA_VERSION = 1 as const

export const OverviewRow = Schema.Struct({
  orgnr: Schema.String,
  name: Schema.optional(Schema.String),
  /** The client list's line. */
  line: Schema.Int,
  ledger: Schema.String,
  periode: Schema.optional(Periode),
  asOf: Schema.optional(Schema.String),
  skatteetatenSaldo: Schema.optional(OereSchema),
  ledgerSaldo: Schema.optional(OereSchema),
  difference: Schema.optional(OereSchema),
  unexplained: Schema.optional(OereSchema),
  followUpItems: Schema.optional(Schema.Int),
  followUpRows: Schema.optional(Schema.Array(Schema.String)),
  outcome: Outcome,
  failure: Schema.optional(ClientFailure),
  /** The client's workbook, relative to the run folder (absent when nothing was written). */
  workbook: Schema.optional(Schema.String),
  report: Schema.optional(Schema.String)
}).annotations({ identifier: "OverviewRow" })
export type OverviewRow = typeof OverviewRow.Type

export const OverviewTotals = Schema.Struct({
  clients: Schema.Int,
  tiedOut: Schema.Int,
  followUp: Schema.Int,
  failed: Schema.Int,
  /** Clients of the list never reached (the run was stopped); 0 after a complete run. */
  notRun: Schema.Int,
  skatteetatenSaldo: OereSchema,
  ledgerSaldo: OereSchema,
  difference: OereSchema,
  unexplained: OereSchema,
  followUpItems: Schema.Int
}).annotations({ identifier: "OverviewTotals" })
export type OverviewTotals = typeof OverviewTotals.Type

export const Overview = Schema.Struct({
  schemaVersion: Schema.Literal(OVERVIEW_SCHEMA_VERSION),
  /** The client list as given. */
  clientList: Schema.String,
  language: Schema.Literal("nb", "en"),
  rows: Schema.Array(OverviewRow),
  totals: OverviewTotals
}).annotations({ identifier: "Overview", title: "kravsync run overview" })
export type Overview = typeof Overview.Type

const rank: Record<Outcome, number> = { failed: 0, "follow-up": 1, "tied-out": 2 }
const abs = (n: number | undefined) => Math.abs(n ?? 0)

/** Clients needing action first (docs/run.md, «The overview»). */
export const compareRows = (a: OverviewRow, b: OverviewRow): number =>
  rank[a.outcome] - rank[b.outcome] ||
  (a.outcome === "follow-up" ? abs(b.unexplained) - abs(a.unexplained) || abs(b.difference) - abs(a.difference) : 0) ||
  (a.orgnr < b.orgnr ? -1 : a.orgnr > b.orgnr ? 1 : a.line - b.line)

export const rowOfStatus = (s: StatusRecord): OverviewRow => {
  const [report, workbook] = [s.files.find((f) => f.endsWith(".json")), s.files.find((f) => f.endsWith(".xlsx"))]
  return {
    orgnr: s.orgnr,
    ...(s.name === undefined ? {} : { name: s.name }),
    line: s.line,
    ledger: s.ledger,
    ...(s.periode === undefined ? {} : { periode: s.periode }),
    ...(s.asOf === undefined ? {} : { asOf: s.asOf }),
    ...(s.figures === undefined ? {} : {
      skatteetatenSaldo: s.figures.skatteetatenSaldo,
      ledgerSaldo: s.figures.ledgerSaldo,
      difference: s.figures.difference,
      unexplained: s.figures.unexplained,
      followUpItems: s.figures.followUpItems,
      followUpRows: s.figures.followUpRows
    }),
    outcome: s.outcome,
    ...(s.failure === undefined ? {} : { failure: s.failure }),
    ...(s.outcome === "failed" || workbook === undefined ? {} : { workbook }),
    ...(s.outcome === "failed" || report === undefined ? {} : { report })
  }
}

/** A bad row of the list: failed with an input error naming its line and field. */
export const rowOfProblem = (p: RowProblem): OverviewRow => ({
  orgnr: p.orgnr ?? "",
  line: p.line,
  ledger: "",
  outcome: "failed",
  failure: { category: "input", tag: "ClientListRow", message: `line ${p.line}, ${p.field}: ${p.message}` }
})

const sum = (xs: ReadonlyArray<number | undefined>): Oere => xs.reduce<number>((s, x) => s + (x ?? 0), 0) as Oere

export const makeOverview = (
  clientList: string,
  language: Language,
  rows: ReadonlyArray<OverviewRow>,
  notRun: number
): Overview => {
  const sorted = [...rows].sort(compareRows)
  const reconciled = sorted.filter((r) => r.outcome !== "failed")
  return {
    schemaVersion: OVERVIEW_SCHEMA_VERSION,
    clientList,
    language,
    rows: sorted,
    totals: {
      clients: sorted.length + notRun,
      tiedOut: sorted.filter((r) => r.outcome === "tied-out").length,
      followUp: sorted.filter((r) => r.outcome === "follow-up").length,
      failed: sorted.filter((r) => r.outcome === "failed").length,
      notRun,
      skatteetatenSaldo: sum(reconciled.map((r) => r.skatteetatenSaldo)),
      ledgerSaldo: sum(reconciled.map((r) => r.ledgerSaldo)),
      difference: sum(reconciled.map((r) => r.difference)),
      unexplained: sum(reconciled.map((r) => r.unexplained)),
      followUpItems: reconciled.reduce((s, r) => s + (r.followUpItems ?? 0), 0)
    }
  }
}

export const encodeOverview = (o: Overview): string => `${JSON.stringify(Schema.encodeSync(Overview)(o), null, 2)}\n`
export const decodeOverview = Schema.decodeUnknownEither(Schema.parseJson(Overview))

/** Writes an overview to a file; one per extension (".json" here, ".xlsx" from connectors/excel/OverviewSink.ts). */
export interface OverviewWriterShape {
  readonly extension: string
  readonly write: (overview: Overview, path: string) => Effect.Effect<void, ReportSinkError>
}

export const JsonOverviewWriter: OverviewWriterShape = {
  extension: ".json",
  write: (o, path) => writeTextAtomically(path, encodeOverview(o))
}

/** The overview's writers the composition root provides; the JSON one when none is. */
export class OverviewWriters extends Context.Reference<OverviewWriters>()("kravsync/run/OverviewWriters", {
  defaultValue: (): ReadonlyArray<OverviewWriterShape> => [JsonOverviewWriter]
}) {}

export const writeOverview = (dir: string, o: Overview) =>
  Effect.flatMap(OverviewWriters, (writers) => Effect.forEach(writers, (w) => w.write(o, join(dir, `oversikt${w.extension}`)), { discard: true }))
