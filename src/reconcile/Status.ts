/**
 * What the reconciliation concluded about one item (a kravforfall, a claim's stipulated interest,
 * an innbetaling, a ledger entry). Codes are stable English identifiers; labels are for people.
 * docs/reconciliation.md describes each one.
 */
import { Schema } from "effect"

export const Status = Schema.Literal(
  /** Found in the ledger with the same amount. */
  "matched",
  /** Found in the ledger (by reference) with another amount. */
  "amount-differs",
  /** Skatteetaten has it, the ledger does not. */
  "missing-in-ledger",
  /** A ledger entry on a tax account that matches nothing Skatteetaten reports. */
  "only-in-ledger",
  /** A payment the ledger has booked but Skatteetaten has not (fully) placed against a claim. */
  "unplaced-payment",
  /** Stipulated interest (stipulerteRenter) on a claim with no matching entry in the ledger. */
  "interest-not-booked",
  /** The party is skjermet: Skatteetaten exposes no details, nothing can be matched. */
  "skjermet",
  /** A kravforfall from before the ledger period: its booking is part of the opening balance. */
  "opening-balance",
  /** Dated after the as-of date or outside the ledger period: not part of either balance. */
  "outside-period",
  /** The kravtype/kravgruppe maps to no ledger account. */
  "unmapped",
  /** A ledger entry on an account the mapping does not use for claims. */
  "other-account",
  /** Lines of one voucher on one row that cancel out (2500 → 2510 at fastsetting): no effect on the balance. */
  "internal-transfer",
  /** Booked for a termin or income year whose claim Skatteetaten has not created yet, and need not have. */
  "accrued-not-claimed",
  /** A payment booked on another tax account than the one Skatteetaten placed it on. */
  "wrong-account",
  /** A line for a period before the ledger period that corrects what the opening balance holds beyond its claims. */
  "opening-adjustment"
).annotations({ identifier: "Status" })
export type Status = typeof Status.Type

export const allStatuses: ReadonlyArray<Status> = Status.literals

/** The kinds of item that carry a status. */
export const ItemKind = Schema.Literal("kravforfall", "renter", "innbetaling", "utbetaling", "motregning", "bilagslinje").annotations({
  identifier: "ItemKind"
})
export type ItemKind = typeof ItemKind.Type

export const allItemKinds: ReadonlyArray<ItemKind> = ItemKind.literals

export type Language = "nb" | "en"

const labels: Record<Status, Record<Language, string>> = {
  matched: { nb: "Avstemt", en: "Matched" },
  "amount-differs": { nb: "Beløpet avviker", en: "Amount differs" },
  "missing-in-ledger": { nb: "Mangler i regnskapet", en: "Missing in ledger" },
  "only-in-ledger": { nb: "Bare i regnskapet", en: "Only in ledger" },
  "unplaced-payment": { nb: "Innbetaling ikke plassert", en: "Payment not placed" },
  "interest-not-booked": { nb: "Renter ikke bokført", en: "Interest not booked" },
  skjermet: { nb: "Skjermet", en: "Shielded (skjermet)" },
  "opening-balance": { nb: "I inngående saldo", en: "In opening balance" },
  "outside-period": { nb: "Utenfor perioden", en: "Outside the period" },
  unmapped: { nb: "Ikke tilordnet konto", en: "No account mapped" },
  "other-account": { nb: "Annen konto", en: "Other account" },
  "internal-transfer": { nb: "Intern omføring", en: "Internal transfer" },
  "accrued-not-claimed": { nb: "Påløpt, ikke krevd ennå", en: "Accrued, not claimed yet" },
  "wrong-account": { nb: "Bokført på feil konto", en: "Booked on the wrong account" },
  "opening-adjustment": { nb: "Korrigerer inngående saldo", en: "Corrects the opening balance" }
}

export const statusLabel = (status: Status, language: Language = "nb"): string => labels[status][language]

const kindLabels: Record<ItemKind, Record<Language, string>> = {
  kravforfall: { nb: "Kravforfall", en: "Claim instalment" },
  renter: { nb: "Stipulerte renter", en: "Stipulated interest" },
  innbetaling: { nb: "Innbetaling", en: "Payment" },
  utbetaling: { nb: "Utbetaling", en: "Disbursement" },
  motregning: { nb: "Motregning", en: "Set-off" },
  bilagslinje: { nb: "Bilagslinje", en: "Ledger entry" }
}

export const itemKindLabel = (kind: ItemKind, language: Language = "nb"): string => kindLabels[kind][language]

/** Statuses whose difference is explained (or zero); anything else left over is "unexplained". */
export const needsAttention = (status: Status): boolean =>
  status === "amount-differs" ||
  status === "missing-in-ledger" ||
  status === "only-in-ledger" ||
  status === "unplaced-payment" ||
  status === "interest-not-booked" ||
  status === "unmapped" ||
  status === "skjermet" ||
  status === "wrong-account"
