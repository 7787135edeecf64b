/** Status, contribution and explanation of each item once matching is done. */
import type { Dato } from "../../domain/Dato.ts"
import { kravperiodeTekst } from "../../domain/Felles.ts"
import * as Explanation from "../Explanation.ts"
import * as Calendar from "./calendar.ts"
import type { EntryItem, ForfallItem, InterestItem, Outcome, PaymentItem, SetOffItem, Target } from "./model.ts"

const matchedExplanation = (t: Target, entries: ReadonlyArray<EntryItem>, amount: number): Explanation.Explanation => {
  if (t.method === "reference" && t.matchedRef !== undefined) {
    return Explanation.make("matched-reference", { field: t.matchedRef.field, reference: t.matchedRef.value, amount })
  }
  if (t.method === "combination") return Explanation.make("matched-combination", { count: t.entries.length > 1 ? t.entries.length : "flere", amount })
  if (t.method === "voucher") {
    return Explanation.make("matched-voucher", { count: t.entries.length, voucher: entries[t.entries[0] ?? -1]?.entry.voucher ?? "?", amount })
  }
  const first = entries[t.entries[0] ?? -1]
  return Explanation.make("matched-amount-date", { amount, days: first === undefined ? 0 : first.day - t.anchorDay, anchor: t.anchorName })
}

const differsExplanation = (t: Target, expected: number, booked: number): Explanation.Explanation =>
  Explanation.make("amount-differs-reference", {
    field: t.matchedRef?.field ?? "",
    reference: t.matchedRef?.value ?? "",
    expected,
    booked,
    difference: expected - booked
  })

export const forfallOutcome = (f: ForfallItem, entries: ReadonlyArray<EntryItem>, periodStart: string, asOf: string): Outcome => {
  const o = f.forfall.opprinneligBeloep
  switch (f.phase) {
    case "unmapped":
      return {
        status: "unmapped",
        contribution: f.forfall.gjenstaaendeBeloep,
        explanation: Explanation.make("unmapped", { kravtype: f.claim.krav.kravtype, kravgruppe: f.claim.kravgruppe ?? "?" })
      }
    case "after":
      return { status: "outside-period", contribution: 0, explanation: Explanation.make("after-as-of", { date: f.refDate, asOf }) }
    case "pre":
      return {
        status: "opening-balance",
        contribution: 0,
        explanation: f.priorPeriod
          ? Explanation.make("opening-prior-period", { period: periodLabel(f), periodStart, expected: f.openingCovered })
          : Explanation.make("opening-balance", { periodStart, expected: f.forfall.gjenstaaendeBeloep + f.placed })
      }
    case "in": {
      const t = f.target
      if (t === undefined) return { status: "skjermet", contribution: 0, explanation: Explanation.make("skjermet") }
      // Whatever the opening balance covers is not expected again in the period.
      const due = o - f.openingCovered
      if (t.entries.length === 0) {
        if (due === 0) {
          return { status: "matched", contribution: 0, explanation: Explanation.make("matched-amount-date", { amount: 0, days: 0, anchor: t.anchorName }) }
        }
        if (isInterestClaim(f.claim.krav.kravtype)) {
          return { status: "interest-not-booked", contribution: due, explanation: Explanation.make("interest-not-booked", { amount: due }) }
        }
        return { status: "missing-in-ledger", contribution: due, explanation: Explanation.make("missing-in-ledger", { amount: due }) }
      }
      const contribution = due + t.booked
      if (contribution === 0) {
        return {
          status: "matched",
          contribution,
          explanation: f.openingCovered !== 0
            ? Explanation.make("matched-opening-part", { opening: f.openingCovered, amount: due })
            : matchedExplanation(t, entries, o)
        }
      }
      if (t.method === "near-amount") {
        const voucher = entries[t.entries[0] ?? -1]?.entry.voucher ?? "?"
        return {
          status: "amount-differs",
          contribution,
          explanation: Explanation.make("amount-differs-near", { expected: due, booked: -t.booked, difference: due + t.booked, voucher })
        }
      }
      return { status: "amount-differs", contribution, explanation: differsExplanation(t, due, -t.booked) }
    }
  }
}

export const interestOutcome = (i: InterestItem, entries: ReadonlyArray<EntryItem>, asOf: string): Outcome => {
  if (i.phase === "unmapped") {
    return {
      status: "unmapped",
      contribution: i.amount,
      explanation: Explanation.make("unmapped", { kravtype: i.claim.krav.kravtype, kravgruppe: i.claim.kravgruppe ?? "?" })
    }
  }
  if (i.phase === "after") {
    return {
      status: "outside-period",
      contribution: 0,
      explanation: Explanation.make("after-as-of", { date: i.claim.krav.opprettelsesdatoForKrav ?? "?", asOf })
    }
  }
  const t = i.target
  if (t === undefined) return { status: "skjermet", contribution: 0, explanation: Explanation.make("skjermet") }
  if (t.entries.length === 0) {
    return { status: "interest-not-booked", contribution: i.amount, explanation: Explanation.make("interest-not-booked", { amount: i.amount }) }
  }
  const contribution = i.amount + t.booked
  if (contribution === 0) {
    return {
      status: "matched",
      contribution,
      explanation: t.method === "reference" ? Explanation.make("interest-booked", { amount: i.amount }) : matchedExplanation(t, entries, i.amount)
    }
  }
  return { status: "amount-differs", contribution, explanation: differsExplanation(t, i.amount, -t.booked) }
}

/** A payment's contribution per row: ledger entries in the row − Skatteetaten's placements in the row. */
export const paymentContributions = (p: PaymentItem, entries: ReadonlyArray<EntryItem>): Map<string, number> => {
  const out = new Map<string, number>()
  for (const [row, placed] of p.placedByRow) out.set(row, -placed)
  const t = p.target
  if (t !== undefined) {
    if (t.method === "combination" && t.entries.length === 1) {
      const e = entries[t.entries[0] as number] as EntryItem
      out.set(e.row, (out.get(e.row) ?? 0) + t.booked)
    } else {
      for (const i of t.entries) {
        const e = entries[i] as EntryItem
        out.set(e.row, (out.get(e.row) ?? 0) + e.entry.amount)
      }
    }
  }
  return out
}

export const paymentOutcome = (
  p: PaymentItem,
  entries: ReadonlyArray<EntryItem>,
  contribution: number,
  periodStart: string,
  asOf: string,
  rowName: (row: string) => string
): Outcome => {
  const x = p.expected
  if (p.phase === "after") return { status: "outside-period", contribution, explanation: Explanation.make("after-as-of", { date: p.dato, asOf }) }
  if (p.phase === "before") return { status: "outside-period", contribution, explanation: Explanation.make("before-period", { date: p.dato, periodStart }) }
  const t = p.target
  if (t === undefined) return { status: "skjermet", contribution, explanation: Explanation.make("skjermet") }
  if (t.entries.length === 0) {
    if (x === 0) return { status: "matched", contribution, explanation: Explanation.make("matched-amount-date", { amount: 0, days: 0, anchor: t.anchorName }) }
    return { status: "missing-in-ledger", contribution, explanation: Explanation.make("missing-in-ledger", { amount: x }) }
  }
  if (t.method === "wrong-account") {
    const e = entries[t.entries[0] as number] as EntryItem
    const row = t.row ?? ""
    return {
      status: "wrong-account",
      contribution,
      explanation: Explanation.make("wrong-account", { account: e.entry.account, kravgruppe: rowName(row), row })
    }
  }
  if (t.booked !== x) return { status: "amount-differs", contribution, explanation: differsExplanation(t, x, t.booked) }
  if (p.uplassert !== 0) {
    return { status: "unplaced-payment", contribution, explanation: Explanation.make("unplaced-payment", { uplassert: p.uplassert, amount: x }) }
  }
  return { status: "matched", contribution, explanation: matchedExplanation(t, entries, x) }
}

/** Forsinkelsesrenter and the like are claims of their own; unbooked, they are interest not booked. */
export const isInterestClaim = (kravtype: string): boolean => /rente/i.test(kravtype)

/** A set-off's contribution per row: its entries on the row − its placement on the row. */
export const setOffContributions = (s: SetOffItem, entries: ReadonlyArray<EntryItem>): Map<string, number> => {
  const out = new Map<string, number>()
  for (const l of s.legs) {
    out.set(l.row, (out.get(l.row) ?? 0) - l.placed)
    for (const i of l.target?.entries ?? []) {
      const e = entries[i] as EntryItem
      out.set(e.row, (out.get(e.row) ?? 0) + e.entry.amount)
    }
  }
  return out
}

export const setOffOutcome = (s: SetOffItem, entries: ReadonlyArray<EntryItem>, contribution: number, periodStart: string, asOf: string): Outcome => {
  if (s.phase === "after") return { status: "outside-period", contribution, explanation: Explanation.make("after-as-of", { date: s.dato, asOf }) }
  if (s.phase === "before") return { status: "outside-period", contribution, explanation: Explanation.make("before-period", { date: s.dato, periodStart }) }
  if (s.legs.length === 0) return { status: "matched", contribution, explanation: Explanation.make("setoff-same-row", { amount: s.amount }) }
  const targets = s.legs.map((l) => l.target)
  if (targets.some((t) => t === undefined)) return { status: "skjermet", contribution, explanation: Explanation.make("skjermet") }
  const ts = targets as ReadonlyArray<Target>
  const missing = ts.find((t) => t.entries.length === 0)
  if (missing !== undefined) return { status: "missing-in-ledger", contribution, explanation: Explanation.make("missing-in-ledger", { amount: s.amount }) }
  const off = ts.find((t) => t.booked !== t.expected)
  if (off !== undefined) return { status: "amount-differs", contribution, explanation: differsExplanation(off, off.expected, off.booked) }
  return { status: "matched", contribution, explanation: matchedExplanation(ts[0] as Target, entries, s.amount) }
}

/** "6. termin 2022" / "inntektsår 2022" by the claim calendar, else Skatteetaten's own text. */
const periodLabel = (f: ForfallItem): string => {
  const k = f.claim.krav.kravperiode
  const end = typeof k === "object" && k !== null ? k.tilDato ?? undefined : undefined
  const byCalendar = end === undefined ? undefined : Calendar.periodOf(f.claim.kravgruppe ?? f.claim.krav.kravtype, end as Dato)
  return byCalendar?.label ?? kravperiodeTekst(k) ?? "?"
}

/** gjenstaaende + placed − opprinnelig: non-zero when Skatteetaten's own figures do not add up. */
export const residual = (f: ForfallItem): number => f.forfall.gjenstaaendeBeloep + f.placed - f.forfall.opprinneligBeloep
