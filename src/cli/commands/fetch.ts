/**
 * `kravsync aapnekrav <part>`, `kravsync krav|innbetalinger|utbetalinger <part> --fra --til`.
 * stdout carries only the document (JSON) or the table; notes go to stderr.
 */
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Either, Option } from "effect"
import { encodeJson } from "../../client/decode.ts"
import { InvalidInputError } from "../../client/errors.ts"
import { KravOgBetalingerClient } from "../../client/KravOgBetalingerClient.ts"
import { RunningSandbox } from "../../client/SandboxEnvironment.ts"
import type { Endepunkt } from "../../domain/Dokumenter.ts"
import * as PartIdentifikator from "../../domain/PartIdentifikator.ts"
import * as Periode from "../../domain/Periode.ts"
import { clientLayerFor, clientOptions, resolveSettings } from "../clientSettings.ts"
import { languageOf, partIdentifikatorNb, periodeProblemNb } from "../errorText.ts"
import { commandHelp, table } from "../format.ts"

const part = Args.text({ name: "part" }).pipe(
  Args.withDescription("organisasjonsnummer (9 digits; spaces and NO…MVA accepted) or fødselsnummer (11 digits) of the party")
)
const format = Options.choice("format", ["table", "json"]).pipe(
  Options.optional,
  Options.withDescription(
    "table: a table with Norwegian amounts and a totals line; json: the API's document, re-encoded from the decoded model. Default: table on a terminal, json when piped"
  )
)
const lenient = Options.boolean("lenient").pipe(
  Options.withDescription("set aside list elements that do not decode (each listed on stderr) instead of failing. Default: off (fail on the first)")
)
const lang = Options.choice("lang", ["nb", "en"]).pipe(
  Options.withDefault("nb" as const),
  Options.withDescription("language of error messages: nb (bokmål) or en (English); also KRAVSYNC_LANG. Default: nb")
)
const fra = Options.text("fra").pipe(Options.withDescription("first day of the period (fraOgMed): YYYY-MM-DD or dd.mm.yyyy"))
const til = Options.text("til").pipe(
  Options.withDescription("last day of the period (tilOgMed): YYYY-MM-DD or dd.mm.yyyy; a period over one year is fetched year by year")
)

/** The branded party and period, parsed once from the arguments; a bad one names the argument and the rule. */
const parseInput = (
  part: string,
  periode: { fraOgMed: string; tilOgMed: string } | undefined
): Effect.Effect<{ part: PartIdentifikator.PartIdentifikator; periode: Periode.Periode | undefined }, InvalidInputError> =>
  Effect.gen(function*() {
    const p = PartIdentifikator.parse(part)
    if (Either.isLeft(p)) return yield* new InvalidInputError({ argument: "<part>", rule: p.left.message, ruleNb: partIdentifikatorNb(p.left) })
    if (periode === undefined) return { part: p.right, periode: undefined }
    const r = Periode.make(periode.fraOgMed, periode.tilOgMed)
    if (Either.isLeft(r)) {
      return yield* new InvalidInputError({
        argument: r.left.field === "fraOgMed" ? "--fra" : r.left.field === "tilOgMed" ? "--til" : "--fra/--til",
        rule: r.left.message,
        ruleNb: periodeProblemNb(r.left)
      })
    }
    return { part: p.right, periode: r.right }
  })

const run = (
  endpoint: Endepunkt,
  args:
    & { part: string; format: Option.Option<"table" | "json">; lenient: boolean; lang: "nb" | "en"; periode?: { fraOgMed: string; tilOgMed: string } }
    & Parameters<typeof resolveSettings>[0]
) =>
  Effect.gen(function*() {
    // Input is checked before anything starts (sandbox, key loading, network).
    const input = yield* parseInput(args.part, args.periode)
    const settings = yield* resolveSettings(args)
    const program = Effect.gen(function*() {
      const sandbox = yield* Effect.serviceOption(RunningSandbox)
      // The same choice as the error line's (src/cli/errorText.ts): --lang, else KRAVSYNC_LANG, else bokmål.
      const en = args.lang === "en" || languageOf(process.argv.slice(2)) === "en"
      if (Option.isSome(sandbox)) {
        yield* Console.error(
          en
            ? `Sandbox: test data from the in-process simulator at ${sandbox.value.url} (not Skatteetaten).`
            : `Sandkasse: testdata fra simulatoren i denne prosessen på ${sandbox.value.url} (ikke Skatteetaten).`
        )
      }
      const client = yield* KravOgBetalingerClient
      const fetched = yield* client.fetch(endpoint, input.part, input.periode, { lenient: args.lenient })
      for (const r of fetched.rejected) yield* Console.error(`${en ? "Set aside" : "Satt til side"} ${r.path}: ${r.message}`)
      const fmt = Option.getOrElse(args.format, () => (process.stdout.isTTY ? "table" : "json"))
      yield* Console.log(fmt === "json" ? JSON.stringify(encodeJson(endpoint, fetched.document), null, 2) : table(endpoint, fetched.document))
      yield* Console.error(`korrelasjonsid: ${fetched.korrelasjonsIder.join(", ") || "-"}`)
    })
    return yield* Effect.provide(program, clientLayerFor(settings, args.sandboxData))
  })

const connection = "Connects to the built-in sandbox (test data, offline) unless --env, --config or KRAVSYNC_ENV say otherwise (docs/client.md)."

export const aapnekravCommand = Command.make("aapnekrav", { part, format, lenient, lang, ...clientOptions }, (a) => run("aapnekrav", a)).pipe(
  Command.withDescription(commandHelp({
    purpose: "Open claims and unplaced payments for a party, with Skatteetaten's totals (GET …/{part}/aapnekrav)",
    details: [connection],
    examples: [
      ["kravsync aapnekrav 313367002", "the sandbox party's open claims as a table"],
      ["kravsync aapnekrav \"313 367 002\" --format json > aapnekrav.json", "the same as the API's JSON document, into a file"],
      ["kravsync aapnekrav 313367002 --env test --client-id … --key-file key.pem --kid …", "from Skatteetaten's test environment"]
    ]
  }))
)

const periodic = (endpoint: Exclude<Endepunkt, "aapnekrav">, purpose: string, examples: ReadonlyArray<readonly [string, string]>) =>
  Command.make(
    endpoint,
    { part, fra, til, format, lenient, lang, ...clientOptions },
    (a) => run(endpoint, { ...a, periode: { fraOgMed: a.fra, tilOgMed: a.til } })
  )
    .pipe(
      Command.withDescription(commandHelp({ purpose, details: [connection], examples }))
    )

export const kravCommand = periodic("krav", "Every claim in a period, open or settled (GET …/{part}/krav?fraOgMed&tilOgMed)", [
  ["kravsync krav 212201782 --fra 2023-01-01 --til 2023-09-01", "Skatteetaten's example party's claims in 2023, as a table"],
  ["kravsync krav 313367002 --fra 01.01.2025 --til 31.12.2025 --format json", "a year's claims as the API's JSON (dates as dd.mm.yyyy)"],
  ["kravsync krav 313367002 --fra 2025-01-01 --til 2025-12-31 --env prod --config settings.json", "from production, settings in a file"]
])
export const innbetalingerCommand = periodic(
  "innbetalinger",
  "Payments in a period and where Skatteetaten placed them (GET …/{part}/innbetalinger?fraOgMed&tilOgMed)",
  [
    ["kravsync innbetalinger 313367002 --fra 2026-01-01 --til 2026-11-24", "the sandbox party's payments this year, as a table"],
    [
      "kravsync innbetalinger 313367002 --fra 2026-01-01 --til 2026-11-24 --accept xml --format json",
      "ask the API for XML, print the decoded document as JSON"
    ],
    ["kravsync innbetalinger 313367002 --fra 2026-01-01 --til 2026-11-24 --lenient", "set aside payments that do not decode instead of failing"]
  ]
)
export const utbetalingerCommand = periodic("utbetalinger", "Refunds paid out in a period (GET …/{part}/utbetalinger?fraOgMed&tilOgMed)", [
  ["kravsync utbetalinger 310478717 --fra 2026-01-01 --til 2026-11-24", "the sandbox party's refunds this year, as a table"],
  ["kravsync utbetalinger 310478717 --fra 01.01.2026 --til 24.11.2026 --format json", "the same as the API's JSON document"]
])
