/**
 * An AS's income tax and the year-end close, both sides.
 *
 * Practice (docs/test-books.md):
 * - 31 December: the year's tax (22 % of the result before tax, whole kroner; no temporary or
 *   permanent differences) is accrued 8300 D / 2500 C; then the result is closed to equity
 *   (8960 / 2050) so profit-and-loss accounts start the next year at zero;
 * - forskuddsskatt for the income year is claimed in January of the next year and due 15 February
 *   and 15 April (skattebetalingsloven § 10-20 (2) for upersonlige skattytere); the amount is the
 *   company's own estimate (it asked for a change of the forskuddsskatt), below the accrual;
 *   paid against 2500;
 * - at the tax settlement in October of the next year (fastsetting) the balance left on 2500 is
 *   moved to 2510, the difference between the settled tax and the accrual is booked on 8300 /
 *   2510, and restskatt (settled tax − forskuddsskatt) is claimed, due three weeks later
 *   (§ 10-21), and paid from 2510.
 * - Without the `skatt-2500-2510` style the company keeps the whole tax on 2510 (accrual,
 *   forskuddsskatt, change at fastsetting, restskatt) and books no move between the two.
 */
import type * as Dato from "../../src/domain/Dato.ts"
import type { Oere } from "../../src/domain/Money.ts"
import * as Cal from "./calendar.ts"
import { accrue, type Ctx, KID, payDate, rngFor } from "./context.ts"
import type { Line } from "./ledger.ts"
import type { Kravperiode } from "./skatteetaten.ts"

const isResult = (account: string) => account >= "3" && account < "9"

/** Σ of profit-and-loss lines dated in `year` (credit negative), optionally leaving some accounts out. */
const resultLines = (ctx: Ctx, year: number, except: ReadonlyArray<string>): number => {
  const y = String(year)
  let s = 0
  for (const v of ctx.journal.vouchers) {
    if (v.date.slice(0, 4) !== y) continue
    for (const l of v.lines) if (isResult(l.account) && !except.includes(l.account)) s += l.amount
  }
  return s
}

/** The year's tax on the ledger's result before tax: 22 %, whole kroner, never negative. */
export const taxOfYear = (ctx: Ctx, year: number): Oere => {
  const profit = -resultLines(ctx, year, ["8300", "8960"])
  return (profit <= 0 ? 0 : Math.floor((profit * 22) / 100 / 100) * 100) as Oere
}

export const incomeTax = (ctx: Ctx, year: number): void => {
  const tax = taxOfYear(ctx, year)
  if (tax <= 0) return
  const notFastsatt = ctx.styles.has("skatt-2500-2510") ? "2500" : "2510"
  const rng = rngFor(ctx, "skatt", year)
  const yearEnd = Cal.date(year, 12, 31)
  const accrual = ctx.journal.add(yearEnd, `Beregnet betalbar skatt ${year}`, [
    { account: "8300", amount: tax, description: `Betalbar skatt ${year}` },
    { account: notFastsatt, amount: -tax as Oere, description: `Betalbar skatt ${year}` }
  ])
  const periode: Kravperiode = { text: `Inntektsår ${year}`, aar: year, fraDato: Cal.date(year, 1, 1), tilDato: yearEnd }
  const fastsetting = Cal.onOrAfterWorkingDay(Cal.date(year + 1, 10, rng.int(1, 24)))

  // Forskuddsskatt: two halves in whole kroner, the first gets the odd krone.
  const forskudd = Math.floor((tax * rng.int(75, 95)) / 100 / 100_000) * 100_000
  const row = "2500+2510"
  const kravperiode = String(year)
  if (forskudd > 0) {
    const created = Cal.onOrAfterWorkingDay(Cal.date(year + 1, 1, rng.int(15, 25)))
    const first = Math.ceil(forskudd / 2 / 100) * 100
    const [d1, d2] = Cal.forskuddsskattDue(year)
    const kid = KID.skatt(ctx.part, year, 1)
    const claim = ctx.sk.claim({
      kravtype: "utskrevetForskuddsskatt",
      kravgruppe: "skatt",
      beskrivelse: "Utskrevet forskuddsskatt",
      periode,
      opprettet: created,
      fastsettingsmaate: "myndighetsfastsatt",
      forfall: [
        { forfallsdato: d1, amount: first as Oere, kid },
        { forfallsdato: d2, amount: (forskudd - first) as Oere, kid }
      ]
    })
    accrue(ctx, { row, amount: -tax as Oere, kravperiode, voucher: accrual, from: yearEnd, to: created })
    accrue(ctx, { row, amount: -(tax - forskudd) as Oere, kravperiode, voucher: accrual, from: created, to: fastsetting })
    claim.forfall.forEach((f, i) => {
      const when = payDate(rng, f.forfallsdato, created)
      ctx.sk.pay(when, f.opprinnelig, { claim, forfall: f })
      ctx.journal.add(when, `Forskuddsskatt ${year}, ${i + 1}. termin`, [
        { account: notFastsatt, amount: f.opprinnelig, description: `Forskuddsskatt ${year}, ${i + 1}. termin`, reference: f.kid },
        { account: "1920", amount: -f.opprinnelig as Oere, description: `Forskuddsskatt ${year}, ${i + 1}. termin`, reference: f.kid }
      ])
    })
  } else {
    accrue(ctx, { row, amount: -tax as Oere, kravperiode, voucher: accrual, from: yearEnd, to: fastsetting })
  }

  // Fastsetting: the settled tax differs a little from the accrual (what the skattemelding changed).
  const change = Math.round((tax * rng.int(-200, 300)) / 10_000 / 100) * 100
  const settled = tax + change
  const restskatt = (settled - forskudd) as Oere
  const moved = (tax - forskudd) as Oere
  const settlement: Array<Line> = [
    ...(notFastsatt === "2500"
      ? [
        { account: "2500", amount: moved, description: `Betalbar skatt ${year} overført til fastsatt` },
        { account: "2510", amount: -moved as Oere, description: `Betalbar skatt ${year}, fastsatt` }
      ]
      : []),
    { account: "8300", amount: change as Oere, description: `Endring betalbar skatt ${year} ved skatteoppgjøret` },
    { account: "2510", amount: -change as Oere, description: `Endring betalbar skatt ${year} ved skatteoppgjøret` }
  ]
  if (settlement.some((l) => l.amount !== 0)) ctx.journal.add(fastsetting, `Skatteoppgjør ${year}`, settlement)
  if (restskatt <= 0) throw new Error(`restskatt ${year} is not positive`)
  const kid = KID.skatt(ctx.part, year, 2)
  const claim = ctx.sk.claim({
    kravtype: "restskatt",
    kravgruppe: "skatt",
    beskrivelse: "Restskatt",
    periode,
    opprettet: fastsetting,
    fastsettingsmaate: "egenfastsatt",
    forfall: [{ forfallsdato: Cal.restskattDue(fastsetting), amount: restskatt, kid }]
  })
  const f = claim.forfall[0]
  if (f === undefined) return
  const when = payDate(rng, f.forfallsdato, fastsetting)
  ctx.sk.pay(when, restskatt, { claim, forfall: f })
  ctx.journal.add(when, `Restskatt ${year}`, [
    { account: "2510", amount: restskatt, description: `Restskatt ${year}`, reference: kid },
    { account: "1920", amount: -restskatt as Oere, description: `Restskatt ${year}`, reference: kid }
  ])
}

/** Closes the year's result to equity (8960 overføringer annen egenkapital / 2050). */
export const closeYear = (ctx: Ctx, year: number): void => {
  const s = resultLines(ctx, year, [])
  if (s === 0) return
  ctx.journal.add(Cal.date(year, 12, 31) as Dato.Dato, `Årsoppgjør ${year}, disponering av resultat`, [
    { account: "8960", amount: -s as Oere, description: `Overført annen egenkapital ${year}` },
    { account: "2050", amount: s as Oere, description: `Årsresultat ${year}` }
  ])
}
