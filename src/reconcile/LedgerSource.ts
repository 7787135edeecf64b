/**
 * The ledger port: what a general-ledger connector (SAF-T file, Tripletex, Fiken, or a third
 * party's) implements so the reconciliation engine can read a company's books.
 *
 * Conventions every implementation follows (docs/connectors.md explains them for third parties):
 * - Amounts are signed integer øre, debit positive and credit negative (SAF-T's convention).
 *   A liability to Skatteetaten therefore shows as a negative (credit) balance.
 * - `openingBalance` is the account's balance at the start of `periode.fraOgMed` (before any
 *   entry of that day); entries are those dated inside the period, both ends inclusive.
 * - A line that cannot be read (no amount, a bad date) is not dropped and does not fail the
 *   read: it goes into `rejected` with the reason, so the report can account for it.
 */
import { Context, type Effect, Schema } from "effect"
import type { Dato } from "../domain/Dato.ts"
import type { Oere } from "../domain/Money.ts"
import type { PartIdentifikator } from "../domain/PartIdentifikator.ts"
import type { Periode } from "../domain/Periode.ts"
import { type ExitCategory, ExitCategoryId } from "../ExitCategory.ts"

export interface LedgerAccount {
  /** Account number as the ledger shows it ("2740", Fiken's sub-ledger form "1500:10001"). */
  readonly number: string
  readonly name: string
  /** Balance at the start of the period, signed øre (debit positive). */
  readonly openingBalance: Oere
  /** Balance at the end of the period when the source states it; derived from the entries otherwise. */
  readonly closingBalance?: Oere | undefined
}

export interface LedgerEntry {
  /** Unique within one snapshot (for example voucher id + line number). */
  readonly id: string
  /** Voucher / transaction number as the accountant knows it. */
  readonly voucher: string
  readonly date: Dato
  readonly account: string
  /** Signed øre, debit positive. */
  readonly amount: Oere
  readonly description?: string | undefined
  /** KID, external reference, or other payment reference the source carries. */
  readonly reference?: string | undefined
  readonly counterparty?: string | undefined
  /** A link (URL) or locator back to the entry in the source system. */
  readonly link?: string | undefined
}

/** A ledger line the source could not turn into a LedgerEntry, kept so nothing disappears silently. */
export interface RejectedLedgerLine {
  /** Where it was: "line 1234, column 5" in a file, or a record id from an API. */
  readonly location: string
  /** Plain English. */
  readonly reason: string
  /** The same in bokmål, shown under the default language; a source that gives none has `reason` shown. */
  readonly reasonNb?: string | undefined
  /** The raw content, shortened, for the accountant to find it. */
  readonly raw?: string | undefined
  readonly account?: string | undefined
}

/**
 * Something about the books as a whole that the reconciliation does not change but the accountant
 * should know: a voucher that does not balance, a line on an account missing from the chart of
 * accounts, a transaction with no lines. The lines themselves are still read (or, if unreadable,
 * rejected): a note never replaces a line.
 */
export interface LedgerNote {
  /** "unbalanced-voucher", "unknown-account", "empty-transaction", or a source's own kind. */
  readonly kind: string
  /** Where it was: "line 1234, column 5" in a file, or a record id from an API. */
  readonly location: string
  /** Plain English. */
  readonly message: string
  /** The same in bokmål, shown under the default language; a source that gives none has `message` shown. */
  readonly messageNb?: string | undefined
  readonly voucher?: string | undefined
  readonly account?: string | undefined
  /** Signed øre, when the note is about an amount (an unbalanced voucher's difference). */
  readonly amount?: Oere | undefined
}

export interface LedgerQuery {
  /** The company whose books are read; a source refuses books that belong to someone else. */
  readonly company: PartIdentifikator
  readonly periode: Periode
  /** Account numbers the reconciliation needs; empty means every account. */
  readonly accounts: ReadonlyArray<string>
}

export interface LedgerSnapshot {
  /** "saft", "tripletex", "fiken", or a third party's name. */
  readonly system: string
  /** Human description of where the books came from (file name, company name and id). */
  readonly description: string
  readonly company: { readonly registrationNumber?: string | undefined; readonly name?: string | undefined }
  readonly periode: Periode
  readonly accounts: ReadonlyArray<LedgerAccount>
  readonly entries: ReadonlyArray<LedgerEntry>
  readonly rejected: ReadonlyArray<RejectedLedgerLine>
  /** Observations about the books as a whole (unbalanced vouchers, unknown accounts, …). */
  readonly notes?: ReadonlyArray<LedgerNote> | undefined
  /**
   * The period the source itself says the books cover (a SAF-T file's header), when it says one.
   * `periode` is the period the entries were read for; this is the ledger's own claim.
   */
  readonly statedPeriode?: Periode | undefined
}

/** Why the ledger could not be read at all (as opposed to single bad lines, which go to `rejected`). */
export class LedgerSourceError extends Schema.TaggedError<LedgerSourceError>()("LedgerSourceError", {
  system: Schema.String,
  kind: Schema.Literal("auth", "not-found", "wrong-company", "invalid-data", "transport", "rate-limited", "config"),
  message: Schema.String,
  /** The same in bokmål, printed under the CLI's default language (src/cli/errorText.ts); the English when absent. */
  messageNb: Schema.optional(Schema.String),
  /** Position in a file ("line 12, column 3") or a request id from an API. */
  location: Schema.optional(Schema.String)
}) {
  /** Refused credentials are authentication; an unreachable or throttling API is the API's; the rest is the input given. */
  get [ExitCategoryId](): ExitCategory {
    return this.kind === "auth" ? "auth" : this.kind === "transport" || this.kind === "rate-limited" ? "api" : "input"
  }
}

export interface LedgerSourceShape {
  readonly system: string
  readonly read: (query: LedgerQuery) => Effect.Effect<LedgerSnapshot, LedgerSourceError>
  /**
   * The period the books cover by their own account (a SAF-T header), read cheaply before the
   * books themselves; absent or undefined when the source has no such notion (an API ledger).
   */
  readonly statedPeriode?: (() => Effect.Effect<Periode | undefined, LedgerSourceError>) | undefined
}

export class LedgerSource extends Context.Tag("kravsync/LedgerSource")<LedgerSource, LedgerSourceShape>() {}
