/**
 * Generates one company's books over consecutive years: the business events of each year, then
 * per termin the payroll claims, the VAT settlement (possibly set off against the payroll claim)
 * and the payroll payment, the non-flow differences, the year's tax and the year-end close.
 * Claims and payments for the last year's final termins and tax run on into the following year,
 * so every liability the books show is eventually claimed and settled.
 */
import { Either } from "effect"
import type { Dato } from "../../src/domain/Dato.ts"
import type { Oere } from "../../src/domain/Money.ts"
import * as PartIdentifikator from "../../src/domain/PartIdentifikator.ts"
import { bookInvoice } from "./business.ts"
import * as Cal from "./calendar.ts"
import type { Ctx } from "./context.ts"
import { strayEntry, unplacedPayment } from "./differences.ts"
import { businessYear, COUNTERPARTIES, type Invoice, type RefundTarget } from "./events.ts"
import { Journal } from "./ledger.ts"
import type { CompanyBooks, CompanyOptions, DeliberateDifference, InjectedDifference } from "./model.ts"
import { payPayrollTermin, payrollTermin, setOffTarget } from "./payroll.ts"
import { Skattekonto } from "./skatteetaten.ts"
import { closeYear, incomeTax } from "./tax.ts"
import { vatTermin } from "./vat.ts"

const NEEDS_MVA: ReadonlyArray<DeliberateDifference> = ["claim-not-booked", "claim-amount-off", "stray-entry", "payment-not-placed", "interest-not-booked"]

const SHARE_CAPITAL = 20_000_000 as Oere

/** A company outside the VAT register: revenue is unntatt (3200) and purchases cost their gross. */
const withoutVat = (inv: Invoice): Invoice => ({
  ...inv,
  lines: inv.lines.map((l) =>
    inv.kind === "salg"
      ? { account: "3200", base: l.base, vatAccount: l.vatAccount, vat: 0 as Oere }
      : { account: l.account, base: (l.base + l.vat) as Oere, vatAccount: l.vatAccount, vat: 0 as Oere }
  )
})

const validate = (o: CompanyOptions, mva: boolean, arbeidsgiver: boolean): void => {
  const kind = PartIdentifikator.classify(o.part)
  if (Either.isLeft(kind) || kind.right !== "organisasjonsnummer") throw new Error(`part ${o.part}: not a valid organisasjonsnummer`)
  if (!Number.isInteger(o.years) || o.years < 1) throw new Error(`years ${o.years}: must be a whole number ≥ 1`)
  if (!Number.isInteger(o.firstYear) || o.firstYear < 1971 || o.firstYear + o.years > 2099) throw new Error(`firstYear ${o.firstYear}: out of range`)
  for (const d of o.differences ?? []) {
    if (NEEDS_MVA.includes(d) && !mva) throw new Error(`difference ${d} needs mva`)
    if (d === "payment-wrong-account" && !arbeidsgiver) throw new Error(`difference ${d} needs arbeidsgiver`)
  }
}

export const generateCompany = (o: CompanyOptions): CompanyBooks => {
  const mva = o.mva ?? true
  const arbeidsgiver = o.arbeidsgiver ?? true
  const skatt = o.skatt ?? true
  validate(o, mva, arbeidsgiver)
  const lastYear = o.firstYear + o.years - 1
  const ctx: Ctx = {
    part: o.part,
    seed: o.seed,
    lastYear,
    styles: new Set(o.styles),
    differences: new Set(o.differences ?? []),
    journal: new Journal(),
    sk: new Skattekonto(o.part, o.name, o.seed),
    accruals: [],
    injected: [],
    arbeidsgiver
  }

  ctx.journal.add(Cal.date(o.firstYear, 1, 1), "Innbetalt aksjekapital", [
    { account: "1920", amount: SHARE_CAPITAL, description: "Innbetalt aksjekapital" },
    { account: "2000", amount: -SHARE_CAPITAL as Oere, description: "Aksjekapital" }
  ])

  for (let year = o.firstYear; year <= lastYear; year++) {
    const refunds: Array<RefundTarget> = []
    if (mva && ctx.styles.has("vat-refund")) {
      refunds.push({ termin: 1, refund: (_payroll, rng) => rng.int(800_000, 6_000_000) as Oere })
      if (arbeidsgiver) {
        refunds.push({ termin: 4, refund: (payroll, rng) => Math.floor((payroll.reduce((s, p) => s + p.aga, 0) * rng.int(30, 80)) / 100) as Oere })
      }
    }
    const biz = businessYear({ part: o.part, seed: o.seed, year, arbeidsgiver, refunds })
    const invoices = mva ? biz.invoices : biz.invoices.map(withoutVat)
    for (const inv of invoices) bookInvoice(ctx, inv)
    for (const t of Cal.TERMINER) {
      const payroll = arbeidsgiver ? payrollTermin(ctx, year, t, biz.payroll.filter((p) => Cal.terminOfMonth(p.month) === t)) : undefined
      if (mva) {
        vatTermin(
          ctx,
          year,
          t,
          invoices.filter((i) => Cal.terminOfMonth(Cal.monthOf(i.date)) === t),
          payroll === undefined ? undefined : setOffTarget(payroll)
        )
      }
      if (payroll !== undefined) payPayrollTermin(ctx, year, t, payroll)
    }
    strayEntry(ctx, year)
    unplacedPayment(ctx, year)
    if (skatt) incomeTax(ctx, year)
    closeYear(ctx, year)
  }
  ctx.journal.close()
  ctx.sk.finish()

  const differences: ReadonlyArray<InjectedDifference> = ctx.injected
    .map((d) => ({
      kind: d.kind,
      date: d.date,
      row: d.row,
      amount: d.amount,
      ...(d.itemId === undefined ? {} : { itemId: d.itemId }),
      ...(d.voucher === undefined ? {} : { voucher: d.voucher.id }),
      ...(d.counterpart === undefined ? {} : { counterpart: d.counterpart })
    }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  const company = { registrationNumber: o.part, name: o.name }
  return {
    part: o.part,
    name: o.name,
    skatteetaten: (asOf: Dato) => ctx.sk.render(asOf),
    ledger: (periode) => ctx.journal.describe(company, periode, COUNTERPARTIES),
    differences,
    accruedNotClaimed: (asOf: Dato) =>
      ctx.accruals
        .filter((a) => a.from <= asOf && asOf < a.to)
        .map((a) => ({ row: a.row, amount: a.amount, kravperiode: a.kravperiode, voucher: a.voucher.id }))
  }
}
