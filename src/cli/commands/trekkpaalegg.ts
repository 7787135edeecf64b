/**
 * `kravsync trekkpaalegg <trekkpliktig>`: the employer's current Trekkpålegg, polled from a
 * watermark (`--fra-sekvensnummer`, or the one stored in `--state FILE`) in pages of
 * `--maks-antall` until a short page, the new watermark stored back; `--trekkid ID --versjon N`
 * fetches one version. `kravsync trekkavstemming`: the Trekkpålegg reconciliation against 2610
 * alone, written as its JSON section and a workbook with the *Trekkpålegg* sheet.
 *
 * The client is built on the same connection settings as the other commands (docs/client.md):
 * the sandbox by default (its Trekkpålegg API beside Krav og betalinger), Skatteetaten's test
 * environment at https://api-test.sits.no (apispesifikasjon/index.md), and for prod or custom an
 * explicit `--api-url` (the production URL is not published). stdout carries only the document or
 * the table; notes go to stderr. The table masks the skyldner; JSON is the API's own document.
 */
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Either, Layer, Option, Schema } from "effect"
import { readFileSync, renameSync, writeFileSync } from "node:fs"
import { Maskinporten } from "../../auth/Maskinporten.ts"
import { RunningSandbox } from "../../client/SandboxEnvironment.ts"
import { resilienceFor, type Settings } from "../../client/Settings.ts"
import * as Watermark from "../../client/trekkpaalegg/Watermark.ts"
import { make, TrekkpaaleggClient } from "../../client/TrekkpaaleggClient.ts"
import * as Dato from "../../domain/Dato.ts"
import { formatNok } from "../../domain/Money.ts"
import * as PartIdentifikator from "../../domain/PartIdentifikator.ts"
import * as Periode from "../../domain/Periode.ts"
import * as T from "../../domain/trekkpaalegg/Trekkpaalegg.ts"
import * as Pct from "../../domain/trekkpaalegg/Trekkprosent.ts"
import { ExitCategoryId } from "../../ExitCategory.ts"
import * as Loennsgrunnlag from "../../trekk/Loennsgrunnlag.ts"
import { runTrekk } from "../../trekk/run.ts"
import { encodeJson, type TrekkSection } from "../../trekk/Section.ts"
import * as TrekkMapping from "../../trekk/TrekkMapping.ts"
import { TrekkWorkbook } from "../../trekk/TrekkWorkbook.ts"
import { type ClientArgs, clientLayerFor, clientOptions, resolveSettings } from "../clientSettings.ts"
import { datoProblemNb, languageOf, partIdentifikatorNb, periodeProblemNb } from "../errorText.ts"
import { commandHelp, count } from "../format.ts"
import { baseUrlFor } from "./trekkClientLayer.ts"

/** A flag of `trekkpaalegg`/`trekkavstemming` that is wrong: the flag and the problem, with the problem in bokmål beside it. */
export class TrekkInputError extends Schema.TaggedError<TrekkInputError>()("TrekkInputError", {
  option: Schema.String,
  problem: Schema.String,
  problemNb: Schema.optional(Schema.String)
}) {
  readonly [ExitCategoryId] = "input" as const
  override get message() {
    return `${this.option}: ${this.problem}`
  }
  get messageNb() {
    return `${this.option}: ${this.problemNb ?? this.problem}`
  }
}

const bad = (option: string, problem: string, problemNb: string) => new TrekkInputError({ option, problem, problemNb })

const trekkpliktigArg = Args.text({ name: "trekkpliktig" }).pipe(
  Args.withDescription("the employer's organisasjonsnummer (9 digits; spaces and NO…MVA accepted)")
)

const intOption = (name: string, description: string) => Options.integer(name).pipe(Options.optional, Options.withDescription(description))

const trekkScope = Options.text("trekk-scope").pipe(
  Options.optional,
  Options.withDescription("Maskinporten scope for Trekkpålegg. Default skatteetaten:trekkpaalegg (skatteetaten:trekkpålegg is read as that)")
)

/** The organisasjonsnummer of the trekkpliktig, parsed once. */
const parseTrekkpliktig = (option: string, value: string) =>
  Either.match(PartIdentifikator.parse(value), {
    onLeft: (e) => Effect.fail(bad(option, e.message, partIdentifikatorNb(e))),
    onRight: (p) =>
      /^\d{9}$/.test(p)
        ? Effect.succeed(p as string as PartIdentifikator.Organisasjonsnummer)
        : Effect.fail(bad(option, "a trekkpliktig is an organisasjonsnummer (9 digits)", "en trekkpliktig er et organisasjonsnummer (9 sifre)"))
  })

/** The Trekkpålegg client (and the note saying it is the sandbox) over the connection the settings name. */
const trekkClientLayer = (s: Settings, sandboxData: Option.Option<string>, scope: Option.Option<string>) =>
  Layer.unwrapScoped(
    Effect.gen(function*() {
      const base = yield* baseUrlFor(s)
      const sandbox = yield* Effect.serviceOption(RunningSandbox)
      if (Option.isSome(sandbox)) {
        yield* Console.error(
          languageOf(process.argv.slice(2)) === "en"
            ? `Sandbox: test data from the in-process simulator at ${sandbox.value.url} (not Skatteetaten).`
            : `Sandkasse: testdata fra simulatoren i denne prosessen på ${sandbox.value.url} (ikke Skatteetaten).`
        )
      }
      const client = yield* make({
        apiBaseUrl: base.url,
        environment: base.environment,
        scope: Option.getOrUndefined(scope),
        systemUser: s.systemUser === undefined || s.systemUser === "party" ? "party" : s.systemUser === "none" ? "none" : { org: s.systemUser },
        resilience: resilienceFor(s)
      })
      return Layer.succeed(TrekkpaaleggClient, client)
    })
  ).pipe(Layer.provide(clientLayerFor(s, sandboxData) as Layer.Layer<Maskinporten | RunningSandbox, unknown>))

const nok = (o: number) => formatNok(o as never, { grouping: " " })

const render = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)))
  const line = (r: ReadonlyArray<string>) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd()
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)].join("\n")
}

const sizeText = (p: T.TrekkstoerrelseForPeriode | undefined) => {
  if (p === undefined) return ""
  const s = T.stoerrelse(p)
  return s._tag === "Beloep" ? nok(s.beloep) : Pct.format(s.prosent)
}

const orderTable = (orders: ReadonlyArray<T.Trekkpaalegg>, change: (t: T.Trekkpaalegg) => string, today: Dato.Dato): string =>
  render(
    ["Trekkid", "Versjon", "Sekvensnr", "Endring", "Status", "Saksnummer", "Skyldner", "KID", "Trekk nå", "Sluttdato"],
    orders.map((t) => [
      t.trekkid,
      String(t.trekkversjon),
      String(t.sekvensnummer),
      change(t),
      t.trekkstatus,
      t.saksnummer,
      PartIdentifikator.mask(t.skyldner),
      t.betalingsinformasjon.kidnummer,
      sizeText(T.periodeFor(t, today)),
      T.sluttdato(t) ?? ""
    ])
  )

const periodTable = (t: T.Trekkpaalegg): string =>
  [
    `Trekkpålegg ${t.trekkid} versjon ${t.trekkversjon} (sekvensnummer ${t.sekvensnummer}), ${t.trekkstatus}, opprettet ${t.opprettet}`,
    `Saksnummer ${t.saksnummer}, trekkpliktig ${t.trekkpliktig}, skyldner ${PartIdentifikator.mask(t.skyldner)}`,
    `Betales til konto ${t.betalingsinformasjon.kontonummer} (${t.betalingsinformasjon.betalingsmottaker}) med KID ${t.betalingsinformasjon.kidnummer}`,
    "",
    render(["Startdato", "Sluttdato", "Trekk"], t.trekkstoerrelseForPeriode.map((p) => [p.startdato, p.sluttdato ?? "", sizeText(p)]))
  ].join("\n")

const format = Options.choice("format", ["table", "json"]).pipe(
  Options.optional,
  Options.withDescription("table: one line per order, the skyldner masked; json: the API's documents. Default: table on a terminal, json when piped")
)

const lang = Options.choice("lang", ["nb", "en"]).pipe(
  Options.withDefault("nb" as const),
  Options.withDescription("language of the summary, the workbook and error messages: nb or en. Default: nb")
)

const pollArgs = {
  trekkpliktig: trekkpliktigArg,
  fraSekvensnummer: intOption(
    "fra-sekvensnummer",
    "poll orders changed after this sekvensnummer. Default: the watermark stored in --state, else 0 (everything)"
  ),
  maksAntall: intOption("maks-antall", "page size; pages are fetched until one is shorter. Default: 500"),
  state: Options.file("state", { exists: "either" }).pipe(
    Options.optional,
    Options.withDescription("JSON file keeping the watermark per trekkpliktig: read before polling, updated after. Default: none (nothing stored)")
  ),
  trekkid: Options.text("trekkid").pipe(Options.optional, Options.withDescription("fetch one version of this order (with --versjon) instead of polling")),
  versjon: intOption("versjon", "the trekkversjon to fetch (with --trekkid)"),
  format,
  lang,
  trekkScope,
  ...clientOptions
}

export const trekkpaaleggCommand = Command.make("trekkpaalegg", pollArgs, (a) =>
  Effect.gen(function*() {
    const trekkpliktig = yield* parseTrekkpliktig("<trekkpliktig>", a.trekkpliktig)
    if (Option.isSome(a.trekkid) !== Option.isSome(a.versjon)) return yield* bad("--trekkid/--versjon", "give both, or neither", "oppgi begge, eller ingen")
    if (Option.isSome(a.trekkid) && (Option.isSome(a.fraSekvensnummer) || Option.isSome(a.maksAntall) || Option.isSome(a.state))) {
      return yield* bad(
        "--trekkid",
        "fetches one version; --fra-sekvensnummer, --maks-antall and --state are for polling",
        "henter én versjon; --fra-sekvensnummer, --maks-antall og --state er for henting av endringer"
      )
    }
    if (Option.isSome(a.fraSekvensnummer) && a.fraSekvensnummer.value < 0) return yield* bad("--fra-sekvensnummer", "0 or greater", "0 eller mer")
    if (Option.isSome(a.maksAntall) && a.maksAntall.value < 1) return yield* bad("--maks-antall", "1 or greater", "1 eller mer")
    const settings = yield* resolveSettings(a as ClientArgs)
    const fmt = Option.getOrElse(a.format, () => (process.stdout.isTTY ? "table" : "json"))
    const program = Effect.gen(function*() {
      const client = yield* TrekkpaaleggClient
      if (Option.isSome(a.trekkid) && Option.isSome(a.versjon)) {
        const one = yield* client.hentVersjon(trekkpliktig, a.trekkid.value, a.versjon.value)
        yield* Console.log(fmt === "json" ? JSON.stringify(T.encode(one.order), null, 2) : periodTable(one.order))
        return yield* Console.error(`korrelasjonsid: ${one.korrelasjonsid ?? "-"}`)
      }
      const state = Option.isSome(a.state) ? yield* Watermark.read(a.state.value, client.environment) : undefined
      const entry = state?.trekkpliktige[trekkpliktig]
      const fra = Option.getOrElse(a.fraSekvensnummer, () => entry?.sekvensnummer ?? 0)
      const poll = yield* client.poll(trekkpliktig, { fraSekvensnummer: fra, maksAntall: Option.getOrUndefined(a.maksAntall) })
      const latest = [...T.latestVersions(poll.orders).values()].sort((x, y) => x.sekvensnummer - y.sekvensnummer)
      yield* Console.log(
        fmt === "json"
          ? JSON.stringify(latest.map(T.encode), null, 2)
          : latest.length === 0
          ? `Ingen endrede trekkpålegg for ${trekkpliktig} etter sekvensnummer ${fra}.`
          : orderTable(latest, (t) => Watermark.changeOf(entry, t), Dato.todayInOslo())
      )
      yield* Console.error(
        `${count(latest.length, "trekkpålegg", "trekkpålegg")} etter sekvensnummer ${fra} (${count(poll.pages, "side", "sider")}); vannmerke ${poll.watermark}${
          Option.isSome(a.state) ? `, lagret i ${a.state.value}` : ""
        }`
      )
      yield* Console.error(`korrelasjonsid: ${poll.korrelasjonsIder.join(", ") || "-"}`)
      if (Option.isSome(a.state) && state !== undefined) {
        yield* Watermark.write(a.state.value, Watermark.advance(state, trekkpliktig, poll.watermark, latest, new Date().toISOString()))
      }
    })
    return yield* Effect.provide(program, trekkClientLayer(settings, a.sandboxData, a.trekkScope))
  })).pipe(
    Command.withDescription(commandHelp({
      purpose: "An employer's Trekkpålegg (orders to withhold utleggstrekk from pay): what changed since a watermark, or one version of an order",
      details: [
        "Polls GET /api/trekkpaalegg/v1 with fraSekvensnummer and maksAntall until a page is shorter than maksAntall, as Skatteetaten's specification asks, and prints the latest version of each order that changed. With --state FILE the highest sekvensnummer is stored, so the next run returns only what changed since. Connects to the built-in sandbox unless --env says otherwise; the token is asked for scope skatteetaten:trekkpaalegg with the trekkpliktig as Altinn system user (--system-user none: the client's own organisation)."
      ],
      examples: [
        ["kravsync trekkpaalegg 313367002", "every current order of the sandbox employer, as a table"],
        ["kravsync trekkpaalegg 313367002 --state trekk.json", "what changed since the last run; the watermark is kept in trekk.json"],
        ["kravsync trekkpaalegg 313367002 --trekkid 20011 --versjon 2", "one version of one order with its periods"]
      ]
    }))
  )

// ---------------------------------------------------------------------------------------------

const reconcileArgs = {
  trekkpliktig: Options.text("trekkpliktig").pipe(Options.withDescription("the employer's organisasjonsnummer")),
  ledger: Options.text("ledger").pipe(Options.withDescription("the books: saft:FILE, tripletex or fiken (docs/connectors.md)")),
  fra: Options.text("fra").pipe(Options.withDescription("first day of the period: YYYY-MM-DD or dd.mm.yyyy")),
  til: Options.text("til").pipe(Options.withDescription("last day of the period: YYYY-MM-DD or dd.mm.yyyy")),
  asOf: Options.text("as-of").pipe(Options.optional, Options.withDescription("the date payment deadlines are judged at. Default: the period's last day")),
  loennsgrunnlag: Options.file("loennsgrunnlag").pipe(
    Options.optional,
    Options.withDescription(
      "gross pay per employee and month (JSON or CSV, docs/trekkpaalegg.md) for percentage orders. Default: none (they are reported as krever lønnsgrunnlag)"
    )
  ),
  mapping: Options.file("mapping").pipe(Options.optional, Options.withDescription("JSON file with {\"utleggstrekk\": [accounts]}. Default: 2610")),
  loennsdag: intOption("loennsdag", "the pay day assumed when neither the payroll file nor the ledger gives it. Default: 20"),
  betalingsfristDag: intOption("betalingsfrist-dag", "the day of the following month withholding is to be paid by. Default: 20"),
  force: Options.boolean("force").pipe(Options.withDescription("read books that name another company than --trekkpliktig. Default: off")),
  out: Options.text("out").pipe(
    Options.repeated,
    Options.withDescription("a file to write: .json (the Trekkpålegg section) or .xlsx (a workbook with the Trekkpålegg sheet); - writes the JSON to stdout")
  ),
  lang,
  trekkScope,
  ...clientOptions
}

const summary = (s: TrekkSection, en: boolean): string =>
  [
    en
      ? `Trekkpålegg ${s.trekkpliktig} ${s.periode.fraOgMed}–${s.periode.tilOgMed}: to withhold ${nok(s.totals.expected)}, withheld ${
        nok(s.totals.withheld)
      }, paid ${nok(s.totals.paid)}, owed on ${s.accounts.join("+")} ${nok(s.totals.closingOwed)} (not due ${nok(s.totals.notDue)}, overdue ${
        nok(s.totals.overdue)
      })`
      : `Trekkpålegg ${s.trekkpliktig} ${s.periode.fraOgMed}–${s.periode.tilOgMed}: skal trekkes ${nok(s.totals.expected)}, trukket ${
        nok(s.totals.withheld)
      }, betalt ${nok(s.totals.paid)}, skyldig på ${s.accounts.join("+")} ${nok(s.totals.closingOwed)} (ikke forfalt ${nok(s.totals.notDue)}, forfalt ${
        nok(s.totals.overdue)
      })`,
    ...(s.totals.monthsNeedingPayroll > 0
      ? [
        en
          ? `  ${s.totals.monthsNeedingPayroll} order-months need the payroll (--loennsgrunnlag)`
          : `  ${s.totals.monthsNeedingPayroll} trekk-måneder krever lønnsgrunnlag (--loennsgrunnlag)`
      ]
      : []),
    ...(s.findings.length === 0 ? [en ? "  no findings" : "  ingen avvik"] : s.findings.map((f) => `  ${f.kind}: ${en ? f.messageEn : f.message}`))
  ].join("\n")

export const trekkavstemmingCommand = Command.make("trekkavstemming", reconcileArgs, (a) =>
  Effect.gen(function*() {
    const trekkpliktig = yield* parseTrekkpliktig("--trekkpliktig", a.trekkpliktig)
    const periode = yield* Either.match(Periode.make(a.fra, a.til), {
      onLeft: (p) => Effect.fail(bad(p.field === "fraOgMed" ? "--fra" : p.field === "tilOgMed" ? "--til" : "--fra/--til", p.message, periodeProblemNb(p))),
      onRight: Effect.succeed
    })
    const asOf = Option.isSome(a.asOf)
      ? yield* Either.match(Dato.parse(a.asOf.value), { onLeft: (m) => Effect.fail(bad("--as-of", m, datoProblemNb(m))), onRight: Effect.succeed })
      : periode.tilOgMed
    for (const [name, v] of [["--loennsdag", a.loennsdag], ["--betalingsfrist-dag", a.betalingsfristDag]] as const) {
      if (Option.isSome(v) && (v.value < 1 || v.value > 31)) return yield* bad(name, "a day of the month, 1–31", "en dag i måneden, 1–31")
    }
    for (const o of a.out) {
      if (o !== "-" && !/\.(json|xlsx)$/i.test(o)) {
        return yield* bad("--out", `${o}: the extension must be .json or .xlsx`, `${o}: filendelsen må være .json eller .xlsx`)
      }
    }
    const read = (option: string, file: string) =>
      Effect.try({
        try: () => readFileSync(file, "utf8"),
        catch: () => bad(option, `cannot read ${file}`, `kan ikke lese ${file}`)
      })
    const payroll = Option.isSome(a.loennsgrunnlag)
      ? { source: a.loennsgrunnlag.value, data: yield* Loennsgrunnlag.parse(yield* read("--loennsgrunnlag", a.loennsgrunnlag.value), a.loennsgrunnlag.value) }
      : undefined
    const mapping = Option.isSome(a.mapping) ? yield* TrekkMapping.parseMapping(yield* read("--mapping", a.mapping.value), a.mapping.value) : undefined
    const settings = yield* resolveSettings(a as ClientArgs)
    const section = yield* runTrekk({
      trekkpliktig,
      periode,
      asOf,
      ledger: a.ledger,
      force: a.force,
      mapping,
      loennsgrunnlag: payroll,
      options: { loennsdag: Option.getOrUndefined(a.loennsdag), betalingsfristDag: Option.getOrUndefined(a.betalingsfristDag) }
    }).pipe(Effect.provide(trekkClientLayer(settings, a.sandboxData, a.trekkScope)))
    for (const o of a.out) {
      if (o === "-") yield* Console.log(encodeJson(section))
      else if (/\.json$/i.test(o)) {
        yield* Effect.try({
          try: () => {
            const temp = `${o}.${process.pid}.tmp`
            writeFileSync(temp, `${encodeJson(section)}\n`)
            renameSync(temp, o)
          },
          catch: (e) => {
            const why = e instanceof Error ? e.message : String(e)
            return bad("--out", `${o}: could not write (${why})`, `${o}: kunne ikke skrives (${why})`)
          }
        })
      } else {
        const workbook = yield* Effect.serviceOption(TrekkWorkbook)
        if (Option.isNone(workbook)) {
          return yield* bad(
            "--out",
            `${o}: this program was built without the Excel writer; write .json`,
            `${o}: dette programmet er bygd uten Excel-skriveren; skriv .json`
          )
        }
        yield* workbook.value.write(section, o, a.lang)
      }
      if (o !== "-") yield* Console.error(`${a.lang === "en" ? "Wrote" : "Skrev"} ${o}`)
    }
    if (!a.out.includes("-")) yield* Console.log(summary(section, a.lang === "en"))
  })).pipe(
    Command.withDescription(commandHelp({
      purpose:
        "Reconcile an employer's Trekkpålegg against the utleggstrekk account 2610: what should have been withheld, what was withheld and paid, and each difference",
      details: [
        "Fetches every current order through the Trekkpålegg client, reads 2610 from the books, and per order and month compares what the order asks for on the pay date with the credits (withheld) and the debits carrying the order's KID (paid to Skatteetaten). Percentage orders need the payroll (--loennsgrunnlag); without it they are reported as krever lønnsgrunnlag, never guessed."
      ],
      examples: [
        [
          "kravsync trekkavstemming --trekkpliktig 313367002 --ledger saft:books.xml --fra 2026-01-01 --til 2026-11-24 --loennsgrunnlag lonn.json --out trekk.xlsx --out trekk.json",
          "the sandbox employer's year so far, written as a workbook and JSON"
        ],
        [
          "kravsync trekkavstemming --trekkpliktig 313367002 --ledger saft:books.xml --fra 2026-01-01 --til 2026-06-30 --out trekk.json --lang en",
          "the first half year without a payroll file (percentage orders: krever lønnsgrunnlag), the JSON report, in English"
        ]
      ]
    }))
  )
