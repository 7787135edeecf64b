/**
 * Building blocks shared by the four endpoints' documents: multilingual texts, periods of a
 * claim, accounts and payment information.
 *
 * Every field is optional unless the current examples (seed-examples/) always carry it, and
 * `null` is accepted wherever a field may be missing: om/tekniskspesifikasjon.md says optional
 * fields may be left out, and clients generated from the spec send nulls. Unknown extra fields
 * are ignored on decode (om/versjoner.md: new fields arrive without a new version).
 */
import { Schema } from "effect"
import { Dato } from "./Dato.ts"

/** An optional field that may also arrive as `null`; absent stays absent and null stays null on encode. */
export const opt = <S extends Schema.Schema.Any>(schema: S) => Schema.optional(Schema.NullOr(schema))

/** A text in one language: `{ tekst, spraak }` (spraak "nb", "nn", "en"). */
export const SpraakTekst = Schema.Struct({
  tekst: Schema.String,
  spraak: opt(Schema.String)
}).annotations({ identifier: "SpraakTekst" })
export type SpraakTekst = typeof SpraakTekst.Type

/** `{ spraakTekst: [...] }`, the current shape of kravbeskrivelse and periodeBeskrivelse. */
export const FlerspraakligTekst = Schema.Struct({
  spraakTekst: Schema.Array(SpraakTekst)
}).annotations({ identifier: "FlerspraakligTekst" })
export type FlerspraakligTekst = typeof FlerspraakligTekst.Type

/** Current shape (an object of texts) or the 2022–23 shape (a plain string). */
export const Beskrivelse = Schema.Union(FlerspraakligTekst, Schema.String).annotations({ identifier: "Beskrivelse" })
export type Beskrivelse = typeof Beskrivelse.Type

/** The period a claim concerns: a termin, a year, or a date range. */
export const KravperiodeObjekt = Schema.Struct({
  periodeBeskrivelse: opt(FlerspraakligTekst),
  aar: opt(Schema.Union(Schema.String, Schema.Number)),
  fraDato: opt(Dato),
  tilDato: opt(Dato),
  terminTekniskNavn: opt(Schema.String)
}).annotations({ identifier: "Kravperiode" })

/** Current shape (object) or the 2022–23 shape (a plain string such as "2023/02"). */
export const Kravperiode = Schema.Union(KravperiodeObjekt, Schema.String).annotations({ identifier: "KravperiodeEllerTekst" })
export type Kravperiode = typeof Kravperiode.Type

export const Konto = Schema.Struct({
  bankinformasjon: opt(Schema.String),
  kontoeiersNavn: opt(Schema.String),
  kontonummer: opt(Schema.String),
  iban: opt(Schema.String),
  swiftBIC: opt(Schema.String)
}).annotations({ identifier: "Konto" })
export type Konto = typeof Konto.Type

/** Where and how to pay (on a kravforfall) or where money went (betaltTil on an utbetaling). */
export const Betalingsinformasjon = Schema.Struct({
  kidnummer: opt(Schema.String),
  meldingSendtTilMottaker: opt(Schema.String),
  konto: opt(Konto),
  valutakode: opt(Schema.String)
}).annotations({ identifier: "Betalingsinformasjon" })
export type Betalingsinformasjon = typeof Betalingsinformasjon.Type

/** One element or a list: fields whose cardinality the published material does not settle. */
export const oneOrMany = <S extends Schema.Schema.Any>(schema: S) => Schema.Union(Schema.Array(schema), schema)

/** A field whose type the published material does not show: a flag, a text or a structure. */
export const Uavklart = Schema.Union(
  Schema.Boolean,
  Schema.String,
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
).annotations({ identifier: "Uavklart", description: "Type not published; kept as received" })

/** Texts in the preferred language, falling back to bokmål and then the first one. */
export const tekst = (b: Beskrivelse | null | undefined, spraak = "nb"): string | undefined => {
  if (b === null || b === undefined) return undefined
  if (typeof b === "string") return b
  const all = b.spraakTekst
  return (all.find((t) => t.spraak === spraak) ?? all.find((t) => t.spraak === "nb") ?? all[0])?.tekst
}

export const kravperiodeTekst = (p: Kravperiode | null | undefined, spraak = "nb"): string | undefined => {
  if (p === null || p === undefined) return undefined
  if (typeof p === "string") return p
  // Skatteetaten's own description ("1. termin 2025") says it all; without one, the year and the dates.
  const beskrivelse = tekst(p.periodeBeskrivelse, spraak)
  if (beskrivelse !== undefined && beskrivelse.trim() !== "") return beskrivelse
  const range = p.fraDato && p.tilDato ? `${p.fraDato}–${p.tilDato}` : undefined
  return [p.aar === null || p.aar === undefined ? undefined : String(p.aar), range].filter((x) => x !== undefined).join(" ") || undefined
}
