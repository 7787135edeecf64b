/**
 * A withholding percentage, exact. Skatteetaten sends it as a JSON number (feltbeskrivelser/
 * Models/Trekkprosent.md: "Double … en heltallsdel og en fraksjondel"; examples 17.0, 23.0, 0.0
 * in api/trekkpaalegg.md). Like Money's øre, the number is read through its shortest decimal text
 * (what `String(n)` gives, which is the decimal that was on the wire) and kept as an integer count
 * of millionths of a percent: no float ever takes part in what is withheld.
 *
 * The range 0–100 and the limit of six decimals are ours: the published material gives neither
 * (docs/trekkpaalegg.md, "Guesses").
 */
import { Either, ParseResult, Schema } from "effect"

/** Millionths of a percent: 17 % is 17_000_000. */
export type MikroProsent = number & { readonly MikroProsent: unique symbol }

const SCALE = 1_000_000
const DECIMALS = 6
const DECIMAL = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/

/** "17.5" → 17_500_000; a reason when the text is not a percentage 0–100 with at most six decimals. */
export const parseProsent = (text: string): Either.Either<MikroProsent, string> => {
  const m = DECIMAL.exec(text.trim())
  if (m === null) return Either.left(`"${text}" is not a non-negative decimal number`)
  let intPart = m[1] ?? "0"
  let frac = m[2] ?? ""
  const exp = m[3] === undefined ? 0 : Number(m[3])
  if (Math.abs(exp) > 20) return Either.left(`${text} is outside 0–100`)
  if (exp > 0) {
    intPart = intPart + frac.slice(0, exp).padEnd(exp, "0")
    frac = frac.slice(exp)
  } else if (exp < 0) {
    const padded = intPart.padStart(-exp + 1, "0")
    frac = padded.slice(padded.length + exp) + frac
    intPart = padded.slice(0, padded.length + exp)
  }
  if (/[1-9]/.test(frac.slice(DECIMALS))) return Either.left(`${text} has more than ${DECIMALS} decimals`)
  const n = Number(intPart) * SCALE + Number(frac.slice(0, DECIMALS).padEnd(DECIMALS, "0"))
  if (!Number.isSafeInteger(n) || n > 100 * SCALE) return Either.left(`${text} is outside 0–100`)
  return Either.right(n as MikroProsent)
}

/** 17_500_000 → "17.5" (the shortest exact decimal text). */
export const toText = (p: MikroProsent): string => {
  const i = Math.floor(p / SCALE)
  const f = String(p % SCALE).padStart(DECIMALS, "0").replace(/0+$/, "")
  return f === "" ? String(i) : `${i}.${f}`
}

/** 17_500_000 → "17,5 %" (Norwegian decimal comma). */
export const format = (p: MikroProsent): string => `${toText(p).replace(".", ",")} %`

/**
 * `pct` of `oere`, rounded half away from zero to whole øre; exact (BigInt), so any pay and any
 * percentage give the same øre a person computing by hand would get.
 */
export const ofOere = (oere: number, pct: MikroProsent): number => {
  const num = BigInt(oere) * BigInt(pct)
  const den = BigInt(100 * SCALE)
  const neg = num < 0n
  const a = neg ? -num : num
  const q = (a * 2n + den) / (den * 2n)
  return Number(neg ? -q : q)
}

const MikroProsentSchema = Schema.Int.pipe(
  Schema.between(0, 100 * SCALE),
  Schema.annotations({ identifier: "MikroProsent", description: "Millionths of a percent, 0–100 %" })
) as unknown as Schema.Schema<MikroProsent, number>

/** The wire's percentage (a JSON number) decoded into millionths of a percent, and back. */
export const Prosent: Schema.Schema<MikroProsent, number> = Schema.transformOrFail(Schema.Number, MikroProsentSchema, {
  strict: true,
  decode: (n, _o, ast) =>
    Number.isFinite(n)
      ? Either.match(parseProsent(String(n)), {
        onLeft: (reason) => ParseResult.fail(new ParseResult.Type(ast, n, `trekkprosent ${reason}`)),
        onRight: (p) => ParseResult.succeed(p as number)
      })
      : ParseResult.fail(new ParseResult.Type(ast, n, "trekkprosent is not a finite number")),
  encode: (p) => ParseResult.succeed(Number(toText(p as MikroProsent)))
}).annotations({ identifier: "Prosent", description: "A percentage on the wire, millionths of a percent in the model" })
