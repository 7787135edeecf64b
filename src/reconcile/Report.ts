/**
 * The reconciliation report: the full, stable result of one run, as an effect/Schema so it
 * encodes to JSON, decodes back, and is documented field by field in docs/report.md.
 *
 * Conventions: every amount is integer øre. "Saldo" amounts are in the *owed* orientation
 * (positive = the company owes Skatteetaten); ledger entry amounts keep the ledger's sign
 * (debit positive, credit negative). `contribution` is an item's share of
 * (Skatteetaten saldo − ledger saldo) for its account row.
 */
import { Schema } from "effect"
import { Dato } from "../domain/Dato.ts"
import { OereSchema } from "../domain/Money.ts"
import { Periode } from "../domain/Periode.ts"
import { CarryForwardSection } from "../store/CarryForwardSchema.ts"
import { TrekkSection } from "../trekk/Section.ts"
import { Explanation } from "./Explanation.ts"
import { ItemKind, Status } from "./Status.ts"

export const REPORT_SCHEMA_VERSION = 1 as const

const Oere = OereSchema
const optional = Schema.optional

export const MatchMethod = Schema.Literal("reference", "amount-date", "combination", "voucher", "wrong-account", "near-amount").annotations({
  identifier: "MatchMethod"
})
export type MatchMethod = typeof MatchMethod.Type

export const LedgerInfo = Schema.Struct({
  system: Schema.String,
  description: Schema.String,
  registrationNumber: optional(Schema.String),
  companyName: optional(Schema.String),
  /** The period the entries were read for. */
  periode: Periode,
  /** The period the ledger says it covers (a SAF-T header), when it says one. */
  statedPeriode: optional(Periode)
}).annotations({ identifier: "LedgerInfo" })

export const Metadata = Schema.Struct({
  party: Schema.String,
  partyName: optional(Schema.String),
  periode: Periode,
  asOf: Dato,
  ledger: LedgerInfo,
  /** "sandbox", "test", "production", or a base URL. */
  environment: Schema.String,
  korrelasjonsIder: Schema.Array(Schema.String),
  /** ISO 8601 timestamp of the run. */
  generatedAt: Schema.String,
  kravsyncVersion: Schema.String,
  /** Language the `text` fields are rendered in. */
  language: Schema.Literal("nb", "en"),
  /** Where the account mapping came from ("standard (NS 4102)" or a file name). */
  mapping: Schema.String,
  skjermet: Schema.Boolean
}).annotations({ identifier: "Metadata" })
export type Metadata = typeof Metadata.Type

export const StatusTotal = Schema.Struct({
  kind: ItemKind,
  status: Status,
  count: Schema.Int,
  /** Sum of the items' own amounts (kravforfall opprinneligBeloep, renter, innbetaltBeloep, entry amount). */
  amount: Oere,
  /** Sum of the items' contributions to the difference. */
  contribution: Oere
}).annotations({ identifier: "StatusTotal" })
export type StatusTotal = typeof StatusTotal.Type

export const UnexplainedBreakdown = Schema.Struct({
  /** Ledger opening balance minus what Skatteetaten's earlier claims imply at the period start. */
  openingBalance: Oere,
  /** Skatteetaten's own figures not adding up (remaining + placed ≠ original on a kravforfall). */
  sourceInconsistency: Oere,
  /** Whatever is left (placements of payments not in the data, set-offs against unknown claims). */
  other: Oere
}).annotations({ identifier: "UnexplainedBreakdown" })

/**
 * The account row's balance bridge, as accountants present it: opening balance → + claims created
 * → − payments → − set-offs → + refunds paid out → + interest → closing, for Skatteetaten's side and
 * the ledger's side (owed orientation: positive = the company owes), and the difference between
 * the two closing balances split into named parts that sum exactly to it.
 */
export const Bridge = Schema.Struct({
  skatteetaten: Schema.Struct({
    /** What the claims that existed at the period start still had open then. */
    opening: Oere,
    /** opprinneligBeloep of the kravforfall created in the period (up to the as-of date). */
    claims: Oere,
    /** −Σ innbetalinger placed on the row's kravforfall. */
    payments: Oere,
    /** −Σ set-offs (motkrav) placed, both sides. */
    setOffs: Oere,
    /** Σ utbetalinger placed on the row's tilgode claims (a refund paid out reduces what Skatteetaten owes). */
    refunds: Oere,
    stipulerteRenter: Oere,
    /** Placements of payments not in the data, and Skatteetaten's own figures not adding up. */
    other: Oere,
    closing: Oere
  }),
  ledger: Schema.Struct({
    opening: Oere,
    /** −Σ lines matched to kravforfall and interest (credits increase what is owed). */
    claims: Oere,
    /** −Σ lines matched to innbetalinger. */
    payments: Oere,
    /** −Σ lines matched to set-offs. */
    setOffs: Oere,
    /** −Σ lines matched to utbetalinger. */
    refunds: Oere,
    /** −Σ lines accrued for a termin or income year not claimed yet. */
    accruedNotClaimed: Oere,
    /** −Σ every other line (internal moves, lines only in the ledger, lines booked on the wrong row). */
    other: Oere,
    closing: Oere
  }),
  /** The difference (Skatteetaten closing − ledger closing) by cause; the amounts sum to it exactly. */
  differenceParts: Schema.Array(Schema.Struct({ part: Schema.String, amount: Oere }))
}).annotations({ identifier: "Bridge" })
export type Bridge = typeof Bridge.Type

export const AccountSummary = Schema.Struct({
  /** Row key: the mapped accounts joined with "+", or "(ikke tilordnet)" for unmapped claims. */
  key: Schema.String,
  accounts: Schema.Array(Schema.String),
  accountNames: Schema.Array(Schema.String),
  kravgrupper: Schema.Array(Schema.String),
  skatteetaten: Schema.Struct({
    /** Σ gjenstaaendeBeloep of the kravforfall counted at the as-of date. */
    gjenstaaende: Oere,
    stipulerteRenter: Oere,
    /** gjenstaaende + stipulerteRenter. */
    saldo: Oere
  }),
  ledger: Schema.Struct({
    /** Signed (debit positive), as the ledger states it. */
    openingBalance: Oere,
    /** Signed sum of the entries from the period start up to and including the as-of date. */
    movements: Oere,
    /** openingBalance + movements, signed. */
    balance: Oere,
    /** −balance: what the books say is owed. */
    saldo: Oere,
    /** Closing balance the source states (for the whole period), signed, when it states one. */
    statedClosingBalance: optional(Oere)
  }),
  /** skatteetaten.saldo − ledger.saldo. */
  difference: Oere,
  /** Σ contributions of the items in this row, plus the opening balance's accrued-not-claimed part (and, for a skjermet party, the rest of the opening balance). */
  explained: Oere,
  /**
   * The part of the opening balance that no claim accounts for but that belongs to the period just
   * before it (the last termin, last year's tax) whose claim need not exist yet: explained, not a difference.
   */
  openingAccrued: Oere,
  /** difference − explained. Anything but zero needs attention. */
  unexplained: Oere,
  unexplainedBreakdown: UnexplainedBreakdown,
  needsAttention: Schema.Boolean,
  /** Status codes / reasons that make this row need attention. */
  attention: Schema.Array(Schema.String),
  byStatus: Schema.Array(StatusTotal),
  bridge: Bridge
}).annotations({ identifier: "AccountSummary" })
export type AccountSummary = typeof AccountSummary.Type

export const ItemResult = Schema.Struct({
  status: Status,
  matchMethod: optional(MatchMethod),
  /** LedgerEntry ids this item was matched to. */
  entryIds: Schema.Array(Schema.String),
  /** Signed sum of those entries. */
  booked: Oere,
  contribution: Oere,
  explanation: Explanation,
  /** explanation rendered in metadata.language. */
  text: Schema.String
})

export const ForfallResult = Schema.Struct({
  kravforfallsIdentifikator: Schema.String,
  forfallsdato: Dato,
  opprinneligBeloep: Oere,
  gjenstaaendeBeloep: Oere,
  kid: optional(Schema.String),
  /** Σ placed payments and set-offs as Skatteetaten reports them (reduces what is owed). */
  plassert: Oere,
  /** gjenstaaende + plassert − opprinnelig: non-zero when Skatteetaten's figures do not add up. */
  sourceResidual: Oere,
  ...ItemResult.fields
}).annotations({ identifier: "ForfallResult" })
export type ForfallResult = typeof ForfallResult.Type

export const InterestResult = Schema.Struct({
  amount: Oere,
  ...ItemResult.fields
}).annotations({ identifier: "InterestResult" })
export type InterestResult = typeof InterestResult.Type

export const ClaimResult = Schema.Struct({
  kravidentifikator: Schema.String,
  kravtype: Schema.String,
  kravgruppe: optional(Schema.String),
  kravbeskrivelse: optional(Schema.String),
  kravperiode: optional(Schema.String),
  opprettelsesdato: optional(Dato),
  /** AccountSummary.key this claim belongs to. */
  row: Schema.String,
  opprinneligBeloep: Oere,
  gjenstaaendeBeloep: Oere,
  /** Whether the claim was among the open claims (aapnekrav) or only in the period's krav list. */
  aapen: Schema.Boolean,
  forfall: Schema.Array(ForfallResult),
  renter: optional(InterestResult)
}).annotations({ identifier: "ClaimResult" })
export type ClaimResult = typeof ClaimResult.Type

export const RowAmount = Schema.Struct({ row: Schema.String, amount: Oere }).annotations({ identifier: "RowAmount" })

/** What money moving between the company and Skatteetaten (innbetaling, utbetaling) did per row, and its result. */
const MoneyMovementResult = Schema.Struct({
  /** Placed against kravforfall in this data, per row (owed orientation: an utbetaling's placements on tilgode claims are negative). */
  placed: Schema.Array(RowAmount),
  /** Contribution per row (ledger entries in the row − placements in the row). */
  contributions: Schema.Array(RowAmount),
  ...ItemResult.fields
})

export const PaymentResult = Schema.Struct({
  innbetalingsidentifikator: Schema.String,
  innbetalingsdato: Dato,
  innbetaltBeloep: Oere,
  uplassertBeloep: Oere,
  kid: optional(Schema.String),
  innbetalingstype: optional(Schema.String),
  ...MoneyMovementResult.fields
}).annotations({ identifier: "PaymentResult" })
export type PaymentResult = typeof PaymentResult.Type

export const UtbetalingResult = Schema.Struct({
  utbetalingsidentifikator: Schema.String,
  utbetaltdato: Dato,
  utbetaltBeloep: Oere,
  utbetalingstatus: optional(Schema.String),
  ...MoneyMovementResult.fields
}).annotations({ identifier: "UtbetalingResult" })
export type UtbetalingResult = typeof UtbetalingResult.Type

/** A set-off (plassertMotkrav): a counter-claim used to cover a claim. */
export const MotregningResult = Schema.Struct({
  /** `<covered kravforfallsIdentifikator>~<counter-claim's>`. */
  id: Schema.String,
  kravforfallsIdentifikator: Schema.String,
  motkravForfallsIdentifikator: optional(Schema.String),
  dato: Dato,
  beloep: Oere,
  /** Per row: the placement (owed orientation) and the contribution. */
  legs: Schema.Array(Schema.Struct({ row: Schema.String, placed: Oere, contribution: Oere, entryIds: Schema.Array(Schema.String) })),
  ...ItemResult.fields
}).annotations({ identifier: "MotregningResult" })
export type MotregningResult = typeof MotregningResult.Type

export const MatchedTo = Schema.Struct({
  kind: Schema.Literal("kravforfall", "renter", "innbetaling", "utbetaling", "motregning"),
  /** kravforfallsIdentifikator, kravidentifikator (renter), innbetalingsidentifikator, utbetalingsidentifikator or the set-off's id. */
  id: Schema.String
}).annotations({ identifier: "MatchedTo" })

export const LedgerEntryResult = Schema.Struct({
  id: Schema.String,
  voucher: Schema.String,
  date: Dato,
  account: Schema.String,
  amount: Oere,
  description: optional(Schema.String),
  reference: optional(Schema.String),
  counterparty: optional(Schema.String),
  link: optional(Schema.String),
  /** AccountSummary.key, or "" for an account outside every row. */
  row: Schema.String,
  status: Status,
  matchMethod: optional(MatchMethod),
  matchedTo: Schema.Array(MatchedTo),
  contribution: Oere,
  explanation: Explanation,
  text: Schema.String
}).annotations({ identifier: "LedgerEntryResult" })
export type LedgerEntryResult = typeof LedgerEntryResult.Type

export const SetAsideItem = Schema.Struct({
  source: Schema.Literal("ledger", "skatteetaten"),
  /** "bilagslinje", "krav", "kravforfall", "innbetaling", "konto", … */
  kind: Schema.String,
  location: Schema.String,
  reason: Schema.String,
  raw: optional(Schema.String),
  account: optional(Schema.String),
  amount: optional(Oere)
}).annotations({ identifier: "SetAsideItem" })
export type SetAsideItem = typeof SetAsideItem.Type

/** An observation about the books as a whole (LedgerSource's LedgerNote). */
export const LedgerNote = Schema.Struct({
  kind: Schema.String,
  location: Schema.String,
  message: Schema.String,
  voucher: optional(Schema.String),
  account: optional(Schema.String),
  amount: optional(Oere)
}).annotations({ identifier: "LedgerNote" })
export type LedgerNote = typeof LedgerNote.Type

export const UnmappedCode = Schema.Struct({
  kravtype: Schema.String,
  kravgruppe: optional(Schema.String),
  claims: Schema.Int,
  gjenstaaende: Oere
}).annotations({ identifier: "UnmappedCode" })
export type UnmappedCode = typeof UnmappedCode.Type

export const KindTotal = Schema.Struct({
  kind: ItemKind,
  /** Items that went in (after set-aside). */
  count: Schema.Int,
  amount: Oere,
  /** Σ over byStatus; equal to count/amount when conservation holds. */
  statusCount: Schema.Int,
  statusAmount: Oere
}).annotations({ identifier: "KindTotal" })

export const Totals = Schema.Struct({
  skatteetatenSaldo: Oere,
  ledgerSaldo: Oere,
  difference: Oere,
  explained: Oere,
  unexplained: Oere,
  byKind: Schema.Array(KindTotal),
  byStatus: Schema.Array(StatusTotal),
  setAside: Schema.Int,
  /** True when every item that went in came out exactly once, to the øre. */
  conserved: Schema.Boolean,
  needsAttention: Schema.Boolean
}).annotations({ identifier: "Totals" })
export type Totals = typeof Totals.Type

export const Report = Schema.Struct({
  schemaVersion: Schema.Literal(REPORT_SCHEMA_VERSION),
  metadata: Metadata,
  accounts: Schema.Array(AccountSummary),
  claims: Schema.Array(ClaimResult),
  payments: Schema.Array(PaymentResult),
  utbetalinger: Schema.Array(UtbetalingResult),
  motregninger: Schema.Array(MotregningResult),
  ledgerEntries: Schema.Array(LedgerEntryResult),
  setAside: Schema.Array(SetAsideItem),
  /** Observations about the ledger as a whole (unbalanced vouchers, unknown accounts, …). */
  ledgerNotes: Schema.Array(LedgerNote),
  unmappedCodes: Schema.Array(UnmappedCode),
  totals: Totals,
  /**
   * Each follow-up item as *kjent avvik* (signed off earlier at this amount, with who, when and the
   * comment) or *følg opp*, when the reconciliation ran against a store of sign-offs (`--store`, the
   * service); absent otherwise.
   */
  carryForward: Schema.optional(CarryForwardSection),
  /**
   * The Trekkpålegg reconciliation against the utleggstrekk accounts (2610), when the run asked for
   * it (`reconcile --trekkpaalegg`, ReconciliationRequest.trekkpaalegg); absent otherwise, so a
   * report without it is byte for byte what it was. Its fields: docs/trekkpaalegg.md.
   */
  trekkpaalegg: Schema.optional(TrekkSection)
}).annotations({ identifier: "Report", title: "kravsync reconciliation report" })
export type Report = typeof Report.Type
export type ReportEncoded = typeof Report.Encoded
