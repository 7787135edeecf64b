/** The report's totals: per kind, what went in against what came out (conservation), and the sums over rows; the unmapped codes. */
import { add, type Oere, sum, zero } from "../../domain/Money.ts"
import * as Mapping from "../mapping/AccountMapping.ts"
import type * as R from "../Report.ts"
import { allItemKinds, type ItemKind } from "../Status.ts"
import type { Prepared } from "./prepare.ts"
import { o, type Tally } from "./tally.ts"

export const totalsOf = (
  p: Prepared,
  accounts: ReadonlyArray<R.AccountSummary>,
  setAside: ReadonlyArray<R.SetAsideItem>,
  tally: Tally
): { readonly totals: R.Totals; readonly unmappedCodes: Array<R.UnmappedCode> } => {
  const unmapped = new Map<string, R.UnmappedCode>()
  for (const c of p.claims) {
    if (c.row !== Mapping.UNMAPPED_ROW) continue
    const key = `${c.krav.kravtype}|${c.kravgruppe ?? ""}`
    const prev = unmapped.get(key)
    unmapped.set(key, {
      kravtype: c.krav.kravtype,
      kravgruppe: c.kravgruppe,
      claims: (prev?.claims ?? 0) + 1,
      gjenstaaende: add(prev?.gjenstaaende ?? zero, c.krav.gjenstaaendeBeloep)
    })
  }
  const statusRows = tally.all.rows()
  const ofKind = (kind: "innbetaling" | "utbetaling") => p.payments.filter((x) => x.kind === kind)
  const inputs: Record<ItemKind, { count: number; amount: Oere }> = {
    kravforfall: { count: p.forfall.length, amount: sum(p.forfall.map((f) => f.forfall.opprinneligBeloep)) },
    renter: { count: p.claims.filter((c) => c.renter !== undefined).length, amount: sum(p.claims.map((c) => c.renter?.amount ?? zero)) },
    innbetaling: { count: ofKind("innbetaling").length, amount: sum(ofKind("innbetaling").map((x) => o(Math.abs(x.expected)))) },
    utbetaling: { count: ofKind("utbetaling").length, amount: sum(ofKind("utbetaling").map((x) => o(Math.abs(x.expected)))) },
    motregning: { count: p.setOffs.length, amount: sum(p.setOffs.map((s) => o(s.amount))) },
    bilagslinje: { count: p.entries.length, amount: sum(p.entries.map((e) => e.entry.amount)) }
  }
  const byKind = allItemKinds.map((kind) => {
    const rows = statusRows.filter((s) => s.kind === kind)
    return {
      kind,
      count: inputs[kind].count,
      amount: inputs[kind].amount,
      statusCount: rows.reduce((n, s) => n + s.count, 0),
      statusAmount: sum(rows.map((s) => s.amount))
    }
  })
  const conserved = byKind.every((k) => k.count === k.statusCount && k.amount === k.statusAmount)
  const totals: R.Totals = {
    skatteetatenSaldo: sum(accounts.map((a) => a.skatteetaten.saldo)),
    ledgerSaldo: sum(accounts.map((a) => a.ledger.saldo)),
    difference: sum(accounts.map((a) => a.difference)),
    explained: sum(accounts.map((a) => a.explained)),
    unexplained: sum(accounts.map((a) => a.unexplained)),
    byKind,
    byStatus: statusRows,
    setAside: setAside.length,
    conserved,
    needsAttention: !conserved || setAside.length > 0 || accounts.some((a) => a.needsAttention)
  }

  return { totals, unmappedCodes: [...unmapped.values()] }
}
