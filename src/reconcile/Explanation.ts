/**
 * Why an item got its status, as structured data (a code and its parameters) so any sink can
 * render it in its own language; `render` gives the Norwegian (bokmål) or English sentence.
 * Amount parameters are integer øre, dates are YYYY-MM-DD, counts are integers.
 */
import { Schema } from "effect"
import { formatNok, type Oere } from "../domain/Money.ts"
import type { Language } from "./Status.ts"

export const ExplanationCode = Schema.Literal(
  "matched-reference",
  "matched-amount-date",
  "matched-combination",
  "amount-differs-reference",
  "missing-in-ledger",
  "only-in-ledger",
  "unplaced-payment",
  "interest-booked",
  "interest-not-booked",
  "skjermet",
  "opening-balance",
  "after-as-of",
  "before-period",
  "unmapped",
  "other-account",
  "matched-voucher",
  "matched-opening-part",
  "internal-transfer",
  "accrued-not-claimed",
  "no-claim-for-period",
  "wrong-account",
  "setoff-same-row",
  "opening-prior-period",
  "opening-adjustment",
  "amount-differs-near"
).annotations({ identifier: "ExplanationCode" })
export type ExplanationCode = typeof ExplanationCode.Type

export const Explanation = Schema.Struct({
  code: ExplanationCode,
  /**
   * Parameters by name. Amounts (øre): amount, expected, booked, difference, uplassert, placed.
   * Texts: reference, field, anchor, date, asOf, periodStart, kravtype, kravgruppe, account, voucher,
   * period (a termin or income year), deadline, row.
   * Numbers: days (signed: entry date − anchor date), count.
   */
  params: Schema.Record({ key: Schema.String, value: Schema.Union(Schema.String, Schema.Number) })
}).annotations({ identifier: "Explanation" })
export type Explanation = typeof Explanation.Type

export type Params = Record<string, string | number>

export const make = (code: ExplanationCode, params: Params = {}): Explanation => ({ code, params })

const AMOUNT_KEYS = new Set(["amount", "expected", "booked", "difference", "uplassert", "placed", "opening"])

const FIELD_NAMES: Record<string, Record<Language, string>> = {
  kravforfallsIdentifikator: { nb: "kravforfallsidentifikator", en: "instalment id" },
  kravidentifikator: { nb: "kravidentifikator", en: "claim id" },
  kid: { nb: "KID", en: "KID" },
  innbetalingsidentifikator: { nb: "innbetalingsidentifikator", en: "payment id" },
  utbetalingsidentifikator: { nb: "utbetalingsidentifikator", en: "disbursement id" }
}

const ANCHOR_NAMES: Record<string, Record<Language, string>> = {
  forfallsdato: { nb: "forfall", en: "the due date" },
  opprettelsesdato: { nb: "opprettelse", en: "creation" },
  periodeslutt: { nb: "periodens slutt", en: "the end of the period" },
  innbetalingsdato: { nb: "innbetalingsdato", en: "the payment date" },
  utbetaltdato: { nb: "utbetalingsdato", en: "the disbursement date" },
  plassertDato: { nb: "motregningsdato", en: "the set-off date" }
}

const fmt = (params: Params, key: string): string => {
  const v = params[key]
  if (v === undefined) return "?"
  if (AMOUNT_KEYS.has(key) && typeof v === "number") return formatNok(v as Oere, { grouping: " " })
  return String(v)
}

const days = (params: Params, language: Language): string => {
  const d = Number(params["days"] ?? 0)
  const anchor = ANCHOR_NAMES[String(params["anchor"] ?? "")]?.[language] ?? String(params["anchor"] ?? "")
  if (language === "en") {
    if (d === 0) return `booked on ${anchor}`
    const n = Math.abs(d)
    return `booked ${n} day${n === 1 ? "" : "s"} ${d > 0 ? "after" : "before"} ${anchor}`
  }
  if (d === 0) return `bokført på dato for ${anchor}`
  const n = Math.abs(d)
  return `bokført ${n} ${n === 1 ? "dag" : "dager"} ${d > 0 ? "etter" : "før"} ${anchor}`
}

const field = (params: Params, language: Language): string => {
  const f = String(params["field"] ?? "")
  return FIELD_NAMES[f]?.[language] ?? f
}

/** The explanation as a sentence in bokmål (default) or English. */
export const render = (e: Explanation, language: Language = "nb"): string => {
  const p = e.params
  const en = language === "en"
  switch (e.code) {
    case "matched-reference":
      return en
        ? `matched on ${field(p, language)} ${fmt(p, "reference")}, amount ${fmt(p, "amount")}`
        : `avstemt på ${field(p, language)} ${fmt(p, "reference")}, beløp ${fmt(p, "amount")}`
    case "matched-amount-date":
      return en ? `same amount ${fmt(p, "amount")}, ${days(p, language)}` : `samme beløp ${fmt(p, "amount")}, ${days(p, language)}`
    case "matched-combination":
      return en
        ? `${fmt(p, "count")} items together make ${fmt(p, "amount")}`
        : `${fmt(p, "count")} poster utgjør til sammen ${fmt(p, "amount")}`
    case "amount-differs-reference":
      return en
        ? `found on ${field(p, language)} ${fmt(p, "reference")}, but booked ${fmt(p, "booked")} against ${fmt(p, "expected")} (difference ${
          fmt(p, "difference")
        })`
        : `funnet på ${field(p, language)} ${fmt(p, "reference")}, men bokført ${fmt(p, "booked")} mot ${fmt(p, "expected")} (avvik ${fmt(p, "difference")})`
    case "missing-in-ledger":
      return en ? `no ledger entry found for ${fmt(p, "amount")}` : `finner ingen bilagslinje for ${fmt(p, "amount")} i regnskapet`
    case "only-in-ledger":
      return en
        ? `entry of ${fmt(p, "amount")} on account ${fmt(p, "account")} matches nothing at Skatteetaten`
        : `postering på ${fmt(p, "amount")} på konto ${fmt(p, "account")} svarer ikke til noe hos Skatteetaten`
    case "unplaced-payment":
      return en
        ? `booked in the ledger, but Skatteetaten has not placed ${fmt(p, "uplassert")} of it against any claim`
        : `bokført i regnskapet, men Skatteetaten har ikke plassert ${fmt(p, "uplassert")} mot noe krav`
    case "interest-booked":
      return en ? `stipulated interest ${fmt(p, "amount")} is booked` : `stipulerte renter ${fmt(p, "amount")} er bokført`
    case "interest-not-booked":
      return en
        ? `stipulated interest ${fmt(p, "amount")} is not booked`
        : `stipulerte renter ${fmt(p, "amount")} er ikke bokført`
    case "skjermet":
      return en
        ? "the party is skjermet; Skatteetaten gives no details to match against"
        : "parten er skjermet; Skatteetaten gir ingen detaljer å avstemme mot"
    case "opening-balance":
      return en
        ? `from before ${fmt(p, "periodStart")}; expected in the opening balance with ${fmt(p, "expected")}`
        : `fra før ${fmt(p, "periodStart")}; ventet i inngående saldo med ${fmt(p, "expected")}`
    case "after-as-of":
      return en
        ? `dated ${fmt(p, "date")}, after the as-of date ${fmt(p, "asOf")}`
        : `datert ${fmt(p, "date")}, etter avstemmingsdatoen ${fmt(p, "asOf")}`
    case "before-period":
      return en
        ? `dated ${fmt(p, "date")}, before the period starting ${fmt(p, "periodStart")}`
        : `datert ${fmt(p, "date")}, før perioden som starter ${fmt(p, "periodStart")}`
    case "unmapped":
      return en
        ? `kravtype ${fmt(p, "kravtype")} (kravgruppe ${fmt(p, "kravgruppe")}) has no ledger account in the mapping`
        : `kravtype ${fmt(p, "kravtype")} (kravgruppe ${fmt(p, "kravgruppe")}) har ingen konto i kontotilordningen`
    case "other-account":
      return en
        ? `account ${fmt(p, "account")} carries no claims in the mapping`
        : `konto ${fmt(p, "account")} fører ingen krav i kontotilordningen`
    case "matched-voucher":
      return en
        ? `${fmt(p, "count")} lines of voucher ${fmt(p, "voucher")} together make ${fmt(p, "amount")}`
        : `${fmt(p, "count")} linjer i bilag ${fmt(p, "voucher")} utgjør til sammen ${fmt(p, "amount")}`
    case "matched-opening-part":
      return en
        ? `${fmt(p, "opening")} of it is in the opening balance, the rest booked in the period (${fmt(p, "amount")})`
        : `${fmt(p, "opening")} av det ligger i inngående saldo, resten er bokført i perioden (${fmt(p, "amount")})`
    case "internal-transfer":
      return en
        ? `moved between the row's own accounts in voucher ${fmt(p, "voucher")}; nets to zero`
        : `omført mellom radens egne kontoer i bilag ${fmt(p, "voucher")}; utgjør null til sammen`
    case "accrued-not-claimed":
      return en
        ? `accrued for ${fmt(p, "period")}; Skatteetaten's claim is not due to exist before ${fmt(p, "deadline")}`
        : `påløpt for ${fmt(p, "period")}; kravet fra Skatteetaten skal ikke foreligge før ${fmt(p, "deadline")}`
    case "no-claim-for-period":
      return en
        ? `booked ${fmt(p, "amount")} on ${fmt(p, "account")} for ${fmt(p, "period")}, but Skatteetaten has no matching claim although it was due by ${
          fmt(p, "deadline")
        } (is a return missing?)`
        : `bokført ${fmt(p, "amount")} på ${fmt(p, "account")} for ${
          fmt(p, "period")
        }, men Skatteetaten har ikke noe tilsvarende krav selv om det skulle foreligge innen ${fmt(p, "deadline")} (mangler en melding?)`
    case "wrong-account":
      return en
        ? `booked on ${fmt(p, "account")}, but Skatteetaten placed it on ${fmt(p, "kravgruppe")} (${fmt(p, "row")})`
        : `bokført på ${fmt(p, "account")}, Skatteetaten har plassert den på ${fmt(p, "kravgruppe")} (${fmt(p, "row")})`
    case "setoff-same-row":
      return en
        ? `set off against a counter-claim on the same account (${fmt(p, "amount")}); the balance does not move`
        : `motregnet mot et motkrav på samme konto (${fmt(p, "amount")}); saldoen endres ikke`
    case "amount-differs-near":
      return en
        ? `booked ${fmt(p, "booked")} against ${fmt(p, "expected")} (difference ${fmt(p, "difference")}) in voucher ${
          fmt(p, "voucher")
        }, the nearest booking in its window`
        : `bokført ${fmt(p, "booked")} mot ${fmt(p, "expected")} (avvik ${fmt(p, "difference")}) i bilag ${fmt(p, "voucher")}, nærmeste postering i perioden`
    case "opening-adjustment":
      return en
        ? `for ${fmt(p, "period")}, before the period: corrects the opening balance to Skatteetaten's claims (${fmt(p, "amount")})`
        : `gjelder ${fmt(p, "period")}, før perioden: korrigerer inngående saldo til Skatteetatens krav (${fmt(p, "amount")})`
    case "opening-prior-period":
      return en
        ? `for ${fmt(p, "period")}, before ${fmt(p, "periodStart")}: covered by the opening balance (${fmt(p, "expected")})`
        : `gjelder ${fmt(p, "period")}, før ${fmt(p, "periodStart")}: dekket av inngående saldo (${fmt(p, "expected")})`
  }
}
