/** The engine's internal working items (mutable while matching; the report is built from them). */
import type { Explanation } from "../Explanation.ts"
import type { MatchMethod } from "../Report.ts"
import type { Language, Status } from "../Status.ts"
import type { Claim, Forfall, Interest } from "./claims.ts"
import type { LedgerLine } from "./lines.ts"
import type { MoneyMovement } from "./payments.ts"

export interface RefKey {
  readonly token: string
  /** The original value, for the explanation. */
  readonly value: string
  readonly field: "kravforfallsIdentifikator" | "kravidentifikator" | "kid" | "innbetalingsidentifikator" | "utbetalingsidentifikator"
  /** Unique keys take every entry carrying them; shared ones (KID) only an entry with the exact amount. */
  readonly unique: boolean
}

/** Something Skatteetaten reports that should appear in the ledger. */
export type TargetKind = "kravforfall" | "renter" | "innbetaling" | "utbetaling" | "motregning"

export interface Target {
  readonly kind: TargetKind
  readonly id: string
  /** Row the entries must be on; undefined = any claim row (payments). */
  readonly row: string | undefined
  /** The signed ledger amount expected (credit negative for a claim, debit positive for a payment). */
  readonly expected: number
  readonly refs: ReadonlyArray<RefKey>
  /** Only entries whose text also contains this word (interest: "rente"). */
  readonly mustContain?: string | undefined
  readonly lo: number
  readonly hi: number
  readonly anchorDay: number
  readonly anchorName: string
  /** For a kravforfall: its kravgruppe and the first day of its kravperiode (termin or income year), when known. */
  readonly kravgruppe?: string | undefined
  readonly periodStart?: string | undefined
  entries: Array<number>
  /** Signed amount booked for this target (Σ its entries, or its share of a shared entry). */
  booked: number
  method: MatchMethod | undefined
  matchedRef: RefKey | undefined
}

/**
 * "in": created in the period, expected as a booking in it; "pre": expected in the opening balance
 * (created before the period, or its kravperiode ended before the period and the opening balance
 * covers it); "after": created after the as-of date; "unmapped": no account.
 */
export type Phase = "in" | "pre" | "after" | "unmapped"

/** A claim, a kravforfall, its interest: working items and the report's results in one (engine/claims.ts). */
export type ClaimItem = Claim
export type ForfallItem = Forfall
export type InterestItem = Interest

/** An innbetaling (money to Skatteetaten) or an utbetaling (money from it): engine/payments.ts. */
export type PaymentItem = MoneyMovement

/** What the results of one report's items share, for the explanations and sentences they make when read. */
export interface ItemContext {
  readonly entries: ReadonlyArray<EntryItem>
  readonly periodStart: string
  readonly asOf: string
  readonly language: Language
  /** The kravgrupper a row carries, for sentences ("arbeidsgiveravgift (2770)"). */
  readonly rowName: (row: string) => string
}

/**
 * A set-off (plassertMotkrav): Skatteetaten used a counter-claim (typically tilgode merverdiavgift)
 * to cover a claim. In the books it is one voucher: a debit on the covered claim's account and a
 * credit on the counter-claim's. Each side with a row of its own is a leg with its own target.
 */
export interface SetOffItem {
  readonly id: string
  readonly covered: ForfallItem
  readonly motkrav: ForfallItem | undefined
  /** The amount placed, positive. */
  readonly amount: number
  readonly dato: string
  readonly phase: "in" | "after" | "before"
  /** Per leg: the row, the placement on it (owed orientation) and the target. */
  readonly legs: ReadonlyArray<{ readonly row: string; readonly placed: number; readonly target: Target | undefined }>
}

/** A ledger line as the engine works on it (and as the report gives it out): engine/lines.ts. */
export type EntryItem = LedgerLine

export interface Outcome {
  readonly status: Status
  readonly contribution: number
  readonly explanation: Explanation
}
