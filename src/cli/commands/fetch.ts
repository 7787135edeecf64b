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
import { table } from "../format.ts"

const part = Args.text({ name: "part" }).pipe(Args.withDescription("organisasjonsnummer (9 digits) or fødselsnummer (11 digits)"))
const format = Options.choice("format", ["table", "json"]).pipe(
  Options.optional,
  Options.withDescription("table (default on a terminal) or json (the API's JSON, re-encoded from the decoded model)")
)
const lenient = Options.boolean("lenient").pipe(Options.withDescription("set aside list elements that do not decode (listed on stderr) instead of failing"))
const fra = Options.text("fra").pipe(Options.withDescription("fraOgMed, YYYY-MM-DD"))
const til = Options.text("til").pipe(Options.withDescription("tilOgMed, YYYY-MM-DD (a period over one year is fetched year by year)"))

/** The branded party and period, parsed once from the arguments; a bad one names the argument and the rule. */
const parseInput = (
  part: string,
  periode: { fraOgMed: string; tilOgMed: string } | undefined
): Effect.Effect<{ part: PartIdentifikator.PartIdentifikator; periode: Periode.Periode | undefined }, InvalidInputError> =>
  Effect.gen(function*() {
    const p = PartIdentifikator.parse(part)
    if (Either.isLeft(p)) return yield* new InvalidInputError({ argument: "<part>", rule: p.left.message })
    if (periode === undefined) return { part: p.right, periode: undefined }
    const r = Periode.make(periode.fraOgMed, periode.tilOgMed)
    if (Either.isLeft(r)) {
      return yield* new InvalidInputError({
        argument: r.left.field === "fraOgMed" ? "--fra" : r.left.field === "tilOgMed" ? "--til" : "--fra/--til",
        rule: r.left.message
      })
    }
    return { part: p.right, periode: r.right }
  })

const run = (
  endpoint: Endepunkt,
  args:
    & { part: string; format: Option.Option<"table" | "json">; lenient: boolean; periode?: { fraOgMed: string; tilOgMed: string } }
    & Parameters<typeof resolveSettings>[0]
) =>
  Effect.gen(function*() {
    // Input is checked before anything starts (sandbox, key loading, network).
    const input = yield* parseInput(args.part, args.periode)
    const settings = yield* resolveSettings(args)
    const program = Effect.gen(function*() {
      const sandbox = yield* Effect.serviceOption(RunningSandbox)
      if (Option.isSome(sandbox)) yield* Console.error(`Sandbox: test data from the in-process simulator at ${sandbox.value.url} (not Skatteetaten).`)
      const client = yield* KravOgBetalingerClient
      const fetched = yield* client.fetch(endpoint, input.part, input.periode, { lenient: args.lenient })
      for (const r of fetched.rejected) yield* Console.error(`Set aside ${r.path}: ${r.message}`)
      const fmt = Option.getOrElse(args.format, () => (process.stdout.isTTY ? "table" : "json"))
      yield* Console.log(fmt === "json" ? JSON.stringify(encodeJson(endpoint, fetched.document), null, 2) : table(endpoint, fetched.document))
      yield* Console.error(`korrelasjonsid: ${fetched.korrelasjonsIder.join(", ") || "-"}`)
    })
    return yield* Effect.provide(program, clientLayerFor(settings, args.sandboxData))
  })

export const aapnekravCommand = Command.make("aapnekrav", { part, format, lenient, ...clientOptions }, (a) => run("aapnekrav", a)).pipe(
  Command.withDescription("Open claims and unplaced payments for a party (GET …/{part}/aapnekrav)")
)

const periodic = (endpoint: Exclude<Endepunkt, "aapnekrav">, description: string) =>
  Command.make(endpoint, { part, fra, til, format, lenient, ...clientOptions }, (a) => run(endpoint, { ...a, periode: { fraOgMed: a.fra, tilOgMed: a.til } }))
    .pipe(
      Command.withDescription(description)
    )

export const kravCommand = periodic("krav", "Every claim in a period (GET …/{part}/krav?fraOgMed&tilOgMed)")
export const innbetalingerCommand = periodic("innbetalinger", "Payments in a period (GET …/{part}/innbetalinger?fraOgMed&tilOgMed)")
export const utbetalingerCommand = periodic("utbetalinger", "Disbursements in a period (GET …/{part}/utbetalinger?fraOgMed&tilOgMed)")
