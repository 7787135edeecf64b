/** The results of Skatteetaten's items — kravforfall, interest, innbetalinger, utbetalinger, set-offs — once matching is done. */
import type * as Dato from "../../domain/Dato.ts"
import { kravperiodeTekst, tekst } from "../../domain/Felles.ts"
import { sum } from "../../domain/Money.ts"
import * as Explanation from "../Explanation.ts"
import type * as R from "../Report.ts"
import type { Language } from "../Status.ts"
import type { EntryItem, Outcome, Target } from "./model.ts"
import * as Outcomes from "./outcomes.ts"
import type { Prepared } from "./prepare.ts"
import { o, type Tally } from "./tally.ts"

export interface ItemContext {
  readonly periodStart: string
  readonly asOf: string
  readonly language: Language
  /** The kravgrupper a row carries, for sentences ("arbeidsgiveravgift (2770)"). */
  readonly rowName: (row: string) => string
}

export interface ItemResults {
  readonly claims: Array<R.ClaimResult>
  readonly payments: Array<R.PaymentResult>
  readonly utbetalinger: Array<R.UtbetalingResult>
  readonly motregninger: Array<R.MotregningResult>
  /** Each target's outcome, for the ledger lines matched to it. */
  readonly outcomeOf: ReadonlyMap<Target, Outcome>
}

export const itemResults = (p: Prepared, ctx: ItemContext, tally: Tally): ItemResults => {
  const { periodStart, asOf, rowName } = ctx
  const text = (e: Explanation.Explanation) => Explanation.render(e, ctx.language)
  const outcomeOf = new Map<Target, Outcome>()
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
      tally.item("kravforfall", out.status, f.forfall.opprinneligBeloep, new Map([[c.row, out.contribution]]), c.row)
      return {
        kravforfallsIdentifikator: f.forfall.kravforfallsIdentifikator,
        forfallsdato: f.forfall.forfallsdato,
        opprinneligBeloep: f.forfall.opprinneligBeloep,
        gjenstaaendeBeloep: f.forfall.gjenstaaendeBeloep,
        kid: f.forfall.betalingsinformasjon?.kidnummer ?? undefined,
        plassert: o(f.placed),
        sourceResidual: o(f.phase === "in" ? Outcomes.residual(f) : 0),
        ...resultFields(f.target, out, out.contribution)
      }
    })
    let renter: R.InterestResult | undefined
    if (c.renter !== undefined) {
      const i = c.renter
      const out = Outcomes.interestOutcome(i, p.entries, asOf)
      if (i.target !== undefined) outcomeOf.set(i.target, out)
      tally.item("renter", out.status, i.amount, new Map([[c.row, out.contribution]]), c.row)
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
    tally.item(x.kind, out.status, Math.abs(x.expected), contributions, primary)
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
    tally.item("motregning", out.status, s.amount, contributions, s.covered.claim.row)
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

  return { claims, payments, utbetalinger, motregninger, outcomeOf }
}
