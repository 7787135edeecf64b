/**
 * `kravsync reconcile`: fetch Skatteetaten's claims and payments for a party, read the ledger,
 * reconcile, write the report(s) and print a summary per account.
 *
 * Services it uses (provided by the composition root, bin/main.ts):
 * - LedgerSourceRegistry (required): resolves `--ledger saft:FILE | tripletex | fiken`;
 * - KravData (optional when --sandbox-data is given): Skatteetaten's documents;
 * - ReportSinks (optional; JSON only when absent): writers per --out extension.
 */
import { Command, Options } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import { Console, Effect, Either, Option, Schema } from "effect"
import * as Dato from "../../domain/Dato.ts"
import { formatNok, type Oere } from "../../domain/Money.ts"
import * as PartIdentifikator from "../../domain/PartIdentifikator.ts"
import * as Periode from "../../domain/Periode.ts"
import { JsonReportSink } from "../../reconcile/JsonReportSink.ts"
import * as KravDataLive from "../../client/KravDataLive.ts"
import { KravData, type KravDataShape } from "../../reconcile/KravData.ts"
import { LedgerSourceRegistry } from "../../reconcile/LedgerSourceRegistry.ts"
import * as Mapping from "../../reconcile/mapping/AccountMapping.ts"
import { loadMapping } from "../../reconcile/mapping/loadMapping.ts"
import { reconcile } from "../../reconcile/reconcile.ts"
import type { Report } from "../../reconcile/Report.ts"
import { makeSinks, ReportSinks } from "../../reconcile/ReportSink.ts"
import { itemKindLabel, type Language, statusLabel } from "../../reconcile/Status.ts"
import pkg from "../../../package.json" with { type: "json" }

export class ReconcileInputError extends Schema.TaggedError<ReconcileInputError>()("ReconcileInputError", {
  option: Schema.String,
  message: Schema.String
}) {}

const part = Options.text("part").pipe(Options.withDescription("organisasjonsnummer or fødselsnummer of the party to reconcile"))
const ledger = Options.text("ledger").pipe(Options.withDescription("the books: saft:FILE, tripletex, fiken, …"))
const asOf = Options.text("as-of").pipe(Options.optional, Options.withDescription("reconcile balances at this date (YYYY-MM-DD; default: today, or --til if earlier)"))
const fra = Options.text("fra").pipe(Options.optional, Options.withDescription("period start (default: 1 January of the as-of year)"))
const til = Options.text("til").pipe(Options.optional, Options.withDescription("period end (default: the as-of date)"))
const mapping = Options.file("mapping").pipe(Options.optional, Options.withDescription("JSON account mapping (docs/reconciliation.md)"))
const sandboxData = Options.directory("sandbox-data").pipe(Options.optional, Options.withDescription("read Skatteetaten's responses from saved JSON files in DIR"))
const force = Options.boolean("force").pipe(Options.withDescription("read books that name another company"))
const out = Options.text("out").pipe(Options.repeated, Options.withDescription("report file; repeat for several; the extension picks the format (.json, .xlsx)"))
const lang = Options.choice("lang", ["nb", "en"]).pipe(Options.withDefault("nb" as const), Options.withDescription("language of explanations"))

const dato = (option: string, value: string) =>
  Either.match(Dato.parse(value), {
    onLeft: (message) => Effect.fail(new ReconcileInputError({ option, message })),
    onRight: (d) => Effect.succeed(d)
  })

/** What one reconciliation needs; the `reconcile` and `demo` commands both run it. */
export interface ReconciliationRun {
  readonly party: PartIdentifikator.PartIdentifikator
  readonly periode: Periode.Periode
  readonly asOf: Dato.Dato
  /** A `--ledger` spec: saft:FILE, tripletex, fiken. */
  readonly ledger: string
  readonly force: boolean
  readonly mapping: Mapping.AccountMapping
  readonly language: Language
  readonly data: KravDataShape
}

/** Reads the ledger and Skatteetaten's documents for a party, and reconciles them. */
export const runReconciliation = (r: ReconciliationRun) =>
  Effect.gen(function* () {
    const registry = yield* LedgerSourceRegistry
    const source = yield* registry.resolve(r.ledger, { force: r.force })
    const snapshot = yield* source.read({ company: r.party, periode: r.periode, accounts: Mapping.accounts(r.mapping) })
    const docs = yield* r.data.fetch(r.party, r.periode)
    return reconcile({
      party: r.party,
      partyName: docs.partyName,
      periode: r.periode,
      asOf: r.asOf,
      aapneKrav: docs.aapneKrav,
      krav: docs.krav,
      innbetalinger: docs.innbetalinger,
      ledger: snapshot,
      mapping: r.mapping,
      setAside: docs.setAside,
      environment: docs.environment,
      korrelasjonsIder: docs.korrelasjonsIder,
      generatedAt: new Date().toISOString(),
      kravsyncVersion: pkg.version,
      language: r.language
    })
  })

export const reconcileCommand = Command.make(
  "reconcile",
  { part, ledger, asOf, fra, til, mapping, sandboxData, force, out, lang },
  (args) =>
    Effect.gen(function* () {
      const party = yield* Either.match(PartIdentifikator.parse(args.part), {
        onLeft: (e) => Effect.fail(new ReconcileInputError({ option: "--part", message: e.message })),
        onRight: (p) => Effect.succeed(p)
      })
      const today = Dato.todayInOslo()
      const tilOpt = Option.isSome(args.til) ? yield* dato("--til", args.til.value) : undefined
      const asOfDate = Option.isSome(args.asOf) ? yield* dato("--as-of", args.asOf.value) : tilOpt !== undefined ? Dato.min(tilOpt, today) : today
      const fraDate = Option.isSome(args.fra) ? yield* dato("--fra", args.fra.value) : (`${asOfDate.slice(0, 4)}-01-01` as Dato.Dato)
      const periode = yield* Either.match(Periode.make(fraDate, tilOpt ?? asOfDate), {
        onLeft: (p) => Effect.fail(new ReconcileInputError({ option: p.field === "fraOgMed" ? "--fra" : "--til", message: p.message })),
        onRight: (p) => Effect.succeed(p)
      })
      if (args.out.length === 0) yield* Console.error("Ingen --out gitt: skriver bare sammendraget.")

      const accountMapping = Option.isSome(args.mapping) ? yield* loadMapping(args.mapping.value) : Mapping.standard
      // --sandbox-data loads scenarios into the in-process sandbox, and the claims are fetched through
      // the client like any other environment (so the report shows real korrelasjonsids).
      const data = Option.isSome(args.sandboxData)
        ? KravDataLive.fromSandbox(args.sandboxData.value)
        : yield* Effect.flatMap(Effect.serviceOption(KravData), (o) =>
            Option.isSome(o)
              ? Effect.succeed(o.value)
              : Effect.fail(new ReconcileInputError({ option: "--sandbox-data", message: "no Skatteetaten client is configured; give --sandbox-data DIR" }))
          )
      const report = yield* runReconciliation({ party, periode, asOf: asOfDate, ledger: args.ledger, force: args.force, mapping: accountMapping, language: args.lang, data })

      const sinks = Option.getOrElse(yield* Effect.serviceOption(ReportSinks), () => makeSinks([JsonReportSink]))
      yield* sinks.writeAll(report, args.out)
      yield* Console.log(summary(report, args.lang))
      for (const o of args.out) yield* Console.log(`Skrev ${o}`)
    })
).pipe(Command.withDescription("Reconcile Skatteetaten's claims and payments against the ledger"))

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length))
const lpad = (s: string, n: number) => (s.length >= n ? s : " ".repeat(n - s.length) + s)
const nok = (o: Oere) => formatNok(o, { grouping: " " })

/** The terminal summary: one block per account row. */
export const summary = (r: Report, language: Language = "nb"): string => {
  const en = language === "en"
  const lines: Array<string> = []
  lines.push(`${en ? "Reconciliation" : "Avstemming"} ${r.metadata.party}${r.metadata.partyName ? ` ${r.metadata.partyName}` : ""} ${r.metadata.periode.fraOgMed}–${r.metadata.periode.tilOgMed}, ${en ? "as of" : "per"} ${r.metadata.asOf}`)
  lines.push(`${en ? "Ledger" : "Regnskap"}: ${r.metadata.ledger.description}`)
  lines.push("")
  lines.push(`${pad(en ? "Account" : "Konto", 18)}${lpad("Skatteetaten", 16)}${lpad(en ? "Ledger" : "Regnskap", 16)}${lpad(en ? "Difference" : "Differanse", 16)}${lpad(en ? "Unexplained" : "Uforklart", 16)}`)
  for (const a of r.accounts) {
    lines.push(`${pad(a.key, 18)}${lpad(nok(a.skatteetaten.saldo), 16)}${lpad(nok(a.ledger.saldo), 16)}${lpad(nok(a.difference), 16)}${lpad(nok(a.unexplained), 16)}${a.needsAttention ? (en ? "  ! check" : "  ! følg opp") : ""}`)
    const counts = a.byStatus.filter((s) => s.count > 0).map((s) => `${itemKindLabel(s.kind, language)}: ${statusLabel(s.status, language).toLowerCase()} ${s.count}`)
    if (counts.length > 0) lines.push(`  ${counts.join(", ")}`)
  }
  lines.push("")
  lines.push(`${pad(en ? "Total" : "Sum", 18)}${lpad(nok(r.totals.skatteetatenSaldo), 16)}${lpad(nok(r.totals.ledgerSaldo), 16)}${lpad(nok(r.totals.difference), 16)}${lpad(nok(r.totals.unexplained), 16)}`)
  if (r.setAside.length > 0) lines.push(`${en ? "Set aside" : "Satt til side"}: ${r.setAside.length}`)
  if (r.unmappedCodes.length > 0) lines.push(`${en ? "Unmapped kravtyper" : "Kravtyper uten konto"}: ${r.unmappedCodes.map((u) => u.kravtype).join(", ")}`)
  if (!r.totals.conserved) lines.push(en ? "ERROR: items were lost or counted twice" : "FEIL: poster gikk tapt eller ble telt to ganger")
  lines.push(r.totals.needsAttention ? (en ? "Needs attention." : "Trenger oppfølging.") : en ? "Everything reconciles." : "Alt er avstemt.")
  return lines.join("\n")
}

/** For tests: the FileSystem requirement is satisfied by NodeContext in the real CLI. */
export type ReconcileCommandRequirements = LedgerSourceRegistry | FileSystem.FileSystem
