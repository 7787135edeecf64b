/**
 * The stored watermark of `kravsync trekkpaalegg --state FILE`: per trekkpliktig the highest
 * sekvensnummer received ("Kan benyttes som et 'vannmerke' for å huske siste mottatte
 * trekkpålegg", feltbeskrivelser/Models/Trekkpaalegg.md) and the version last seen of each order,
 * so that a repeated poll asks only for what changed and can say what kind of change it was.
 * The file names no skyldner. It records the environment it was made against: a sandbox
 * watermark is never used against Skatteetaten. Written to a temporary file and renamed over the
 * old one, so an interrupted run leaves the previous state.
 */
import { Effect, Either, ParseResult, Schema } from "effect"
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import type { Trekkpaalegg } from "../../domain/trekkpaalegg/Trekkpaalegg.ts"
import { ExitCategoryId } from "../../ExitCategory.ts"

const Known = Schema.Struct({ trekkversjon: Schema.Int, sekvensnummer: Schema.Int, trekkstatus: Schema.Literal("aktiv", "avsluttet") })

const Entry = Schema.Struct({
  sekvensnummer: Schema.Int.pipe(Schema.nonNegative()),
  oppdatert: Schema.String,
  trekk: Schema.Record({ key: Schema.String, value: Known })
})

export const WatermarkFile = Schema.Struct({
  schemaVersion: Schema.Literal(1),
  environment: Schema.String,
  trekkpliktige: Schema.Record({ key: Schema.String, value: Entry })
})
export type WatermarkFile = typeof WatermarkFile.Type
export type WatermarkEntry = typeof Entry.Type

export class WatermarkError extends Schema.TaggedError<WatermarkError>()("WatermarkError", { file: Schema.String, problem: Schema.String }) {
  readonly [ExitCategoryId] = "input" as const
  override get message() {
    return `--state ${this.file}: ${this.problem}`
  }
  /** The problems this module writes, in bokmål (a schema issue inside them is quoted as it came). */
  get messageNb() {
    const problem = this.problem
      .replace(/^cannot read the file$/, "filen kan ikke leses")
      .replace(/^not a kravsync watermark file \((.*)\)$/, "ikke en kravsync-vannmerkefil ($1)")
      .replace(
        /^the watermark was stored against (.*), not (.*); use another file for this environment$/,
        "vannmerket ble lagret mot $1, ikke $2; bruk en annen fil for dette miljøet"
      )
      .replace(/^cannot write the file \((.*)\)$/, "filen kan ikke skrives ($1)")
      .replace(/: is missing\)$/, ": mangler)")
      .replace(/: Expected (.*), actual (.*)\)$/, ": ventet $1, fikk $2)")
    return `--state ${this.file}: ${problem}`
  }
}

export const empty = (environment: string): WatermarkFile => ({ schemaVersion: 1, environment, trekkpliktige: {} })

/** The state in `file`, or an empty one when the file does not exist yet. */
export const read = (file: string, environment: string): Effect.Effect<WatermarkFile, WatermarkError> =>
  Effect.gen(function*() {
    if (!existsSync(file)) return empty(environment)
    const text = yield* Effect.try({ try: () => readFileSync(file, "utf8"), catch: () => new WatermarkError({ file, problem: "cannot read the file" }) })
    const decoded = Schema.decodeUnknownEither(Schema.parseJson(WatermarkFile))(text)
    if (Either.isLeft(decoded)) {
      const issue = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)[0]
      return yield* new WatermarkError({ file, problem: `not a kravsync watermark file (${issue?.path.join(".") || "file"}: ${issue?.message ?? "invalid"})` })
    }
    if (decoded.right.environment !== environment) {
      return yield* new WatermarkError({
        file,
        problem: `the watermark was stored against ${decoded.right.environment}, not ${environment}; use another file for this environment`
      })
    }
    return decoded.right
  })

export type Change = "ny" | "ny versjon" | "avsluttet" | "uendret"

/** What an order received is, compared with the version last seen. */
export const changeOf = (entry: WatermarkEntry | undefined, t: Trekkpaalegg): Change => {
  const prev = entry?.trekk[t.trekkid]
  if (prev === undefined) return "ny"
  if (t.trekkstatus === "avsluttet" && prev.trekkstatus !== "avsluttet") return "avsluttet"
  return t.trekkversjon > prev.trekkversjon ? "ny versjon" : "uendret"
}

/** The state after a poll of `trekkpliktig` that reached `watermark` and received `orders`. */
export const advance = (state: WatermarkFile, trekkpliktig: string, watermark: number, orders: ReadonlyArray<Trekkpaalegg>, now: string): WatermarkFile => {
  const prev = state.trekkpliktige[trekkpliktig]
  const trekk: Record<string, typeof Known.Type> = { ...(prev?.trekk ?? {}) }
  for (const t of orders) {
    const k = trekk[t.trekkid]
    if (k === undefined || t.trekkversjon >= k.trekkversjon) {
      trekk[t.trekkid] = { trekkversjon: t.trekkversjon, sekvensnummer: t.sekvensnummer, trekkstatus: t.trekkstatus }
    }
  }
  return {
    ...state,
    trekkpliktige: { ...state.trekkpliktige, [trekkpliktig]: { sekvensnummer: Math.max(watermark, prev?.sekvensnummer ?? 0), oppdatert: now, trekk } }
  }
}

export const write = (file: string, state: WatermarkFile): Effect.Effect<void, WatermarkError> =>
  Effect.try({
    try: () => {
      const temp = `${file}.${process.pid}.tmp`
      writeFileSync(temp, `${JSON.stringify(Schema.encodeSync(WatermarkFile)(state), null, 2)}\n`)
      renameSync(temp, file)
    },
    catch: (e) => new WatermarkError({ file, problem: `cannot write the file (${e instanceof Error ? e.message : String(e)})` })
  })
