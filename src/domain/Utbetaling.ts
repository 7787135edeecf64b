/**
 * Utbetaling: money Skatteetaten paid out, and the credit claims (kreditKrav) it settled.
 * Sources: api/kravogbetalinger.md (utbetalinger example), MODEL-v1.1.1.md, feltbeskrivelser.md.
 */
import { Schema } from "effect"
import { Dato } from "./Dato.ts"
import { Beskrivelse, Betalingsinformasjon, Kravperiode, opt, Uavklart } from "./Felles.ts"
import { Beloep } from "./Money.ts"
import { PartIdentifikator } from "./PartIdentifikator.ts"

/** A credit claim (for example tilgode skatt) that an utbetaling paid out. */
export const KreditKrav = Schema.Struct({
  kravforfallidentifikator: opt(Schema.String),
  kravforfallsIdentifikator: opt(Schema.String),
  kravidentifikator: opt(Schema.String),
  kravIdentifikator: opt(Schema.String),
  opprinneligBeloep: opt(Beloep),
  gjenstaaendeBeloep: opt(Beloep),
  utbetaltBeloep: opt(Beloep),
  kravbeskrivelse: opt(Beskrivelse),
  kravtype: opt(Schema.String),
  kravperiode: opt(Kravperiode),
  dekketKrav: opt(Beskrivelse)
}).annotations({ identifier: "KreditKrav" })
export type KreditKrav = typeof KreditKrav.Type

export const GrunnlagForUtbetaling = Schema.Struct({
  kreditKrav: opt(Schema.Array(KreditKrav)),
  tilbakebetalingAv: opt(Uavklart)
}).annotations({ identifier: "GrunnlagForUtbetaling" })

/** bekreftet | underUtbetaling (MODEL-v1.1.1.md); other values are kept as sent. */
export const Utbetalingstatus = Schema.String.annotations({ identifier: "Utbetalingstatus", examples: ["bekreftet", "underUtbetaling"] })

export const Utbetaling = Schema.Struct({
  partIdentifikator: opt(PartIdentifikator),
  utbetalingsidentifikator: Schema.String,
  utbetaltdato: Dato,
  utbetaltBeloep: Beloep,
  betaltTil: opt(Betalingsinformasjon),
  grunnlagForUtbetaling: opt(GrunnlagForUtbetaling),
  utbetalingstatus: opt(Utbetalingstatus),
  utbetalingsbeskrivelse: opt(Beskrivelse)
}).annotations({ identifier: "Utbetaling" })
export type Utbetaling = typeof Utbetaling.Type
