/**
 * `kravsync reconcile`: fetch Skatteetaten's claims and payments for a party, read the ledger,
 * reconcile, write the report(s) and print a summary per account.
 *
 * The period is checked against the ledger's own before anything is fetched: a ledger that states
 * the period it covers (a SAF-T file's Header/SelectionCriteria, LedgerSourceShape.statedPeriode)
 * decides the period when neither --fra nor --til is given, and a period or --as-of that does not
 * fit it is refused as invalid input (exit 2) naming both periods — so a 2023 file is never
 * reconciled as if it were the books for 2026.
 *
 * Services it uses (provided by the composition root, bin/main.ts):
 * - LedgerSourceRegistry (required): resolves `--ledger saft:FILE | tripletex | fiken`;
 * - KravData (optional when --sandbox-data is given): Skatteetaten's documents;
 * - ReportSinks (optional; JSON only when absent): writers per --out extension.
 *
 * `--trekkpaalegg` (or `--loennsgrunnlag FILE`) adds the party's Trekkpålegg, reconciled against the
 * utleggstrekk accounts of the mapping (2610 by default), as the report's `trekkpaalegg` section and
 * the workbook's *Trekkpålegg* sheet (docs/trekkpaalegg.md). It is asked for, not automatic: a run
 * without it makes no call to the Trekkpålegg API, needs no access to it, and writes the report it
 * always wrote.
 */
import { Command, Options } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import { Console, Effect, Either, Layer, Option, Schema } from "effect"
import * as KravDataLive from "../../client/KravDataLive.ts"
import * as Dato from "../../domain/Dato.ts"
import { formatNok, type Oere } from "../../domain/Money.ts"
import * as PartIdentifikator from "../../domain/PartIdentifikator.ts"
import * as Periode from "../../domain/Periode.ts"
import { ExitCategoryId } from "../../ExitCategory.ts"
import { jsonChunks, JsonReportSink } from "../../reconcile/JsonReportSink.ts"
import { KravData } from "../../reconcile/KravData.ts"
import { LedgerSourceRegistry } from "../../reconcile/LedgerSourceRegistry.ts"
import * as Mapping from "../../reconcile/mapping/AccountMapping.ts"
import { DEFAULT_UTLEGGSTREKK, loadMapping, standardUtleggstrekk, utleggstrekkConflict } from "../../reconcile/mapping/loadMapping.ts"
import { Reconciliation } from "../../reconcile/Reconciliation.ts"
import type { Report } from "../../reconcile/Report.ts"
import { makeSinks, ReportSinks } from "../../reconcile/ReportSink.ts"
import { type ItemKind, itemKindLabel, type Language, type Status, statusLabel } from "../../reconcile/Status.ts"
import * as Database from "../../store/Database.ts"
import { storeReport } from "../../store/StoreReport.ts"
import * as Loennsgrunnlag from "../../trekk/Loennsgrunnlag.ts"
import type { TrekkSection } from "../../trekk/Section.ts"
import { clientLayerFor, clientOptions, resolveSettings } from "../clientSettings.ts"
import { datoProblemNb, partIdentifikatorNb } from "../errorText.ts"
import { commandHelp, count, kravtypeName } from "../format.ts"
import { withProgress } from "../ProgressRenderer.ts"
import { trekkClientLayer } from "./trekkClientLayer.ts"

export class ReconcileInputError extends Schema.TaggedError<ReconcileInputError>()("ReconcileInputError", {
  option: Schema.String,
  message: Schema.String,
  /** The same in bokmål, printed under the default language (src/cli/errorText.ts). */
  messageNb: Schema.optional(Schema.String)
}) {
  readonly [ExitCategoryId] = "input" as const
}

const part = Options.text("part").pipe(
  Options.withDescription("organisasjonsnummer (spaces and NO…MVA accepted) or fødselsnummer of the party whose tax account is reconciled")
)
const ledger = Options.text("ledger").pipe(
  Options.withDescription(
    "the books: saft:FILE (a SAF-T Financial export from any system), tripletex or tripletex:COMPANY-ID, fiken or fiken:COMPANY (settings: docs/connectors.md)"
  )
)
const asOf = Options.text("as-of").pipe(
  Options.optional,
  Options.withDescription("the date balances are compared at: YYYY-MM-DD or dd.mm.yyyy. Default: today, or the period's last day if that is earlier")
)
const fra = Options.text("fra").pipe(
  Options.optional,
  Options.withDescription(
    "first day of the period: YYYY-MM-DD or dd.mm.yyyy. Default: the first day of the period the ledger states (a SAF-T file's header); else 1 January of the as-of year"
  )
)
const til = Options.text("til").pipe(
  Options.optional,
  Options.withDescription("last day of the period: YYYY-MM-DD or dd.mm.yyyy. Default: the last day of the period the ledger states; else the as-of date")
)
const mapping = Options.file("mapping").pipe(
  Options.optional,
  Options.withDescription(
    "JSON file mapping kravtyper to ledger accounts (docs/reconciliation.md). Default: the standard chart (2740 merverdiavgift, 2770 arbeidsgiveravgift, 2600 forskuddstrekk, 2500/2510 skatt)"
  )
)
const force = Options.boolean("force").pipe(
  Options.withDescription("read books that name another company than --part. Default: off (such books are refused, exit 2)")
)
const out = Options.text("out").pipe(
  Options.repeated,
  Options.withDescription(
    "a report to write; the extension picks the format: .xlsx (the workbook) or .json; - writes the JSON report to stdout. Repeat for several. Default: none, only the summary is printed"
  )
)
const failOnAttention = Options.boolean("fail-on-attention").pipe(
  Options.withDescription("exit with code 6 when something needs follow-up (for scripts); the reports are written first. Default: off (exit 0)")
)

/** Reconciled and written, but something needs follow-up: exit 6 when `--fail-on-attention` asks for it. */
export class FollowUpNeeded extends Schema.TaggedError<FollowUpNeeded>()("FollowUpNeeded", { rows: Schema.Array(Schema.String) }) {
  readonly [ExitCategoryId] = "attention" as const
  override get message() {
    return `the reconciliation needs follow-up on ${this.rows.join(", ") || "the report as a whole"}`
  }
  get messageNb() {
    return `avstemmingen må følges opp på ${this.rows.join(", ") || "rapporten som helhet"}`
  }
}
const store = Options.text("store").pipe(
  Options.optional,
  Options.withDescription(
    "keep the report in the store of runs and sign-offs in this folder (libSQL file kravsync.db; PostgreSQL when KRAVSYNC_DATABASE_URL is set), shared with kravsync serve, and show each follow-up item's earlier sign-off (kjent avvik) in the reports. Default: no store"
  )
)
const quiet = Options.boolean("quiet").pipe(
  Options.withDescription("no progress and no notes on stderr; the summary, the reports and errors still come. Default: off")
)
const trekkpaalegg = Options.boolean("trekkpaalegg").pipe(
  Options.withDescription(
    "also reconcile the party's Trekkpålegg (withholding orders) against the utleggstrekk accounts (2610, or the mapping file's utleggstrekk): a trekkpaalegg section in the JSON report, a Trekkpålegg sheet in the workbook (docs/trekkpaalegg.md). Needs access to the Trekkpålegg API. Default: off"
  )
)
const loennsgrunnlag = Options.file("loennsgrunnlag").pipe(
  Options.optional,
  Options.withDescription(
    "gross pay per employee and month (JSON or CSV, docs/trekkpaalegg.md) for percentage Trekkpålegg; implies --trekkpaalegg. Default: none (percentage orders are reported as krever lønnsgrunnlag)"
  )
)
const lang = Options.choice("lang", ["nb", "en"]).pipe(
  Options.withDefault("nb" as const),
  Options.withDescription("language of the summary, the notes and the reports' explanations: nb (bokmål) or en (English). Default: nb")
)

const dato = (option: string, value: string) =>
  Either.match(Dato.parse(value), {
    onLeft: (message) => Effect.fail(new ReconcileInputError({ option, message: `${option}: ${message}`, messageNb: `${option}: ${datoProblemNb(message)}` })),
    onRight: (d) => Effect.succeed(d)
  })

const span = (p: Periode.Periode) => `${p.fraOgMed}–${p.tilOgMed}`

/** What the user gave (undefined = not given) and what the ledger says about itself. */
export interface PeriodeChoice {
  readonly fra?: Dato.Dato | undefined
  readonly til?: Dato.Dato | undefined
  readonly asOf?: Dato.Dato | undefined
  readonly today: Dato.Dato
  /** The period the ledger states it covers, when it states one. */
  readonly stated?: Periode.Periode | undefined
  /** How to name the ledger in a message: "the SAF-T file", "the ledger"; `ledgerNameNb` in bokmål. */
  readonly ledgerName?: string
  readonly ledgerNameNb?: string
}

/**
 * The period and as-of date to reconcile. Without a stated ledger period: --as-of or today (or
 * --til if earlier), --fra or 1 January of the as-of year, --til or the as-of date. With one:
 * --fra/--til default to its start/end and --as-of to min(end, today), and a --fra or --til outside
 * it is refused. An --as-of before the period starts is refused too. Refusals are
 * ReconcileInputError (exit 2) naming the option, the dates and the ledger's period.
 */
export const choosePeriode = (c: PeriodeChoice): Either.Either<{ readonly periode: Periode.Periode; readonly asOf: Dato.Dato }, ReconcileInputError> => {
  const stated = c.stated
  const ledger = c.ledgerName ?? "the ledger"
  const ledgerNb = c.ledgerNameNb ?? "regnskapet"
  if (stated !== undefined) {
    const outside = (d: Dato.Dato) => d < stated.fraOgMed || d > stated.tilOgMed
    const refuse = (option: "--fra" | "--til", d: Dato.Dato) =>
      Either.left(
        new ReconcileInputError({
          option,
          message: `${option} ${d} asks for books ${option === "--fra" ? "from" : "up to"} ${d}, but ${ledger} covers ${
            span(stated)
          }: the books cannot answer for days outside it. Give --fra/--til inside ${span(stated)}, or leave both out to reconcile the ledger's own period.`,
          messageNb: `${option} ${d} ber om regnskap ${option === "--fra" ? "fra" : "til og med"} ${d}, men ${ledgerNb} dekker ${
            span(stated)
          }: regnskapet kan ikke svare for dager utenfor. Oppgi --fra/--til innenfor ${
            span(stated)
          }, eller utelat begge for å avstemme regnskapets egen periode.`
        })
      )
    if (c.fra !== undefined && outside(c.fra)) return refuse("--fra", c.fra)
    if (c.til !== undefined && outside(c.til)) return refuse("--til", c.til)
  }
  const til = c.til ?? stated?.tilOgMed
  const asOfDate = c.asOf ?? (til !== undefined ? Dato.min(til, c.today) : c.today)
  const fraDate = c.fra ?? stated?.fraOgMed ?? (`${asOfDate.slice(0, 4)}-01-01` as Dato.Dato)
  const made = Periode.make(fraDate, til ?? asOfDate)
  if (Either.isLeft(made)) {
    const p = made.left
    return Either.left(
      new ReconcileInputError({
        option: p.field === "fraOgMed" ? "--fra" : "--til",
        message: p.message,
        messageNb: p.field === "periode" ? `--til ${til ?? asOfDate} er før --fra ${fraDate}` : undefined
      })
    )
  }
  const periode = made.right
  if (asOfDate < periode.fraOgMed) {
    return Either.left(
      new ReconcileInputError({
        option: "--as-of",
        message: `--as-of ${asOfDate}${c.asOf === undefined ? " (default)" : ""} is before the period starts: the period is ${span(periode)}${
          stated !== undefined ? ` (${ledger} covers ${span(stated)})` : ""
        }; give an --as-of inside it`,
        messageNb: `--as-of ${asOfDate}${c.asOf === undefined ? " (standardverdien)" : ""} er før perioden begynner: perioden er ${span(periode)}${
          stated !== undefined ? ` (${ledgerNb} dekker ${span(stated)})` : ""
        }; oppgi en --as-of innenfor den`
      })
    )
  }
  return Either.right({ periode, asOf: asOfDate })
}

export const reconcileCommand = Command.make(
  "reconcile",
  { part, ledger, asOf, fra, til, mapping, force, out, lang, failOnAttention, quiet, store, trekkpaalegg, loennsgrunnlag, ...clientOptions },
  (args) =>
    Effect.gen(function*() {
      const party = yield* Either.match(PartIdentifikator.parse(args.part), {
        onLeft: (e) => Effect.fail(new ReconcileInputError({ option: "--part", message: e.message, messageNb: partIdentifikatorNb(e) })),
        onRight: (p) => Effect.succeed(p)
      })
      const given = (option: string, o: Option.Option<string>) => (Option.isSome(o) ? dato(option, o.value) : Effect.succeed(undefined))
      // Notes on stderr are for whoever watches; --quiet leaves only the summary, the reports and errors.
      const info = (line: string) => (args.quiet ? Effect.void : Console.error(line))
      const fraOpt = yield* given("--fra", args.fra)
      const tilOpt = yield* given("--til", args.til)
      const asOfOpt = yield* given("--as-of", args.asOf)
      // The ledger first: its stated period (a SAF-T header) decides or bounds the period.
      const registry = yield* LedgerSourceRegistry
      const source = yield* registry.resolve(args.ledger, { force: args.force })
      const stated = source.statedPeriode === undefined ? undefined : yield* source.statedPeriode()
      const mappingFile = Option.isSome(args.mapping) ? yield* loadMapping(args.mapping.value) : undefined
      const accountMapping = mappingFile ?? Mapping.standard
      // Trekkpålegg only when asked for: the accounts from the same mapping file, the pay from --loennsgrunnlag.
      const withTrekk = args.trekkpaalegg || Option.isSome(args.loennsgrunnlag)
      const utleggstrekk = mappingFile?.utleggstrekk ?? standardUtleggstrekk
      if (withTrekk && !/^\d{9}$/.test(party)) {
        // Refused before anything is fetched (the service would refuse it after the tax account's run).
        return yield* new ReconcileInputError({
          option: "--trekkpaalegg",
          message: "--trekkpaalegg: Trekkpålegg are an employer's (an organisasjonsnummer); --part is a person",
          messageNb: "--trekkpaalegg: trekkpålegg gjelder en arbeidsgiver (et organisasjonsnummer); --part er en person"
        })
      }
      if (withTrekk && utleggstrekk.accounts === DEFAULT_UTLEGGSTREKK) {
        // 2610 taken by a kravgruppe of the file: the file must say where utleggstrekk is.
        const conflict = utleggstrekkConflict(accountMapping, DEFAULT_UTLEGGSTREKK)
        if (conflict !== undefined) return yield* conflict
      }
      const payroll = Option.isNone(args.loennsgrunnlag) ? undefined : yield* readPayroll(args.loennsgrunnlag.value)
      const chosen = choosePeriode({
        fra: fraOpt,
        til: tilOpt,
        asOf: asOfOpt,
        today: Dato.todayInOslo(),
        stated,
        ledgerName: source.system === "saft" ? "the SAF-T file" : `the ${source.system} ledger`,
        ledgerNameNb: source.system === "saft" ? "SAF-T-filen" : `regnskapet i ${source.system}`
      })
      if (Either.isLeft(chosen) && stated !== undefined) {
        // Someone else's books is the more basic mistake: let the source say so first (a SAF-T
        // read stops at the header then). Only on this error path is the ledger read twice.
        yield* source.read({ company: party, periode: stated, accounts: Mapping.accounts(accountMapping) })
      }
      const { periode, asOf: asOfDate } = yield* chosen
      if (stated !== undefined && fraOpt === undefined && tilOpt === undefined) {
        yield* info(
          args.lang === "en"
            ? `Reconciling ${span(periode)}, the period the ledger states (${args.ledger}); give --fra/--til for part of it.`
            : `Avstemmer ${span(periode)}, perioden regnskapet selv oppgir (${args.ledger}); bruk --fra/--til for en del av den.`
        )
      }
      if (args.out.length === 0) {
        yield* info(args.lang === "en" ? "No --out given: printing the summary only." : "Ingen --out gitt: skriver bare sammendraget.")
      }

      // The same connection settings as every command that talks to Skatteetaten (flags, --config,
      // KRAVSYNC_*; the sandbox by default, with --sandbox-data scenarios loaded into it), one client
      // per run, fetched through like any environment (so the report shows real korrelasjonsids).
      const settings = yield* resolveSettings(args)
      // With Trekkpålegg, both clients share one connection (one sandbox, one Maskinporten client).
      const connection = withTrekk ? yield* Layer.memoize(clientLayerFor(settings, args.sandboxData)) : clientLayerFor(settings, args.sandboxData)
      const data = yield* Effect.provide(KravData, KravDataLive.layerLazy(connection))
      // `--out -`: the JSON report is the document on stdout, so the summary moves to stderr.
      const toStdout = args.out.includes("-")
      const files = args.out.filter((o) => o !== "-")
      const sinks = Option.getOrElse(yield* Effect.serviceOption(ReportSinks), () => makeSinks([JsonReportSink]))
      const request = {
        party,
        periode,
        asOf: asOfDate,
        ledger: source,
        mapping: accountMapping,
        language: args.lang,
        trekkpaalegg: withTrekk ? { mapping: utleggstrekk, loennsgrunnlag: payroll } : undefined
      }
      const report = yield* Effect.flatMap(Reconciliation, (r) =>
        Option.isNone(args.store) ? r.runAndWrite(request, files) : Effect.gen(function*() {
          // With a store: every output path checked first, the report kept as a finished run, and the
          // party's earlier sign-offs carried forward into what is written (src/store/StoreReport.ts).
          yield* Effect.forEach(files, (o) => sinks.forPath(o), { discard: true })
          const made = yield* r.run(request)
          const { carryForward } = yield* storeReport(made, { ledger: args.ledger }).pipe(
            Effect.provide(Database.layerFromConfig(Option.getOrUndefined(args.store)))
          )
          const carried = { ...made, carryForward }
          yield* sinks.writeAll(carried, files)
          yield* info(
            args.lang === "en"
              ? `Store: ${carryForward.known} known difference(s) signed off earlier, ${carryForward.followUp} to follow up (${carryForward.reopened} reopened).`
              : `Lager: ${carryForward.known} kjente avvik kvittert tidligere, ${carryForward.followUp} å følge opp (${carryForward.reopened} gjenåpnet).`
          )
          return carried
        })).pipe(
          Effect.provide(
            Reconciliation.layer.pipe(
              Layer.provide(
                Layer.mergeAll(
                  Layer.succeed(KravData, data),
                  Layer.succeed(ReportSinks, sinks),
                  Layer.succeed(LedgerSourceRegistry, registry),
                  withTrekk ? trekkClientLayer(settings, connection) : Layer.empty
                )
              )
            )
          )
        )
      if (toStdout) {
        yield* Effect.sync(() => {
          for (const chunk of jsonChunks(report)) {
            process.stdout.write(chunk)
          }
        })
      }
      const note = toStdout ? Console.error : Console.log
      yield* note(summary(report, args.lang))
      for (const o of files) {
        yield* note(`${args.lang === "en" ? "Wrote" : "Skrev"} ${o}`)
      }
      const trekkAttention = report.trekkpaalegg?.needsAttention === true
      if (args.failOnAttention && (report.totals.needsAttention || trekkAttention)) {
        return yield* new FollowUpNeeded({
          rows: [
            ...report.accounts.filter((a) => a.needsAttention).map((a) => a.key),
            ...(trekkAttention ? [`Trekkpålegg (${report.trekkpaalegg?.accounts.join("+") ?? ""})`] : [])
          ]
        })
      }
    }).pipe(Effect.scoped, withProgress(args.lang, args.quiet))
).pipe(Command.withDescription(commandHelp({
  purpose: "Reconcile what Skatteetaten says the party owes and has paid against the books, account by account, to the øre",
  details: [
    "Fetches the party's claims, payments and refunds, reads the ledger, matches them, prints a summary per tax account (Skatteetaten, the books, the difference and how much of it is unexplained) and writes the reports --out names. The period is the ledger's own when it states one. Skatteetaten is the built-in sandbox unless --env, --config or KRAVSYNC_ENV say otherwise (docs/client.md).",
    "With --trekkpaalegg (or --loennsgrunnlag FILE) the employer's Trekkpålegg are reconciled against 2610 in the same run: a trekkpaalegg section in the JSON report, a Trekkpålegg sheet in the workbook (docs/trekkpaalegg.md)."
  ],
  examples: [
    [
      "kravsync reconcile --part 313367002 --ledger saft:regnskap-2025.xml --env prod --config settings.json --out avstemming.xlsx",
      "reconcile a SAF-T export for the period it states against Skatteetaten's production API; write the workbook"
    ],
    [
      "kravsync reconcile --part 212201782 --ledger saft:sandbox/demo/212201782-2023.xml --fra 2023-01-01 --til 2023-09-01 --as-of 2023-09-01 --out report.json --out report.xlsx",
      "against the sandbox, part of the year, both reports"
    ],
    [
      "kravsync reconcile --part 313367002 --ledger tripletex --as-of 30.06.2025 --out - --fail-on-attention --lang en",
      "Tripletex books; the JSON report to stdout, the summary in English on stderr, exit 6 when something needs follow-up"
    ]
  ]
})))

const nok = (o: Oere) => formatNok(o, { grouping: " " })

/** Reads `--loennsgrunnlag FILE`; a bad file or row is invalid input naming the option. */
const readPayroll = (file: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs.readFileString(file).pipe(
      Effect.mapError((e) =>
        new ReconcileInputError({ option: "--loennsgrunnlag", message: `cannot read ${file}: ${e.message}`, messageNb: `kan ikke lese ${file}: ${e.message}` })
      )
    )
    const data = yield* Either.mapLeft(Loennsgrunnlag.parse(text, file), (e) =>
      new ReconcileInputError({ option: "--loennsgrunnlag", message: e.message, messageNb: e.messageNb }))
    return { source: file, data }
  })

/** The Trekkpålegg lines of the terminal summary. */
const trekkSummary = (s: TrekkSection, en: boolean): ReadonlyArray<string> => [
  en
    ? `Trekkpålegg on ${s.accounts.join("+")}: ${count(s.orders.length, "order", "orders")}, to withhold ${nok(s.totals.expected)}, withheld ${
      nok(s.totals.withheld)
    }, paid ${nok(s.totals.paid)}, owed ${nok(s.totals.closingOwed)} (overdue ${nok(s.totals.overdue)})`
    : `Trekkpålegg på ${s.accounts.join("+")}: ${count(s.orders.length, "trekkpålegg", "trekkpålegg")}, skal trekkes ${nok(s.totals.expected)}, trukket ${
      nok(s.totals.withheld)
    }, betalt ${nok(s.totals.paid)}, skyldig ${nok(s.totals.closingOwed)} (forfalt ${nok(s.totals.overdue)})`,
  ...(s.totals.monthsNeedingPayroll > 0
    ? [
      en
        ? `  ${s.totals.monthsNeedingPayroll} order-months need the payroll (--loennsgrunnlag)`
        : `  ${s.totals.monthsNeedingPayroll} trekk-måneder krever lønnsgrunnlag (--loennsgrunnlag)`
    ]
    : []),
  ...(s.findings.length === 0
    ? [en ? "  no findings" : "  ingen avvik"]
    : [`  ${en ? "Findings" : "Avvik"}: ${s.findings.length}${s.needsAttention ? (en ? "  ! check" : "  ! følg opp") : ""}`])
]

const kindPlural: Record<ItemKind, Record<Language, string>> = {
  kravforfall: { nb: "Kravforfall", en: "Claim instalments" },
  renter: { nb: "Stipulerte renter", en: "Stipulated interest" },
  innbetaling: { nb: "Innbetalinger", en: "Payments" },
  utbetaling: { nb: "Utbetalinger", en: "Disbursements" },
  motregning: { nb: "Motregninger", en: "Set-offs" },
  bilagslinje: { nb: "Bilagslinjer", en: "Ledger entries" }
}

/** "Bilagslinjer: 2 avstemt, 1 bare i regnskapet" — one group per kind, the kind in the number of its items. */
const statusCounts = (byStatus: ReadonlyArray<{ readonly kind: ItemKind; readonly status: Status; readonly count: number }>, language: Language) => {
  const kinds = [...new Set(byStatus.filter((s) => s.count > 0).map((s) => s.kind))]
  return kinds.map((kind) => {
    const xs = byStatus.filter((s) => s.kind === kind && s.count > 0)
    const total = xs.reduce((n, s) => n + s.count, 0)
    const label = total === 1 ? itemKindLabel(kind, language) : kindPlural[kind][language]
    return `${label}: ${xs.map((s) => `${s.count} ${statusLabel(s.status, language).toLowerCase()}`).join(", ")}`
  }).join("; ")
}

/**
 * The terminal summary: one row per account, with the counts of its items by status below it.
 * The columns are as wide as their widest value, so no amount runs into the next column.
 */
export const summary = (r: Report, language: Language = "nb"): string => {
  const en = language === "en"
  const lines: Array<string> = []
  lines.push(
    `${en ? "Reconciliation" : "Avstemming"} ${r.metadata.party}${
      r.metadata.partyName ? ` ${r.metadata.partyName}` : ""
    } ${r.metadata.periode.fraOgMed}–${r.metadata.periode.tilOgMed}, ${en ? "as of" : "per"} ${r.metadata.asOf}`
  )
  lines.push(`${en ? "Ledger" : "Regnskap"}: ${r.metadata.ledger.description}`)
  const stated = r.metadata.ledger.statedPeriode
  if (stated !== undefined) {
    lines.push(`${en ? "The ledger covers" : "Regnskapet dekker"} ${span(stated)}; ${en ? "reconciled" : "avstemt"} ${span(r.metadata.periode)}`)
  }
  lines.push("")
  const key = (k: string) => (en && k === Mapping.UNMAPPED_ROW ? "(no account)" : k)
  const header = [en ? "Account" : "Konto", "Skatteetaten", en ? "Ledger" : "Regnskap", en ? "Difference" : "Differanse", en ? "Unexplained" : "Uforklart"]
  const rows = r.accounts.map((a) => [key(a.key), nok(a.skatteetaten.saldo), nok(a.ledger.saldo), nok(a.difference), nok(a.unexplained)])
  const total = [en ? "Total" : "Sum", nok(r.totals.skatteetatenSaldo), nok(r.totals.ledgerSaldo), nok(r.totals.difference), nok(r.totals.unexplained)]
  // At least the widths of earlier versions (16 for the account, 14 per amount), wider when a value needs it.
  const widths = header.map((_, i) => Math.max(i === 0 ? 16 : 14, ...[header, ...rows, total].map((row) => (row[i] ?? "").length)))
  const line = (row: ReadonlyArray<string>) => row.map((c, i) => (i === 0 ? c.padEnd(widths[0] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ")
  lines.push(line(header))
  r.accounts.forEach((a, i) => {
    lines.push(`${line(rows[i] ?? [])}${a.needsAttention ? (en ? "  ! check" : "  ! følg opp") : ""}`)
    const counts = statusCounts(a.byStatus, language)
    if (counts.length > 0) lines.push(`  ${counts}`)
  })
  lines.push("")
  lines.push(line(total))
  if (r.setAside.length > 0) lines.push(`${en ? "Set aside" : "Satt til side"}: ${r.setAside.length}`)
  if (r.ledgerNotes.length > 0) {
    const kinds = [...new Set(r.ledgerNotes.map((n) => n.kind))].join(", ")
    lines.push(`${en ? "Notes on the ledger" : "Merknader om regnskapet"}: ${r.ledgerNotes.length} (${kinds}; ${en ? "see the report" : "se rapporten"})`)
  }
  if (r.unmappedCodes.length > 0) {
    lines.push(
      `${en ? "Kravtyper with no account" : "Kravtyper uten konto"}: ${
        r.unmappedCodes.map((u) => `${kravtypeName(u.kravtype)}, ${count(u.claims, en ? "claim" : "krav", en ? "claims" : "krav")}`).join("; ")
      }`
    )
  }
  if (r.trekkpaalegg !== undefined) lines.push(...trekkSummary(r.trekkpaalegg, en))
  if (!r.totals.conserved || r.trekkpaalegg?.totals.conserved === false) {
    lines.push(en ? "ERROR: items were lost or counted twice" : "FEIL: poster gikk tapt eller ble telt to ganger")
  }
  const attention = r.totals.needsAttention || r.trekkpaalegg?.needsAttention === true
  lines.push(attention ? (en ? "Needs attention." : "Trenger oppfølging.") : en ? "Everything reconciles." : "Alt er avstemt.")
  return lines.join("\n")
}

/** For tests: the FileSystem requirement is satisfied by NodeContext in the real CLI. */
export type ReconcileCommandRequirements = LedgerSourceRegistry | FileSystem.FileSystem
