/** The engine's internal working items (mutable while matching; the report is built from them). */
import type { Innbetaling } from "../../domain/Innbetaling.ts"
import type { Krav, Kravforfall } from "../../domain/Krav.ts"
import type { Oere } from "../../domain/Money.ts"
import type { Utbetaling } from "../../domain/Utbetaling.ts"
import type { Explanation } from "../Explanation.ts"
import type { MatchMethod } from "../Report.ts"
import type { Status } from "../Status.ts"
import type { LedgerLine } from "./lines.ts"

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

export interface ClaimItem {
  readonly krav: Krav
  readonly row: string
  readonly kravgruppe: string | undefined
  readonly aapen: boolean
  readonly forfall: Array<ForfallItem>
  renter: InterestItem | undefined
}

export interface ForfallItem {
  readonly claim: ClaimItem
  readonly forfall: Kravforfall
  phase: Phase
  /** Σ placements (payments and set-offs) counted for this forfall, oriented to reduce what is owed. */
  placed: number
  /**
   * The part of opprinneligBeloep (owed orientation) that the row's opening balance covers: all of
   * it for a "pre" forfall whose kravperiode ended before the period, part of it for the one
   * where the opening balance runs out (the rest is then expected as a booking in the period).
   */
  openingCovered: number
  /** True when the kravperiode ended before the period start although the claim was created in it. */
  readonly priorPeriod: boolean
  /** The part of `placed` made by payments present in the data. */
  placedKnown: number
  /** `placed` by kind of placement: innbetalinger, utbetalinger (tilgode paid out), set-offs (either side). */
  placedInn: number
  placedUt: number
  placedMot: number
  target: Target | undefined
  refDate: string
}

export interface InterestItem {
  readonly claim: ClaimItem
  readonly amount: Oere
  readonly phase: Phase
  readonly target: Target | undefined
}

/** An innbetaling (money to Skatteetaten) or an utbetaling (money from it): matched the same way, opposite signs. */
export interface PaymentItem {
  readonly kind: "innbetaling" | "utbetaling"
  readonly id: string
  readonly dato: string
  /** The ledger amount expected on the tax accounts: +innbetaltBeloep (a debit), −utbetaltBeloep (a credit). */
  readonly expected: number
  readonly innbetaling?: Innbetaling | undefined
  readonly utbetaling?: Utbetaling | undefined
  readonly uplassert: Oere
  /** "in" (in the period, ≤ as-of), "after" (after as-of), "before" (before the period). */
  readonly phase: "in" | "after" | "before"
  /** Counted placements per row. */
  readonly placedByRow: Map<string, number>
  readonly target: Target | undefined
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
