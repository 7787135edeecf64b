/**
 * The public vocabulary of the test books: booking styles, deliberate differences, options and
 * the generated company's books. Each style and difference is specified in docs/test-books.md.
 */
import type { Dato } from "../../src/domain/Dato.ts"
import type { Oere } from "../../src/domain/Money.ts"
import type { Periode } from "../../src/domain/Periode.ts"
import type { PartyData } from "../Generate.ts"
import type { SaftDescription } from "./ledger.ts"

export type BookingStyle =
  /** (a) termin settlement moves each 270x/271x account to 2740 as separate gross lines; without: one net 2740 line. */
  | "gross-vat-settlement"
  /** (b) the mva payment is in the settlement voucher, dated the payment day (the melding is filed that day). */
  | "payment-in-settlement"
  /** (c) aga and forskuddstrekk accrued per monthly payroll run; without: one accrual voucher at termin end. */
  | "payroll-runs"
  /** (d) aga + forskuddstrekk due the same day paid in one bank voucher, one line per KID. */
  | "multi-kid-payment"
  /** (e) one mva claim a year paid late; Skatteetaten's forsinkelsesrenterMva claim is expensed on 8150 and paid. */
  | "interest-expensed"
  /** (f) tilgode termins: one refund paid out (utbetaling), one set off against the aga claim. */
  | "vat-refund"
  /** (g) the year's tax accrued on 2500, forskuddsskatt paid against it, moved to 2510 at fastsetting, restskatt paid from 2510. */
  | "skatt-2500-2510"

export const ALL_STYLES: ReadonlyArray<BookingStyle> = [
  "gross-vat-settlement",
  "payment-in-settlement",
  "payroll-runs",
  "multi-kid-payment",
  "interest-expensed",
  "vat-refund",
  "skatt-2500-2510"
]

export type DeliberateDifference =
  /** mva termin 2 of the last year: no settlement voucher (VAT stays on 2700/2710); the payment is booked on 2740. */
  | "claim-not-booked"
  /** mva termin 3 of the last year: the settlement moves 100 kr too little from 2700 to 2740. */
  | "claim-amount-off"
  /** A correction on 2740 never reported: non-deductible VAT on representasjon moved 2740 → 7350. */
  | "stray-entry"
  /** A payment to the skattekonto without KID, booked on 2740, that Skatteetaten has not placed. */
  | "payment-not-placed"
  /** The forsinkelsesrenter claim for the last year's late mva termin 5: never booked, never paid. */
  | "interest-not-booked"
  /** The aga payment for termin 2 of the last year debited to 2740 instead of 2770. */
  | "payment-wrong-account"

export const ALL_DIFFERENCES: ReadonlyArray<DeliberateDifference> = [
  "claim-not-booked",
  "claim-amount-off",
  "stray-entry",
  "payment-not-placed",
  "interest-not-booked",
  "payment-wrong-account"
]

export interface CompanyOptions {
  /** 9-digit organisasjonsnummer (mod11-valid: the documents decode with the domain schemas). */
  readonly part: string
  readonly name: string
  readonly seed: number
  /** Books start 1 January firstYear with zero balances on the tax accounts. */
  readonly firstYear: number
  /** How many consecutive years of business; claims and payments for the last year run into the year after. */
  readonly years: number
  readonly styles: ReadonlyArray<BookingStyle>
  /** Each injected once, in the last year. */
  readonly differences?: ReadonlyArray<DeliberateDifference>
  readonly mva?: boolean
  readonly arbeidsgiver?: boolean
  readonly skatt?: boolean
}

/**
 * A deliberate difference, as what it does to the mirror identity: from `date` on, the ledger
 * balance of `row` (credit negative) differs from what a mirror ledger would show by exactly
 * `amount` (ledger-signed øre). `counterpart` is the same difference's mirror image on a second
 * row, when it has one (payment-wrong-account).
 */
export interface InjectedDifference {
  readonly kind: DeliberateDifference
  readonly date: Dato
  readonly row: string
  readonly amount: Oere
  /**
   * kravforfallsIdentifikator (claim-not-booked, claim-amount-off, interest-not-booked) or
   * innbetalingsidentifikator (payment-not-placed, payment-wrong-account).
   */
  readonly itemId?: string
  /** The ledger voucher (SAF-T TransactionID) concerned, when there is one. */
  readonly voucher?: string
  readonly counterpart?: { readonly row: string; readonly amount: Oere }
}

export interface AccruedNotClaimed {
  readonly row: string
  /** Ledger-signed: a liability is negative, a VAT refund positive. */
  readonly amount: Oere
  /** "1. termin 2025" or the income year "2025". */
  readonly kravperiode: string
  readonly voucher: string
}

export interface CompanyBooks {
  readonly part: string
  readonly name: string
  /** What the API serves on `asOf` (claims created by then, placements, gjenstaaende, stipulerteRenter as of that day; payments and payouts dated by then). */
  readonly skatteetaten: (asOf: Dato) => PartyData
  /** The ledger for a period: opening balances = everything booked before fraOgMed (P&L accounts: within its year); the transactions inside. */
  readonly ledger: (periode: Periode) => SaftDescription
  /** Every injected deliberate difference. */
  readonly differences: ReadonlyArray<InjectedDifference>
  /** Per tax row, amounts booked that belong to a termin / income year Skatteetaten has not claimed yet on `asOf`. */
  readonly accruedNotClaimed: (asOf: Dato) => ReadonlyArray<AccruedNotClaimed>
}

/** The report rows and the accounts each one reconciles (docs/reconciliation.md defaults). */
export const ROWS: Readonly<Record<string, ReadonlyArray<string>>> = {
  "2740": ["2740"],
  "2770": ["2770"],
  "2600": ["2600"],
  "2500+2510": ["2500", "2510"]
}

/** The row a kravgruppe's claims belong to. */
export const ROW_OF_KRAVGRUPPE: Readonly<Record<string, string>> = {
  merverdiavgift: "2740",
  arbeidsgiveravgift: "2770",
  forskuddstrekk: "2600",
  skatt: "2500+2510"
}
