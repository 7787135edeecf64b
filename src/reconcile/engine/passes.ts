/** The matching passes over the prepared items, in their order (docs/reconciliation.md, "Matching"). */
import { EntryIndex } from "./EntryIndex.ts"
import * as Match from "./match.ts"
import type { Target } from "./model.ts"
import type { Prepared } from "./prepare.ts"
import * as Voucher from "./voucher.ts"

/**
 * The matching passes, in order (docs/reconciliation.md, "Matching"): reference, amount and date,
 * voucher, combinations, a payment on the wrong row, a claim booked with another amount; then internal
 * moves among what is left.
 * Returns the indexes of the entries that are internal moves.
 */
export const matchAll = (p: Prepared, comboBudget: number): Array<number> => {
  const used = new Uint8Array(p.entries.length)
  const byAnchor = (a: Target, b: Target) => a.anchorDay - b.anchorDay || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  const forfallTargets = p.forfall.flatMap((f) => (f.target === undefined ? [] : [f.target])).sort(byAnchor)
  const interestTargets = p.claims.flatMap((c) => (c.renter?.target === undefined ? [] : [c.renter.target])).sort(byAnchor)
  const paymentTargets = p.payments.flatMap((x) => (x.target === undefined ? [] : [x.target])).sort(byAnchor)
  const setOffTargets = p.setOffs.flatMap((s) => s.legs.flatMap((l) => (l.target === undefined ? [] : [l.target]))).sort(byAnchor)
  // Only tokens some target's reference can match are indexed: no other token is ever looked up.
  const wanted = new Set<string>()
  for (const ts of [forfallTargets, interestTargets, paymentTargets, setOffTargets]) for (const t of ts) for (const r of t.refs) wanted.add(r.token)
  const index = new EntryIndex(p.entries, wanted)
  Match.byReference(interestTargets, index, used)
  Match.byReference(forfallTargets, index, used)
  Match.byReference(paymentTargets, index, used)
  Match.byAmountAndDate(forfallTargets, index, used)
  Match.byAmountAndDate(paymentTargets, index, used)
  Match.byAmountAndDate(setOffTargets, index, used)
  Match.byAmountAndDate(interestTargets, index, used)
  const budget: Match.Budget = { steps: comboBudget }
  const openTargets = () => {
    const open = new Map<string, Array<Target>>()
    for (const t of [...forfallTargets, ...setOffTargets].sort(byAnchor)) {
      if (t.entries.length === 0 && t.row !== undefined) (open.get(t.row) ?? open.set(t.row, []).get(t.row))?.push(t)
    }
    open.set("*", paymentTargets.filter((t) => t.entries.length === 0))
    return open
  }
  const groups = Voucher.voucherGroups(index)
  Voucher.byVoucher(groups, index, openTargets(), used, budget)
  Match.oneToMany(forfallTargets, index, used, budget)
  Match.oneToMany(paymentTargets, index, used, budget)
  Match.manyToOne(index, openTargets(), used, budget, 93)
  Voucher.onWrongRow(paymentTargets.filter((t) => t.kind === "innbetaling"), index, used)
  Voucher.nearAmount(forfallTargets, index, groups, used)
  const register = (targets: ReadonlyArray<Target>) => {
    for (const target of targets) {
      // Arrays grown by push keep a capacity of 17: at 100 000 targets that is 20 MB of nothing.
      if (target.entries.length > 0) target.entries = target.entries.slice()
      for (const i of target.entries) p.entries[i]?.addTarget(target)
    }
  }
  register(forfallTargets)
  register(interestTargets)
  register(paymentTargets)
  register(setOffTargets)
  return Voucher.internalMoves(groups, index, used)
}

/** The termins and income years per row for which a claim exists at the as-of date ("row|period start"). */
