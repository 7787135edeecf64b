/**
 * Trekkpålegg: Skatteetaten's order to an employer (trekkpliktig) to withhold utleggstrekk from
 * an employee's (skyldner's) pay and pay it to Skatteetaten with the order's KID.
 *
 * Sources, field by field in docs/trekkpaalegg.md: beta-apier/docs/trekkpaalegg/feltbeskrivelser/
 * Models/*.md (names and types), api-dokumentasjon/docs/api/trekkpaalegg.md ("Eksempler" for the
 * wire shape, "Informasjonsmodell/Feltforklaringer" for the rules). Amounts are decoded into øre
 * (Money.Beloep), percentages into exact millionths of a percent (Trekkprosent.ts), dates into
 * `Dato` (both ISO forms the page allows, 1998-12-21 and 19981221), fødselsnummer and
 * organisasjonsnummer by their mod11 rules. Encoding gives the wire shape back (dates in the
 * extended form).
 */
import { Either, ParseResult, Schema } from "effect"
import * as Dato from "../Dato.ts"
import { Beloep, type Oere } from "../Money.ts"
import { Foedselsnummer, Organisasjonsnummer } from "../PartIdentifikator.ts"
import { type MikroProsent, Prosent } from "./Trekkprosent.ts"

/** "1998-12-21" or "19981221" (TrekkstoerrelseForPeriode.md) into a Dato; encoded as 1998-12-21. */
export const TrekkDato: Schema.Schema<Dato.Dato, string> = Schema.transformOrFail(Schema.String, Dato.Dato, {
  strict: true,
  decode: (s, _o, ast) => {
    const t = /^\d{8}$/.test(s) ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : s
    const p = Dato.problem(t)
    return p === undefined ? ParseResult.succeed(t as Dato.Dato) : ParseResult.fail(new ParseResult.Type(ast, s, p))
  },
  encode: (d) => ParseResult.succeed(d)
}).annotations({ identifier: "TrekkDato" })

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/

/** `opprettet`: an ISO 8601 date and time ("2025-08-09T15:00:00.00Z"), kept as sent. */
export const Tidspunkt = Schema.String.pipe(
  Schema.filter((s) => {
    const m = DATE_TIME.exec(s)
    if (m === null) return `"${s}" is not an ISO 8601 date and time (YYYY-MM-DDThh:mm[:ss[.fff]][Z|±hh:mm])`
    const p = Dato.problem(m[1] ?? "")
    if (p !== undefined) return p
    return Number(m[2]) <= 23 && Number(m[3]) <= 59 && Number(m[4] ?? 0) <= 60 || `"${s}" has no such time of day`
  }),
  Schema.brand("Tidspunkt"),
  Schema.annotations({ identifier: "Tidspunkt", description: "ISO 8601 date and time" })
)
export type Tidspunkt = typeof Tidspunkt.Type

/** The calendar date of an `opprettet` (its date part, as sent). */
export const datoOf = (t: Tidspunkt): Dato.Dato => t.slice(0, 10) as Dato.Dato

/** Trekkstatus.md: aktiv or avsluttet. */
export const Trekkstatus = Schema.Literal("aktiv", "avsluttet").annotations({ identifier: "Trekkstatus" })
export type Trekkstatus = typeof Trekkstatus.Type

/** Trekkbeloep.md: `{ trekkbeloep }`, kroner on the wire, øre here; "Kan være 0". */
export const Trekkbeloep = Schema.Struct({
  trekkbeloep: Beloep.pipe(Schema.filter((o) => o >= 0 || "trekkbeloep cannot be negative"))
}).annotations({ identifier: "Trekkbeloep" })

/** Trekkprosent.md: `{ trekkprosent }`, 0–100, exact. */
export const TrekkprosentFelt = Schema.Struct({ trekkprosent: Prosent }).annotations({ identifier: "Trekkprosent" })

const digits = (n: [number, number], what: string) =>
  Schema.String.pipe(
    Schema.filter((s) => new RegExp(`^\\d{${n[0]},${n[1]}}$`).test(s) || `${what}: ${n[0] === n[1] ? n[0] : `${n[0]}–${n[1]}`} digits expected`)
  )

/**
 * Betalingsinformasjon.md. `betalingsmottaker` is only checked for 9 digits: the published
 * example's 971648199 fails the mod11 rule, and it is Skatteetaten's own number, not ours to refuse.
 */
export const Betalingsinformasjon = Schema.Struct({
  betalingsmottaker: digits([9, 9], "betalingsmottaker"),
  /** 2–25 digits as in the Utleggstrekk draft's Kundeidentifikator; no control digit is checked. */
  kidnummer: digits([2, 25], "kidnummer"),
  kontonummer: digits([11, 11], "kontonummer")
}).annotations({ identifier: "Betalingsinformasjon" })
export type Betalingsinformasjon = typeof Betalingsinformasjon.Type

/** TrekkstoerrelseForPeriode.md: a period with either an amount or a percentage, never both. */
export const TrekkstoerrelseForPeriode = Schema.Struct({
  startdato: TrekkDato,
  sluttdato: Schema.optionalWith(TrekkDato, { nullable: true }),
  trekkbeloep: Schema.optionalWith(Trekkbeloep, { nullable: true }),
  trekkprosent: Schema.optionalWith(TrekkprosentFelt, { nullable: true })
}).pipe(
  Schema.filter((p) => {
    if ((p.trekkbeloep === undefined) === (p.trekkprosent === undefined)) {
      return { path: ["trekkbeloep"], message: "exactly one of trekkbeloep and trekkprosent must be given (\"Angi enten trekkbeløp eller trekkprosent\")" }
    }
    if (p.sluttdato !== undefined && p.sluttdato < p.startdato) {
      return { path: ["sluttdato"], message: `sluttdato ${p.sluttdato} is before startdato ${p.startdato}` }
    }
    return true
  }),
  Schema.annotations({ identifier: "TrekkstoerrelseForPeriode" })
)
export type TrekkstoerrelseForPeriode = typeof TrekkstoerrelseForPeriode.Type

/** Trekkpaalegg.md: one version of one order. */
export const Trekkpaalegg = Schema.Struct({
  trekkid: Schema.String.pipe(Schema.minLength(1, { message: () => "trekkid is empty" })),
  trekkversjon: Schema.Int.pipe(Schema.greaterThanOrEqualTo(1)),
  sekvensnummer: Schema.Int.pipe(Schema.nonNegative(), Schema.filter((n) => Number.isSafeInteger(n) || "sekvensnummer is not a safe integer")),
  opprettet: Tidspunkt,
  saksnummer: Schema.String,
  trekkpliktig: Organisasjonsnummer,
  skyldner: Foedselsnummer,
  trekkstatus: Trekkstatus,
  trekkstoerrelseForPeriode: Schema.Array(TrekkstoerrelseForPeriode),
  betalingsinformasjon: Betalingsinformasjon
}).annotations({ identifier: "Trekkpaalegg" })
export type Trekkpaalegg = typeof Trekkpaalegg.Type

/** The answer of "hent alle gjeldende": a list of orders, each in its latest version. */
export const TrekkpaaleggListe = Schema.Array(Trekkpaalegg).annotations({ identifier: "TrekkpaaleggListe" })

/** What a period asks for. */
export type Trekkstoerrelse =
  | { readonly _tag: "Beloep"; readonly beloep: Oere }
  | { readonly _tag: "Prosent"; readonly prosent: MikroProsent }

export const stoerrelse = (p: TrekkstoerrelseForPeriode): Trekkstoerrelse =>
  p.trekkbeloep !== undefined ? { _tag: "Beloep", beloep: p.trekkbeloep.trekkbeloep } : { _tag: "Prosent", prosent: p.trekkprosent!.trekkprosent }

/**
 * The period that applies to a pay date ("Trekkpliktig skal trekke det som står i den perioden
 * som gjelder lønnsutbetalingsdatoen"): the last one whose startdato is on or before the date
 * and whose sluttdato, if any, is on or after it.
 */
export const periodeFor = (t: Trekkpaalegg, utbetalingsdato: Dato.Dato): TrekkstoerrelseForPeriode | undefined => {
  let found: TrekkstoerrelseForPeriode | undefined
  for (const p of t.trekkstoerrelseForPeriode) {
    if (p.startdato <= utbetalingsdato && (p.sluttdato === undefined || p.sluttdato >= utbetalingsdato)) found = p
  }
  return found
}

/** The day after which nothing is to be withheld: the last sluttdato when every period has one, else none (open-ended). */
export const sluttdato = (t: Trekkpaalegg): Dato.Dato | undefined => {
  if (t.trekkstoerrelseForPeriode.length === 0) return undefined
  let last: Dato.Dato | undefined
  for (const p of t.trekkstoerrelseForPeriode) {
    if (p.sluttdato === undefined) return undefined
    if (last === undefined || p.sluttdato > last) last = p.sluttdato
  }
  return last
}

/** Whether `b` supersedes `a` (same trekkid, higher version; sekvensnummer breaks a tie). */
export const supersedes = (b: Trekkpaalegg, a: Trekkpaalegg): boolean =>
  b.trekkid === a.trekkid && (b.trekkversjon > a.trekkversjon || (b.trekkversjon === a.trekkversjon && b.sekvensnummer > a.sekvensnummer))

/** Orders keyed by trekkid, each the latest version among `xs` (and the `known` ones before). */
export const latestVersions = (
  xs: Iterable<Trekkpaalegg>,
  known: ReadonlyMap<string, Trekkpaalegg> = new Map()
): Map<string, Trekkpaalegg> => {
  const out = new Map(known)
  for (const t of xs) {
    const prev = out.get(t.trekkid)
    if (prev === undefined || supersedes(t, prev)) out.set(t.trekkid, t)
  }
  return out
}

const decodeOptions = { errors: "first", onExcessProperty: "ignore" } as const

/** Decodes one order from the wire; the first problem with its path. */
export const decode = (u: unknown): Either.Either<Trekkpaalegg, ParseResult.ParseError> => Schema.decodeUnknownEither(Trekkpaalegg)(u, decodeOptions)

/** The wire form of an order (amounts in kroner, percentages as numbers). */
export const encode = (t: Trekkpaalegg): unknown => Schema.encodeSync(Trekkpaalegg)(t)
