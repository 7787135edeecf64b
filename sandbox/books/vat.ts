/**
 * Merverdiavgift per termin, both sides: the ledger's settlement (mva-oppgjør) from 270x/271x to
 * 2740, the mva-melding's claim (åBetaleMva, or tilgodeMva when input VAT exceeds output VAT),
 * the payment with the termin's KID, late payment and Skatteetaten's forsinkelsesrenter claim,
 * and tilgode refunds paid out or set off.
 *
 * Practice (docs/test-books.md):
 * - the settlement is dated the termin's last day (what Tripletex/Fiken/PowerOffice do when the
 *   mva-melding is booked) and carries no Skatteetaten id: the claim does not exist yet;
 *   with `payment-in-settlement` it is one voucher with the payment, dated the payment day, and the
 *   melding is filed that same day;
 * - the melding is filed between the termin end and the due date; the claim is created that day;
 * - payments carry the KID as reference; Skatteetaten places a KID payment the day it arrives;
 * - a refund is paid out within three weeks of the melding (skattebetalingsloven § 10-60), or set
 *   off against the open aga claim of the same termin (style vat-refund).
 */
import * as Dato from "../../src/domain/Dato.ts"
import type { Oere } from "../../src/domain/Money.ts"
import * as Cal from "./calendar.ts"
import { accrue, type Ctx, injects, KID, payDate, rngFor } from "./context.ts"
import { INPUT_VAT, type Invoice, OUTPUT_VAT } from "./events.ts"
import type { Line } from "./ledger.ts"
import type { Claim, Forfall } from "./skatteetaten.ts"

const RATE_TEXT: Readonly<Record<string, string>> = {
  "2700": "Utgående mva høy sats",
  "2701": "Utgående mva middels sats",
  "2702": "Utgående mva lav sats",
  "2710": "Inngående mva høy sats",
  "2711": "Inngående mva middels sats",
  "2712": "Inngående mva lav sats",
  "2713": "Inngående mva kapitalvarer"
}

/** The aga claim a tilgode termin may be set off against, open between `created` and `paid`. */
export interface SetOffTarget {
  readonly claim: Claim
  readonly forfall: Forfall
  readonly created: Dato.Dato
  readonly paid: Dato.Dato
  readonly text: string
}

/** The VAT each 270x/271x account got in the termin (output positive, input positive). */
export const vatByAccount = (invoices: ReadonlyArray<Invoice>): Map<string, number> => {
  const by = new Map<string, number>()
  for (const inv of invoices) for (const l of inv.lines) by.set(l.vatAccount, (by.get(l.vatAccount) ?? 0) + l.vat)
  return by
}

export const vatTermin = (ctx: Ctx, year: number, t: Cal.Termin, invoices: ReadonlyArray<Invoice>, setOffTarget: SetOffTarget | undefined): void => {
  const rng = rngFor(ctx, `mva-${t}`, year)
  const by = vatByAccount(invoices)
  const out = OUTPUT_VAT.map((a) => [a, by.get(a) ?? 0] as const)
  const inn = INPUT_VAT.map((a) => [a, by.get(a) ?? 0] as const)
  const net = (out.reduce((s, [, v]) => s + v, 0) - inn.reduce((s, [, v]) => s + v, 0)) as Oere
  const text = Cal.terminText(year, t)
  const end = Cal.terminEnd(year, t)
  const due = Cal.mvaDue(year, t)
  const inPaymentVoucher = ctx.styles.has("payment-in-settlement")
  const refund = net < 0
  const setOff = refund && setOffTarget !== undefined && t === 4 && ctx.styles.has("vat-refund")
  const late = !refund && t === 5 && (ctx.styles.has("interest-expensed") || injects(ctx, "interest-not-booked", year))
  const notBooked = !refund && t === 2 && injects(ctx, "claim-not-booked", year)
  const amountOff = !refund && t === 3 && injects(ctx, "claim-amount-off", year)

  // When the melding is filed (= the claim is created) and when it is paid.
  const onTimeFiling = () => rng.pick(Cal.workingDaysBetween(after(end, 10), Cal.addWorkingDays(due, -1)))
  let filed: Dato.Dato
  let paid: Dato.Dato | undefined
  if (refund) {
    filed = setOff && setOffTarget !== undefined ? Cal.addWorkingDays(setOffTarget.created, rng.int(1, 2)) : onTimeFiling()
    if (setOff && setOffTarget !== undefined && filed >= setOffTarget.paid) throw new Error(`no working day to set off ${text} before ${setOffTarget.paid}`)
  } else if (late) {
    const lateDay = Cal.onOrAfterWorkingDay(after(due, rng.int(5, 10)))
    filed = inPaymentVoucher ? lateDay : onTimeFiling()
    paid = lateDay
  } else if (inPaymentVoucher) {
    filed = payDate(rng, due, after(end, 10))
    paid = filed
  } else {
    filed = onTimeFiling()
    paid = payDate(rng, due, filed)
  }

  const claim = ctx.sk.claim({
    kravtype: refund ? "tilgodeMva" : "åBetaleMva",
    kravgruppe: "merverdiavgift",
    beskrivelse: refund ? "Merverdiavgift tilgode" : "Mva-melding å betale",
    periode: { text, aar: year, fraDato: Cal.terminStart(year, t), tilDato: end, terminTekniskNavn: `termin${t}` },
    opprettet: filed,
    fastsettingsmaate: "egenfastsatt",
    renter: !refund,
    forfall: [{ forfallsdato: refund ? filed : due, amount: net, kid: KID.mva(ctx.part, year, t) }]
  })
  const forfall = claim.forfall[0] as Forfall

  // The settlement voucher.
  const withPayment = inPaymentVoucher && paid !== undefined && !notBooked
  const settlementDate = inPaymentVoucher ? filed : end
  const off = amountOff ? 10_000 : 0
  const lines: Array<Line> = []
  for (const [account, v] of out) {
    const moved = account === "2700" ? v - off : v
    lines.push({ account, amount: moved as Oere, description: `${RATE_TEXT[account]} ${text}` })
  }
  for (const [account, v] of inn) lines.push({ account, amount: -v as Oere, description: `${RATE_TEXT[account]} ${text}` })
  const booked2740 = -(net - off) as Oere
  if (ctx.styles.has("gross-vat-settlement")) {
    for (const l of [...lines]) lines.push({ account: "2740", amount: -l.amount as Oere, description: l.description ?? "" })
  } else {
    lines.push({ account: "2740", amount: booked2740, description: `Mva ${text}` })
  }
  if (withPayment) {
    lines.push({ account: "2740", amount: net, description: `Betaling mva ${text}`, reference: forfall.kid })
    lines.push({ account: "1920", amount: -net as Oere, description: `Betaling mva ${text}`, reference: forfall.kid })
  }
  if (!notBooked) {
    const voucher = ctx.journal.add(settlementDate, withPayment ? `Mva-oppgjør og betaling ${text}` : `Mva-oppgjør ${text}`, lines)
    accrue(ctx, { row: "2740", amount: booked2740, kravperiode: text, voucher, from: settlementDate, to: filed })
    if (amountOff) ctx.injected.push({ kind: "claim-amount-off", date: filed, row: "2740", amount: off as Oere, itemId: forfall.id, voucher })
  } else {
    ctx.injected.push({ kind: "claim-not-booked", date: filed, row: "2740", amount: net, itemId: forfall.id })
  }

  // Payment.
  if (paid !== undefined) {
    ctx.sk.pay(paid, net, { claim, forfall })
    if (!withPayment) {
      ctx.journal.add(paid, `Betaling mva ${text}`, [
        { account: "2740", amount: net, description: `Betaling mva ${text}`, reference: forfall.kid },
        { account: "1920", amount: -net as Oere, description: `Betaling mva ${text}`, reference: forfall.kid }
      ])
    }
    if (late) lateInterest(ctx, year, t, claim, forfall, paid)
  }

  // Refunds.
  if (refund) {
    const amount = -net as Oere
    if (setOff && setOffTarget !== undefined) {
      ctx.sk.setOff(filed, { claim, forfall }, { forfall: setOffTarget.forfall }, amount)
      ctx.journal.add(filed, `Motregning tilgode mva ${text} mot ${setOffTarget.text}`, [
        { account: "2770", amount, description: `Motregnet tilgode mva ${text}` },
        { account: "2740", amount: -amount as Oere, description: `Tilgode mva ${text} motregnet mot ${setOffTarget.text}` }
      ])
    } else {
      const when = Cal.addWorkingDays(filed, rng.int(5, 13))
      ctx.sk.payOut(when, { claim, forfall }, `Tilgode merverdiavgift ${text}`)
      ctx.journal.add(when, `Tilbakebetalt mva ${text}`, [
        { account: "1920", amount, description: `Skatteetaten tilgode mva ${text}` },
        { account: "2740", amount: -amount as Oere, description: `Tilbakebetalt mva ${text}` }
      ])
    }
  }
}

/** Skatteetaten's forsinkelsesrenter on a late mva payment: its own claim, expensed and paid, or (deliberately) never booked. */
const lateInterest = (ctx: Ctx, year: number, t: Cal.Termin, principal: Claim, forfall: Forfall, paid: Dato.Dato): void => {
  const rng = rngFor(ctx, `renter-${t}`, year)
  const amount = Cal.forsinkelsesrenter(forfall.opprinnelig, forfall.forfallsdato, paid)
  if (amount <= 0) return
  const text = Cal.terminText(year, t)
  const created = Cal.addWorkingDays(paid, rng.int(1, 3))
  const due = Cal.restskattDue(created)
  const claim = ctx.sk.claim({
    kravtype: "forsinkelsesrenterMva",
    kravgruppe: "merverdiavgift",
    beskrivelse: "Forsinkelsesrenter",
    periode: principal.periode,
    opprettet: created,
    fastsettingsmaate: "blank",
    hovedstol: principal.id,
    renter: false,
    forfall: [{ forfallsdato: due, amount, kid: KID.renter(ctx.part, year, t) }]
  })
  const interestForfall = claim.forfall[0] as Forfall
  if (injects(ctx, "interest-not-booked", year)) {
    ctx.injected.push({ kind: "interest-not-booked", date: created, row: "2740", amount, itemId: interestForfall.id })
    return
  }
  ctx.journal.add(created, `Forsinkelsesrenter mva ${text}`, [
    { account: "8150", amount, description: `Forsinkelsesrenter mva ${text}` },
    { account: "2740", amount: -amount as Oere, description: `Forsinkelsesrenter mva ${text}` }
  ])
  const when = payDate(rng, due, created)
  ctx.sk.pay(when, amount, { claim, forfall: interestForfall })
  ctx.journal.add(when, `Betaling forsinkelsesrenter mva ${text}`, [
    { account: "2740", amount, description: `Betaling forsinkelsesrenter mva ${text}`, reference: interestForfall.kid },
    { account: "1920", amount: -amount as Oere, description: `Betaling forsinkelsesrenter mva ${text}`, reference: interestForfall.kid }
  ])
}

/** `n` calendar days after `d`, moved to a working day. */
const after = (d: Dato.Dato, n: number): Dato.Dato => Cal.onOrAfterWorkingDay(Dato.addDays(d, n))
