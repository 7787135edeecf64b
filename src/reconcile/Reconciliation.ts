/**
 * The reconciliation run as a service: read the ledger, fetch Skatteetaten's documents, reconcile,
 * and (with `runAndWrite`) write the report to every output. Its ports come from the context —
 * KravData (Skatteetaten's documents), LedgerSourceRegistry (ledgers named by a spec such as
 * `saft:FILE`), ReportSinks (writers per file extension) and Effect's Clock (the report's time) —
 * so the `reconcile` and `demo` commands and a host application all run the same code.
 *
 * With `trekkpaalegg` in the request, the run also reconciles the party's Trekkpålegg against the
 * utleggstrekk accounts (src/trekk/, docs/trekkpaalegg.md) through the TrekkpaaleggClient in the
 * context, and the report carries the section; without it the run is what it always was and needs
 * no Trekkpålegg client (a party without Trekkpålegg access reconciles exactly as before).
 */
import { Clock, Context, Effect, Layer, Option } from "effect"
import { TrekkpaaleggClient, type TrekkpaaleggError } from "../client/TrekkpaaleggClient.ts"
import type { Dato } from "../domain/Dato.ts"
import type { Organisasjonsnummer, PartIdentifikator } from "../domain/PartIdentifikator.ts"
import type { Periode } from "../domain/Periode.ts"
import { reconcileTrekkFrom } from "../trekk/run.ts"
import { type TrekkRequest, TrekkUnavailable } from "../trekk/TrekkRequest.ts"
import { KRAVSYNC_VERSION } from "../version.ts"
import { KravData, type KravDataError } from "./KravData.ts"
import type { LedgerSourceError, LedgerSourceShape } from "./LedgerSource.ts"
import { LedgerSourceRegistry } from "./LedgerSourceRegistry.ts"
import * as Mapping from "./mapping/AccountMapping.ts"
import { reconcile } from "./reconcile.ts"
import type { Report } from "./Report.ts"
import { type ReportSinkError, ReportSinks } from "./ReportSink.ts"
import type { Language } from "./Status.ts"

export interface ReconciliationRequest {
  readonly party: PartIdentifikator
  readonly periode: Periode
  readonly asOf: Dato
  /** A ledger spec the registry resolves (`saft:FILE`, `tripletex`, `fiken`), or a LedgerSource of the host's own. */
  readonly ledger: string | LedgerSourceShape
  /** Read books that name another company (a spec only). */
  readonly force?: boolean | undefined
  /** Default: the NS 4102 standard mapping. */
  readonly mapping?: Mapping.AccountMapping | undefined
  /** Language of the report's texts; default bokmål. */
  readonly language?: Language | undefined
  /**
   * Reconcile the party's Trekkpålegg against the utleggstrekk accounts too, into the report's
   * `trekkpaalegg` section (needs a TrekkpaaleggClient in the context). Default: not.
   */
  readonly trekkpaalegg?: TrekkRequest | undefined
}

export type ReconciliationError = KravDataError | LedgerSourceError | TrekkpaaleggError | TrekkUnavailable

export interface ReconciliationShape {
  /** Reads the ledger and Skatteetaten's documents for the party, and reconciles them. */
  readonly run: (request: ReconciliationRequest) => Effect.Effect<Report, ReconciliationError>
  /** `run`, then the report to every output path (each by the sink for its extension; all paths checked first). */
  readonly runAndWrite: (request: ReconciliationRequest, outputs: ReadonlyArray<string>) => Effect.Effect<Report, ReconciliationError | ReportSinkError>
}

export class Reconciliation extends Context.Tag("kravsync/Reconciliation")<Reconciliation, ReconciliationShape>() {
  /** Built from the ports in the context: KravData, LedgerSourceRegistry, ReportSinks, and TrekkpaaleggClient when there is one. */
  static readonly layer: Layer.Layer<Reconciliation, never, KravData | LedgerSourceRegistry | ReportSinks> = Layer.effect(
    Reconciliation,
    Effect.gen(function*() {
      const data = yield* KravData
      const registry = yield* LedgerSourceRegistry
      const sinks = yield* ReportSinks
      const trekkClient = yield* Effect.serviceOption(TrekkpaaleggClient)
      const run = (r: ReconciliationRequest) =>
        Effect.gen(function*() {
          const mapping = r.mapping ?? Mapping.standard
          const source = typeof r.ledger === "string" ? yield* registry.resolve(r.ledger, { force: r.force ?? false }) : r.ledger
          const ledger = yield* source.read({ company: r.party, periode: r.periode, accounts: Mapping.accounts(mapping) })
          const docs = yield* data.fetch(r.party, r.periode)
          const now = yield* Clock.currentTimeMillis
          const report = reconcile({
            party: r.party,
            partyName: docs.partyName,
            periode: r.periode,
            asOf: r.asOf,
            aapneKrav: docs.aapneKrav,
            krav: docs.krav,
            innbetalinger: docs.innbetalinger,
            utbetalinger: docs.utbetalinger,
            ledger,
            mapping,
            setAside: docs.setAside,
            environment: docs.environment,
            korrelasjonsIder: docs.korrelasjonsIder,
            generatedAt: new Date(now).toISOString(),
            kravsyncVersion: KRAVSYNC_VERSION,
            language: r.language
          })
          const t = r.trekkpaalegg
          if (t === undefined) return report
          // Trekkpålegg are an employer's: a trekkpliktig is an organisasjonsnummer (tilgang.md).
          if (!/^\d{9}$/.test(r.party)) {
            return yield* new TrekkUnavailable({
              reason: "not-an-employer",
              message: "Trekkpålegg are reconciled for an employer (an organisasjonsnummer); this party is a person",
              messageNb: "trekkpålegg avstemmes for en arbeidsgiver (et organisasjonsnummer); denne parten er en person"
            })
          }
          if (Option.isNone(trekkClient)) {
            return yield* new TrekkUnavailable({
              reason: "no-client",
              message: "this program has no Trekkpålegg client: the Trekkpålegg section cannot be made",
              messageNb: "programmet har ingen Trekkpålegg-klient: avsnittet om trekkpålegg kan ikke lages"
            })
          }
          const section = yield* reconcileTrekkFrom(trekkClient.value, source, {
            trekkpliktig: r.party as string as Organisasjonsnummer,
            periode: r.periode,
            asOf: r.asOf,
            mapping: t.mapping,
            loennsgrunnlag: t.loennsgrunnlag,
            options: t.options
          })
          return { ...report, trekkpaalegg: section }
        })
      return {
        run,
        runAndWrite: (request, outputs) =>
          Effect.gen(function*() {
            // Every output is checked before any work: a typo in the second --out must not cost the fetch.
            yield* Effect.forEach(outputs, (o) => sinks.forPath(o), { discard: true })
            const report = yield* run(request)
            yield* sinks.writeAll(report, outputs)
            return report
          })
      }
    })
  )
}
