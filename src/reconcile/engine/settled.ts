/**
 * What every item the report lists with an outcome shares — kravforfall, stipulated interest,
 * innbetalinger and utbetalinger: the status and contribution `settle` gives it once matching is
 * done, the target it was matched through, and the report fields read from those. The explanation
 * is made again from the item whenever it is read (each kind says how), never held.
 */
import type { Oere } from "../../domain/Money.ts"
import * as Explanation from "../Explanation.ts"
import type * as R from "../Report.ts"
import type { Status } from "../Status.ts"
import type { ItemContext, Target } from "./model.ts"

const NO_IDS: ReadonlyArray<string> = Object.freeze([])

/** What an item's results read before `settle` gave it the report's context (nothing reads it then). */
const UNSETTLED: ItemContext = { entries: [], periodStart: "", asOf: "", language: "nb", rowName: (row) => row }

export abstract class SettledItem {
  status: Status = "matched"
  contribution = 0 as Oere
  protected ctx: ItemContext = UNSETTLED
  abstract readonly target: Target | undefined
  abstract get explanation(): Explanation.Explanation

  /** The outcome, once matching is done. */
  settle(status: Status, contribution: number, ctx: ItemContext): void {
    this.status = status
    this.contribution = contribution as Oere
    this.ctx = ctx
  }

  get matchMethod(): R.MatchMethod | undefined {
    return this.target?.method
  }
  /** The ids of the ledger lines the target was matched to. */
  get entryIds(): ReadonlyArray<string> {
    const t = this.target
    return t === undefined || t.entries.length === 0 ? NO_IDS : t.entries.map((i) => this.ctx.entries[i]?.entry.id ?? "")
  }
  get booked(): Oere {
    return (this.target?.booked ?? 0) as Oere
  }
  get text(): string {
    return Explanation.render(this.explanation, this.ctx.language)
  }
}
