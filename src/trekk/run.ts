/**
 * The Trekkpålegg reconciliation as one effect: every current order of the trekkpliktig through
 * the client (polled from sekvensnummer 0, so the latest version of each), the utleggstrekk
 * accounts of the books through the LedgerSourceRegistry (SAF-T, Tripletex, Fiken or a third
 * party's), the optional payroll file, then `reconcileTrekk`. Progress goes to the Progress port.
 */
import { Effect } from "effect"
import { TrekkpaaleggClient, type TrekkpaaleggClientShape, type TrekkpaaleggError } from "../client/TrekkpaaleggClient.ts"
import type { Dato } from "../domain/Dato.ts"
import type { Organisasjonsnummer, PartIdentifikator } from "../domain/PartIdentifikator.ts"
import type { Periode } from "../domain/Periode.ts"
import { latestVersions } from "../domain/trekkpaalegg/Trekkpaalegg.ts"
import type { LedgerSourceError, LedgerSourceShape } from "../reconcile/LedgerSource.ts"
import { LedgerSourceRegistry } from "../reconcile/LedgerSourceRegistry.ts"
import type { Loennsgrunnlag } from "./Loennsgrunnlag.ts"
import { reconcileTrekk, type TrekkOptions } from "./reconcile.ts"
import type { TrekkSection } from "./Section.ts"
import { standard, type TrekkMapping } from "./TrekkMapping.ts"

export interface TrekkRun {
  readonly trekkpliktig: Organisasjonsnummer
  readonly periode: Periode
  readonly asOf: Dato
  /** A `--ledger` spec: saft:FILE, tripletex, fiken. */
  readonly ledger: string
  readonly force?: boolean | undefined
  readonly mapping?: TrekkMapping | undefined
  readonly loennsgrunnlag?: { readonly source: string; readonly data: Loennsgrunnlag } | undefined
  readonly options?: TrekkOptions | undefined
}

export const assumptions = (o: TrekkOptions | undefined): ReadonlyArray<string> => [
  `lønnsdag ${o?.loennsdag ?? 20}. når verken lønnsgrunnlag eller hovedbok gir utbetalingsdatoen`,
  `betalingsfrist den ${o?.betalingsfristDag ?? 20}. i måneden etter trekket`,
  "prosenttrekk avrundet til hele øre (halvt opp)",
  "beløpstrekk trukket én gang per måned"
]

/** What the Trekkpålegg reconciliation needs besides the client and the books: one run's settings. */
export interface TrekkFromSource {
  readonly trekkpliktig: Organisasjonsnummer
  readonly periode: Periode
  readonly asOf: Dato
  readonly mapping?: TrekkMapping | undefined
  readonly loennsgrunnlag?: { readonly source: string; readonly data: Loennsgrunnlag } | undefined
  readonly options?: TrekkOptions | undefined
}

/**
 * The reconciliation over a client and a ledger source already chosen: what `runTrekk` does after
 * resolving the `--ledger` spec, and what the main reconciliation (src/reconcile/Reconciliation.ts)
 * calls with the source it reconciles the tax account against. The source is read for the
 * utleggstrekk accounts alone, so the tax account's own reading of it is untouched.
 */
export const reconcileTrekkFrom = (
  client: TrekkpaaleggClientShape,
  source: LedgerSourceShape,
  run: TrekkFromSource
): Effect.Effect<TrekkSection, TrekkpaaleggError | LedgerSourceError> =>
  Effect.gen(function*() {
    const poll = yield* client.poll(run.trekkpliktig)
    const orders = [...latestVersions(poll.orders).values()].sort((a, b) => a.sekvensnummer - b.sekvensnummer)
    const mapping = run.mapping ?? standard
    const snapshot = yield* source.read({ company: run.trekkpliktig as string as PartIdentifikator, periode: run.periode, accounts: mapping.accounts })
    return reconcileTrekk({
      trekkpliktig: run.trekkpliktig,
      periode: run.periode,
      asOf: run.asOf,
      orders,
      accounts: mapping.accounts,
      ledgerAccounts: snapshot.accounts,
      entries: snapshot.entries,
      loennsgrunnlag: run.loennsgrunnlag?.data,
      options: run.options,
      sources: {
        environment: client.environment,
        watermark: poll.watermark,
        korrelasjonsIder: poll.korrelasjonsIder,
        ledger: `${snapshot.system}: ${snapshot.description}`,
        ...(run.loennsgrunnlag === undefined ? {} : { loennsgrunnlag: run.loennsgrunnlag.source }),
        assumptions: [...assumptions(run.options), `kontoer: ${mapping.source}`]
      }
    })
  }).pipe(Effect.withSpan("Trekk.reconcile", { attributes: { trekkpliktig: run.trekkpliktig } }))

export const runTrekk = (run: TrekkRun): Effect.Effect<TrekkSection, TrekkpaaleggError | LedgerSourceError, TrekkpaaleggClient | LedgerSourceRegistry> =>
  Effect.gen(function*() {
    const client = yield* TrekkpaaleggClient
    const registry = yield* LedgerSourceRegistry
    const source = yield* registry.resolve(run.ledger, { force: run.force ?? false })
    return yield* reconcileTrekkFrom(client, source, run)
  })
