/**
 * The deliberate differences that are not part of a tax flow (the others are injected where the
 * flow is generated: claim-not-booked and claim-amount-off in vat.ts, interest-not-booked in
 * vat.ts, payment-wrong-account in payroll.ts). Each is injected once, in the last year, and
 * recorded with the amount by which it moves its row away from a mirror ledger.
 */
import type { Oere } from "../../src/domain/Money.ts"
import * as Cal from "./calendar.ts"
import { type Ctx, injects, rngFor } from "./context.ts"

/** stray-entry: non-deductible VAT on representasjon moved from 2740 to the expense, never reported in a corrected melding. */
export const strayEntry = (ctx: Ctx, year: number): void => {
  if (!injects(ctx, "stray-entry", year)) return
  const rng = rngFor(ctx, "stray", year)
  const date = Cal.onOrBeforeWorkingDay(Cal.date(year, 6, rng.int(8, 25)))
  const amount = rng.int(50_000, 500_000) as Oere
  const voucher = ctx.journal.add(date, "Korrigering: ikke fradragsberettiget mva på representasjon", [
    { account: "7350", amount, description: "Ikke fradragsberettiget mva, representasjon" },
    { account: "2740", amount: -amount as Oere, description: "Korrigering mva representasjon" }
  ])
  ctx.injected.push({ kind: "stray-entry", date, row: "2740", amount: -amount as Oere, voucher })
}

/** payment-not-placed: a payment to the skattekonto without KID, booked on 2740; Skatteetaten has not placed it. */
export const unplacedPayment = (ctx: Ctx, year: number): void => {
  if (!injects(ctx, "payment-not-placed", year)) return
  const rng = rngFor(ctx, "unplaced", year)
  const date = Cal.onOrBeforeWorkingDay(Cal.date(year, 10, rng.int(5, 28)))
  const amount = (rng.int(2_000, 20_000) * 100) as Oere
  const payment = ctx.sk.pay(date, amount)
  const voucher = ctx.journal.add(date, "Innbetaling skattekonto", [
    { account: "2740", amount, description: "Innbetaling skattekonto" },
    { account: "1920", amount: -amount as Oere, description: "Skatteetaten skattekonto" }
  ])
  ctx.injected.push({ kind: "payment-not-placed", date, row: "2740", amount, itemId: payment.id, voucher })
}
