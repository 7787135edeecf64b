/**
 * The four response documents of Krav og betalinger API v1, one per endpoint:
 * `aapnekrav`, `krav?fraOgMed&tilOgMed`, `innbetalinger?…`, `utbetalinger?…`.
 * Sources: seed-examples/ (aapnekrav, krav), api/kravogbetalinger.md (innbetalinger, utbetalinger),
 * MODEL-v1.1.1.md (totalOversikt, oversiktPerKravgruppe).
 */
import { Schema } from "effect"
import { opt } from "./Felles.ts"
import { Innbetaling } from "./Innbetaling.ts"
import { Krav } from "./Krav.ts"
import { Beloep } from "./Money.ts"
import { PartIdentifikator } from "./PartIdentifikator.ts"
import { Periode } from "./Periode.ts"
import { Utbetaling } from "./Utbetaling.ts"

export const TotalOversikt = Schema.Struct({
  sumStipulerteRenter: opt(Beloep),
  sumForfalteKrav: opt(Beloep),
  sumIkkeForfalteKrav: opt(Beloep),
  sumUplasserteInnbetalinger: opt(Beloep),
  saldo: opt(Beloep)
}).annotations({ identifier: "TotalOversikt" })
export type TotalOversikt = typeof TotalOversikt.Type

export const OversiktPerKravgruppe = Schema.Struct({
  kravgruppe: Schema.String,
  sumStipulerteRenter: opt(Beloep),
  sumForfalteKrav: opt(Beloep),
  sumIkkeForfalteKrav: opt(Beloep),
  saldo: opt(Beloep)
}).annotations({ identifier: "OversiktPerKravgruppe" })
export type OversiktPerKravgruppe = typeof OversiktPerKravgruppe.Type

/** GET …/{part}/aapnekrav: open claims and payments not yet placed, with summaries. */
export const AapneKrav = Schema.Struct({
  partIdentifikator: PartIdentifikator,
  /** A skjermet party's details are withheld; the document then carries little more than this flag. */
  skjermet: opt(Schema.Boolean),
  aapentKravMedGjenstaaendeBeloep: opt(Schema.Array(Krav)),
  innbetalingMedUplassertBeloep: opt(Schema.Array(Innbetaling)),
  totalOversikt: opt(TotalOversikt),
  oversiktPerKravgruppe: opt(Schema.Array(OversiktPerKravgruppe))
}).annotations({ identifier: "AapneKrav" })
export type AapneKrav = typeof AapneKrav.Type

/** GET …/{part}/krav?fraOgMed&tilOgMed: every claim in the period. */
export const KravListe = Schema.Struct({
  partIdentifikator: PartIdentifikator,
  periode: opt(Periode),
  skjermet: opt(Schema.Boolean),
  krav: opt(Schema.Array(Krav))
}).annotations({ identifier: "KravListe" })
export type KravListe = typeof KravListe.Type

/** GET …/{part}/innbetalinger?fraOgMed&tilOgMed. */
export const Innbetalinger = Schema.Struct({
  partIdentifikator: PartIdentifikator,
  periode: opt(Periode),
  skjermet: opt(Schema.Boolean),
  innbetaling: opt(Schema.Array(Innbetaling))
}).annotations({ identifier: "Innbetalinger" })
export type Innbetalinger = typeof Innbetalinger.Type

/** GET …/{part}/utbetalinger?fraOgMed&tilOgMed. */
export const Utbetalinger = Schema.Struct({
  partIdentifikator: PartIdentifikator,
  periode: opt(Periode),
  skjermet: opt(Schema.Boolean),
  utbetaling: opt(Schema.Array(Utbetaling))
}).annotations({ identifier: "Utbetalinger" })
export type Utbetalinger = typeof Utbetalinger.Type

/** The endpoint names as they appear in the URL. */
export type Endepunkt = "aapnekrav" | "krav" | "innbetalinger" | "utbetalinger"
export const endepunkter: ReadonlyArray<Endepunkt> = ["aapnekrav", "krav", "innbetalinger", "utbetalinger"]

/** The document schema for an endpoint, and the XML root element name we use for it. */
export const documentFor = {
  aapnekrav: { schema: AapneKrav, xmlRoot: "aapneKrav", list: "aapentKravMedGjenstaaendeBeloep" },
  krav: { schema: KravListe, xmlRoot: "kravListe", list: "krav" },
  innbetalinger: { schema: Innbetalinger, xmlRoot: "innbetalinger", list: "innbetaling" },
  utbetalinger: { schema: Utbetalinger, xmlRoot: "utbetalinger", list: "utbetaling" }
} as const

/** Rettighetspakke: which access package the call is made under (om/rettighetspakker.md). */
export const Rettighetspakke = Schema.Literal("regnskapssystem", "finans")
export type Rettighetspakke = typeof Rettighetspakke.Type
