/**
 * Money in integer øre.
 *
 * Skatteetaten sends amounts as JSON numbers in kroner (`10000.0`, `-62374.0`). They are decoded
 * at the edge to an integer count of øre and stay integers: every sum after that is integer
 * arithmetic, checked to stay inside the safe-integer range. Encoding turns øre back into the
 * wire number (the nearest double to the decimal, which is what `JSON.parse` of the original
 * text produced), so a decode/encode round trip gives the same document.
 */
import { Brand, Either, ParseResult, Schema } from "effect"
import { notSure, registerFastStep } from "./FastDecode.ts"

export type Oere = number & Brand.Brand<"Oere">

/** Why a value is not an amount in NOK with at most two decimals. */
export type OereProblem =
  | "not a finite number"
  | "more than two decimals"
  | "outside the safe integer range of øre"
  | "not a decimal number"

const isOere = (n: number): boolean => Number.isSafeInteger(n)

export const Oere = Brand.refined<Oere>(isOere, (n) => Brand.error(`${n} is not a whole number of øre in the safe range`))

export const zero: Oere = 0 as Oere

/** Checked integer addition: refuses to leave the safe-integer range rather than lose precision. */
export const add = (a: Oere, b: Oere): Oere => {
  const s = a + b
  if (!Number.isSafeInteger(s)) throw new RangeError("øre sum left the safe integer range")
  return s as Oere
}

export const sub = (a: Oere, b: Oere): Oere => add(a, negate(b))

export const negate = (a: Oere): Oere => (a === 0 ? zero : (-a as Oere))

export const abs = (a: Oere): Oere => (a < 0 ? negate(a) : a)

export const sum = (xs: Iterable<Oere>): Oere => {
  let s = zero
  for (const x of xs) s = add(s, x)
  return s
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/

/**
 * Parses a decimal text in kroner (`"1234.5"`, `"-0.05"`, `"1e3"`) into øre, exactly.
 * Trailing zeros beyond two decimals are accepted (`"10.500"`), other digits are not.
 */
/**
 * An amount as a person types it in Norwegian: comma decimals, spaces or dots grouping thousands,
 * a minus or U+2212 sign ("1 234,56", "1.234,56", "−50", "1234.5" too). Not for files with a
 * schema of their own (SAF-T's xs:decimal uses `parseKroner`).
 */
export const parseKronerInput = (text: string): Either.Either<Oere, OereProblem> => {
  const t = text.trim().replace(/^[\u2212]/, "-").replace(/[\s\u00a0\u202f]/g, "")
  // "1.234,56": dots group thousands when a comma is the decimal sign
  const normal = t.includes(",") ? t.replace(/\.(?=\d{3}(\D|$))/g, "").replace(",", ".") : t
  return parseKroner(normal)
}

export const parseKroner = (text: string): Either.Either<Oere, OereProblem> => {
  const m = DECIMAL.exec(text.trim())
  if (m === null) return Either.left("not a decimal number")
  const negative = m[1] === "-"
  let intPart = m[2] ?? "0"
  let frac = m[3] ?? ""
  const exp = m[4] === undefined ? 0 : Number(m[4])
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 400) return Either.left("outside the safe integer range of øre")
  // Shift the decimal point by the exponent, working on digits only.
  if (exp > 0) {
    const moved = frac.slice(0, exp).padEnd(exp, "0")
    intPart = intPart + moved
    frac = frac.slice(exp)
  } else if (exp < 0) {
    const k = -exp
    const padded = intPart.padStart(k + 1, "0")
    frac = padded.slice(padded.length - k) + frac
    intPart = padded.slice(0, padded.length - k)
  }
  const extra = frac.slice(2)
  if (/[1-9]/.test(extra)) return Either.left("more than two decimals")
  const digits = (intPart + frac.slice(0, 2).padEnd(2, "0")).replace(/^0+(?=\d)/, "")
  if (digits.length > 16) return Either.left("outside the safe integer range of øre")
  const n = Number(digits)
  if (!Number.isSafeInteger(n)) return Either.left("outside the safe integer range of øre")
  return Either.right((negative && n !== 0 ? -n : n) as Oere)
}

/**
 * A wire number in kroner into øre. The shortest text that round-trips the double (what
 * `String(n)` gives) is the decimal that was on the wire, so it is parsed as text, never scaled.
 */
export const fromKronerNumber = (n: number): Either.Either<Oere, OereProblem> => {
  const fast = fromKronerNumberFast(n)
  if (fast !== undefined) return Either.right(fast)
  return Number.isFinite(n) ? parseKroner(String(n)) : Either.left("not a finite number")
}

const FAST_LIMIT = 1e12

/**
 * The same øre as `parseKroner(String(n))` by arithmetic, for the common case: below 10¹² kroner
 * neighbouring two-decimal amounts are many doubles apart (and a double tells apart every decimal of
 * up to 15 significant digits), so `n` is the double nearest a two-decimal amount exactly when
 * `round(n·100) / 100`, a correctly rounded division, gives `n` back; that integer is then the
 * amount's øre. Undefined when `n` is not such an amount or is too large to decide this way: the
 * text path then decides and names the problem. test/domain/properties.test.ts holds the two paths
 * to the same answers.
 */
export const fromKronerNumberFast = (n: number): Oere | undefined => {
  if (!(n < FAST_LIMIT && n > -FAST_LIMIT)) return undefined
  const r = Math.round(n * 100)
  if (r / 100 !== n) return undefined
  return (r === 0 ? 0 : r) as Oere // −0 kroner is 0 øre
}

/** Øre as a decimal text in kroner with exactly two decimals: 123456 → "1234.56". */
export const toKronerText = (o: Oere): string => {
  const negative = o < 0
  const digits = String(Math.abs(o)).padStart(3, "0")
  return `${negative ? "-" : ""}${digits.slice(0, -2)}.${digits.slice(-2)}`
}

/** Øre as the wire number (kroner): the double nearest the exact decimal. */
export const toKronerNumber = (o: Oere): number => Number(toKronerText(o))

/** Øre formatted the Norwegian way: 1234567 → "12 345,67" (narrow no-break space as grouping). */
export const formatNok = (o: Oere, options?: { readonly grouping?: string }): string => {
  const grouping = options?.grouping ?? "\u00a0"
  const text = toKronerText(o)
  const negative = text.startsWith("-")
  const [i = "0", f = "00"] = (negative ? text.slice(1) : text).split(".")
  const grouped = i.replace(/\B(?=(\d{3})+(?!\d))/g, grouping)
  return `${negative ? "−" : ""}${grouped},${f}`
}

/** The øre type itself, for values already in øre (reports, ledgers that count in øre such as Fiken). */
export const OereSchema = Schema.Int.pipe(
  Schema.filter((n) => Number.isSafeInteger(n) || "outside the safe integer range of øre"),
  Schema.brand("Oere"),
  Schema.annotations({ identifier: "Oere", description: "An amount in integer øre" })
) as unknown as Schema.Schema<Oere, number>

/**
 * An amount on Skatteetaten's wire (a JSON number in kroner) decoded into øre.
 * Rejects NaN, infinities and more than two decimals with a message that says which.
 */
export const Beloep: Schema.Schema<Oere, number> = Schema.transformOrFail(Schema.Number, OereSchema, {
  strict: true,
  decode: (n, _options, ast) => {
    // read for every amount of every response: no closures on the way (docs/performance.md "decode")
    const r = fromKronerNumber(n)
    return Either.isRight(r)
      ? ParseResult.succeed(r.right as number)
      : ParseResult.fail(new ParseResult.Type(ast, n, `amount ${String(n)}: ${r.left}`))
  },
  encode: (o) => ParseResult.succeed(toKronerNumber(o as Oere))
}).annotations({ identifier: "Beloep", description: "An amount in NOK on the wire, øre in the model" }) as unknown as Schema.Schema<
  Oere,
  number
>

// The decoders' fast path (FastDecode.ts) reads a wire amount by arithmetic alone, without the
// transformation's two Eithers per amount; anything the arithmetic does not settle goes to the schema.
registerFastStep(Beloep, (u) => {
  if (typeof u !== "number") return notSure
  return fromKronerNumberFast(u) ?? notSure
})

/** An amount written as decimal text in kroner (SAF-T, XML), decoded into øre. */
export const BeloepFromString: Schema.Schema<Oere, string> = Schema.transformOrFail(Schema.String, OereSchema, {
  strict: true,
  decode: (s, _options, ast) =>
    Either.match(parseKroner(s), {
      onLeft: (problem) => ParseResult.fail(new ParseResult.Type(ast, s, `amount "${s}": ${problem}`)),
      onRight: (o) => ParseResult.succeed(o as number)
    }),
  encode: (o) => ParseResult.succeed(toKronerText(o as Oere))
}).annotations({ identifier: "BeloepFromString" }) as unknown as Schema.Schema<Oere, string>

/** xs:decimal's lexical space (XML Schema 1.1 Part 2, 3.3.3): an optional sign, digits with an optional point; no exponent, no grouping. */
const XS_DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/

/**
 * An xs:decimal text in kroner (SAF-T's SAFmonetaryType and other XML amounts) into øre, exactly:
 * leading and trailing whitespace is collapsed as the type's whiteSpace facet says, a sign and
 * digits with an optional decimal point are accepted; an exponent (`1e3`), grouping or a comma is
 * "not a decimal number". Unlike `parseKroner`, which also takes exponents.
 */
export const parseXsDecimal = (text: string): Either.Either<Oere, OereProblem> => {
  const t = text.trim()
  if (!XS_DECIMAL.test(t)) return Either.left("not a decimal number")
  const unsigned = t.replace(/^[+-]/, "")
  const normal = (unsigned.startsWith(".") ? `0${unsigned}` : unsigned).replace(/\.$/, "")
  return parseKroner(t.startsWith("-") ? `-${normal}` : normal)
}
