/** The results of Skatteetaten's items — kravforfall, interest, innbetalinger, utbetalinger, set-offs — once matching is done. */
import type * as Dato from "../../domain/Dato.ts"
import { sum } from "../../domain/Money.ts"
import * as Explanation from "../Explanation.ts"
import type * as R from "../Report.ts"
import type { Status } from "../Status.ts"
import type { EntryItem, ItemContext, Target } from "./model.ts"
import * as Outcomes from "./outcomes.ts"
import { InnbetalingItem, UtbetalingItem } from "./payments.ts"
import type { Prepared } from "./prepare.ts"
import { o, type Tally } from "./tally.ts"

export interface ItemResults {
  readonly claims: ReadonlyArray<R.ClaimResult>
  readonly payments: ReadonlyArray<R.PaymentResult>
  readonly utbetalinger: ReadonlyArray<R.UtbetalingResult>
  readonly motregninger: Array<R.MotregningResult>
  /** Each target's item, for the ledger lines matched to it (its status, and its explanation when a line's is read). */
  readonly outcomeOf: ReadonlyMap<Target, ItemOutcome>
}

/** What a line matched to an item takes from it: the item's status and, when read, its explanation. */
export interface ItemOutcome {
  readonly status: Status
  readonly explanation: Explanation.Explanation
}

/**
 * Settles every item: its status and contribution are counted now; the claims and payments are
 * their own results (engine/claims.ts, engine/payments.ts) and make their explanations when read.
 */
export const itemResults = (p: Prepared, ctx: ItemContext, tally: Tally): ItemResults => {
  const { periodStart, asOf } = ctx
  const text = (e: Explanation.Explanation) => Explanation.render(e, ctx.language)
  const outcomeOf = new Map<Target, ItemOutcome>()
  const entryIds = (t: Target | undefined) => (t === undefined ? [] : t.entries.map((i) => (p.entries[i] as EntryItem).entry.id))

  for (const c of p.claims) {
    for (const f of c.forfall) {
      const out = Outcomes.forfallOutcome(f, p.entries, periodStart, asOf)
      f.settle(out.status, out.contribution, ctx)
      if (f.target !== undefined) outcomeOf.set(f.target, f)
      tally.item("kravforfall", out.status, f.forfall.opprinneligBeloep, new Map([[c.row, out.contribution]]), c.row)
    }
    const i = c.renter
    if (i !== undefined) {
      const out = Outcomes.interestOutcome(i, p.entries, asOf)
      i.settle(out.status, out.contribution, ctx)
      if (i.target !== undefined) outcomeOf.set(i.target, i)
      tally.item("renter", out.status, i.amount, new Map([[c.row, out.contribution]]), c.row)
    }
  }

  const payments: Array<InnbetalingItem> = []
  const utbetalinger: Array<UtbetalingItem> = []
  for (const x of p.payments) {
    const contributions = Outcomes.paymentContributions(x, p.entries)
    const total = sum([...contributions.values()].map(o))
    const out = Outcomes.paymentOutcome(x, p.entries, total, periodStart, asOf, ctx.rowName)
    x.settle(out.status, total, ctx)
    if (x.target !== undefined) outcomeOf.set(x.target, x)
    const first = x.target?.entries[0]
    const primary = first !== undefined ? (p.entries[first] as EntryItem).row : [...x.placedByRow.keys()][0] ?? ""
    tally.item(x.kind, out.status, Math.abs(x.expected), contributions, primary)
    if (x instanceof InnbetalingItem) payments.push(x)
    else if (x instanceof UtbetalingItem) utbetalinger.push(x)
  }

  const motregninger: Array<R.MotregningResult> = p.setOffs.map((s) => {
    const contributions = Outcomes.setOffContributions(s, p.entries)
    const total = sum([...contributions.values()].map(o))
    const out = Outcomes.setOffOutcome(s, p.entries, total, periodStart, asOf)
    for (const l of s.legs) if (l.target !== undefined) outcomeOf.set(l.target, out)
    tally.item("motregning", out.status, s.amount, contributions, s.covered.claim.row)
    const targets = s.legs.map((l) => l.target).filter((t): t is Target => t !== undefined)
    return {
      id: s.id,
      kravforfallsIdentifikator: s.covered.forfall.kravforfallsIdentifikator,
      motkravForfallsIdentifikator: s.motkrav?.forfall.kravforfallsIdentifikator,
      dato: s.dato as Dato.Dato,
      beloep: o(s.amount),
      legs: s.legs.map((l) => ({ row: l.row, placed: o(l.placed), contribution: o(contributions.get(l.row) ?? 0), entryIds: entryIds(l.target) })),
      status: out.status,
      matchMethod: targets[0]?.method,
      entryIds: targets.flatMap(entryIds),
      booked: o(targets.reduce((n, t) => n + t.booked, 0)),
      contribution: o(total),
      explanation: out.explanation,
      text: text(out.explanation)
    }
  })

  return { claims: p.claims, payments, utbetalinger, motregninger, outcomeOf }
}
