/**
 * Test books: a deterministic Norwegian AS over one or more years, booked the way Norwegian
 * accountants and systems book it, with both sides consistent — Skatteetaten's Krav og betalinger
 * documents as served on any date, and the general ledger of any period. docs/test-books.md
 * describes every rule, its source, and what is a guess.
 *
 * Mirror identity (no deliberate differences): for every row and date,
 *   ledger balance (credit negative) = −Σ gjenstaaendeBeloep of the row's kravforfall
 *                                      + Σ accruedNotClaimed of the row.
 * Each deliberate difference moves its row (and `counterpart` row) by exactly its `amount` from its `date` on.
 */
export { generateCompany } from "./company.ts"
export type { SaftDescription } from "./ledger.ts"
export {
  type AccruedNotClaimed,
  ALL_DIFFERENCES,
  ALL_STYLES,
  type BookingStyle,
  type CompanyBooks,
  type CompanyOptions,
  type DeliberateDifference,
  type InjectedDifference,
  ROW_OF_KRAVGRUPPE,
  ROWS
} from "./model.ts"
