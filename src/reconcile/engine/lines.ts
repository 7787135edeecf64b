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
import { allStatuses, type Language, type Status } from "../Status.ts"
import type { ClaimPeriod } from "./calendar.ts"
import type { Target } from "./model.ts"

/** What every line of one report shares: the dates its sentences name and their language. */
export interface LineContext {
  readonly periodStart: string
  readonly asOf: string
  readonly language: Language
}

export type LinePhase = "in" | "after" | "before" | "other-account"

/** What a line matched to an item shows of it: the item's explanation, made when read (engine/claims.ts). */
export interface Explains {
  readonly explanation: Explanation.Explanation
}

/** Why a line has its status, beyond what the line itself holds: the matched item, a claim period, an opening correction. */
export type LineDetail = Explains | ClaimPeriod | { readonly adjusts: string } | undefined

/** What a line keeps of a target it was matched to, once the outcomes are known (the target itself can go). */
export interface LineMatch {
  readonly kind: Target["kind"]
  readonly id: string
  readonly method: Target["method"]
}

const NO_TARGETS: ReadonlyArray<LineMatch> = Object.freeze([])
const NO_MATCHES: ReadonlyArray<R.LedgerEntryResult["matchedTo"][number]> = Object.freeze([])

/** What the lines of one row of one report share: the row key (or "" for none) and the report's context. */
export interface LinePlace {
  readonly row: string
  readonly context: LineContext
}

const PHASES: ReadonlyArray<LinePhase> = ["in", "after", "before", "other-account"]
const STATUS_INDEX = new Map(allStatuses.map((s, i) => [s, i]))
const INTERNAL = 4
const STATUS_SHIFT = 3
const STATUS_MASK = 31 << STATUS_SHIFT
/** The day sits above the 8 low bits: 23 signed bits reach every four-digit year. */
const DAY_SHIFT = 8

/**
 * Five fields per line (64 bytes): the entry, its place, its targets, its detail, and one small
 * integer packing the phase, the internal-move flag, the status and the epoch day.
 */
export class LedgerLine implements R.LedgerEntryResult {
  /**
   * The targets the line was matched to (empty for most lines: shared, never allocated); the Target
   * objects while the engine runs, only their kind, id and method once its outcome is set.
   */
  targets: ReadonlyArray<LineMatch> = NO_TARGETS
  detail: LineDetail = undefined
  private flags: number
  constructor(readonly entry: LedgerEntry, readonly place: LinePlace, phase: LinePhase, day: number) {
    this.flags = (day << DAY_SHIFT) | PHASES.indexOf(phase) | ((STATUS_INDEX.get("only-in-ledger") ?? 0) << STATUS_SHIFT)
  }

  /** Row key, or "" when the account belongs to no row. */
  get row(): string {
    return this.place.row
  }
  get context(): LineContext {
    return this.place.context
  }
  /** "in" = counted in the ledger balance and matchable; the rest are classified already. */
  get phase(): LinePhase {
    return PHASES[this.flags & 3] as LinePhase
  }
  get day(): number {
    return this.flags >> DAY_SHIFT
  }
  /** Set after matching for unmatched lines: part of a zero-sum move inside one voucher on the row. */
  get internal(): boolean {
    return (this.flags & INTERNAL) !== 0
  }
  set internal(on: boolean) {
    this.flags = on ? this.flags | INTERNAL : this.flags & ~INTERNAL
  }
  get status(): Status {
    return allStatuses[(this.flags & STATUS_MASK) >> STATUS_SHIFT] as Status
  }
  set status(s: Status) {
    this.flags = (this.flags & ~STATUS_MASK) | ((STATUS_INDEX.get(s) ?? 0) << STATUS_SHIFT)
  }

  addTarget(t: Target): void {
    this.targets = this.targets === NO_TARGETS ? [t] : [...this.targets, t]
  }

  /** The line's outcome; the targets are let go of, keeping what the report shows of them. */
  settle(status: Status, detail: LineDetail): void {
    this.status = status
    this.detail = detail
    if (this.targets.length > 0) this.targets = this.targets.map((t) => ({ kind: t.kind, id: t.id, method: t.method }))
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
const isItem = (d: LineDetail): d is Explains => d !== undefined && "explanation" in d

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
      return isItem(d) ? d.explanation : Explanation.make("matched-amount-date", { amount: e.amount })
  }
}
