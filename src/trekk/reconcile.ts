/**
 * The reconciliation of Trekkpålegg against the utleggstrekk account (2610): for each order and
 * month of the period, what the order says should have been withheld on the pay date ("det som
 * står i den perioden som gjelder lønnsutbetalingsdatoen", api/trekkpaalegg.md), what the ledger
 * shows withheld (credits) and paid to Skatteetaten (debits carrying the order's KID), and each
 * difference as a finding with its explanation.
 *
 * Stages, each returning a value: attribute (each ledger line to an order: by the KID in its
 * reference, else the saksnummer or KID in its text) → expect (per order and month) → allocate
 * (payments to the earliest unpaid withholding of their order; then payments with an unknown KID to
 * an order's unpaid month of exactly that amount) → assess (findings) → total.
 *
 * Guesses where the published material is silent (docs/trekkpaalegg.md, "Guesses"): the pay day
 * when neither payroll file nor ledger gives it (the 20th), the payment deadline (the 20th of the
 * month after the withholding), rounding a percentage to whole øre half away from zero, and an
 * amount order withheld once per month.
 */
import * as D from "../domain/Dato.ts"
import type { Dato } from "../domain/Dato.ts"
import { formatNok, type Oere } from "../domain/Money.ts"
import * as PartIdentifikator from "../domain/PartIdentifikator.ts"
import type { Periode } from "../domain/Periode.ts"
import * as T from "../domain/trekkpaalegg/Trekkpaalegg.ts"
import * as Pct from "../domain/trekkpaalegg/Trekkprosent.ts"
import type { LedgerAccount, LedgerEntry } from "../reconcile/LedgerSource.ts"
import { type Loennsgrunnlag, lookup } from "./Loennsgrunnlag.ts"
import type { Finding, FindingKind, LedgerLine, Month, OrderSummary, TrekkSection } from "./Section.ts"

export interface TrekkOptions {
  /** The day of the month pay is taken to be paid on when neither the payroll file nor the ledger says. Default 20. */
  readonly loennsdag?: number | undefined
  /** The day of the following month by which withholding is to be paid. Default 20. */
  readonly betalingsfristDag?: number | undefined
}

export interface TrekkInput {
  readonly trekkpliktig: string
  readonly periode: Periode
  readonly asOf: Dato
  /** The latest version of each order. */
  readonly orders: ReadonlyArray<T.Trekkpaalegg>
  /** The utleggstrekk accounts (2610 unless mapped otherwise). */
  readonly accounts: ReadonlyArray<string>
  readonly ledgerAccounts: ReadonlyArray<LedgerAccount>
  readonly entries: ReadonlyArray<LedgerEntry>
  readonly loennsgrunnlag?: Loennsgrunnlag | undefined
  readonly sources: TrekkSection["sources"]
  readonly options?: TrekkOptions | undefined
}

const o = (n: number): Oere => n as Oere
const nok = (n: number) => formatNok(o(n), { grouping: " " })

const monthOf = (d: Dato): string => d.slice(0, 7)
const monthStart = (m: string): Dato => `${m}-01` as Dato
const daysInMonth = (m: string): number => D.daysBetween(monthStart(m), monthStart(nextMonth(m)))
const dayIn = (m: string, day: number): Dato => `${m}-${String(Math.min(day, daysInMonth(m))).padStart(2, "0")}` as Dato
const nextMonth = (m: string): string => {
  const y = Number(m.slice(0, 4))
  const mm = Number(m.slice(5, 7))
  return mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, "0")}`
}
const monthsOf = (p: Periode): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (let m = monthOf(p.fraOgMed); m <= monthOf(p.tilOgMed); m = nextMonth(m)) out.push(m)
  return out
}

// ---------------------------------------------------------------------------------------------
// attribute

interface Attributed {
  readonly entry: LedgerEntry
  readonly order: T.Trekkpaalegg | undefined
  readonly via: LedgerLine["via"]
}

const digitsOnly = (s: string | undefined) => (s ?? "").replace(/[\s.]/g, "")

const attribute = (orders: ReadonlyArray<T.Trekkpaalegg>, entries: ReadonlyArray<LedgerEntry>): ReadonlyArray<Attributed> => {
  const byKid = new Map<string, Array<T.Trekkpaalegg>>()
  for (const t of orders) byKid.set(t.betalingsinformasjon.kidnummer, [...(byKid.get(t.betalingsinformasjon.kidnummer) ?? []), t])
  const byText = (e: LedgerEntry, among: ReadonlyArray<T.Trekkpaalegg>) => {
    const text = `${e.description ?? ""} ${e.reference ?? ""}`
    const hits = among.filter((t) => (t.saksnummer !== "" && text.includes(t.saksnummer)) || text.includes(t.betalingsinformasjon.kidnummer))
    return hits.length === 1 ? hits[0] : undefined
  }
  return entries.map((entry): Attributed => {
    const kidHits = byKid.get(digitsOnly(entry.reference)) ?? []
    if (kidHits.length === 1) return { entry, order: kidHits[0], via: "kid" }
    // A KID shared by several orders (the published examples all carry the same one): the text decides.
    const t = byText(entry, kidHits.length > 1 ? kidHits : orders)
    return t === undefined ? { entry, order: undefined, via: "ingen" } : { entry, order: t, via: "tekst" }
  })
}

// ---------------------------------------------------------------------------------------------
// expect

interface Cell {
  readonly order: T.Trekkpaalegg
  readonly maaned: string
  readonly utbetalingsdato: Dato
  readonly datoKilde: Month["datoKilde"]
  readonly period: T.TrekkstoerrelseForPeriode | undefined
  readonly grunnlag: Oere | undefined
  readonly expected: Oere | undefined
  readonly afterEnd: boolean
  withheld: number
  paid: number
  paidOtherKid: number
  readonly credits: Array<LedgerEntry>
  readonly payments: Array<LedgerEntry>
  readonly otherKid: Array<LedgerEntry>
  readonly betalingsfrist: Dato
}

const expectFor = (
  order: T.Trekkpaalegg,
  maaned: string,
  credits: ReadonlyArray<LedgerEntry>,
  l: Loennsgrunnlag | undefined,
  loennsdag: number,
  fristDag: number
): Cell => {
  const pay = lookup(l, order.skyldner, maaned)
  const fromLedger = credits.map((e) => e.date).sort()[0]
  const utbetalingsdato = pay?.utbetalingsdato ?? fromLedger ?? dayIn(maaned, loennsdag)
  const datoKilde: Month["datoKilde"] = pay?.utbetalingsdato !== undefined ? "loennsgrunnlag" : fromLedger !== undefined ? "hovedbok" : "standard"
  const period = T.periodeFor(order, utbetalingsdato)
  const end = T.sluttdato(order)
  const afterEnd = period === undefined && end !== undefined && utbetalingsdato > end
  let expected: Oere | undefined = o(0)
  let grunnlag: Oere | undefined
  if (period !== undefined) {
    const s = T.stoerrelse(period)
    if (s._tag === "Beloep") expected = s.beloep
    else if (pay !== undefined) {
      grunnlag = pay.bruttoloenn
      expected = o(Pct.ofOere(pay.bruttoloenn, s.prosent))
    } else expected = undefined
  }
  return {
    order,
    maaned,
    utbetalingsdato,
    datoKilde,
    period,
    grunnlag,
    expected,
    afterEnd,
    withheld: credits.reduce((s, e) => s - e.amount, 0),
    paid: 0,
    paidOtherKid: 0,
    credits: [...credits],
    payments: [],
    otherKid: [],
    betalingsfrist: dayIn(nextMonth(maaned), fristDag)
  }
}

/** When a month's withholding happened: its first credit, else the pay date. */
const withheldOn = (c: Cell): Dato => c.credits.map((e) => e.date).sort()[0] ?? c.utbetalingsdato

// ---------------------------------------------------------------------------------------------
// the whole

const finding = (
  kind: FindingKind,
  amount: number,
  nb: string,
  en: string,
  extra: { cell?: Cell; order?: T.Trekkpaalegg; date?: Dato; kid?: string; entries?: ReadonlyArray<LedgerEntry> } = {}
): Finding => {
  const order = extra.cell?.order ?? extra.order
  return {
    kind,
    ...(order === undefined ? {} : { trekkid: order.trekkid, saksnummer: order.saksnummer }),
    ...(extra.cell === undefined ? {} : { maaned: extra.cell.maaned }),
    amount: o(amount),
    ...(extra.date === undefined ? {} : { date: extra.date }),
    ...(extra.kid === undefined ? {} : { kid: extra.kid }),
    entryIds: (extra.entries ?? []).map((e) => e.id),
    message: nb,
    messageEn: en
  }
}

const differingDigits = (a: string, b: string): number => {
  if (a.length !== b.length) return Number.MAX_SAFE_INTEGER
  let n = 0
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++
  return n
}

export const reconcileTrekk = (input: TrekkInput): TrekkSection => {
  const loennsdag = input.options?.loennsdag ?? 20
  const fristDag = input.options?.betalingsfristDag ?? 20
  const accounts = new Set(input.accounts)
  const inPeriode = (d: Dato) => input.periode.fraOgMed <= d && d <= input.periode.tilOgMed
  const entries = input.entries.filter((e) => accounts.has(e.account) && inPeriode(e.date))
  const attributed = attribute(input.orders, entries)
  const months = monthsOf(input.periode)
  const findings: Array<Finding> = []
  const lineVia = new Map<string, { trekkid?: string; via: LedgerLine["via"] }>()

  // expect: one cell per order and month whose pay date falls in the period.
  const cells = new Map<string, Array<Cell>>()
  for (const order of input.orders) {
    const mine = attributed.filter((a) => a.order === order)
    const row: Array<Cell> = []
    for (const m of months) {
      const credits = mine.filter((a) => a.entry.amount < 0 && monthOf(a.entry.date) === m).map((a) => a.entry)
      const cell = expectFor(order, m, credits, input.loennsgrunnlag, loennsdag, fristDag)
      // A month with nothing asked and nothing done says nothing (before the order started, after it ended).
      if (credits.length === 0 && (!inPeriode(cell.utbetalingsdato) || cell.period === undefined)) continue
      row.push(cell)
    }
    cells.set(order.trekkid, row)
  }

  // allocate: the order's own payments to its earliest unpaid withholding.
  const firstFrist = dayIn(nextMonth(monthOf(input.periode.fraOgMed)), fristDag)
  let openingPaid = 0
  const openingEntries: Array<LedgerEntry> = []
  const overpaid: Array<{ order: T.Trekkpaalegg; entry: LedgerEntry; amount: number }> = []
  const unknownDebits: Array<LedgerEntry> = []
  const unattributedCredits: Array<LedgerEntry> = []
  for (const a of attributed) {
    lineVia.set(a.entry.id, a.order === undefined ? { via: "ingen" } : { trekkid: a.order.trekkid, via: a.via })
    if (a.order === undefined) (a.entry.amount > 0 ? unknownDebits : unattributedCredits).push(a.entry)
  }
  for (const order of input.orders) {
    const row = cells.get(order.trekkid) ?? []
    const payments = attributed.filter((a) => a.order === order && a.entry.amount > 0).map((a) => a.entry).sort((
      x,
      y
    ) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0))
    for (const p of payments) {
      let left = p.amount as number
      // A payment settles what was withheld on or before its date: the latest such month first (a
      // month's payment follows its payroll run), one whose open amount it equals before any other.
      const open = (c: Cell) => c.withheld - c.paid - c.paidOtherKid
      const before = row.filter((c) => withheldOn(c) <= p.date && open(c) > 0).reverse()
      const exact = before.find((c) => open(c) === left)
      for (const c of exact === undefined ? before : [exact]) {
        if (left === 0) break
        const take = Math.min(open(c), left)
        c.paid += take
        c.payments.push(p)
        left -= take
      }
      if (left > 0) {
        // Paid before anything in the period was withheld: last period's withholding, owed at the start.
        if (p.date <= firstFrist && left === p.amount) {
          openingPaid += left
          openingEntries.push(p)
        } else overpaid.push({ order, entry: p, amount: left })
      }
    }
  }
  // allocate: payments with a KID no order has, to an unpaid month of exactly that amount.
  const strays: Array<LedgerEntry> = []
  for (const p of [...unknownDebits].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0))) {
    const kid = digitsOnly(p.reference)
    const candidates = [...cells.values()].flat().filter((c) => c.withheld - c.paid - c.paidOtherKid === p.amount && withheldOn(c) <= p.date)
    candidates.sort((a, b) =>
      differingDigits(kid, a.order.betalingsinformasjon.kidnummer) - differingDigits(kid, b.order.betalingsinformasjon.kidnummer) ||
      (a.maaned < b.maaned ? -1 : a.maaned > b.maaned ? 1 : 0)
    )
    const c = candidates[0]
    if (c === undefined) {
      strays.push(p)
      continue
    }
    c.paidOtherKid += p.amount
    c.otherKid.push(p)
    lineVia.set(p.id, { trekkid: c.order.trekkid, via: "beloep" })
  }

  // assess
  const monthRows = new Map<string, Array<Month>>()
  let notDue = 0
  let overdue = 0
  let needPayroll = 0
  for (const order of input.orders) {
    const out: Array<Month> = []
    for (const c of cells.get(order.trekkid) ?? []) {
      const before = findings.length
      const who = `${order.saksnummer} (trekkid ${order.trekkid})`
      if (c.period === undefined && c.withheld > 0) {
        findings.push(
          c.afterEnd
            ? finding(
              "trukket-etter-avslutning",
              -c.withheld,
              `${nok(c.withheld)} trukket ${c.utbetalingsdato} etter at trekkpålegget ${who} ble avsluttet ${T.sluttdato(order)}${
                c.paid + c.paidOtherKid > 0 ? ` og betalt til Skatteetaten` : ""
              }; skal tilbakebetales den ansatte eller avklares med Skatteetaten`,
              `${nok(c.withheld)} withheld on ${c.utbetalingsdato} after order ${who} ended on ${T.sluttdato(order)}${
                c.paid + c.paidOtherKid > 0 ? " and paid to Skatteetaten" : ""
              }; to be refunded to the employee or settled with Skatteetaten`,
              { cell: c, date: c.utbetalingsdato, entries: [...c.credits, ...c.payments] }
            )
            : finding(
              "trukket-utenfor-periode",
              -c.withheld,
              `${nok(c.withheld)} trukket ${c.utbetalingsdato}, før første periode i trekkpålegget ${who}`,
              `${nok(c.withheld)} withheld on ${c.utbetalingsdato}, before the first period of order ${who}`,
              { cell: c, date: c.utbetalingsdato, entries: c.credits }
            )
        )
      } else if (c.expected !== undefined && c.expected > 0 && c.withheld === 0) {
        findings.push(finding(
          "ikke-trukket",
          c.expected,
          `ikke trukket i lønn ${c.maaned}: trekkpålegget ${who} ber om ${nok(c.expected)} for lønnsutbetalingen ${c.utbetalingsdato}`,
          `not withheld from pay in ${c.maaned}: order ${who} asks for ${nok(c.expected)} for the pay date ${c.utbetalingsdato}`,
          { cell: c, date: c.utbetalingsdato }
        ))
      } else if (c.expected !== undefined && c.withheld !== c.expected) {
        findings.push(finding(
          "feil-beloep",
          c.expected - c.withheld,
          `trukket ${nok(c.withheld)} i ${c.maaned}, trekkpålegget ${who} ber om ${nok(c.expected)}`,
          `withheld ${nok(c.withheld)} in ${c.maaned}, order ${who} asks for ${nok(c.expected)}`,
          { cell: c, date: c.utbetalingsdato, entries: c.credits }
        ))
      }
      const unpaid = c.withheld - c.paid - c.paidOtherKid
      if (unpaid > 0) {
        if (c.betalingsfrist <= input.asOf) {
          overdue += unpaid
          findings.push(finding(
            "trukket-ikke-betalt",
            unpaid,
            `${nok(unpaid)} trukket i ${c.maaned} for ${who} er ikke betalt med KID ${order.betalingsinformasjon.kidnummer}; fristen var ${c.betalingsfrist}`,
            `${nok(unpaid)} withheld in ${c.maaned} for ${who} has not been paid with KID ${order.betalingsinformasjon.kidnummer}; due ${c.betalingsfrist}`,
            { cell: c, date: c.betalingsfrist, entries: c.credits }
          ))
        } else notDue += unpaid
      }
      if (c.paidOtherKid > 0) {
        const kids = [...new Set(c.otherKid.map((e) => digitsOnly(e.reference)))].join(", ")
        findings.push(finding(
          "betalt-med-annen-kid",
          0,
          `${
            nok(c.paidOtherKid)
          } for ${c.maaned} er betalt med KID ${kids}, ikke trekkpåleggets KID ${order.betalingsinformasjon.kidnummer} for ${who}; Skatteetaten kan ha plassert betalingen på en annen sak`,
          `${
            nok(c.paidOtherKid)
          } for ${c.maaned} was paid with KID ${kids}, not the order's KID ${order.betalingsinformasjon.kidnummer} for ${who}; Skatteetaten may have placed it on another case`,
          { cell: c, date: c.otherKid[0]?.date, kid: kids, entries: c.otherKid }
        ))
      }
      if (c.expected === undefined) needPayroll++
      const s = c.period === undefined ? undefined : T.stoerrelse(c.period)
      out.push({
        maaned: c.maaned,
        utbetalingsdato: c.utbetalingsdato,
        datoKilde: c.datoKilde,
        ...(s?._tag === "Beloep" ? { trekkbeloep: s.beloep } : {}),
        ...(s?._tag === "Prosent" ? { trekkprosent: Pct.toText(s.prosent) } : {}),
        ...(c.grunnlag === undefined ? {} : { grunnlag: c.grunnlag }),
        ...(c.expected === undefined ? {} : { expected: c.expected }),
        withheld: o(c.withheld),
        paid: o(c.paid),
        paidOtherKid: o(c.paidOtherKid),
        betalingsfrist: c.betalingsfrist,
        status: findings.length > before
          ? "avvik"
          : c.expected === undefined
          ? "krever-loennsgrunnlag"
          : unpaid > 0
          ? "ikke-forfalt"
          : c.period === undefined
          ? "ikke-aktiv"
          : "ok"
      })
    }
    monthRows.set(order.trekkid, out)
  }
  for (const x of overpaid) {
    findings.push(finding(
      "betalt-uten-trekk",
      -x.amount,
      `${nok(x.amount)} betalt ${x.entry.date} med KID ${x.order.betalingsinformasjon.kidnummer} (${x.order.saksnummer}) uten tilsvarende trekk i perioden`,
      `${
        nok(x.amount)
      } paid on ${x.entry.date} with KID ${x.order.betalingsinformasjon.kidnummer} (${x.order.saksnummer}) with no matching withholding in the period`,
      { order: x.order, date: x.entry.date, entries: [x.entry] }
    ))
  }
  for (const e of [...unattributedCredits, ...strays]) {
    const what = e.amount < 0 ? "trekk" : "betaling"
    findings.push(finding(
      "ukjent-postering",
      -e.amount,
      `${what} ${nok(Math.abs(e.amount))} ${e.date} (bilag ${e.voucher}) på ${e.account} kan ikke knyttes til et trekkpålegg${
        e.reference ? ` (referanse ${e.reference})` : ""
      }`,
      `${e.amount < 0 ? "withholding" : "payment"} ${nok(Math.abs(e.amount))} on ${e.date} (voucher ${e.voucher}) on ${e.account} names no order${
        e.reference ? ` (reference ${e.reference})` : ""
      }`,
      { date: e.date, entries: [e] }
    ))
  }

  // total
  const opening = input.ledgerAccounts.filter((a) => accounts.has(a.number)).reduce((s, a) => s + a.openingBalance, 0)
  const openingOwed = -opening
  const sumAll = entries.reduce((s, e) => s + e.amount, 0)
  const closingOwed = -(opening + sumAll)
  if (openingOwed !== openingPaid && firstFrist <= input.asOf) {
    const rest = openingOwed - openingPaid
    findings.push(finding(
      "inngaaende-saldo",
      rest,
      `inngående saldo ${nok(openingOwed)} på ${input.accounts.join("+")}; betalt av den i periodens første måned: ${nok(openingPaid)}`,
      `opening balance ${nok(openingOwed)} on ${input.accounts.join("+")}; paid of it in the period's first month: ${nok(openingPaid)}`,
      { date: input.periode.fraOgMed, entries: openingEntries }
    ))
  }
  const cellList = [...cells.values()].flat()
  const withheld = cellList.reduce((s, c) => s + c.withheld, 0)
  const paid = cellList.reduce((s, c) => s + c.paid + c.paidOtherKid, 0)
  const known = cellList.filter((c) => c.expected !== undefined)
  const expected = known.reduce((s, c) => s + (c.expected ?? 0), 0)
  const rebuilt = openingOwed - openingPaid + (withheld - paid) - overpaid.reduce((s, x) => s + x.amount, 0) -
    unattributedCredits.reduce((s, e) => s + e.amount, 0) - strays.reduce((s, e) => s + e.amount, 0)
  const orders: Array<OrderSummary> = input.orders.map((t) => {
    const rows = monthRows.get(t.trekkid) ?? []
    const end = T.sluttdato(t)
    return {
      trekkid: t.trekkid,
      trekkversjon: t.trekkversjon,
      sekvensnummer: t.sekvensnummer,
      saksnummer: t.saksnummer,
      skyldner: PartIdentifikator.mask(t.skyldner),
      kidnummer: t.betalingsinformasjon.kidnummer,
      trekkstatus: t.trekkstatus,
      ...(end === undefined ? {} : { sluttdato: end }),
      expected: o(rows.reduce((s, r) => s + (r.expected ?? 0), 0)),
      withheld: o(rows.reduce((s, r) => s + r.withheld, 0)),
      paid: o(rows.reduce((s, r) => s + r.paid + r.paidOtherKid, 0)),
      kreverLoennsgrunnlag: rows.some((r) => r.status === "krever-loennsgrunnlag"),
      months: rows
    }
  })
  const ledgerLines: Array<LedgerLine> = entries.map((e) => {
    const v = lineVia.get(e.id) ?? { via: "ingen" as const }
    return {
      id: e.id,
      voucher: e.voucher,
      date: e.date,
      account: e.account,
      amount: e.amount,
      ...(e.description === undefined ? {} : { description: e.description }),
      ...(e.reference === undefined ? {} : { reference: e.reference }),
      ...(v.trekkid === undefined ? {} : { trekkid: v.trekkid }),
      via: v.via
    }
  })
  return {
    schemaVersion: 1,
    trekkpliktig: input.trekkpliktig,
    periode: input.periode,
    asOf: input.asOf,
    accounts: [...input.accounts],
    sources: input.sources,
    totals: {
      expected: o(expected),
      withheld: o(withheld),
      paid: o(paid),
      difference: o(known.reduce((s, c) => s + c.withheld, 0) - expected),
      openingOwed: o(openingOwed),
      closingOwed: o(closingOwed),
      notDue: o(notDue),
      overdue: o(overdue),
      conserved: rebuilt === closingOwed,
      findings: findings.length,
      monthsNeedingPayroll: needPayroll
    },
    orders,
    findings,
    ledgerLines,
    needsAttention: findings.length > 0 || needPayroll > 0
  }
}
