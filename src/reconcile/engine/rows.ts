/** One summary per account row: both balances, the difference, what explains it, and the bridge from opening to closing. */
import type * as Dato from "../../domain/Dato.ts"
import { add, negate, type Oere, sum, zero } from "../../domain/Money.ts"
import type { LedgerSnapshot } from "../LedgerSource.ts"
import * as Mapping from "../mapping/AccountMapping.ts"
import type * as R from "../Report.ts"
import { needsAttention } from "../Status.ts"
import * as Calendar from "./calendar.ts"
import type { LedgerCategories } from "./entries.ts"
import type { EntryItem, ForfallItem } from "./model.ts"
import { adjustmentSum, openingPartOf } from "./opening.ts"
import * as Outcomes from "./outcomes.ts"
import type { Prepared } from "./prepare.ts"
import { o, type Tally } from "./tally.ts"

export interface RowContext {
  readonly mappingRows: ReturnType<typeof Mapping.rows>
  readonly ledger: LedgerSnapshot
  readonly periodStart: Dato.Dato
  readonly asOf: Dato.Dato
  readonly movements: ReadonlyMap<string, number>
  readonly ledgerByCategory: ReadonlyMap<string, LedgerCategories>
  readonly openingParts: ReadonlyMap<string, Oere>
  readonly adjustments: ReadonlyMap<EntryItem, unknown>
}

export const rowSummaries = (p: Prepared, ctx: RowContext, tally: Tally): Array<R.AccountSummary> => {
  const { periodStart, asOf, mappingRows } = ctx
  const hasUnmapped = p.claims.some((c) => c.row === Mapping.UNMAPPED_ROW)
  const rowDefs = [
    ...mappingRows,
    ...(hasUnmapped ? [{ key: Mapping.UNMAPPED_ROW, accounts: [] as ReadonlyArray<string>, codes: [] as ReadonlyArray<string> }] : [])
  ]
  const accountsByNumber = new Map(ctx.ledger.accounts.map((a) => [a.number, a]))
  return rowDefs.map((r) => {
    const fs = p.forfall.filter((f) => f.claim.row === r.key)
    const counted = fs.filter((f) => f.phase !== "after")
    const gjenstaaende = sum(counted.map((f) => f.forfall.gjenstaaendeBeloep))
    const renter = sum(
      p.claims.filter((c) => c.row === r.key && c.renter !== undefined && c.renter.phase !== "after").map((c) => (c.renter as { amount: Oere }).amount)
    )
    const skatteetatenSaldo = add(gjenstaaende, renter)
    const accs = r.accounts.map((a) => accountsByNumber.get(a))
    const opening = sum(accs.map((a) => a?.openingBalance ?? zero))
    const mv = o(ctx.movements.get(r.key) ?? 0)
    const balance = add(opening, mv)
    const statedClosing = accs.length > 0 && accs.every((a) => a?.closingBalance != null) ? sum(accs.map((a) => a?.closingBalance ?? zero)) : undefined
    const difference = add(skatteetatenSaldo, balance)
    // What the opening balance holds beyond the claims that account for it; explained when it belongs
    // to the period just before (the last termin, last year's tax) whose claim need not exist yet.
    const openingPart = add(ctx.openingParts.get(r.key) ?? openingPartOf(p, r.key, r.accounts), o(adjustmentSum(ctx.adjustments, r.key)))
    const before = Calendar.latest(r.codes.map((code) => Calendar.periodBefore(code, periodStart)))
    const openingAccrued = openingPart !== 0 && before !== undefined && asOf <= before.deadline ? openingPart : zero
    // A skjermet party's claims are withheld: nothing can account for its opening balance, and that is the reason.
    const openingSkjermet = p.skjermet ? add(openingPart, negate(openingAccrued)) : zero
    const expl = sum([tally.explained(r.key), openingAccrued, openingSkjermet])
    const unexplained = add(difference, negate(expl))
    const openingUnexplained = sum([openingPart, negate(openingAccrued), negate(openingSkjermet)])
    const sourcePart = sum(fs.filter((f) => f.phase === "in").map((f) => o(Outcomes.residual(f))))
    const other = add(unexplained, negate(add(openingUnexplained, sourcePart)))
    const byStatus = tally.row(r.key).rows()
    // A row with no balance and no items says nothing, skjermet or not.
    const active = opening !== 0 || mv !== 0 || difference !== 0 || byStatus.some((st) => st.count > 0)
    const attention = [
      ...new Set(byStatus.filter((s) => (s.count > 0 || s.contribution !== 0) && needsAttention(s.status)).map((s) => s.status as string)),
      ...(unexplained !== 0 ? ["unexplained"] : []),
      ...(openingUnexplained !== 0 ? ["opening-balance-differs"] : [])
    ]
    const bridge = rowBridge(
      fs,
      renter,
      skatteetatenSaldo,
      {
        opening: negate(opening),
        closing: negate(balance),
        category: (c) => o(ctx.ledgerByCategory.get(r.key)?.[c] ?? 0)
      },
      byStatus,
      { openingAccrued, openingSkjermet, openingUnexplained, sourcePart, other }
    )
    return {
      key: r.key,
      accounts: [...r.accounts],
      accountNames: r.accounts.map((a) => accountsByNumber.get(a)?.name ?? ""),
      kravgrupper: [...new Set([...r.codes, ...p.claims.filter((c) => c.row === r.key).map((c) => c.kravgruppe ?? c.krav.kravtype)])].sort(),
      skatteetaten: { gjenstaaende, stipulerteRenter: renter, saldo: skatteetatenSaldo },
      ledger: { openingBalance: opening, movements: mv, balance, saldo: negate(balance), statedClosingBalance: statedClosing },
      difference,
      explained: expl,
      openingAccrued,
      unexplained,
      unexplainedBreakdown: { openingBalance: openingUnexplained, sourceInconsistency: sourcePart, other },
      needsAttention: attention.length > 0 || (p.skjermet && active),
      attention: p.skjermet && active ? ["skjermet", ...attention.filter((a) => a !== "skjermet")] : attention,
      byStatus,
      bridge
    }
  })
}

/** The row's bridge from opening to closing on both sides, and the difference by cause. */
export const rowBridge = (
  fs: ReadonlyArray<ForfallItem>,
  renter: Oere,
  closing: Oere,
  ledgerSide: { readonly opening: Oere; readonly closing: Oere; readonly category: (c: keyof R.Bridge["ledger"]) => Oere },
  byStatus: ReadonlyArray<R.StatusTotal>,
  parts: { readonly openingAccrued: Oere; readonly openingSkjermet: Oere; readonly openingUnexplained: Oere; readonly sourcePart: Oere; readonly other: Oere }
): R.Bridge => {
  const counted = fs.filter((f) => f.phase === "pre" || f.phase === "in")
  const existedAtStart = counted.filter((f) => f.phase === "pre" && !f.priorPeriod)
  const s = {
    opening: sum(existedAtStart.map((f) => o(f.forfall.gjenstaaendeBeloep + f.placed))),
    claims: sum(counted.filter((f) => !existedAtStart.includes(f)).map((f) => f.forfall.opprinneligBeloep)),
    payments: negate(o(counted.reduce((n, f) => n + f.placedInn, 0))),
    setOffs: negate(o(counted.reduce((n, f) => n + f.placedMot, 0))),
    refunds: negate(o(counted.reduce((n, f) => n + f.placedUt, 0))),
    stipulerteRenter: renter
  }
  const sOther = add(closing, negate(sum([s.opening, s.claims, s.payments, s.setOffs, s.refunds, s.stipulerteRenter])))
  const l = {
    opening: ledgerSide.opening,
    claims: ledgerSide.category("claims"),
    payments: ledgerSide.category("payments"),
    setOffs: ledgerSide.category("setOffs"),
    refunds: ledgerSide.category("refunds"),
    accruedNotClaimed: ledgerSide.category("accruedNotClaimed"),
    other: ledgerSide.category("other"),
    closing: ledgerSide.closing
  }
  const byCause = new Map<string, number>()
  for (const st of byStatus) if (st.contribution !== 0) byCause.set(st.status, (byCause.get(st.status) ?? 0) + st.contribution)
  const named: Array<[string, number]> = [
    ...byCause,
    ["opening-accrued-not-claimed", parts.openingAccrued],
    ["opening-skjermet", parts.openingSkjermet],
    ["opening-balance-differs", parts.openingUnexplained],
    ["source-inconsistency", parts.sourcePart],
    ["other", parts.other]
  ]
  return {
    skatteetaten: { ...s, other: sOther, closing },
    ledger: l,
    differenceParts: named.filter(([, n]) => n !== 0).map(([part, amount]) => ({ part, amount: o(amount) }))
  }
}
