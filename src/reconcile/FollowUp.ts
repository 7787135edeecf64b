/**
 * What a report asks the accountant to act on: every item whose status needs attention, as one
 * flat list — the workbook's *Avvik* sheet, a host's own task list and the tests all read it here.
 */
import type { Dato } from "../domain/Dato.ts"
import type { Oere } from "../domain/Money.ts"
import type { Report } from "./Report.ts"
import { type ItemKind, needsAttention, type Status } from "./Status.ts"

export interface FollowUpItem {
  readonly kind: ItemKind
  readonly status: Status
  /** kravforfallsIdentifikator, kravidentifikator (interest), innbetalings-/utbetalingsidentifikator, the set-off's id, or the ledger line's id. */
  readonly id: string
  /** The ledger line's voucher. */
  readonly voucher?: string | undefined
  readonly date: Dato | undefined
  /** The item's own amount (a claim's opprinneligBeloep: a paid claim booked 100 kr off has nothing left). */
  readonly amount: Oere
  readonly contribution: Oere
  /** The account row(s) it concerns ("2740", "2740, 2770"), or the account for a line outside every row. */
  readonly row: string
  /** Ids of the Skatteetaten items a ledger line is matched to. */
  readonly matchedTo: ReadonlyArray<string>
  /** The claim's kravtype code, for a kravforfall or its interest. */
  readonly kravtype?: string | undefined
  readonly text: string
}

/** Every item needing attention, largest effect on the difference first, then by its own amount. */
export const followUpItems = (r: Report): Array<FollowUpItem> => {
  const out: Array<FollowUpItem> = []
  const none: ReadonlyArray<string> = []
  for (const c of r.claims) {
    for (const f of c.forfall) {
      if (!needsAttention(f.status)) continue
      out.push({
        kind: "kravforfall",
        status: f.status,
        id: f.kravforfallsIdentifikator,
        date: f.forfallsdato,
        amount: f.opprinneligBeloep,
        contribution: f.contribution,
        row: c.row,
        matchedTo: none,
        kravtype: c.kravtype,
        text: f.text
      })
    }
    if (c.renter !== undefined && needsAttention(c.renter.status)) {
      const i = c.renter
      out.push({
        kind: "renter",
        status: i.status,
        id: c.kravidentifikator,
        date: undefined,
        amount: i.amount,
        contribution: i.contribution,
        row: c.row,
        matchedTo: none,
        kravtype: c.kravtype,
        text: i.text
      })
    }
  }
  const rows = (xs: ReadonlyArray<{ readonly row: string }>) => xs.map((x) => x.row).join(", ")
  for (const p of r.payments) {
    if (!needsAttention(p.status)) continue
    out.push({
      kind: "innbetaling",
      status: p.status,
      id: p.innbetalingsidentifikator,
      date: p.innbetalingsdato,
      amount: p.innbetaltBeloep,
      contribution: p.contribution,
      row: rows(p.contributions),
      matchedTo: none,
      text: p.text
    })
  }
  for (const u of r.utbetalinger) {
    if (!needsAttention(u.status)) continue
    out.push({
      kind: "utbetaling",
      status: u.status,
      id: u.utbetalingsidentifikator,
      date: u.utbetaltdato,
      amount: u.utbetaltBeloep,
      contribution: u.contribution,
      row: rows(u.contributions),
      matchedTo: none,
      text: u.text
    })
  }
  for (const m of r.motregninger) {
    if (!needsAttention(m.status)) continue
    out.push({
      kind: "motregning",
      status: m.status,
      id: m.id,
      date: m.dato,
      amount: m.beloep,
      contribution: m.contribution,
      row: rows(m.legs),
      matchedTo: none,
      text: m.text
    })
  }
  for (const e of r.ledgerEntries) {
    if (!needsAttention(e.status)) continue
    out.push({
      kind: "bilagslinje",
      status: e.status,
      id: e.id,
      voucher: e.voucher,
      date: e.date,
      amount: e.amount,
      contribution: e.contribution,
      row: e.row || e.account,
      matchedTo: e.matchedTo.map((x) => x.id),
      text: e.text
    })
  }
  return out.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || Math.abs(b.amount) - Math.abs(a.amount))
}
