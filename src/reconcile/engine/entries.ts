/**
 * The results of the ledger lines: matched, an internal move, a correction of the opening balance,
 * accrued for a termin whose claim need not exist yet, or only in the ledger — and the movements
 * per row and per kind that the rows' balances and bridges are built from.
 */
import type * as Dato from "../../domain/Dato.ts"
import { add, negate } from "../../domain/Money.ts"
import * as Explanation from "../Explanation.ts"
import type * as R from "../Report.ts"
import type { Language, Status } from "../Status.ts"
import * as Calendar from "./calendar.ts"
import type { EntryItem, Outcome, Target, TargetKind } from "./model.ts"
import { kravperiodeStart, type Prepared } from "./prepare.ts"
import { o, type Tally } from "./tally.ts"

export interface EntryResults {
  readonly ledgerEntries: Array<R.LedgerEntryResult>
  /** Σ amounts of the lines counted in the balance (period start to as-of), per row. */
  readonly movements: ReadonlyMap<string, number>
  /** Owed-orientation sums per `row|bridge category`. */
  readonly ledgerByCategory: ReadonlyMap<string, number>
}

export const entryResults = (
  p: Prepared,
  ctx: {
    readonly outcomeOf: ReadonlyMap<Target, Outcome>
    readonly periodStart: string
    readonly asOf: Dato.Dato
    readonly language: Language
    readonly codesOf: ReadonlyMap<string, ReadonlyArray<string>>
    readonly adjustments: ReadonlyMap<EntryItem, { readonly period: string }>
  },
  tally: Tally
): EntryResults => {
  const { outcomeOf, periodStart, asOf } = ctx
  const text = (e: Explanation.Explanation) => Explanation.render(e, ctx.language)
  const claimPeriods = existingClaimPeriods(p)
  const movements = new Map<string, number>()
  const ledgerByCategory = new Map<string, number>()
  const addCategory = (row: string, category: keyof R.Bridge["ledger"], amount: number) => {
    const key = `${row}|${category}`
    ledgerByCategory.set(key, (ledgerByCategory.get(key) ?? 0) + amount)
  }
  const ledgerEntries: Array<R.LedgerEntryResult> = p.entries.map((e) => {
    const out = entryOutcome(e, {
      skjermet: p.skjermet,
      outcomeOf,
      periodStart,
      asOf,
      codes: ctx.codesOf.get(e.row) ?? [],
      claimPeriods,
      adjustment: ctx.adjustments.get(e)
    })
    tally.line(out.status, e.entry.amount, out.contribution, e.row)
    if (e.phase === "in") {
      movements.set(e.row, add(o(movements.get(e.row) ?? 0), e.entry.amount))
      addCategory(e.row, ledgerCategory(e, out.status), negate(e.entry.amount))
    }
    const first = e.matchedTo[0]?.target
    return {
      id: e.entry.id,
      voucher: e.entry.voucher,
      date: e.entry.date,
      account: e.entry.account,
      amount: e.entry.amount,
      description: e.entry.description,
      reference: e.entry.reference,
      counterparty: e.entry.counterparty,
      link: e.entry.link,
      row: e.row,
      status: out.status,
      matchMethod: first?.method,
      matchedTo: e.matchedTo.map(({ kind, id }) => ({ kind, id })),
      contribution: o(out.contribution),
      explanation: out.explanation,
      text: text(out.explanation)
    }
  })

  return { ledgerEntries, movements, ledgerByCategory }
}

const existingClaimPeriods = (p: Prepared): ReadonlySet<string> => {
  const out = new Set<string>()
  for (const f of p.forfall) {
    if (f.phase === "after" || f.phase === "unmapped") continue
    const start = kravperiodeStart(f.claim.krav)
    if (start !== undefined) out.add(`${f.claim.row}|${start}`)
  }
  return out
}

const ledgerCategory = (e: EntryItem, status: Status): keyof R.Bridge["ledger"] => {
  if (status === "accrued-not-claimed") return "accruedNotClaimed"
  const kind: TargetKind | undefined = e.matchedTo[0]?.kind
  switch (kind) {
    case "kravforfall":
    case "renter":
      return "claims"
    case "innbetaling":
      return "payments"
    case "utbetaling":
      return "refunds"
    case "motregning":
      return "setOffs"
    case undefined:
      return "other"
  }
}

interface EntryContext {
  readonly skjermet: boolean
  readonly outcomeOf: ReadonlyMap<Target, Outcome>
  readonly periodStart: string
  readonly asOf: Dato.Dato
  /** The kravgrupper/kravtyper of the entry's row (for the claim calendar). */
  readonly codes: ReadonlyArray<string>
  readonly claimPeriods: ReadonlySet<string>
  /** Set when the line corrects the opening balance (openingAdjustments). */
  readonly adjustment: { readonly period: string } | undefined
}

const entryOutcome = (e: EntryItem, ctx: EntryContext): Outcome => {
  const a = e.entry.amount
  switch (e.phase) {
    case "other-account":
      return { status: "other-account", contribution: 0, explanation: Explanation.make("other-account", { account: e.entry.account }) }
    case "before":
      return { status: "outside-period", contribution: 0, explanation: Explanation.make("before-period", { date: e.entry.date, periodStart: ctx.periodStart }) }
    case "after":
      return { status: "outside-period", contribution: 0, explanation: Explanation.make("after-as-of", { date: e.entry.date, asOf: ctx.asOf }) }
    case "in": {
      if (e.matchedTo.length === 0) {
        if (ctx.skjermet) return { status: "skjermet", contribution: a, explanation: Explanation.make("skjermet") }
        if (e.internal) {
          return { status: "internal-transfer", contribution: 0, explanation: Explanation.make("internal-transfer", { voucher: e.entry.voucher }) }
        }
        // Counted with the opening balance it corrects (its remainder moves by the same amount).
        if (ctx.adjustment !== undefined) {
          return {
            status: "opening-adjustment",
            contribution: 0,
            explanation: Explanation.make("opening-adjustment", { period: ctx.adjustment.period, amount: a })
          }
        }
        const period = Calendar.latest(
          ctx.codes.map((code) => Calendar.periodOf(code, e.entry.date, `${e.entry.description ?? ""} ${e.entry.reference ?? ""}`))
        )
        if (period !== undefined && !ctx.claimPeriods.has(`${e.row}|${period.start}`)) {
          if (ctx.asOf <= period.deadline) {
            return {
              status: "accrued-not-claimed",
              contribution: a,
              explanation: Explanation.make("accrued-not-claimed", { period: period.label, deadline: period.deadline })
            }
          }
          return {
            status: "only-in-ledger",
            contribution: a,
            explanation: Explanation.make("no-claim-for-period", { amount: a, account: e.entry.account, period: period.label, deadline: period.deadline })
          }
        }
        return { status: "only-in-ledger", contribution: a, explanation: Explanation.make("only-in-ledger", { amount: a, account: e.entry.account }) }
      }
      const outs = e.matchedTo.map((m) => ctx.outcomeOf.get(m.target)).filter((x): x is Outcome => x !== undefined)
      const wrong = outs.find((x) => x.status === "wrong-account")
      const differs = outs.find((x) => x.status === "amount-differs")
      const first = wrong ?? differs ?? outs[0]
      const status: Status = wrong !== undefined ? "wrong-account" : differs !== undefined ? "amount-differs" : "matched"
      return { status, contribution: 0, explanation: first?.explanation ?? Explanation.make("matched-amount-date", { amount: a }) }
    }
  }
}
