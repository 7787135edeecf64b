/**
 * An employer's utleggstrekk books, generated in payroll style from the sandbox's Trekkpålegg
 * (Generate.ts), for tests and the demo of `kravsync trekkavstemming`:
 * - a monthly payroll run on the 20th: 5000 gross pay, one 2610 credit per order active on the
 *   pay date ("Utleggstrekk <saksnummer>"; the amount, or the percentage of the employee's gross
 *   pay rounded to øre), 1920 net pay;
 * - one payment per order per month on the 10th of the month after: 2610 debit carrying the
 *   order's KID, 1920 credit (no payment after `asOf`);
 * - the payroll file (gross pay and pay date per employee and month) the percentage orders need;
 * - each deliberate difference at most once, in a month of the period: an amount order not
 *   withheld, one withheld but not paid, one paid with a mistyped KID, and an ended order still
 *   withheld and paid the month after it ended.
 * The opening balances are what the lines before the period leave on each account.
 */
import { Either } from "effect"
import type { Dato } from "../../src/domain/Dato.ts"
import { type Oere, toKronerNumber } from "../../src/domain/Money.ts"
import type { Periode } from "../../src/domain/Periode.ts"
import * as T from "../../src/domain/trekkpaalegg/Trekkpaalegg.ts"
import * as Pct from "../../src/domain/trekkpaalegg/Trekkprosent.ts"
import * as Prng from "../Prng.ts"
import type { SaftDescription, SaftLine, SaftTransaction } from "../saft/SaftWriter.ts"
import * as G from "./Generate.ts"

export type TrekkDifference = "ikke-trukket" | "trukket-ikke-betalt" | "betalt-med-annen-kid" | "trukket-etter-avslutning"

export const ALL_TREKK_DIFFERENCES: ReadonlyArray<TrekkDifference> = ["ikke-trukket", "trukket-ikke-betalt", "betalt-med-annen-kid", "trukket-etter-avslutning"]

export interface Injected {
  readonly kind: TrekkDifference
  readonly trekkid: string
  readonly maaned: string
}

export interface TrekkBooks {
  readonly saft: SaftDescription
  /** The orders the books follow: the latest version of each, as of `asOf`. */
  readonly orders: ReadonlyArray<T.Trekkpaalegg>
  readonly loennsgrunnlag: ReadonlyArray<{ skyldner: string; maaned: string; bruttoloenn: number; utbetalingsdato: string }>
  readonly injected: ReadonlyArray<Injected>
}

const monthAfter = (m: string) => {
  const y = Number(m.slice(0, 4))
  const mm = Number(m.slice(5, 7))
  return mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, "0")}`
}

/** An employee's gross pay in a month: 38 000–72 000 kr with øre, fixed by the skyldner and month. */
export const grossPay = (skyldner: string, maaned: string): Oere => {
  const rng = Prng.make(Prng.hash(`lønn-${skyldner}-${maaned}`))
  return (rng.int(38_000, 72_000) * 100 + rng.int(0, 99)) as Oere
}

/** The KID with two neighbouring digits swapped (a typing mistake), different from `avoid`. */
const mistyped = (kid: string, avoid: ReadonlySet<string>): string => {
  for (let i = 0; i + 1 < kid.length; i++) {
    if (kid[i] === kid[i + 1]) continue
    const k = kid.slice(0, i) + kid[i + 1] + kid[i] + kid.slice(i + 2)
    if (!avoid.has(k)) return k
  }
  return `${kid}9`
}

interface Withholding {
  readonly order: T.Trekkpaalegg
  readonly maaned: string
  readonly payDate: Dato
  readonly amount: Oere
  readonly isAmount: boolean
}

export const generateTrekkBooks = (options: {
  readonly data: G.TrekkData
  readonly trekkpliktig: string
  readonly name: string
  readonly periode: Periode
  readonly asOf: Dato
  readonly differences?: ReadonlyArray<TrekkDifference>
  readonly seed?: number
}): TrekkBooks => {
  const orders = G.current(options.data, options.trekkpliktig, options.asOf).map((v) => Either.getOrThrow(T.decode(G.wire(v))))
  const first = orders.flatMap((t) => t.trekkstoerrelseForPeriode.map((p) => p.startdato)).sort()[0] ?? options.periode.fraOgMed
  const last = options.periode.tilOgMed.slice(0, 7)
  const months: Array<string> = []
  for (let m = first.slice(0, 7); m <= last; m = monthAfter(m)) months.push(m)
  const withholdings: Array<Withholding> = []
  const payroll: Array<{ skyldner: string; maaned: string; bruttoloenn: number; utbetalingsdato: string }> = []
  for (const m of months) {
    const payDate = `${m}-20` as Dato
    const employees = new Set<string>()
    for (const t of orders) {
      const p = T.periodeFor(t, payDate)
      if (p === undefined) continue
      employees.add(t.skyldner)
      const s = T.stoerrelse(p)
      const amount = s._tag === "Beloep" ? s.beloep : (Pct.ofOere(grossPay(t.skyldner, m), s.prosent) as Oere)
      if (amount > 0) withholdings.push({ order: t, maaned: m, payDate, amount, isAmount: s._tag === "Beloep" })
    }
    for (const skyldner of employees) payroll.push({ skyldner, maaned: m, bruttoloenn: toKronerNumber(grossPay(skyldner, m)), utbetalingsdato: payDate })
  }

  // The deliberate differences: distinct order-months inside the period, chosen by the seed.
  const rng = Prng.make(Prng.hash(`trekk-books-${options.trekkpliktig}`) ^ (options.seed ?? 1))
  const wanted = new Set(options.differences ?? [])
  const injected: Array<Injected> = []
  const used = new Set<string>()
  const key = (w: { order: T.Trekkpaalegg; maaned: string }) => `${w.order.trekkid}/${w.maaned}`
  const inPeriod = (w: Withholding) => options.periode.fraOgMed <= w.payDate && w.payDate <= options.periode.tilOgMed
  const paidBy = (m: string) => `${monthAfter(m)}-10` as Dato
  const pick = (kind: TrekkDifference, ok: (w: Withholding) => boolean) => {
    if (!wanted.has(kind)) return
    const xs = withholdings.filter((w) => inPeriod(w) && !used.has(key(w)) && !used.has(w.order.trekkid) && ok(w))
    if (xs.length === 0) return
    const w = xs[rng.int(0, xs.length - 1)] as Withholding
    used.add(key(w))
    used.add(w.order.trekkid)
    injected.push({ kind, trekkid: w.order.trekkid, maaned: w.maaned })
  }
  // Due by the 20th of the month after: only months whose deadline has passed show a missing payment.
  const due = (w: Withholding) => `${monthAfter(w.maaned)}-20` <= options.asOf
  pick("ikke-trukket", (w) => w.isAmount)
  pick("trukket-ikke-betalt", due)
  pick("betalt-med-annen-kid", (w) => paidBy(w.maaned) <= options.asOf)
  const extra: Array<Withholding> = []
  if (wanted.has("trukket-etter-avslutning")) {
    // An ended amount order, withheld and paid once more in the month after its last pay date.
    for (const t of orders) {
      const end = T.sluttdato(t)
      const lastPeriod = t.trekkstoerrelseForPeriode[t.trekkstoerrelseForPeriode.length - 1]
      if (end === undefined || lastPeriod?.trekkbeloep === undefined || used.has(t.trekkid)) continue
      const m = monthAfter(end.slice(0, 7))
      const payDate = `${m}-20` as Dato
      if (payDate <= end || payDate < options.periode.fraOgMed || payDate > options.periode.tilOgMed || paidBy(m) > options.asOf) continue
      extra.push({ order: t, maaned: m, payDate, amount: lastPeriod.trekkbeloep.trekkbeloep, isAmount: true })
      injected.push({ kind: "trukket-etter-avslutning", trekkid: t.trekkid, maaned: m })
      used.add(t.trekkid)
      break
    }
  }
  const kinds = new Map(injected.map((i) => [`${i.trekkid}/${i.maaned}`, i.kind]))
  const allKids = new Set(orders.map((t) => t.betalingsinformasjon.kidnummer))

  // The lines, all dates; the period's and the opening balances are cut from them below.
  const transactions: Array<SaftTransaction> = []
  let n = 0
  for (const m of months) {
    const payDate = `${m}-20` as Dato
    const rows = [...withholdings, ...extra].filter((w) => w.maaned === m && kinds.get(key(w)) !== "ikke-trukket")
    const gross = payroll.filter((p) => p.maaned === m).reduce((s, p) => s + Math.round(p.bruttoloenn * 100), 0)
    if (gross === 0 && rows.length === 0) continue
    const trekk = rows.reduce((s, w) => s + w.amount, 0)
    const lines: Array<SaftLine> = [
      { account: "5000", amount: gross as Oere, description: `Lønn ${m}` },
      ...rows.map((w): SaftLine => ({ account: "2610", amount: -w.amount as Oere, description: `Utleggstrekk ${w.order.saksnummer}` })),
      { account: "1920", amount: -(gross - trekk) as Oere, description: `Utbetalt nettolønn ${m}` }
    ]
    transactions.push({ id: `L${++n}`, date: payDate, description: `Lønn ${m}`, lines })
    for (const w of rows) {
      const kind = kinds.get(key(w))
      const date = paidBy(m)
      if (kind === "trukket-ikke-betalt" || date > options.asOf) continue
      const kid = kind === "betalt-med-annen-kid" ? mistyped(w.order.betalingsinformasjon.kidnummer, allKids) : w.order.betalingsinformasjon.kidnummer
      transactions.push({
        id: `B${++n}`,
        date,
        description: `Utleggstrekk ${w.order.saksnummer} ${m}`,
        lines: [
          { account: "2610", amount: w.amount, description: `Betalt utleggstrekk ${m}`, reference: kid },
          { account: "1920", amount: -w.amount as Oere, description: `Skatteetaten utleggstrekk`, reference: kid }
        ]
      })
    }
  }
  transactions.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  const before = transactions.filter((t) => t.date < options.periode.fraOgMed)
  const within = transactions.filter((t) => options.periode.fraOgMed <= t.date && t.date <= options.periode.tilOgMed)
  const opening = (account: string) => before.flatMap((t) => t.lines).filter((l) => l.account === account).reduce((s, l) => s + l.amount, 0) as Oere
  return {
    saft: {
      company: { registrationNumber: options.trekkpliktig, name: options.name },
      periode: options.periode,
      accounts: [
        { id: "1920", description: "Bankinnskudd", opening: opening("1920") },
        { id: "2610", description: "Utleggstrekk", opening: opening("2610") },
        { id: "5000", description: "Lønn til ansatte", opening: opening("5000") }
      ],
      transactions: () => within,
      createdDate: options.asOf
    },
    orders,
    loennsgrunnlag: payroll.filter((p) => options.periode.fraOgMed.slice(0, 7) <= p.maaned && p.maaned <= last),
    injected
  }
}
