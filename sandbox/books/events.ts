/**
 * The business events of one year, before anything is booked: sales invoices with output VAT,
 * purchase invoices and one investment with input VAT, and a monthly payroll. Amounts in øre,
 * drawn from a seeded PRNG per (party, seed, purpose, year), so the same options always give the
 * same events and the booking styles never change them.
 *
 * Practice followed (docs/test-books.md):
 * - VAT rates 25 / 15 / 12 % (mval. §§ 5-1, 5-2, 5-3), VAT per invoice line rounded to øre;
 *   output VAT on 2700/2701/2702, input VAT on 2710/2711/2712 and 2713 (capital goods);
 *   revenue on 3000/3020/3030 (NS 4102 group 30, «salgsinntekt, avgiftspliktig»).
 * - Invoices go through 1500 kundefordringer / 2400 leverandørgjeld and are settled by bank.
 * - Payroll: gross salary paid on the 20th, forskuddstrekk withheld in whole kroner,
 *   arbeidsgiveravgift 14.1 % (sone I) of gross.
 * - Every month makes a profit (revenue 25–60 % above costs), so the year's tax is positive.
 * - A termin marked as a refund termin gets one investment whose input VAT makes the termin's
 *   net VAT exactly −(the chosen refund); other termins are kept payable (at least 5 000 kr).
 */
import type * as Dato from "../../src/domain/Dato.ts"
import type { Oere } from "../../src/domain/Money.ts"
import * as Prng from "../Prng.ts"
import * as Cal from "./calendar.ts"

export interface InvoiceLine {
  /** Revenue, expense or asset account. */
  readonly account: string
  readonly base: Oere
  readonly vatAccount: string
  readonly vat: Oere
}

export interface Invoice {
  readonly kind: "salg" | "kjøp"
  readonly no: string
  readonly date: Dato.Dato
  readonly counterparty: Counterparty
  readonly text: string
  readonly lines: ReadonlyArray<InvoiceLine>
  /** The day the bank settled it (customer paid / we paid the supplier). */
  readonly settled: Dato.Dato
}

export interface Counterparty {
  readonly id: string
  readonly name: string
}

export interface PayrollMonth {
  readonly year: number
  readonly month: number
  readonly payDate: Dato.Dato
  readonly gross: Oere
  readonly trekk: Oere
  readonly aga: Oere
}

export interface BusinessYear {
  readonly year: number
  readonly invoices: ReadonlyArray<Invoice>
  readonly payroll: ReadonlyArray<PayrollMonth>
}

/** A termin whose net VAT must come out as exactly −refund (a tilgode termin). */
export type RefundTarget = { readonly termin: Cal.Termin; readonly refund: (payroll: ReadonlyArray<PayrollMonth>, rng: Prng.Prng) => Oere }

export const OUTPUT_VAT = ["2700", "2701", "2702"] as const
export const INPUT_VAT = ["2710", "2711", "2712", "2713"] as const

const SALES = [
  { rate: 2500, account: "3000", vatAccount: "2700", weight: 70, text: "Salg varer og tjenester" },
  { rate: 1500, account: "3020", vatAccount: "2701", weight: 20, text: "Salg næringsmidler" },
  { rate: 1200, account: "3030", vatAccount: "2702", weight: 10, text: "Salg persontransport" }
] as const

const PURCHASES = [
  { rate: 2500, account: "4000", vatAccount: "2710", text: "Varekjøp" },
  { rate: 2500, account: "6800", vatAccount: "2710", text: "Kontorrekvisita" },
  { rate: 1500, account: "4020", vatAccount: "2711", text: "Varekjøp næringsmidler" },
  { rate: 1200, account: "7140", vatAccount: "2712", text: "Reisekostnad, persontransport" }
] as const

const CUSTOMERS: ReadonlyArray<Counterparty> = [
  { id: "K10001", name: "Fjordkraft Handel AS" },
  { id: "K10002", name: "Nordlys Eiendom AS" },
  { id: "K10003", name: "Bergen Bryggeri AS" },
  { id: "K10004", name: "Tromsø Turbuss AS" },
  { id: "K10005", name: "Kari Nordmann" }
]
const SUPPLIERS: ReadonlyArray<Counterparty> = [
  { id: "L20001", name: "Grossist Norge AS" },
  { id: "L20002", name: "Kontorland AS" },
  { id: "L20003", name: "Vy Buss AS" },
  { id: "L20004", name: "Maskinhuset AS" }
]
export const COUNTERPARTIES = { customers: CUSTOMERS, suppliers: SUPPLIERS }

/** Arbeidsgiveravgift, sone I: 14.1 % of gross pay. */
export const AGA_RATE_BP = 1410

/** A PRNG for one purpose and year of one party: independent of every other draw. */
export const stream = (part: string, seed: number, purpose: string, year: number): Prng.Prng => Prng.make(Prng.hash(`${part}:${seed}:${purpose}:${year}`))

const vatOf = (base: number, rateBp: number): Oere => Math.round((base * rateBp) / 10_000) as Oere

const weighted = <A extends { readonly weight: number }>(rng: Prng.Prng, xs: ReadonlyArray<A>): A => {
  const total = xs.reduce((s, x) => s + x.weight, 0)
  let r = rng.int(1, total)
  for (const x of xs) {
    r -= x.weight
    if (r <= 0) return x
  }
  return xs[xs.length - 1] as A
}

export const netVat = (invoices: ReadonlyArray<Invoice>): Oere => {
  let net = 0
  for (const inv of invoices) for (const l of inv.lines) net += inv.kind === "salg" ? l.vat : -l.vat
  return net as Oere
}

export interface YearOptions {
  readonly part: string
  readonly seed: number
  readonly year: number
  readonly arbeidsgiver: boolean
  readonly refunds: ReadonlyArray<RefundTarget>
}

/** The year's events. */
export const businessYear = (o: YearOptions): BusinessYear => {
  const rng = stream(o.part, o.seed, "business", o.year)
  const invoices: Array<Invoice> = []
  const payroll: Array<PayrollMonth> = []
  let salesNo = 0
  const saleNo = () => `${o.year}${String(++salesNo).padStart(4, "0")}`
  const settleAfter = (d: Dato.Dato, min: number, max: number) => Cal.onOrAfterWorkingDay(Cal.addWorkingDays(d, rng.int(min, max)))
  const day = (month: number, from: number, to: number) => Cal.onOrBeforeWorkingDay(Cal.date(o.year, month, rng.int(from, to)))

  for (let month = 1; month <= 12; month++) {
    let costs = 0
    if (o.arbeidsgiver) {
      const gross = rng.int(55_000, 110_000) * 100
      const trekk = Math.floor((gross * rng.int(28, 36)) / 100 / 100) * 100
      const aga = vatOf(gross, AGA_RATE_BP)
      payroll.push({ year: o.year, month, payDate: Cal.payDay(o.year, month), gross: gross as Oere, trekk: trekk as Oere, aga })
      costs += gross + aga
    }
    const nPurchases = rng.int(2, 5)
    for (let i = 0; i < nPurchases; i++) {
      const kind = PURCHASES[rng.int(0, PURCHASES.length - 1)] as (typeof PURCHASES)[number]
      const base = rng.int(150_000, 3_000_000)
      const date = day(month, 2, 27)
      const supplier = kind.vatAccount === "2712" ? (SUPPLIERS[2] as Counterparty) : (rng.pick(SUPPLIERS.slice(0, 2)) as Counterparty)
      invoices.push({
        kind: "kjøp",
        no: String(rng.int(100_000, 999_999)),
        date,
        counterparty: supplier,
        text: kind.text,
        lines: [{ account: kind.account, base: base as Oere, vatAccount: kind.vatAccount, vat: vatOf(base, kind.rate) }],
        settled: settleAfter(date, 10, 20)
      })
      costs += base
    }
    const revenue = Math.round((costs * rng.int(125, 160)) / 100)
    const nSales = rng.int(3, 7)
    for (let i = 0; i < nSales; i++) {
      const kind = weighted(rng, SALES)
      const base = Math.max(10_000, Math.round((revenue / nSales) * (rng.int(70, 130) / 100)))
      const date = day(month, 1, 28)
      const cash = rng.next() < 0.2
      invoices.push({
        kind: "salg",
        no: saleNo(),
        date,
        counterparty: rng.pick(CUSTOMERS),
        text: kind.text,
        lines: [{ account: kind.account, base: base as Oere, vatAccount: kind.vatAccount, vat: vatOf(base, kind.rate) }],
        settled: cash ? date : settleAfter(date, 8, 22)
      })
    }
  }

  // Termin adjustments: refund termins get an investment, the others stay payable.
  const refunds = new Map(o.refunds.map((r) => [r.termin, r]))
  for (const t of Cal.TERMINER) {
    const [, m2] = Cal.terminMonths(t)
    let net = netVat(invoices.filter((i) => Cal.terminOfMonth(Cal.monthOf(i.date)) === t))
    if (net < 500_000) {
      const vat = 500_000 - net + rng.int(0, 2_000_000)
      const date = day(m2, 10, 25)
      invoices.push({
        kind: "salg",
        no: saleNo(),
        date,
        counterparty: rng.pick(CUSTOMERS),
        text: "Salg varer og tjenester",
        lines: [{ account: "3000", base: (vat * 4) as Oere, vatAccount: "2700", vat: vat as Oere }],
        settled: settleAfter(date, 8, 22)
      })
      net = (net + vat) as Oere
    }
    const target = refunds.get(t)
    if (target !== undefined) {
      const refund = target.refund(
        payroll.filter((p) => Cal.terminOfMonth(p.month) === t),
        rng
      )
      const vat = net + refund
      const date = day(m2, 3, 12)
      invoices.push({
        kind: "kjøp",
        no: String(rng.int(100_000, 999_999)),
        date,
        counterparty: SUPPLIERS[3] as Counterparty,
        text: "Investering maskin",
        lines: [{ account: "1200", base: (vat * 4) as Oere, vatAccount: "2713", vat: vat as Oere }],
        settled: settleAfter(date, 10, 20)
      })
    }
  }
  invoices.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  return { year: o.year, invoices, payroll }
}
