/**
 * Krav (a claim) and its kravforfall (due dates), with the payments and counter-claims
 * Skatteetaten placed against each forfall.
 *
 * Sources: seed-examples/*.json (authoritative for shape), MODEL-v1.1.1.md (fields the examples
 * do not show), beta-apier/docs/kravogbetalinger/feltbeskrivelser.md (meaning; its 2022–23 field
 * names such as plasseringsdato and betaltFra are kept as optional aliases so older payloads decode).
 */
import { Schema } from "effect"
import { Dato } from "./Dato.ts"
import { Beskrivelse, Betalingsinformasjon, Konto, Kravperiode, oneOrMany, opt, Uavklart } from "./Felles.ts"
import { Beloep } from "./Money.ts"
import { PartIdentifikator } from "./PartIdentifikator.ts"

/** Where a payment came from: the payer's account and possibly the KID used. */
export const InnbetaltFra = Schema.Struct({
  konto: opt(Konto),
  kidnummer: opt(Schema.String)
}).annotations({ identifier: "InnbetaltFra" })

/** A payment (or part of one) placed against a kravforfall. */
export const PlassertInnbetaling = Schema.Struct({
  innbetalingsIdentifikator: opt(Schema.String),
  plassertBeloep: opt(Beloep),
  plassertDato: opt(Dato),
  innbetalingsdato: opt(Dato),
  innbetaltBeloep: opt(Beloep),
  innbetaltFra: opt(InnbetaltFra),
  innbetalingstype: opt(Schema.String),
  /** 2022–23 name of plassertDato. */
  plasseringsdato: opt(Dato),
  /** 2022–23 name of innbetaltFra. */
  betaltFra: opt(InnbetaltFra)
}).annotations({ identifier: "PlassertInnbetaling" })
export type PlassertInnbetaling = typeof PlassertInnbetaling.Type

/** A counter-claim (for example a VAT refund) set off against a kravforfall. */
export const PlassertMotkrav = Schema.Struct({
  kravforfallsIdentifikator: opt(Schema.String),
  plassertBeloep: opt(Beloep),
  kravtype: opt(Schema.String),
  plassertDato: opt(Dato),
  kravbeskrivelse: opt(Beskrivelse),
  forfallsdato: opt(Dato),
  kravperiode: opt(Kravperiode),
  /** 2022–23 names. */
  motkravBeskrivelse: opt(Beskrivelse),
  motkravForfallsdato: opt(Dato),
  motkravForfallsIdentifikator: opt(Schema.String),
  plasseringsdato: opt(Dato)
}).annotations({ identifier: "PlassertMotkrav" })
export type PlassertMotkrav = typeof PlassertMotkrav.Type

/** A disbursement placed against a kravforfall (MODEL-v1.1.1.md names it; its shape is not published). */
export const PlassertUtbetaling = Schema.Struct({
  utbetalingsidentifikator: opt(Schema.String),
  plassertBeloep: opt(Beloep),
  plassertDato: opt(Dato),
  utbetaltdato: opt(Dato),
  utbetaltBeloep: opt(Beloep)
}).annotations({ identifier: "PlassertUtbetaling" })

export const Kravforfall = Schema.Struct({
  kravforfallsIdentifikator: Schema.String,
  forfallsdato: Dato,
  opprinneligBeloep: Beloep,
  gjenstaaendeBeloep: Beloep,
  betalingsinformasjon: opt(Betalingsinformasjon),
  plassertInnbetaling: opt(Schema.Array(PlassertInnbetaling)),
  plassertMotkrav: opt(Schema.Array(PlassertMotkrav)),
  plassertUtbetaling: opt(oneOrMany(PlassertUtbetaling)),
  /** Enforcement postponed while a decision is reconsidered (feltbeskrivelser.md). */
  utsattIverksettelse: opt(Uavklart)
}).annotations({ identifier: "Kravforfall" })
export type Kravforfall = typeof Kravforfall.Type

/** blank | egenfastsatt | myndighetsfastsatt (MODEL-v1.1.1.md); other values are kept as sent. */
export const Fastsettingsmaate = Schema.String.annotations({
  identifier: "Fastsettingsmaate",
  examples: ["blank", "egenfastsatt", "myndighetsfastsatt"]
})

export const Krav = Schema.Struct({
  partIdentifikator: PartIdentifikator,
  kravidentifikator: Schema.String,
  /** Open code: see Kodeliste.lookupKravtype. */
  kravtype: Schema.String,
  opprinneligBeloep: Beloep,
  gjenstaaendeBeloep: Beloep,
  kravforfall: Schema.Array(Kravforfall),
  stipulerteRenter: opt(Beloep),
  kravbeskrivelse: opt(Beskrivelse),
  kravperiode: opt(Kravperiode),
  opprettelsesdatoForKrav: opt(Dato),
  /** Open code: see Kodeliste.lookupKravgruppe. */
  kravgruppe: opt(Schema.String),
  fastsettingsmaate: opt(Fastsettingsmaate),
  hovedstolKravidentifikator: opt(Schema.String),
  motregningAvKreditkrav: opt(Uavklart)
}).annotations({ identifier: "Krav" })
export type Krav = typeof Krav.Type
