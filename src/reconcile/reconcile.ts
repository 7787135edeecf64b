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
import type { AapneKrav, Innbetalinger, KravListe, Utbetalinger } from "../domain/Dokumenter.ts"
import { kravperiodeTekst, tekst } from "../domain/Felles.ts"
import { add, negate, type Oere, sum, zero } from "../domain/Money.ts"
import type { Periode } from "../domain/Periode.ts"
import * as Calendar from "./engine/calendar.ts"
import { EntryIndex } from "./engine/EntryIndex.ts"
import * as Match from "./engine/match.ts"
import type { EntryItem, ForfallItem, Outcome, Target, TargetKind } from "./engine/model.ts"
import * as Outcomes from "./engine/outcomes.ts"
import { candidates, kravperiodeStart, prepare, type Prepared } from "./engine/prepare.ts"
import * as Voucher from "./engine/voucher.ts"
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
  readonly utbetalinger?: Utbetalinger | undefined
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
  const p = prepare({
    party: input.party,
    aapneKrav: input.aapneKrav,
    krav: input.krav,
    innbetalinger: input.innbetalinger,
    utbetalinger: input.utbetalinger,
    ledger,
    mapping,
    asOf
  })
  const periodStart = ledger.periode.fraOgMed
  const mappingRows = Mapping.rows(mapping)
  const codesOf = new Map(mappingRows.map((r) => [r.key, r.codes]))
  const rowName = (row: string) => (codesOf.get(row) ?? []).join("/") || row
  const internal = matchAll(p, input.comboBudget ?? 5_000_000)
  for (const i of internal) (p.entries[i] as EntryItem).internal = true

  // --- outcomes
  const outcomeOf = new Map<Target, Outcome>()
  const table = new StatusTable()
  const rowTables = new Map<string, StatusTable>()
  const rowTable = (row: string) => rowTables.get(row) ?? (rowTables.set(row, new StatusTable()).get(row) as StatusTable)
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
  /** Records an item that spreads over rows: counted once on its primary row, its contribution on each. */
  const record = (kind: ItemKind, status: Status, amount: number, contributions: ReadonlyMap<string, number>, primary: string): void => {
    table.add(kind, status, 1, amount, sum([...contributions.values()].map(o)))
    rowTable(primary).add(kind, status, 1, amount, contributions.get(primary) ?? 0)
    for (const [row, n] of contributions) {
      addExplained(row, n)
      if (row !== primary) rowTable(row).add(kind, status, 0, 0, n)
    }
  }

  const claims: Array<R.ClaimResult> = p.claims.map((c) => {
    const forfall = c.forfall.map((f): R.ForfallResult => {
      const out = Outcomes.forfallOutcome(f, p.entries, periodStart, asOf)
      if (f.target !== undefined) outcomeOf.set(f.target, out)
      record("kravforfall", out.status, f.forfall.opprinneligBeloep, new Map([[c.row, out.contribution]]), c.row)
      return {
        kravforfallsIdentifikator: f.forfall.kravforfallsIdentifikator,
        forfallsdato: f.forfall.forfallsdato,
        opprinneligBeloep: f.forfall.opprinneligBeloep,
        gjenstaaendeBeloep: f.forfall.gjenstaaendeBeloep,
        kid: f.forfall.betalingsinformasjon?.kidnummer ?? undefined,
        plassert: o(f.placed),
        sourceResidual: o(f.phase === "in" ? residual(f) : 0),
        ...resultFields(f.target, out, out.contribution)
      }
    })
    let renter: R.InterestResult | undefined
    if (c.renter !== undefined) {
      const i = c.renter
      const out = Outcomes.interestOutcome(i, p.entries, asOf)
      if (i.target !== undefined) outcomeOf.set(i.target, out)
      record("renter", out.status, i.amount, new Map([[c.row, out.contribution]]), c.row)
      renter = { amount: i.amount, ...resultFields(i.target, out, out.contribution) }
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

  const payments: Array<R.PaymentResult> = []
  const utbetalinger: Array<R.UtbetalingResult> = []
  for (const x of p.payments) {
    const contributions = Outcomes.paymentContributions(x, p.entries)
    const total = sum([...contributions.values()].map(o))
    const out = Outcomes.paymentOutcome(x, p.entries, total, periodStart, asOf, rowName)
    if (x.target !== undefined) outcomeOf.set(x.target, out)
    const first = x.target?.entries[0]
    const primary = first !== undefined ? (p.entries[first] as EntryItem).row : [...x.placedByRow.keys()][0] ?? ""
    record(x.kind, out.status, Math.abs(x.expected), contributions, primary)
    const placed = [...x.placedByRow].map(([row, amount]) => ({ row, amount: o(amount) }))
    const contributionRows = [...contributions].map(([row, amount]) => ({ row, amount: o(amount) }))
    if (x.innbetaling !== undefined) {
      const inn = x.innbetaling
      payments.push({
        innbetalingsidentifikator: inn.innbetalingsidentifikator,
        innbetalingsdato: inn.innbetalingsdato,
        innbetaltBeloep: inn.innbetaltBeloep,
        uplassertBeloep: x.uplassert,
        kid: inn.innbetaltFra?.kidnummer ?? inn.betaltFra?.kidnummer ?? undefined,
        innbetalingstype: inn.innbetalingstype ?? undefined,
        placed,
        contributions: contributionRows,
        ...resultFields(x.target, out, total)
      })
    } else if (x.utbetaling !== undefined) {
      const ut = x.utbetaling
      utbetalinger.push({
        utbetalingsidentifikator: ut.utbetalingsidentifikator,
        utbetaltdato: ut.utbetaltdato,
        utbetaltBeloep: ut.utbetaltBeloep,
        utbetalingstatus: ut.utbetalingstatus ?? undefined,
        placed,
        contributions: contributionRows,
        ...resultFields(x.target, out, total)
      })
    }
  }

  const motregninger: Array<R.MotregningResult> = p.setOffs.map((s) => {
    const contributions = Outcomes.setOffContributions(s, p.entries)
    const total = sum([...contributions.values()].map(o))
    const out = Outcomes.setOffOutcome(s, p.entries, total, periodStart, asOf)
    for (const l of s.legs) if (l.target !== undefined) outcomeOf.set(l.target, out)
    record("motregning", out.status, s.amount, contributions, s.covered.claim.row)
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

  // --- ledger entries
  const claimPeriods = existingClaimPeriods(p)
  const openingParts = new Map(mappingRows.map((r) => [r.key, openingPartOf(p, r.key, r.accounts)]))
  const adjustments = openingAdjustments(p, openingParts, codesOf, periodStart)
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
      codes: codesOf.get(e.row) ?? [],
      claimPeriods,
      adjustment: adjustments.get(e)
    })
    table.add("bilagslinje", out.status, 1, e.entry.amount, out.contribution)
    rowTable(e.row).add("bilagslinje", out.status, 1, e.entry.amount, out.contribution)
    if (e.phase === "in") {
      movements.set(e.row, add(o(movements.get(e.row) ?? 0), e.entry.amount))
      addCategory(e.row, ledgerCategory(e, out.status), negate(e.entry.amount))
    }
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
  const hasUnmapped = p.claims.some((c) => c.row === Mapping.UNMAPPED_ROW)
  const rowDefs = [
    ...mappingRows,
    ...(hasUnmapped ? [{ key: Mapping.UNMAPPED_ROW, accounts: [] as ReadonlyArray<string>, codes: [] as ReadonlyArray<string> }] : [])
  ]
  const accountsByNumber = new Map(ledger.accounts.map((a) => [a.number, a]))
  const accounts: Array<R.AccountSummary> = rowDefs.map((r) => {
    const fs = p.forfall.filter((f) => f.claim.row === r.key)
    const counted = fs.filter((f) => f.phase !== "after")
    const gjenstaaende = sum(counted.map((f) => f.forfall.gjenstaaendeBeloep))
    const renter = sum(
      p.claims.filter((c) => c.row === r.key && c.renter !== undefined && c.renter.phase !== "after").map((c) => (c.renter as { amount: Oere }).amount)
    )
    const skatteetatenSaldo = add(gjenstaaende, renter)
    const accs = r.accounts.map((a) => accountsByNumber.get(a))
    const opening = sum(accs.map((a) => a?.openingBalance ?? zero))
    const mv = o(movements.get(r.key) ?? 0)
    const balance = add(opening, mv)
    const statedClosing = accs.length > 0 && accs.every((a) => a?.closingBalance != null) ? sum(accs.map((a) => a?.closingBalance ?? zero)) : undefined
    const difference = add(skatteetatenSaldo, balance)
    // What the opening balance holds beyond the claims that account for it; explained when it belongs
    // to the period just before (the last termin, last year's tax) whose claim need not exist yet.
    const openingPart = add(openingParts.get(r.key) ?? openingPartOf(p, r.key, r.accounts), o(adjustmentSum(adjustments, r.key)))
    const before = Calendar.latest(r.codes.map((code) => Calendar.periodBefore(code, periodStart)))
    const openingAccrued = openingPart !== 0 && before !== undefined && asOf <= before.deadline ? openingPart : zero
    // A skjermet party's claims are withheld: nothing can account for its opening balance, and that is the reason.
    const openingSkjermet = p.skjermet ? add(openingPart, negate(openingAccrued)) : zero
    const expl = sum([o(explained.get(r.key) ?? 0), openingAccrued, openingSkjermet])
    const unexplained = add(difference, negate(expl))
    const openingUnexplained = sum([openingPart, negate(openingAccrued), negate(openingSkjermet)])
    const sourcePart = sum(fs.filter((f) => f.phase === "in").map((f) => o(residual(f))))
    const other = add(unexplained, negate(add(openingUnexplained, sourcePart)))
    const byStatus = rowTable(r.key).rows()
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
        category: (c) => o(ledgerByCategory.get(`${r.key}|${c}`) ?? 0)
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
    utbetalinger,
    motregninger,
    ledgerEntries,
    setAside,
    ledgerNotes: [...(ledger.notes ?? [])],
    unmappedCodes: [...unmapped.values()],
    totals
  }
}

/**
 * What the row's opening balance holds beyond the claims that account for it (ledger-signed):
 * opening + what older claims still had open at the start + the covered part of prior-period claims.
 */
const openingPartOf = (p: Prepared, row: string, accounts: ReadonlyArray<string>): Oere => {
  const wanted = new Set(accounts)
  const opening = sum(p.openingBalances.filter((a) => wanted.has(a.number)).map((a) => a.openingBalance))
  const claimed = p.forfall
    .filter((f) => f.claim.row === row)
    .map((f) => o(f.phase === "pre" ? f.forfall.gjenstaaendeBeloep + f.placed : f.phase === "in" ? f.openingCovered : 0))
  return add(opening, sum(claimed))
}

/**
 * Lines dated in the period but belonging to a period before it ("Endring betalbar skatt 2024 ved
 * skatteoppgjøret") that bring the row's opening remainder towards zero: the estimate booked last
 * year corrected to what Skatteetaten claimed. In date order, never past zero.
 */
const openingAdjustments = (
  p: Prepared,
  openingParts: ReadonlyMap<string, Oere>,
  codesOf: ReadonlyMap<string, ReadonlyArray<string>>,
  periodStart: string
): Map<EntryItem, { readonly period: string }> => {
  const out = new Map<EntryItem, { readonly period: string }>()
  if (p.skjermet) return out // every line of a skjermet party is "skjermet": nothing to adjust against
  const left = new Map([...openingParts].map(([row, n]) => [row, n as number]))
  for (const e of p.entries) {
    if (e.phase !== "in" || e.matchedTo.length > 0 || e.internal) continue
    const remaining = left.get(e.row) ?? 0
    const a = e.entry.amount
    if (remaining === 0 || Math.sign(a) !== -Math.sign(remaining) || Math.abs(a) > Math.abs(remaining)) continue
    const period = Calendar.latest(
      (codesOf.get(e.row) ?? []).map((code) => Calendar.periodOf(code, e.entry.date, `${e.entry.description ?? ""} ${e.entry.reference ?? ""}`))
    )
    if (period === undefined || period.end >= periodStart) continue
    out.set(e, { period: period.label })
    left.set(e.row, remaining + a)
  }
  return out
}

const adjustmentSum = (adjustments: ReadonlyMap<EntryItem, unknown>, row: string): number => {
  let n = 0
  for (const e of adjustments.keys()) if (e.row === row) n += e.entry.amount
  return n
}

/** gjenstaaende + placed − opprinnelig: non-zero when Skatteetaten's own figures do not add up. */
const residual = (f: ForfallItem): number => f.forfall.gjenstaaendeBeloep + f.placed - f.forfall.opprinneligBeloep

/**
 * The matching passes, in order (docs/reconciliation.md, "Matching"): reference, amount and date,
 * voucher, combinations, a payment on the wrong row, a claim booked with another amount; then internal
 * moves among what is left.
 * Returns the indexes of the entries that are internal moves.
 */
const matchAll = (p: Prepared, comboBudget: number): Array<number> => {
  const used = new Uint8Array(p.entries.length)
  const index = new EntryIndex(candidates(p.entries))
  const byAnchor = (a: Target, b: Target) => a.anchorDay - b.anchorDay || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  const forfallTargets = p.forfall.flatMap((f) => (f.target === undefined ? [] : [f.target])).sort(byAnchor)
  const interestTargets = p.claims.flatMap((c) => (c.renter?.target === undefined ? [] : [c.renter.target])).sort(byAnchor)
  const paymentTargets = p.payments.flatMap((x) => (x.target === undefined ? [] : [x.target])).sort(byAnchor)
  const setOffTargets = p.setOffs.flatMap((s) => s.legs.flatMap((l) => (l.target === undefined ? [] : [l.target]))).sort(byAnchor)
  Match.byReference(interestTargets, index, used)
  Match.byReference(forfallTargets, index, used)
  Match.byReference(paymentTargets, index, used)
  Match.byAmountAndDate(forfallTargets, index, used)
  Match.byAmountAndDate(paymentTargets, index, used)
  Match.byAmountAndDate(setOffTargets, index, used)
  Match.byAmountAndDate(interestTargets, index, used)
  const budget: Match.Budget = { steps: comboBudget }
  const openTargets = () => {
    const open = new Map<string, Array<Target>>()
    for (const t of [...forfallTargets, ...setOffTargets].sort(byAnchor)) {
      if (t.entries.length === 0 && t.row !== undefined) (open.get(t.row) ?? open.set(t.row, []).get(t.row))?.push(t)
    }
    open.set("*", paymentTargets.filter((t) => t.entries.length === 0))
    return open
  }
  const groups = Voucher.voucherGroups(index)
  Voucher.byVoucher(groups, openTargets(), used, budget)
  Match.oneToMany(forfallTargets, index, used, budget)
  Match.oneToMany(paymentTargets, index, used, budget)
  Match.manyToOne(index.all, openTargets(), used, budget, 93)
  Voucher.onWrongRow(paymentTargets.filter((t) => t.kind === "innbetaling"), index, used)
  Voucher.nearAmount(forfallTargets, index, groups, used)
  const register = (targets: ReadonlyArray<Target>) => {
    for (const target of targets) for (const i of target.entries) (p.entries[i] as EntryItem).matchedTo.push({ kind: target.kind, id: target.id, target })
  }
  register(forfallTargets)
  register(interestTargets)
  register(paymentTargets)
  register(setOffTargets)
  return Voucher.internalMoves(groups, used)
}

/** The termins and income years per row for which a claim exists at the as-of date ("row|period start"). */
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

/** The row's bridge from opening to closing on both sides, and the difference by cause. */
const rowBridge = (
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
