/**
 * Innbetaling: a payment to Skatteetaten, and how much of it is not yet placed against a claim
 * (uplassertBeloep). Sources: seed-examples/aapnekrav-212201782.json (innbetalingMedUplassertBeloep),
 * api/kravogbetalinger.md (innbetalinger example), MODEL-v1.1.1.md, feltbeskrivelser.md.
 */
import { Schema } from "effect"
import { Dato } from "./Dato.ts"
import { Beskrivelse, Konto, Kravperiode, oneOrMany, opt, Uavklart } from "./Felles.ts"
import { InnbetaltFra } from "./Krav.ts"
import { Beloep } from "./Money.ts"
import { PartIdentifikator } from "./PartIdentifikator.ts"

/** Which claim (forfall) a payment was placed against: current names, with the 2022–23 ones as aliases. */
export const PlassertKrav = Schema.Struct({
  kravidentifikator: opt(Schema.String),
  kravforfallsIdentifikator: opt(Schema.String),
  kravtype: opt(Schema.String),
  kravbeskrivelse: opt(Beskrivelse),
  kravperiode: opt(Kravperiode),
  forfallsdato: opt(Dato),
  plassertBeloep: opt(Beloep),
  plassertDato: opt(Dato),
  opprinneligBeloep: opt(Beloep),
  gjenstaaendeBeloep: opt(Beloep),
  /** 2022–23 (PlasseringAvInnbetaling) names. */
  dekketKrav: opt(Beskrivelse),
  kravforfallIdentifikator: opt(Schema.String),
  kravforfallsdato: opt(Dato),
  plasseringsdato: opt(Dato),
  opprinneligKravforfallsbeloep: opt(Beloep),
  gjenstaaendeKravforfallsbeloep: opt(Beloep)
}).annotations({ identifier: "PlassertKrav" })
export type PlassertKrav = typeof PlassertKrav.Type

export const Innbetaling = Schema.Struct({
  partIdentifikator: opt(PartIdentifikator),
  innbetalingsidentifikator: Schema.String,
  innbetalingsdato: Dato,
  innbetaltBeloep: Beloep,
  uplassertBeloep: opt(Beloep),
  mottakersKontonummer: opt(Konto),
  innbetaltFra: opt(InnbetaltFra),
  innbetalingstype: opt(Schema.String),
  plassertKrav: opt(oneOrMany(PlassertKrav)),
  motregningAvInnbetaling: opt(Uavklart),
  /** 2022–23 names of innbetaltFra and mottakersKontonummer. */
  betaltFra: opt(InnbetaltFra),
  betaltTilKonto: opt(Konto)
}).annotations({ identifier: "Innbetaling" })
export type Innbetaling = typeof Innbetaling.Type
