/**
 * The reconciliation engine: pure, deterministic, integer øre, no I/O.
 *
 * Skatteetaten's open balance per account row (Σ gjenstaaendeBeloep + stipulerte renter of the
 * claims mapped to the row) is set against the ledger's balance on the row's accounts at the
 * as-of date; every kravforfall, interest amount, innbetaling and ledger entry gets a status and
 * a contribution to the difference, and what the items do not explain is reported as
 * `unexplained`. docs/reconciliation.md gives the rules and the identity behind them.
 *
 * In stages, each returning a value: prepare (engine/prepare.ts) → match (engine/passes.ts) → the
 * items' results (engine/items.ts) → the ledger lines' (engine/entries.ts) → the rows
 * (engine/rows.ts) → the totals (engine/totals.ts); engine/tally.ts counts every item once.
 */
import type * as Dato from "../domain/Dato.ts"
import type { AapneKrav, Innbetalinger, KravListe, Utbetalinger } from "../domain/Dokumenter.ts"
import type { Periode } from "../domain/Periode.ts"
import { entryResults } from "./engine/entries.ts"
import { itemResults } from "./engine/items.ts"
import type { EntryItem } from "./engine/model.ts"
import { openingAdjustments, openingPartOf } from "./engine/opening.ts"
import { matchAll } from "./engine/passes.ts"
import { prepare } from "./engine/prepare.ts"
import { rowSummaries } from "./engine/rows.ts"
import { Tally } from "./engine/tally.ts"
import { totalsOf } from "./engine/totals.ts"
import type { LedgerSnapshot } from "./LedgerSource.ts"
import * as Mapping from "./mapping/AccountMapping.ts"
import type * as R from "./Report.ts"
import type { Language } from "./Status.ts"

export interface ReconcileInput {
  readonly party: string
  readonly partyName?: string | undefined
  /** The period the claims and payments were fetched for. */
  readonly periode: Periode
  readonly asOf: Dato.Dato
  readonly aapneKrav?: AapneKrav | undefined
  readonly krav?: KravListe | undefined
  readonly innbetalinger?: Innbetalinger | undefined
  readonly utbetalinger?: Utbetalinger | undefined
  readonly ledger: LedgerSnapshot
  readonly mapping: Mapping.AccountMapping
  /** Items already set aside before the engine (lenient decoding of Skatteetaten's documents). */
  readonly setAside?: ReadonlyArray<R.SetAsideItem> | undefined
  readonly environment?: string | undefined
  readonly korrelasjonsIder?: ReadonlyArray<string> | undefined
  /** ISO timestamp; given by the caller so the engine stays deterministic. */
  readonly generatedAt: string
  readonly kravsyncVersion: string
  readonly language?: Language | undefined
  /** Upper bound on combination-search steps (default 5 000 000). */
  readonly comboBudget?: number | undefined
  /** Called after each stage with what it made (bench/reconcile.ts weighs the heap there); nothing else needs it. */
  readonly onStage?: ((stage: Stage) => void) | undefined
}

/** The engine's stages, in order. */
export type Stage = "prepare" | "match" | "items" | "lines" | "rows"

export const reconcile = (input: ReconcileInput): R.Report => {
  const language = input.language ?? "nb"
  const { mapping, ledger, asOf } = input
  const p = prepare({
    party: input.party,
    aapneKrav: input.aapneKrav,
    krav: input.krav,
    innbetalinger: input.innbetalinger,
    utbetalinger: input.utbetalinger,
    ledger,
    mapping,
    asOf,
    language
  })
  const onStage = input.onStage ?? (() => {})
  onStage("prepare")
  const periodStart = ledger.periode.fraOgMed
  const mappingRows = Mapping.rows(mapping)
  const codesOf = new Map(mappingRows.map((r) => [r.key, r.codes]))
  for (const i of matchAll(p, input.comboBudget ?? 5_000_000)) (p.entries[i] as EntryItem).internal = true
  onStage("match")

  const tally = new Tally()
  const items = itemResults(p, { entries: p.entries, periodStart, asOf, language, rowName: (row) => (codesOf.get(row) ?? []).join("/") || row }, tally)
  onStage("items")
  const openingParts = new Map(mappingRows.map((r) => [r.key, openingPartOf(p, r.key, r.accounts)]))
  const adjustments = openingAdjustments(p, openingParts, codesOf, periodStart)
  const entries = entryResults(p, { outcomeOf: items.outcomeOf, asOf, codesOf, adjustments }, tally)
  onStage("lines")
  const accounts = rowSummaries(p, {
    mappingRows,
    ledger,
    periodStart,
    asOf,
    movements: entries.movements,
    ledgerByCategory: entries.ledgerByCategory,
    openingParts,
    adjustments
  }, tally)
  const setAside = [...(input.setAside ?? []), ...p.setAside]
  const { totals, unmappedCodes } = totalsOf(p, accounts, setAside, tally)
  onStage("rows")

  return {
    schemaVersion: 1,
    metadata: {
      party: input.party,
      partyName: input.partyName ?? ledger.company.name,
      periode: input.periode,
      asOf,
      ledger: {
        system: ledger.system,
        description: ledger.description,
        registrationNumber: ledger.company.registrationNumber,
        companyName: ledger.company.name,
        periode: ledger.periode,
        statedPeriode: ledger.statedPeriode
      },
      environment: input.environment ?? "sandbox",
      korrelasjonsIder: [...(input.korrelasjonsIder ?? [])],
      generatedAt: input.generatedAt,
      kravsyncVersion: input.kravsyncVersion,
      language,
      mapping: mapping.source,
      skjermet: p.skjermet
    },
    accounts,
    claims: items.claims,
    payments: items.payments,
    utbetalinger: items.utbetalinger,
    motregninger: items.motregninger,
    ledgerEntries: entries.ledgerEntries,
    setAside,
    // Notes in the report's language; a source that gives no bokmål text has its English shown.
    ledgerNotes: (ledger.notes ?? []).map(({ messageNb, ...n }) => ({ ...n, message: language === "en" ? n.message : messageNb ?? n.message })),
    unmappedCodes,
    totals
  }
}
