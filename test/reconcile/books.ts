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
import type { LedgerEntry, LedgerSnapshot } from "../../src/reconcile/LedgerSource.ts"
import * as Mapping from "../../src/reconcile/mapping/AccountMapping.ts"
import { reconcile } from "../../src/reconcile/reconcile.ts"
import type { Report } from "../../src/reconcile/Report.ts"
import { needsAttention } from "../../src/reconcile/Status.ts"

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
  readonly kind: "kravforfall" | "renter" | "innbetaling" | "utbetaling" | "motregning" | "bilagslinje" | "rad"
  readonly id: string
  readonly status: string
  readonly row: string
  readonly voucher?: string | undefined
  /** Ids of what it is matched to (a ledger line's targets). */
  readonly matchedTo: ReadonlyArray<string>
  readonly amount: number
  readonly text: string
}

/** Everything in the report that asks the accountant to act. */
export const followUps = (r: Report): Array<FollowUp> => {
  const out: Array<FollowUp> = []
  for (const c of r.claims) {
    for (const f of c.forfall) {
      if (needsAttention(f.status)) {
        out.push({ kind: "kravforfall", id: f.kravforfallsIdentifikator, status: f.status, row: c.row, matchedTo: [], amount: f.contribution, text: f.text })
      }
    }
    if (c.renter && needsAttention(c.renter.status)) {
      out.push({
        kind: "renter",
        id: c.kravidentifikator,
        status: c.renter.status,
        row: c.row,
        matchedTo: [],
        amount: c.renter.contribution,
        text: c.renter.text
      })
    }
  }
  for (const p of r.payments) {
    if (needsAttention(p.status)) {
      out.push({
        kind: "innbetaling",
        id: p.innbetalingsidentifikator,
        status: p.status,
        row: p.contributions.map((c) => c.row).join(","),
        matchedTo: [],
        amount: p.contribution,
        text: p.text
      })
    }
  }
  for (const u of r.utbetalinger) {
    if (needsAttention(u.status)) {
      out.push({
        kind: "utbetaling",
        id: u.utbetalingsidentifikator,
        status: u.status,
        row: u.contributions.map((c) => c.row).join(","),
        matchedTo: [],
        amount: u.contribution,
        text: u.text
      })
    }
  }
  for (const m of r.motregninger) {
    if (needsAttention(m.status)) {
      out.push({
        kind: "motregning",
        id: m.id,
        status: m.status,
        row: m.legs.map((l) => l.row).join(","),
        matchedTo: [],
        amount: m.contribution,
        text: m.text
      })
    }
  }
  for (const e of r.ledgerEntries) {
    if (needsAttention(e.status)) {
      out.push({
        kind: "bilagslinje",
        id: e.id,
        status: e.status,
        row: e.row,
        voucher: e.voucher,
        matchedTo: e.matchedTo.map((m) => m.id),
        amount: e.contribution,
        text: e.text
      })
    }
  }
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
