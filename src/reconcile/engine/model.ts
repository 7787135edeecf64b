/** The engine's internal working items (mutable while matching; the report is built from them). */
import type { Kravforfall, Krav } from "../../domain/Krav.ts"
import type { Innbetaling } from "../../domain/Innbetaling.ts"
import type { Oere } from "../../domain/Money.ts"
import type { LedgerEntry } from "../LedgerSource.ts"
import type { Explanation } from "../Explanation.ts"
import type { MatchMethod } from "../Report.ts"
import type { Status } from "../Status.ts"

export interface RefKey {
  readonly token: string
  /** The original value, for the explanation. */
  readonly value: string
  readonly field: "kravforfallsIdentifikator" | "kravidentifikator" | "kid" | "innbetalingsidentifikator"
  /** Unique keys take every entry carrying them; shared ones (KID) only an entry with the exact amount. */
  readonly unique: boolean
}

/** Something Skatteetaten reports that should appear in the ledger. */
export interface Target {
  readonly kind: "kravforfall" | "renter" | "innbetaling"
  readonly id: string
  /** Row the entries must be on; undefined = any claim row (payments). */
  readonly row: string | undefined
  /** The signed ledger amount expected (credit negative for a claim, debit positive for a payment). */
  readonly expected: number
  readonly refs: ReadonlyArray<RefKey>
  /** Only entries whose text also contains this word (interest: "rente"). */
  readonly mustContain?: string
  readonly lo: number
  readonly hi: number
  readonly anchorDay: number
  readonly anchorName: string
  entries: Array<number>
  /** Signed amount booked for this target (Σ its entries, or its share of a shared entry). */
  booked: number
  method: MatchMethod | undefined
  matchedRef: RefKey | undefined
}

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
  readonly phase: Phase
  /** Σ placements (payments and set-offs) counted for this forfall, oriented to reduce what is owed. */
  placed: number
  /** The part of `placed` made by payments present in the data. */
  placedKnown: number
  readonly target: Target | undefined
  refDate: string
}

export interface InterestItem {
  readonly claim: ClaimItem
  readonly amount: Oere
  readonly phase: Phase
  readonly target: Target | undefined
}

export interface PaymentItem {
  readonly innbetaling: Innbetaling
  readonly uplassert: Oere
  /** "in" (in the period, ≤ as-of), "after" (after as-of), "before" (before the period). */
  readonly phase: "in" | "after" | "before"
  /** Counted placements per row. */
  readonly placedByRow: Map<string, number>
  readonly target: Target | undefined
}

export interface EntryItem {
  readonly entry: LedgerEntry
  /** Row key, or "" when the account belongs to no row. */
  readonly row: string
  /** "in" = counted in the ledger balance and matchable; the rest are classified already. */
  readonly phase: "in" | "after" | "before" | "other-account"
  readonly day: number
  matchedTo: Array<{ kind: "kravforfall" | "renter" | "innbetaling"; id: string; target: Target }>
}

export interface Outcome {
  readonly status: Status
  readonly contribution: number
  readonly explanation: Explanation
}
