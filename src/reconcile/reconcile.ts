/**
 * The reconciliation engine: pure, deterministic, integer øre, no I/O.
 *
 * Skatteetaten's open balance per account row (Σ gjenstaaendeBeloep + stipulerte renter of the
 * claims mapped to the row) is set against the ledger's balance on the row's accounts at the
 * as-of date; every kravforfall, interest amount, innbetaling and ledger entry gets a status and
 * a contribution to the difference, and what the items do not explain is reported as
 * `unexplained`. docs/reconciliation.md gives the rules and the identity behind them.
 */
import * as Dato from "../domain/Dato.ts"
import { kravperiodeTekst, tekst } from "../domain/Felles.ts"
import type { AapneKrav, Innbetalinger, KravListe } from "../domain/Dokumenter.ts"
import { add, type Oere, sum, zero } from "../domain/Money.ts"
import type { Periode } from "../domain/Periode.ts"
import { EntryIndex } from "./engine/EntryIndex.ts"
import * as Match from "./engine/match.ts"
import type { EntryItem, Outcome, Target } from "./engine/model.ts"
import * as Outcomes from "./engine/outcomes.ts"
import { candidates, prepare } from "./engine/prepare.ts"
import * as Explanation from "./Explanation.ts"
import type { LedgerSnapshot } from "./LedgerSource.ts"
import * as Mapping from "./mapping/AccountMapping.ts"
import type * as R from "./Report.ts"
import { allItemKinds, allStatuses, type ItemKind, type Language, needsAttention, type Status } from "./Status.ts"

export interface ReconcileInput {
  readonly party: string
  readonly partyName?: string | undefined
  /** The period the claims and payments were fetched for. */
  readonly periode: Periode
  readonly asOf: Dato.Dato
  readonly aapneKrav?: AapneKrav | undefined
  readonly krav?: KravListe | undefined
  readonly innbetalinger?: Innbetalinger | undefined
  readonly ledger: LedgerSnapshot
  readonly mapping: Mapping.AccountMapping
  /** Items already set aside before the engine (lenient decoding of Skatteetaten's documents). */
  readonly setAside?: ReadonlyArray<R.SetAsideItem> | undefined
  readonly environment?: string | undefined
  readonly korrelasjonsIder?: ReadonlyArray<string> | undefined
  /** ISO timestamp; given by the caller so the engine stays deterministic. */
  readonly generatedAt: string
  readonly kravsyncVersion: string
  readonly language?: Language | undefined
  /** Upper bound on combination-search steps (default 5 000 000). */
  readonly comboBudget?: number | undefined
}

const o = (n: number): Oere => n as Oere

type Acc = { count: number; amount: number; contribution: number }

class StatusTable {
  private readonly m = new Map<string, Acc>()
  add(kind: ItemKind, status: Status, count: number, amount: number, contribution: number): void {
    const k = `${kind}|${status}`
    const a = this.m.get(k) ?? { count: 0, amount: 0, contribution: 0 }
    a.count += count
    a.amount = add(o(a.amount), o(amount))
    a.contribution = add(o(a.contribution), o(contribution))
    this.m.set(k, a)
  }
  rows(): Array<R.StatusTotal> {
    const out: Array<R.StatusTotal> = []
    for (const kind of allItemKinds) {
      for (const status of allStatuses) {
        const a = this.m.get(`${kind}|${status}`)
        if (a !== undefined) out.push({ kind, status, count: a.count, amount: o(a.amount), contribution: o(a.contribution) })
      }
    }
    return out
  }
}

export const reconcile = (input: ReconcileInput): R.Report => {
  const language = input.language ?? "nb"
  const text = (e: Explanation.Explanation) => Explanation.render(e, language)
  const { mapping, ledger, asOf } = input
  const p = prepare({ party: input.party, aapneKrav: input.aapneKrav, krav: input.krav, innbetalinger: input.innbetalinger, ledger, mapping, asOf })
  const periodStart = ledger.periode.fraOgMed

  // --- matching
  const used = new Uint8Array(p.entries.length)
  const index = new EntryIndex(candidates(p.entries))
  const byAnchor = (a: Target, b: Target) => a.anchorDay - b.anchorDay || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  const forfallTargets = p.forfall.flatMap((f) => (f.target === undefined ? [] : [f.target])).sort(byAnchor)
  const interestTargets = p.claims.flatMap((c) => (c.renter?.target === undefined ? [] : [c.renter.target])).sort(byAnchor)
  const paymentTargets = p.payments.flatMap((x) => (x.target === undefined ? [] : [x.target])).sort(byAnchor)
  Match.byReference(interestTargets, index, used)
  Match.byReference(forfallTargets, index, used)
  Match.byReference(paymentTargets, index, used)
  Match.byAmountAndDate(forfallTargets, index, used)
  Match.byAmountAndDate(paymentTargets, index, used)
  Match.byAmountAndDate(interestTargets, index, used)
  const budget: Match.Budget = { steps: input.comboBudget ?? 5_000_000 }
  Match.oneToMany(forfallTargets, index, used, budget)
  Match.oneToMany(paymentTargets, index, used, budget)
  const open = new Map<string, Array<Target>>()
  for (const t of forfallTargets) if (t.entries.length === 0 && t.row !== undefined) (open.get(t.row) ?? open.set(t.row, []).get(t.row))?.push(t)
  open.set("*", paymentTargets.filter((t) => t.entries.length === 0))
  Match.manyToOne(index.all, open, used, budget, 93)

  // --- outcomes
  const outcomeOf = new Map<Target, Outcome>()
  const register = (ts: Array<{ target: Target; kind: "kravforfall" | "renter" | "innbetaling"; id: string }>) => {
    for (const { target, kind, id } of ts) for (const i of target.entries) (p.entries[i] as EntryItem).matchedTo.push({ kind, id, target })
  }
  register(forfallTargets.map((t) => ({ target: t, kind: "kravforfall" as const, id: t.id })))
  register(interestTargets.map((t) => ({ target: t, kind: "renter" as const, id: t.id })))
  register(paymentTargets.map((t) => ({ target: t, kind: "innbetaling" as const, id: t.id })))

  const table = new StatusTable()
  const rowTables = new Map<string, StatusTable>()
  const rowTable = (row: string) => rowTables.get(row) ?? rowTables.set(row, new StatusTable()).get(row) as StatusTable
  const explained = new Map<string, number>()
  const addExplained = (row: string, n: number) => explained.set(row, add(o(explained.get(row) ?? 0), o(n)))
  const entryIds = (t: Target | undefined) => (t === undefined ? [] : t.entries.map((i) => (p.entries[i] as EntryItem).entry.id))
  /** The fields every item result shares: its status, what it matched and what that means. */
  const resultFields = (target: Target | undefined, out: Pick<Outcome, "status" | "explanation">, contribution: number) => ({
    status: out.status,
    matchMethod: target?.method,
    entryIds: entryIds(target),
    booked: o(target?.booked ?? 0),
    contribution: o(contribution),
    explanation: out.explanation,
    text: text(out.explanation)
  })

  const claims: Array<R.ClaimResult> = p.claims.map((c) => {
    const forfall = c.forfall.map((f): R.ForfallResult => {
      const out = Outcomes.forfallOutcome(f, p.entries, periodStart, asOf)
      if (f.target !== undefined) outcomeOf.set(f.target, out)
      table.add("kravforfall", out.status, 1, f.forfall.opprinneligBeloep, out.contribution)
      rowTable(c.row).add("kravforfall", out.status, 1, f.forfall.opprinneligBeloep, out.contribution)
      addExplained(c.row, out.contribution)
      return {
        kravforfallsIdentifikator: f.forfall.kravforfallsIdentifikator,
        forfallsdato: f.forfall.forfallsdato,
        opprinneligBeloep: f.forfall.opprinneligBeloep,
        gjenstaaendeBeloep: f.forfall.gjenstaaendeBeloep,
        kid: f.forfall.betalingsinformasjon?.kidnummer ?? undefined,
        plassert: o(f.placed),
        sourceResidual: o(f.phase === "in" ? f.forfall.gjenstaaendeBeloep + f.placed - f.forfall.opprinneligBeloep : 0),
        ...resultFields(f.target, out, out.contribution)
      }
    })
    let renter: R.InterestResult | undefined
    if (c.renter !== undefined) {
      const i = c.renter
      const out = Outcomes.interestOutcome(i, p.entries, asOf)
      if (i.target !== undefined) outcomeOf.set(i.target, out)
      table.add("renter", out.status, 1, i.amount, out.contribution)
      rowTable(c.row).add("renter", out.status, 1, i.amount, out.contribution)
      addExplained(c.row, out.contribution)
      renter = {
        amount: i.amount,
        ...resultFields(i.target, out, out.contribution)
      }
    }
    const k = c.krav
    return {
      kravidentifikator: k.kravidentifikator,
      kravtype: k.kravtype,
      kravgruppe: c.kravgruppe,
      kravbeskrivelse: tekst(k.kravbeskrivelse),
      kravperiode: kravperiodeTekst(k.kravperiode),
      opprettelsesdato: k.opprettelsesdatoForKrav ?? undefined,
      row: c.row,
      opprinneligBeloep: k.opprinneligBeloep,
      gjenstaaendeBeloep: k.gjenstaaendeBeloep,
      aapen: c.aapen,
      forfall,
      renter
    }
  })

  const payments: Array<R.PaymentResult> = p.payments.map((x) => {
    const contributions = Outcomes.paymentContributions(x, p.entries)
    const total = sum([...contributions.values()].map(o))
    const out = Outcomes.paymentOutcome(x, p.entries, total, periodStart, asOf)
    if (x.target !== undefined) outcomeOf.set(x.target, out)
    const first = x.target?.entries[0]
    const primary = first !== undefined ? (p.entries[first] as EntryItem).row : [...x.placedByRow.keys()][0] ?? ""
    table.add("innbetaling", out.status, 1, x.innbetaling.innbetaltBeloep, total)
    rowTable(primary).add("innbetaling", out.status, 1, x.innbetaling.innbetaltBeloep, contributions.get(primary) ?? 0)
    for (const [row, n] of contributions) {
      addExplained(row, n)
      if (row !== primary) rowTable(row).add("innbetaling", out.status, 0, 0, n)
    }
    const inn = x.innbetaling
    return {
      innbetalingsidentifikator: inn.innbetalingsidentifikator,
      innbetalingsdato: inn.innbetalingsdato,
      innbetaltBeloep: inn.innbetaltBeloep,
      uplassertBeloep: x.uplassert,
      kid: inn.innbetaltFra?.kidnummer ?? inn.betaltFra?.kidnummer ?? undefined,
      innbetalingstype: inn.innbetalingstype ?? undefined,
      placed: [...x.placedByRow].map(([row, amount]) => ({ row, amount: o(amount) })),
      contributions: [...contributions].map(([row, amount]) => ({ row, amount: o(amount) })),
      ...resultFields(x.target, out, total)
    }
  })

  const movements = new Map<string, number>()
  const ledgerEntries: Array<R.LedgerEntryResult> = p.entries.map((e) => {
    const out = entryOutcome(e, p.skjermet, outcomeOf, periodStart, asOf)
    table.add("bilagslinje", out.status, 1, e.entry.amount, out.contribution)
    rowTable(e.row).add("bilagslinje", out.status, 1, e.entry.amount, out.contribution)
    if (e.phase === "in") movements.set(e.row, add(o(movements.get(e.row) ?? 0), e.entry.amount))
    if (out.contribution !== 0) addExplained(e.row, out.contribution)
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

  // --- rows
  const mappingRows = Mapping.rows(mapping)
  const hasUnmapped = p.claims.some((c) => c.row === Mapping.UNMAPPED_ROW)
  const rowDefs = [...mappingRows, ...(hasUnmapped ? [{ key: Mapping.UNMAPPED_ROW, accounts: [] as ReadonlyArray<string>, codes: [] as ReadonlyArray<string> }] : [])]
  const accountsByNumber = new Map(ledger.accounts.map((a) => [a.number, a]))
  const accounts: Array<R.AccountSummary> = rowDefs.map((r) => {
    const fs = p.forfall.filter((f) => f.claim.row === r.key)
    const inS = fs.filter((f) => f.phase !== "after")
    const gjenstaaende = sum(inS.map((f) => f.forfall.gjenstaaendeBeloep))
    const renter = sum(p.claims.filter((c) => c.row === r.key && c.renter !== undefined && c.renter.phase !== "after").map((c) => (c.renter as { amount: Oere }).amount))
    const skatteetatenSaldo = add(gjenstaaende, renter)
    const accs = r.accounts.map((a) => accountsByNumber.get(a))
    const opening = sum(accs.map((a) => a?.openingBalance ?? zero))
    const mv = o(movements.get(r.key) ?? 0)
    const balance = add(opening, mv)
    const statedClosing = accs.length > 0 && accs.every((a) => a?.closingBalance != null) ? sum(accs.map((a) => a?.closingBalance ?? zero)) : undefined
    const difference = add(skatteetatenSaldo, balance)
    const expl = o(explained.get(r.key) ?? 0)
    const unexplained = add(difference, o(-expl))
    const openingPart = add(opening, sum(fs.filter((f) => f.phase === "pre").map((f) => o(f.forfall.gjenstaaendeBeloep + f.placed))))
    const sourcePart = sum(fs.filter((f) => f.phase === "in").map((f) => o(f.forfall.gjenstaaendeBeloep + f.placed - f.forfall.opprinneligBeloep)))
    const other = add(unexplained, o(-add(openingPart, sourcePart)))
    const byStatus = rowTable(r.key).rows()
    const attention = [
      ...new Set(byStatus.filter((s) => s.count > 0 && needsAttention(s.status)).map((s) => s.status as string)),
      ...(unexplained !== 0 ? ["unexplained"] : []),
      ...(openingPart !== 0 ? ["opening-balance-differs"] : [])
    ]
    return {
      key: r.key,
      accounts: [...r.accounts],
      accountNames: r.accounts.map((a) => accountsByNumber.get(a)?.name ?? ""),
      kravgrupper: [...new Set([...r.codes, ...p.claims.filter((c) => c.row === r.key).map((c) => c.kravgruppe ?? c.krav.kravtype)])].sort(),
      skatteetaten: { gjenstaaende, stipulerteRenter: renter, saldo: skatteetatenSaldo },
      ledger: { openingBalance: opening, movements: mv, balance, saldo: o(-balance), statedClosingBalance: statedClosing },
      difference,
      explained: expl,
      unexplained,
      unexplainedBreakdown: { openingBalance: openingPart, sourceInconsistency: sourcePart, other },
      needsAttention: attention.length > 0 || p.skjermet,
      attention: p.skjermet ? ["skjermet", ...attention.filter((a) => a !== "skjermet")] : attention,
      byStatus
    }
  })

  // --- unmapped codes, set-aside, totals
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
  const setAside = [...(input.setAside ?? []), ...p.setAside]
  const statusRows = table.rows()
  const inputs: Record<ItemKind, { count: number; amount: Oere }> = {
    kravforfall: { count: p.forfall.length, amount: sum(p.forfall.map((f) => f.forfall.opprinneligBeloep)) },
    renter: { count: p.claims.filter((c) => c.renter !== undefined).length, amount: sum(p.claims.map((c) => c.renter?.amount ?? zero)) },
    innbetaling: { count: p.payments.length, amount: sum(p.payments.map((x) => x.innbetaling.innbetaltBeloep)) },
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

  return {
    schemaVersion: 1,
    metadata: {
      party: input.party,
      partyName: input.partyName ?? ledger.company.name,
      periode: input.periode,
      asOf,
      ledger: {
        system: ledger.system,
        description: ledger.description,
        registrationNumber: ledger.company.registrationNumber,
        companyName: ledger.company.name,
        periode: ledger.periode,
        statedPeriode: ledger.statedPeriode
      },
      environment: input.environment ?? "sandbox",
      korrelasjonsIder: [...(input.korrelasjonsIder ?? [])],
      generatedAt: input.generatedAt,
      kravsyncVersion: input.kravsyncVersion,
      language,
      mapping: mapping.source,
      skjermet: p.skjermet
    },
    accounts,
    claims,
    payments,
    ledgerEntries,
    setAside,
    ledgerNotes: [...(ledger.notes ?? [])],
    unmappedCodes: [...unmapped.values()],
    totals
  }
}

const entryOutcome = (e: EntryItem, skjermet: boolean, outcomeOf: ReadonlyMap<Target, Outcome>, periodStart: string, asOf: string): Outcome => {
  const a = e.entry.amount
  switch (e.phase) {
    case "other-account":
      return { status: "other-account", contribution: 0, explanation: Explanation.make("other-account", { account: e.entry.account }) }
    case "before":
      return { status: "outside-period", contribution: 0, explanation: Explanation.make("before-period", { date: e.entry.date, periodStart }) }
    case "after":
      return { status: "outside-period", contribution: 0, explanation: Explanation.make("after-as-of", { date: e.entry.date, asOf }) }
    case "in": {
      if (e.matchedTo.length === 0) {
        if (skjermet) return { status: "skjermet", contribution: a, explanation: Explanation.make("skjermet") }
        return { status: "only-in-ledger", contribution: a, explanation: Explanation.make("only-in-ledger", { amount: a, account: e.entry.account }) }
      }
      const outs = e.matchedTo.map((m) => outcomeOf.get(m.target)).filter((x): x is Outcome => x !== undefined)
      const differs = outs.find((x) => x.status === "amount-differs")
      const first = differs ?? outs[0]
      return { status: differs !== undefined ? "amount-differs" : "matched", contribution: 0, explanation: first?.explanation ?? Explanation.make("matched-amount-date", { amount: a }) }
    }
  }
}
