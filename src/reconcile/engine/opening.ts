/**
 * The opening balance against Skatteetaten's earlier claims: what it holds beyond them, and the
 * lines of the period that correct it (an estimate booked last year brought to what was claimed).
 */
import { add, type Oere, sum } from "../../domain/Money.ts"
import * as Calendar from "./calendar.ts"
import type { EntryItem } from "./model.ts"
import type { Prepared } from "./prepare.ts"
import { o } from "./tally.ts"

/**
 * What the row's opening balance holds beyond the claims that account for it (ledger-signed):
 * opening + what older claims still had open at the start + the covered part of prior-period claims.
 */
export const openingPartOf = (p: Prepared, row: string, accounts: ReadonlyArray<string>): Oere => {
  const wanted = new Set(accounts)
  const opening = sum(p.openingBalances.filter((a) => wanted.has(a.number)).map((a) => a.openingBalance))
  const claimed = p.forfall
    .filter((f) => f.claim.row === row)
    .map((f) => o(f.phase === "pre" ? f.forfall.gjenstaaendeBeloep + f.placed : f.phase === "in" ? f.openingCovered : 0))
  return add(opening, sum(claimed))
}

/**
 * Lines dated in the period but belonging to a period before it ("Endring betalbar skatt 2024 ved
 * skatteoppgjøret") that bring the row's opening remainder towards zero: the estimate booked last
 * year corrected to what Skatteetaten claimed. In date order, never past zero.
 */
export const openingAdjustments = (
  p: Prepared,
  openingParts: ReadonlyMap<string, Oere>,
  codesOf: ReadonlyMap<string, ReadonlyArray<string>>,
  periodStart: string
): Map<EntryItem, { readonly period: string }> => {
  const out = new Map<EntryItem, { readonly period: string }>()
  if (p.skjermet) return out // every line of a skjermet party is "skjermet": nothing to adjust against
  const left = new Map([...openingParts].map(([row, n]) => [row, n as number]))
  for (const e of p.entries) {
    if (e.phase !== "in" || e.targets.length > 0 || e.internal) continue
    const remaining = left.get(e.row) ?? 0
    const a = e.entry.amount
    if (remaining === 0 || Math.sign(a) !== -Math.sign(remaining) || Math.abs(a) > Math.abs(remaining)) continue
    const period = Calendar.latest(
      (codesOf.get(e.row) ?? []).map((code) => Calendar.periodOf(code, e.entry.date, `${e.entry.description ?? ""} ${e.entry.reference ?? ""}`))
    )
    if (period === undefined || period.end >= periodStart) continue
    out.set(e, { period: period.label })
    left.set(e.row, remaining + a)
  }
  return out
}

export const adjustmentSum = (adjustments: ReadonlyMap<EntryItem, unknown>, row: string): number => {
  let n = 0
  for (const e of adjustments.keys()) if (e.row === row) n += e.entry.amount
  return n
}
