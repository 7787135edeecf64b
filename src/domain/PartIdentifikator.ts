/**
 * partIdentifikator: the party a claim belongs to.
 *
 * - organisasjonsnummer: 9 digits, the last a modulus-11 control digit with weights 3 2 7 6 5 4 3 2
 *   (Brønnøysundregistrene's rule).
 * - fødselsnummer: 11 digits DDMMYY + individnummer (3) + two control digits (k1: weights
 *   3 7 6 1 8 9 4 5 2, k2: weights 5 4 3 2 7 6 5 4 3 2 over the first ten). Variants carried in the
 *   date: D-nummer (day + 40), H-nummer (month + 40), and Tenor's synthetic test persons
 *   (month + 80, used by Skatteetaten's test data such as 04827896468).
 *
 * Validation returns the failed rule by name so an error can say exactly what is wrong.
 */
import { Either, ParseResult, Schema } from "effect"

export type PartIdentifikatorRule =
  | "not only digits"
  | "wrong length (9 digits for organisasjonsnummer, 11 for fødselsnummer/D-nummer)"
  | "organisasjonsnummer control digit (mod11)"
  | "fødselsnummer first control digit (k1, mod11)"
  | "fødselsnummer second control digit (k2, mod11)"
  | "fødselsnummer date of birth is not a calendar date"

export interface PartIdentifikatorError {
  readonly value: string
  readonly rule: PartIdentifikatorRule
  readonly message: string
}

export type Kind = "organisasjonsnummer" | "foedselsnummer" | "dnummer" | "hnummer" | "syntetisk"

const ORG_WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2] as const
const K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2] as const
const K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const

/** The modulus-11 control digit for `digits` with `weights`, or undefined when the rule gives 10 (no valid number). */
export const mod11ControlDigit = (digits: ReadonlyArray<number>, weights: ReadonlyArray<number>): number | undefined => {
  let s = 0
  for (let i = 0; i < weights.length; i++) s += (digits[i] ?? 0) * (weights[i] ?? 0)
  const r = 11 - (s % 11)
  if (r === 11) return 0
  if (r === 10) return undefined
  return r
}

const fail = (value: string, rule: PartIdentifikatorRule, detail?: string): Either.Either<Kind, PartIdentifikatorError> =>
  Either.left({ value: mask(value), rule, message: `partIdentifikator ${mask(value)}: ${rule}${detail ? ` — ${detail}` : ""}` })

const daysInMonth = (month: number, leapPossible: boolean): number => month === 2 ? (leapPossible ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31

/** Classifies and validates an identifier; never throws. */
export const classify = (value: string): Either.Either<Kind, PartIdentifikatorError> => {
  if (!/^\d+$/.test(value)) return fail(value, "not only digits")
  const d = Array.from(value, Number)
  if (value.length === 9) {
    const k = mod11ControlDigit(d, ORG_WEIGHTS)
    if (k === undefined || k !== d[8]) {
      return fail(
        value,
        "organisasjonsnummer control digit (mod11)",
        k === undefined ? "no valid control digit exists for the first 8 digits" : `expected ${k}, got ${d[8]}`
      )
    }
    return Either.right("organisasjonsnummer")
  }
  if (value.length !== 11) return fail(value, "wrong length (9 digits for organisasjonsnummer, 11 for fødselsnummer/D-nummer)", `got ${value.length}`)
  const k1 = mod11ControlDigit(d, K1_WEIGHTS)
  if (k1 === undefined || k1 !== d[9]) return fail(value, "fødselsnummer first control digit (k1, mod11)")
  const k2 = mod11ControlDigit(d, K2_WEIGHTS)
  if (k2 === undefined || k2 !== d[10]) return fail(value, "fødselsnummer second control digit (k2, mod11)")
  let day = Number(value.slice(0, 2))
  let month = Number(value.slice(2, 4))
  const yy = Number(value.slice(4, 6))
  let kind: Kind = "foedselsnummer"
  if (day > 40) {
    day -= 40
    kind = "dnummer"
  }
  if (month > 80) {
    month -= 80
    kind = "syntetisk"
  } else if (month > 40) {
    month -= 40
    kind = "hnummer"
  }
  // The century follows from the individnummer; any century that makes yy a leap year allows 29 Feb.
  const leapPossible = yy % 4 === 0
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(month, leapPossible)) {
    return fail(value, "fødselsnummer date of birth is not a calendar date")
  }
  return Either.right(kind)
}

/** Shows an 11-digit personal number as its birth date and masks the rest; org numbers are public. */
export const mask = (value: string): string => (/^\d{11}$/.test(value) ? `${value.slice(0, 6)}*****` : value)

const make = <B extends string>(brand: B, accept: (kind: Kind) => boolean, what: string) => {
  // A response names its party on every element: the last identifier accepted is not checked again
  // (the rule is a pure function of the text).
  let lastAccepted: string | undefined
  return Schema.String.pipe(
    Schema.filter((s, _options, ast) => {
      if (s === lastAccepted) return true
      const r = classify(s)
      if (Either.isLeft(r)) return new ParseResult.Type(ast, s, r.left.message)
      if (!accept(r.right)) return new ParseResult.Type(ast, s, `partIdentifikator ${mask(s)}: not ${what}`)
      lastAccepted = s
      return true
    }),
    Schema.brand(brand),
    Schema.annotations({ identifier: brand, description: what })
  )
}

export const Organisasjonsnummer = make("Organisasjonsnummer", (k) => k === "organisasjonsnummer", "an organisasjonsnummer (9 digits, mod11)")
export type Organisasjonsnummer = typeof Organisasjonsnummer.Type

export const Foedselsnummer = make("Foedselsnummer", (k) => k !== "organisasjonsnummer", "a fødselsnummer, D-nummer or H-nummer (11 digits)")
export type Foedselsnummer = typeof Foedselsnummer.Type

/** Either kind; what the API's `partIdentifikator` field and path segment hold. */
export const PartIdentifikator = make("PartIdentifikator", () => true, "a partIdentifikator")
export type PartIdentifikator = typeof PartIdentifikator.Type

/**
 * The forms accountants type, brought to the plain digits: grouping spaces, dots or hyphens
 * ("313 367 002", "313.367.002", "010190 12345") and the VAT register form "NO313367002MVA"
 * (merverdiavgiftsloven § 14-1: the organisasjonsnummer with NO and MVA around it).
 */
export const normaliseInput = (value: string): string => {
  const trimmed = value.trim()
  const vat = /^NO\s*([\d\s.]{9,13})\s*MVA$/i.exec(trimmed)
  const core = vat !== null ? (vat[1] ?? "") : trimmed
  return /^[\d\s.-]+$/.test(core) ? core.replace(/[\s.-]/g, "") : trimmed
}

/** Validates user input into a PartIdentifikator, in any of the forms `normaliseInput` accepts. */
export const parse = (value: string): Either.Either<PartIdentifikator, PartIdentifikatorError> => {
  const digits = normaliseInput(value)
  return Either.map(classify(digits), () => digits as PartIdentifikator)
}

const PART_RULE_NB: Record<PartIdentifikatorRule, string> = {
  "not only digits": "ikke bare sifre",
  "wrong length (9 digits for organisasjonsnummer, 11 for fødselsnummer/D-nummer)":
    "feil lengde (9 sifre for organisasjonsnummer, 11 for fødselsnummer/D-nummer)",
  "organisasjonsnummer control digit (mod11)": "kontrollsifferet i organisasjonsnummeret stemmer ikke (mod11)",
  "fødselsnummer first control digit (k1, mod11)": "første kontrollsiffer i fødselsnummeret stemmer ikke (k1, mod11)",
  "fødselsnummer second control digit (k2, mod11)": "andre kontrollsiffer i fødselsnummeret stemmer ikke (k2, mod11)",
  "fødselsnummer date of birth is not a calendar date": "fødselsdatoen i fødselsnummeret er ikke en gyldig dato"
}

/** A refused organisasjonsnummer/fødselsnummer in bokmål, naming the same rule (the value masked as in the English text). */
export const partIdentifikatorNb = (e: PartIdentifikatorError): string => {
  const detail = e.message.split(" — ")[1]
    ?.replace("no valid control digit exists for the first 8 digits", "det finnes ikke noe gyldig kontrollsiffer for de 8 første sifrene")
    .replace(/\bexpected (\d)/, "ventet $1")
    .replace(/\bgot (\d+)/, "fikk $1")
  return `partIdentifikator ${e.value}: ${PART_RULE_NB[e.rule]}${detail !== undefined ? ` — ${detail}` : ""}`
}
