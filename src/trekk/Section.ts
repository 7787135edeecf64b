/**
 * The Trekkpålegg section of the reconciliation report: a standalone value with an encoded JSON
 * form (`Schema.encode(TrekkSection)`), so it can be written alone (`kravsync trekkavstemming`)
 * or become a field of the main report. Conventions as in docs/report.md: every amount is integer
 * øre; *owed* fields are in the owed orientation (positive = the employer owes Skatteetaten);
 * ledger entry amounts keep the ledger's sign (debit +, credit −); dates are YYYY-MM-DD. The
 * skyldner is shown masked (birth date and stars): the report never carries a full fødselsnummer.
 */
import { Schema } from "effect"
import { Dato } from "../domain/Dato.ts"
import { OereSchema } from "../domain/Money.ts"
import { Periode } from "../domain/Periode.ts"

const Oere = OereSchema

/** What an order-month or a ledger line needs: each kind is explained in docs/trekkpaalegg.md. */
export const FindingKind = Schema.Literal(
  /** The order asked for withholding on the pay date; nothing was credited to 2610. */
  "ikke-trukket",
  /** Withheld, but not the amount the order (or the percentage of the pay) asks for. */
  "feil-beloep",
  /** Withheld and past the payment deadline, but not paid with the order's KID. */
  "trukket-ikke-betalt",
  /** Paid, but with a KID that is not the order's (matched by amount to the order's unpaid withholding). */
  "betalt-med-annen-kid",
  /** Withheld (and perhaps paid) for a pay date after the order ended. */
  "trukket-etter-avslutning",
  /** Withheld for a pay date before the order's first period. */
  "trukket-utenfor-periode",
  /** Paid with the order's KID beyond what was withheld. */
  "betalt-uten-trekk",
  /** A line on the account that names no order (no KID, saksnummer or KID in the text). */
  "ukjent-postering",
  /** What was owed at the start of the period is not what was paid of it. */
  "inngaaende-saldo"
).annotations({ identifier: "TrekkFindingKind" })
export type FindingKind = typeof FindingKind.Type

export const Finding = Schema.Struct({
  kind: FindingKind,
  trekkid: Schema.optional(Schema.String),
  saksnummer: Schema.optional(Schema.String),
  /** "2026-03". */
  maaned: Schema.optional(Schema.String),
  /** Signed øre: what is missing or too much, positive = the employer owes more than the books show done. */
  amount: Oere,
  date: Schema.optional(Dato),
  /** The KID a payment carried, when it matters. */
  kid: Schema.optional(Schema.String),
  entryIds: Schema.Array(Schema.String),
  /** Bokmål. */
  message: Schema.String,
  messageEn: Schema.String
}).annotations({ identifier: "TrekkFinding" })
export type Finding = typeof Finding.Type

export const MonthStatus = Schema.Literal("ok", "avvik", "ikke-forfalt", "krever-loennsgrunnlag", "ikke-aktiv").annotations({ identifier: "TrekkMonthStatus" })
export type MonthStatus = typeof MonthStatus.Type

export const Month = Schema.Struct({
  maaned: Schema.String,
  /** The pay date the order's period is chosen by, and where it came from. */
  utbetalingsdato: Dato,
  datoKilde: Schema.Literal("loennsgrunnlag", "hovedbok", "standard"),
  /** What the applicable period asks for: an amount in øre or a percentage as decimal text. */
  trekkbeloep: Schema.optional(Oere),
  trekkprosent: Schema.optional(Schema.String),
  /** The pay a percentage applies to (from the payroll file). */
  grunnlag: Schema.optional(Oere),
  /** What should have been withheld; absent when a percentage has no pay to apply to. */
  expected: Schema.optional(Oere),
  withheld: Oere,
  /** Paid with the order's KID, allocated to this month's withholding. */
  paid: Oere,
  /** Paid with another KID, matched to this month. */
  paidOtherKid: Oere,
  betalingsfrist: Dato,
  status: MonthStatus
}).annotations({ identifier: "TrekkMonth" })
export type Month = typeof Month.Type

export const OrderSummary = Schema.Struct({
  trekkid: Schema.String,
  trekkversjon: Schema.Number,
  sekvensnummer: Schema.Number,
  saksnummer: Schema.String,
  /** Masked: "010184*****". */
  skyldner: Schema.String,
  kidnummer: Schema.String,
  trekkstatus: Schema.Literal("aktiv", "avsluttet"),
  /** The last sluttdato when every period has one. */
  sluttdato: Schema.optional(Dato),
  expected: Oere,
  withheld: Oere,
  paid: Oere,
  /** The order has a percentage period without pay to apply it to in some month. */
  kreverLoennsgrunnlag: Schema.Boolean,
  months: Schema.Array(Month)
}).annotations({ identifier: "TrekkOrderSummary" })
export type OrderSummary = typeof OrderSummary.Type

export const LedgerLine = Schema.Struct({
  id: Schema.String,
  voucher: Schema.String,
  date: Dato,
  account: Schema.String,
  amount: Oere,
  description: Schema.optional(Schema.String),
  reference: Schema.optional(Schema.String),
  /** The order the line was tied to, and how: by the KID, by the saksnummer or KID in the text, or matched by amount (another KID). */
  trekkid: Schema.optional(Schema.String),
  via: Schema.Literal("kid", "tekst", "beloep", "ingen")
}).annotations({ identifier: "TrekkLedgerLine" })
export type LedgerLine = typeof LedgerLine.Type

export const Totals = Schema.Struct({
  /** What the orders ask for, over the months whose expectation is known. */
  expected: Oere,
  /** Credited to the accounts and tied to an order. */
  withheld: Oere,
  /** Debited with an order's KID (or matched to one). */
  paid: Oere,
  /** withheld − expected over the months whose expectation is known. */
  difference: Oere,
  /** The ledger's balance on the accounts, owed orientation. */
  openingOwed: Oere,
  closingOwed: Oere,
  /** Of the closing balance: withheld, not due yet. */
  notDue: Oere,
  /** Of the closing balance: withheld, past the deadline, not paid. */
  overdue: Oere,
  /** Opening + credits − debits equals the closing balance rebuilt from the parts (every line counted once). */
  conserved: Schema.Boolean,
  findings: Schema.Number,
  monthsNeedingPayroll: Schema.Number
}).annotations({ identifier: "TrekkTotals" })

export const TrekkSection = Schema.Struct({
  schemaVersion: Schema.Literal(1),
  trekkpliktig: Schema.String,
  periode: Periode,
  asOf: Dato,
  accounts: Schema.Array(Schema.String),
  sources: Schema.Struct({
    environment: Schema.String,
    /** The highest sekvensnummer of the orders used. */
    watermark: Schema.Number,
    korrelasjonsIder: Schema.Array(Schema.String),
    ledger: Schema.String,
    loennsgrunnlag: Schema.optional(Schema.String),
    /** The assumptions the figures rest on (pay day, payment deadline, rounding). */
    assumptions: Schema.Array(Schema.String)
  }),
  totals: Totals,
  orders: Schema.Array(OrderSummary),
  findings: Schema.Array(Finding),
  ledgerLines: Schema.Array(LedgerLine),
  needsAttention: Schema.Boolean
}).annotations({ identifier: "TrekkSection" })
export type TrekkSection = typeof TrekkSection.Type

/** The section as JSON text (2-space indented). */
export const encodeJson = (s: TrekkSection): string => JSON.stringify(Schema.encodeSync(TrekkSection)(s), null, 2)

/** A section read back from its JSON text. */
export const decodeJson = Schema.decodeUnknownEither(Schema.parseJson(TrekkSection))
