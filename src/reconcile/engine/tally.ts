/**
 * Status totals for the whole report and per account row, and what each row's items explain:
 * every item is counted here exactly once (conservation is checked against these totals).
 */
import { add, type Oere, sum } from "../../domain/Money.ts"
import type * as R from "../Report.ts"
import { allItemKinds, allStatuses, type ItemKind, type Status } from "../Status.ts"

export const o = (n: number): Oere => n as Oere

type Acc = { count: number; amount: number; contribution: number }

export class StatusTable {
  private readonly m = new Map<ItemKind, Map<Status, Acc>>()
  add(kind: ItemKind, status: Status, count: number, amount: number, contribution: number): void {
    let byStatus = this.m.get(kind)
    if (byStatus === undefined) this.m.set(kind, byStatus = new Map())
    let a = byStatus.get(status)
    if (a === undefined) byStatus.set(status, a = { count: 0, amount: 0, contribution: 0 })
    a.count += count
    a.amount = add(o(a.amount), o(amount))
    a.contribution = add(o(a.contribution), o(contribution))
  }
  rows(): Array<R.StatusTotal> {
    const out: Array<R.StatusTotal> = []
    for (const kind of allItemKinds) {
      for (const status of allStatuses) {
        const a = this.m.get(kind)?.get(status)
        if (a !== undefined) out.push({ kind, status, count: a.count, amount: o(a.amount), contribution: o(a.contribution) })
      }
    }
    return out
  }
}

export class Tally {
  readonly all = new StatusTable()
  private readonly byRow = new Map<string, StatusTable>()
  private readonly explainedByRow = new Map<string, number>()

  row(row: string): StatusTable {
    return this.byRow.get(row) ?? (this.byRow.set(row, new StatusTable()).get(row) as StatusTable)
  }
  /** Σ contributions recorded on the row. */
  explained(row: string): Oere {
    return o(this.explainedByRow.get(row) ?? 0)
  }
  private explain(row: string, n: number): void {
    this.explainedByRow.set(row, add(this.explained(row), o(n)))
  }
  /** An item that spreads over rows: counted once on its primary row, its contribution on each. */
  item(kind: ItemKind, status: Status, amount: number, contributions: ReadonlyMap<string, number>, primary: string): void {
    this.all.add(kind, status, 1, amount, sum([...contributions.values()].map(o)))
    this.row(primary).add(kind, status, 1, amount, contributions.get(primary) ?? 0)
    for (const [row, n] of contributions) {
      this.explain(row, n)
      if (row !== primary) this.row(row).add(kind, status, 0, 0, n)
    }
  }
  /** A ledger line, counted and contributing on its own row. */
  line(status: Status, amount: number, contribution: number, row: string): void {
    this.all.add("bilagslinje", status, 1, amount, contribution)
    this.row(row).add("bilagslinje", status, 1, amount, contribution)
    if (contribution !== 0) this.explain(row, contribution)
  }
}
