/**
 * The results of the ledger lines: matched, an internal move, a correction of the opening balance,
 * accrued for a termin whose claim need not exist yet, or only in the ledger — and the movements
 * per row and per kind that the rows' balances and bridges are built from.
 */
import type * as Dato from "../../domain/Dato.ts"
import { add, negate } from "../../domain/Money.ts"
import type * as R from "../Report.ts"
import type { Status } from "../Status.ts"
import * as Calendar from "./calendar.ts"
import type { ItemOutcome } from "./items.ts"
import type { LineDetail } from "./lines.ts"
import type { EntryItem, Target, TargetKind } from "./model.ts"
import { kravperiodeStart, type Prepared } from "./prepare.ts"
import { o, type Tally } from "./tally.ts"

export interface EntryResults {
  /** The lines themselves: each carries its outcome, and renders its explanation when read (engine/lines.ts). */
  readonly ledgerEntries: ReadonlyArray<R.LedgerEntryResult>
  /** Σ amounts of the lines counted in the balance (period start to as-of), per row. */
  readonly movements: ReadonlyMap<string, number>
  /** Owed-orientation sums per row and bridge category. */
  readonly ledgerByCategory: ReadonlyMap<string, LedgerCategories>
}

export type LedgerCategories = Record<keyof R.Bridge["ledger"], number>

const noCategories = (): LedgerCategories => ({ opening: 0, claims: 0, payments: 0, setOffs: 0, refunds: 0, accruedNotClaimed: 0, other: 0, closing: 0 })

export const entryResults = (
  p: Prepared,
  ctx: {
    readonly outcomeOf: ReadonlyMap<Target, ItemOutcome>
    readonly asOf: Dato.Dato
    readonly codesOf: ReadonlyMap<string, ReadonlyArray<string>>
    readonly adjustments: ReadonlyMap<EntryItem, { readonly period: string }>
  },
  tally: Tally
): EntryResults => {
  const { outcomeOf, asOf } = ctx
  const claimPeriods = existingClaimPeriods(p)
  const movements = new Map<string, number>()
  const ledgerByCategory = new Map<string, LedgerCategories>()
  for (const e of p.entries) {
    const out = entryOutcome(e, {
      skjermet: p.skjermet,
      outcomeOf,
      asOf,
      codes: ctx.codesOf.get(e.row) ?? [],
      claimPeriods,
      adjustment: ctx.adjustments.get(e)
    })
    e.settle(out.status, out.detail)
    tally.line(out.status, e.entry.amount, out.contribution, e.row)
    if (e.phase === "in") {
      movements.set(e.row, add(o(movements.get(e.row) ?? 0), e.entry.amount))
      let cats = ledgerByCategory.get(e.row)
      if (cats === undefined) ledgerByCategory.set(e.row, cats = noCategories())
      const category = ledgerCategory(e, out.status)
      cats[category] = add(o(cats[category]), negate(e.entry.amount))
    }
  }

  return { ledgerEntries: p.entries, movements, ledgerByCategory }
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
  const kind: TargetKind | undefined = e.targets[0]?.kind
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
  readonly outcomeOf: ReadonlyMap<Target, ItemOutcome>
  readonly asOf: Dato.Dato
  /** The kravgrupper/kravtyper of the entry's row (for the claim calendar). */
  readonly codes: ReadonlyArray<string>
  readonly claimPeriods: ReadonlySet<string>
  /** Set when the line corrects the opening balance (openingAdjustments). */
  readonly adjustment: { readonly period: string } | undefined
}

/** A line's status and contribution, and what its explanation needs beyond the line (engine/lines.ts renders it). */
interface LineOutcome {
  readonly status: Status
  readonly contribution: number
  readonly detail: LineDetail
}

const entryOutcome = (e: EntryItem, ctx: EntryContext): LineOutcome => {
  const a = e.entry.amount
  switch (e.phase) {
    case "other-account":
      return { status: "other-account", contribution: 0, detail: undefined }
    case "before":
    case "after":
      return { status: "outside-period", contribution: 0, detail: undefined }
    case "in": {
      if (e.targets.length === 0) {
        if (ctx.skjermet) return { status: "skjermet", contribution: a, detail: undefined }
        if (e.internal) return { status: "internal-transfer", contribution: 0, detail: undefined }
        // Counted with the opening balance it corrects (its remainder moves by the same amount).
        if (ctx.adjustment !== undefined) return { status: "opening-adjustment", contribution: 0, detail: { adjusts: ctx.adjustment.period } }
        const period = ctx.codes.length === 0 ? undefined : Calendar.latest(
          ctx.codes.map((code) => Calendar.periodOf(code, e.entry.date, `${e.entry.description ?? ""} ${e.entry.reference ?? ""}`))
        )
        if (period !== undefined && !ctx.claimPeriods.has(`${e.row}|${period.start}`)) {
          if (ctx.asOf <= period.deadline) return { status: "accrued-not-claimed", contribution: a, detail: period }
          return { status: "only-in-ledger", contribution: a, detail: period }
        }
        return { status: "only-in-ledger", contribution: a, detail: undefined }
      }
      // Until the line is settled its targets are the Target objects themselves.
      const outs = (e.targets as ReadonlyArray<Target>).map((t) => ctx.outcomeOf.get(t)).filter((x): x is ItemOutcome => x !== undefined)
      const wrong = outs.find((x) => x.status === "wrong-account")
      const differs = outs.find((x) => x.status === "amount-differs")
      const first = wrong ?? differs ?? outs[0]
      const status: Status = wrong !== undefined ? "wrong-account" : differs !== undefined ? "amount-differs" : "matched"
      // The item itself: its explanation is made when the line's is read.
      return { status, contribution: 0, detail: first }
    }
  }
}
