/**
 * Reconciling the generated company books (sandbox/books): Skatteetaten's documents as the API
 * would serve them on the as-of date (krav filtered to the period as the sandbox does, åpne krav,
 * innbetalinger and utbetalinger), the ledger as a LedgerSnapshot, and what the report says needs
 * follow-up, attributed to the deliberate differences the books carry.
 */
import { Schema } from "effect"
import type { CompanyBooks, DeliberateDifference, InjectedDifference, SaftDescription } from "../../sandbox/books/index.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import { AapneKrav, Innbetalinger, KravListe, Utbetalinger } from "../../src/domain/Dokumenter.ts"
import type { Oere } from "../../src/domain/Money.ts"
import type { Periode } from "../../src/domain/Periode.ts"
import { type FollowUpItem, followUpItems } from "../../src/reconcile/FollowUp.ts"
import type { LedgerEntry, LedgerSnapshot } from "../../src/reconcile/LedgerSource.ts"
import * as Mapping from "../../src/reconcile/mapping/AccountMapping.ts"
import { reconcile } from "../../src/reconcile/reconcile.ts"
import type { Report } from "../../src/reconcile/Report.ts"

type Json = Record<string, unknown>

const within = (d: unknown, p: Periode) => typeof d === "string" && d >= p.fraOgMed && d <= p.tilOgMed

/** The ledger description as the engine's port delivers it (the SAF-T reader gives the same; connectors/saft tests show it). */
export const snapshotOf = (d: SaftDescription): LedgerSnapshot => {
  const entries: Array<LedgerEntry> = []
  for (const t of d.transactions()) {
    t.lines.forEach((l, i) => {
      entries.push({
        id: `${t.id}-${i + 1}`,
        voucher: t.id,
        date: t.date,
        account: l.account,
        amount: l.amount,
        description: l.description ?? t.description,
        reference: l.reference
      })
    })
  }
  return {
    system: "test-books",
    description: `${d.company.name} (${d.company.registrationNumber})`,
    company: { registrationNumber: d.company.registrationNumber, name: d.company.name },
    periode: d.periode,
    statedPeriode: d.periode,
    accounts: d.accounts.map((a) => ({ number: a.id, name: a.description, openingBalance: a.opening })),
    entries,
    rejected: []
  }
}

/** Skatteetaten's four documents on `asOf`, for the period. */
export const documentsOf = (books: CompanyBooks, periode: Periode, asOf: Dato) => {
  const view = books.skatteetaten(asOf)
  const krav = view.krav.filter((k) =>
    within(k["opprettelsesdatoForKrav"], periode) || ((k["kravforfall"] ?? []) as Array<Json>).some((f) => within(f["forfallsdato"], periode))
  )
  const open = view.krav.filter((k) => k["gjenstaaendeBeloep"] !== 0)
  const envelope = { partIdentifikator: books.part, periode }
  return {
    krav: Schema.decodeUnknownSync(KravListe)({ ...envelope, krav }),
    aapneKrav: Schema.decodeUnknownSync(AapneKrav)({
      partIdentifikator: books.part,
      aapentKravMedGjenstaaendeBeloep: open,
      innbetalingMedUplassertBeloep: view.innbetalinger.filter((p) => (p["uplassertBeloep"] ?? 0) !== 0)
    }),
    innbetalinger: Schema.decodeUnknownSync(Innbetalinger)({
      ...envelope,
      innbetaling: view.innbetalinger.filter((p) => within(p["innbetalingsdato"], periode))
    }),
    utbetalinger: Schema.decodeUnknownSync(Utbetalinger)({ ...envelope, utbetaling: view.utbetalinger.filter((u) => within(u["utbetaltdato"], periode)) })
  }
}

export const reconcileBooks = (books: CompanyBooks, periode: Periode, asOf: Dato, ledger: LedgerSnapshot = snapshotOf(books.ledger(periode))): Report =>
  reconcile({
    party: books.part,
    periode,
    asOf,
    ...documentsOf(books, periode, asOf),
    ledger,
    mapping: Mapping.standard,
    generatedAt: "2026-01-01T00:00:00.000Z",
    kravsyncVersion: "test"
  })

export interface FollowUp {
  readonly kind: FollowUpItem["kind"] | "rad"
  readonly id: string
  readonly status: string
  readonly row: string
  readonly voucher?: string | undefined
  /** Ids of what it is matched to (a ledger line's targets). */
  readonly matchedTo: ReadonlyArray<string>
  readonly amount: number
  readonly text: string
}

/** Everything in the report that asks the accountant to act: its items (src/reconcile/FollowUp.ts) and rows left unexplained. */
export const followUps = (r: Report): Array<FollowUp> => {
  const out: Array<FollowUp> = followUpItems(r).map((f) => ({ ...f, amount: f.contribution }))
  for (const a of r.accounts) {
    if (a.unexplained !== 0) {
      out.push({
        kind: "rad",
        id: a.key,
        status: "unexplained",
        row: a.key,
        matchedTo: [],
        amount: a.unexplained,
        text: JSON.stringify(a.unexplainedBreakdown)
      })
    }
    if (a.unexplainedBreakdown.openingBalance !== 0) {
      out.push({
        kind: "rad",
        id: a.key,
        status: "opening-balance-differs",
        row: a.key,
        matchedTo: [],
        amount: a.unexplainedBreakdown.openingBalance,
        text: ""
      })
    }
  }
  return out
}

/** The status the report must give the item a deliberate difference concerns. */
export const EXPECTED_STATUS: Readonly<Record<DeliberateDifference, string>> = {
  "claim-not-booked": "missing-in-ledger",
  "claim-amount-off": "amount-differs",
  "stray-entry": "only-in-ledger",
  "payment-not-placed": "unplaced-payment",
  "interest-not-booked": "interest-not-booked",
  "payment-wrong-account": "wrong-account"
}

/** Whether a follow-up item is the deliberate difference `d` (or a line matched to it). */
export const isCausedBy = (f: FollowUp, d: InjectedDifference): boolean =>
  (d.itemId !== undefined && (f.id === d.itemId || f.matchedTo.includes(d.itemId))) ||
  (d.voucher !== undefined && f.kind === "bilagslinje" && f.voucher === d.voucher)

/** The items that find `d`: on Skatteetaten's side its own item, or for a stray line the line itself. */
export const findings = (items: ReadonlyArray<FollowUp>, d: InjectedDifference): Array<FollowUp> =>
  items.filter((f) =>
    isCausedBy(f, d) && f.status === EXPECTED_STATUS[d.kind] && (d.kind === "stray-entry" ? f.kind === "bilagslinje" : f.kind !== "bilagslinje")
  )

export type { Oere }
