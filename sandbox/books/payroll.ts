/**
 * Payroll, arbeidsgiveravgift and forskuddstrekk per termin, both sides: the ledger's salary and
 * accrual vouchers, the termin's two claims (created after the a-melding for the termin's second
 * month), and their payment on the 15th of the month after the termin.
 *
 * Practice (docs/test-books.md):
 * - `payroll-runs`: each monthly run books 5000 gross / 2600 trekk / 1920 net and 5400 / 2770 aga
 *   (what payroll systems post); without it the monthly run books net pay only (5000 / 1920) and
 *   the termin's trekk and aga are accrued in one voucher at the termin's last day;
 * - accrual lines carry no Skatteetaten id; payment lines carry the KID, which is fixed per
 *   organisation and tax (one for aga, one for forskuddstrekk);
 * - `multi-kid-payment`: one bank voucher for both claims, one line per KID on each tax account and
 *   one bank line for the total; Skatteetaten registers one innbetaling per KID;
 * - forskuddstrekk is assumed secured by a bank guarantee (no separate skattetrekkskonto 1950).
 */
import type * as Dato from "../../src/domain/Dato.ts"
import type { Oere } from "../../src/domain/Money.ts"
import * as Cal from "./calendar.ts"
import { accrue, type Ctx, injects, KID, payDate, rngFor } from "./context.ts"
import type { PayrollMonth } from "./events.ts"
import type { VoucherRef } from "./ledger.ts"
import { type Claim, type Forfall, remaining } from "./skatteetaten.ts"
import type { SetOffTarget } from "./vat.ts"

export interface PayrollTermin {
  readonly aga: { readonly claim: Claim; readonly forfall: Forfall }
  readonly trekk: { readonly claim: Claim; readonly forfall: Forfall }
  readonly created: Dato.Dato
  readonly paid: Dato.Dato
  readonly text: string
}

/** The payroll vouchers and the termin's claims; payment comes later (`payPayrollTermin`), after any set-off. */
export const payrollTermin = (ctx: Ctx, year: number, t: Cal.Termin, months: ReadonlyArray<PayrollMonth>): PayrollTermin => {
  const rng = rngFor(ctx, `aga-${t}`, year)
  const text = Cal.terminText(year, t)
  const [, m2] = Cal.terminMonths(t)
  const created = rng.pick(Cal.workingDaysBetween(Cal.date(year, m2 + 1, 1), Cal.ameldingDeadline(year, m2)))
  const due = Cal.agaDue(year, t)
  const sumTrekk = months.reduce((s, p) => s + p.trekk, 0) as Oere
  const sumAga = months.reduce((s, p) => s + p.aga, 0) as Oere

  if (ctx.styles.has("payroll-runs")) {
    for (const p of months) {
      const month = `${Cal.monthName(p.month)} ${p.year}`
      const voucher = ctx.journal.add(p.payDate, `Lønn ${month}`, [
        { account: "5000", amount: p.gross, description: `Lønn ${month}` },
        { account: "2600", amount: -p.trekk as Oere, description: `Forskuddstrekk ${month}` },
        { account: "1920", amount: -(p.gross - p.trekk) as Oere, description: `Utbetalt nettolønn ${month}` },
        { account: "5400", amount: p.aga, description: `Arbeidsgiveravgift ${month}` },
        { account: "2770", amount: -p.aga as Oere, description: `Arbeidsgiveravgift ${month}` }
      ])
      accrue(ctx, { row: "2600", amount: -p.trekk as Oere, kravperiode: text, voucher, from: p.payDate, to: created })
      accrue(ctx, { row: "2770", amount: -p.aga as Oere, kravperiode: text, voucher, from: p.payDate, to: created })
    }
  } else {
    for (const p of months) {
      const month = `${Cal.monthName(p.month)} ${p.year}`
      ctx.journal.add(p.payDate, `Lønn ${month}`, [
        { account: "5000", amount: (p.gross - p.trekk) as Oere, description: `Lønn ${month}, utbetalt netto` },
        { account: "1920", amount: -(p.gross - p.trekk) as Oere, description: `Utbetalt nettolønn ${month}` }
      ])
    }
    const end = Cal.terminEnd(year, t)
    const voucher = ctx.journal.add(end, `Forskuddstrekk og arbeidsgiveravgift ${text}`, [
      { account: "5000", amount: sumTrekk, description: `Forskuddstrekk ${text}` },
      { account: "2600", amount: -sumTrekk as Oere, description: `Forskuddstrekk ${text}` },
      { account: "5400", amount: sumAga, description: `Arbeidsgiveravgift ${text}` },
      { account: "2770", amount: -sumAga as Oere, description: `Arbeidsgiveravgift ${text}` }
    ])
    accrue(ctx, { row: "2600", amount: -sumTrekk as Oere, kravperiode: text, voucher, from: end, to: created })
    accrue(ctx, { row: "2770", amount: -sumAga as Oere, kravperiode: text, voucher, from: end, to: created })
  }

  const periode = { text, aar: year, fraDato: Cal.terminStart(year, t), tilDato: Cal.terminEnd(year, t), terminTekniskNavn: `termin${t}` }
  const aga = ctx.sk.claim({
    kravtype: "arbeidsgiveravgift",
    kravgruppe: "arbeidsgiveravgift",
    beskrivelse: "Arbeidsgiveravgift",
    periode,
    opprettet: created,
    fastsettingsmaate: "egenfastsatt",
    forfall: [{ forfallsdato: due, amount: sumAga, kid: KID.aga(ctx.part) }]
  })
  const trekk = ctx.sk.claim({
    kravtype: "forskuddstrekk",
    kravgruppe: "forskuddstrekk",
    beskrivelse: "Forskuddstrekk",
    periode,
    opprettet: created,
    fastsettingsmaate: "egenfastsatt",
    forfall: [{ forfallsdato: due, amount: sumTrekk, kid: KID.trekk(ctx.part) }]
  })
  return {
    aga: { claim: aga, forfall: aga.forfall[0] as Forfall },
    trekk: { claim: trekk, forfall: trekk.forfall[0] as Forfall },
    created,
    paid: payDate(rng, due, created),
    text
  }
}

export const setOffTarget = (p: PayrollTermin): SetOffTarget => ({
  claim: p.aga.claim,
  forfall: p.aga.forfall,
  created: p.created,
  paid: p.paid,
  text: `arbeidsgiveravgift ${p.text}`
})

/** Pays what is left of both claims on the payment day. */
export const payPayrollTermin = (ctx: Ctx, year: number, t: Cal.Termin, p: PayrollTermin): void => {
  const aga = remaining(p.aga.forfall, p.paid)
  const trekk = remaining(p.trekk.forfall, p.paid)
  const wrong = t === 2 && injects(ctx, "payment-wrong-account", year)
  const agaAccount = wrong ? "2740" : "2770"
  const agaPayment = aga > 0 ? ctx.sk.pay(p.paid, aga, p.aga) : undefined
  if (trekk > 0) ctx.sk.pay(p.paid, trekk, p.trekk)
  const agaLine = { account: agaAccount, amount: aga, description: `Betaling arbeidsgiveravgift ${p.text}`, reference: p.aga.forfall.kid }
  const trekkLine = { account: "2600", amount: trekk, description: `Betaling forskuddstrekk ${p.text}`, reference: p.trekk.forfall.kid }
  let agaVoucher: VoucherRef | undefined
  if (ctx.styles.has("multi-kid-payment")) {
    agaVoucher = ctx.journal.add(p.paid, `Betaling arbeidsgiveravgift og forskuddstrekk ${p.text}`, [
      agaLine,
      trekkLine,
      { account: "1920", amount: -(aga + trekk) as Oere, description: `Skatteetaten, arbeidsgiveravgift og forskuddstrekk ${p.text}` }
    ])
  } else {
    if (aga > 0) agaVoucher = ctx.journal.add(p.paid, `Betaling arbeidsgiveravgift ${p.text}`, [agaLine, { ...agaLine, account: "1920", amount: -aga as Oere }])
    if (trekk > 0) ctx.journal.add(p.paid, `Betaling forskuddstrekk ${p.text}`, [trekkLine, { ...trekkLine, account: "1920", amount: -trekk as Oere }])
  }
  if (wrong && agaPayment !== undefined) {
    ctx.injected.push({
      kind: "payment-wrong-account",
      date: p.paid,
      row: "2770",
      amount: -aga as Oere,
      itemId: agaPayment.id,
      ...(agaVoucher === undefined ? {} : { voucher: agaVoucher }),
      counterpart: { row: "2740", amount: aga }
    })
  }
}
