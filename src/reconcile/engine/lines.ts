/**
 * A ledger line as the engine works on it and as the report gives it out: one object per line, no
 * second copy. The engine sets its row, phase and (after matching) its targets and outcome; the
 * report's fields (`LedgerEntryResult`) are getters over the original `LedgerEntry` and that
 * outcome, and the explanation and its sentence are made only when read — a million-line report
 * holds no rendered text (issue #13). `toJSON` gives the fields in the schema's order, so the JSON
 * sink writes exactly what a plain result object would (test/reconcile/digest.test.ts).
 */
import type { Dato } from "../../domain/Dato.ts"
import type { Oere } from "../../domain/Money.ts"
import * as Explanation from "../Explanation.ts"
import type { LedgerEntry } from "../LedgerSource.ts"
import type * as R from "../Report.ts"
import type { Language, Status } from "../Status.ts"
import type { ClaimPeriod } from "./calendar.ts"
import type { Target } from "./model.ts"

/** What every line of one report shares: the dates its sentences name and their language. */
export interface LineContext {
  readonly periodStart: string
  readonly asOf: string
  readonly language: Language
}

export type LinePhase = "in" | "after" | "before" | "other-account"

/** Why a line has its status, beyond what the line itself holds: a matched item's explanation, a claim period, an opening correction. */
export type LineDetail = Explanation.Explanation | ClaimPeriod | { readonly adjusts: string } | undefined

const NO_TARGETS: ReadonlyArray<Target> = Object.freeze([])
const NO_MATCHES: ReadonlyArray<R.LedgerEntryResult["matchedTo"][number]> = Object.freeze([])

export class LedgerLine implements R.LedgerEntryResult {
  /** The targets the line was matched to (empty for most lines: shared, never allocated). */
  targets: ReadonlyArray<Target> = NO_TARGETS
  /** Set after matching for unmatched lines: part of a zero-sum move inside one voucher on the row. */
  internal = false
  status: Status = "only-in-ledger"
  detail: LineDetail = undefined
  constructor(
    readonly entry: LedgerEntry,
    /** Row key, or "" when the account belongs to no row. */
    readonly row: string,
    /** "in" = counted in the ledger balance and matchable; the rest are classified already. */
    readonly phase: LinePhase,
    readonly day: number,
    readonly context: LineContext
  ) {}

  addTarget(t: Target): void {
    this.targets = this.targets === NO_TARGETS ? [t] : [...this.targets, t]
  }

  get id(): string {
    return this.entry.id
  }
  get voucher(): string {
    return this.entry.voucher
  }
  get date(): Dato {
    return this.entry.date
  }
  get account(): string {
    return this.entry.account
  }
  get amount(): Oere {
    return this.entry.amount
  }
  get description(): string | undefined {
    return this.entry.description
  }
  get reference(): string | undefined {
    return this.entry.reference
  }
  get counterparty(): string | undefined {
    return this.entry.counterparty
  }
  get link(): string | undefined {
    return this.entry.link
  }
  get matchMethod(): R.MatchMethod | undefined {
    return this.targets[0]?.method
  }
  get matchedTo(): ReadonlyArray<R.LedgerEntryResult["matchedTo"][number]> {
    return this.targets.length === 0 ? NO_MATCHES : this.targets.map((t) => ({ kind: t.kind, id: t.id }))
  }
  /** Only what the ledger has and Skatteetaten does not counts against the row: the line's own amount. */
  get contribution(): Oere {
    const s = this.status
    return (s === "only-in-ledger" || s === "accrued-not-claimed" || s === "skjermet" ? this.entry.amount : 0) as Oere
  }
  get explanation(): Explanation.Explanation {
    return lineExplanation(this)
  }
  get text(): string {
    return Explanation.render(lineExplanation(this), this.context.language)
  }

  toJSON(): R.LedgerEntryResult {
    const e = this.entry
    const explanation = lineExplanation(this)
    return {
      id: e.id,
      voucher: e.voucher,
      date: e.date,
      account: e.account,
      amount: e.amount,
      description: e.description,
      reference: e.reference,
      counterparty: e.counterparty,
      link: e.link,
      row: this.row,
      status: this.status,
      matchMethod: this.matchMethod,
      matchedTo: this.matchedTo,
      contribution: this.contribution,
      explanation,
      text: Explanation.render(explanation, this.context.language)
    }
  }
}

const isPeriod = (d: LineDetail): d is ClaimPeriod => d !== undefined && "deadline" in d
const isExplanation = (d: LineDetail): d is Explanation.Explanation => d !== undefined && "code" in d

/** The line's explanation, from its status and detail (the parameters in the order the report has always had them). */
export const lineExplanation = (l: LedgerLine): Explanation.Explanation => {
  const e = l.entry
  const d = l.detail
  switch (l.status) {
    case "other-account":
      return Explanation.make("other-account", { account: e.account })
    case "outside-period":
      return l.phase === "before"
        ? Explanation.make("before-period", { date: e.date, periodStart: l.context.periodStart })
        : Explanation.make("after-as-of", { date: e.date, asOf: l.context.asOf })
    case "skjermet":
      return Explanation.make("skjermet")
    case "internal-transfer":
      return Explanation.make("internal-transfer", { voucher: e.voucher })
    case "opening-adjustment":
      return Explanation.make("opening-adjustment", { period: d !== undefined && "adjusts" in d ? d.adjusts : "?", amount: e.amount })
    case "accrued-not-claimed":
      return isPeriod(d) ? Explanation.make("accrued-not-claimed", { period: d.label, deadline: d.deadline }) : Explanation.make("accrued-not-claimed")
    case "only-in-ledger":
      return isPeriod(d)
        ? Explanation.make("no-claim-for-period", { amount: e.amount, account: e.account, period: d.label, deadline: d.deadline })
        : Explanation.make("only-in-ledger", { amount: e.amount, account: e.account })
    default:
      return isExplanation(d) ? d : Explanation.make("matched-amount-date", { amount: e.amount })
  }
}
