/**
 * The company's general ledger: vouchers (bilag) with balanced lines in øre, the chart of
 * accounts they use (NS 4102 names), and the ledger of a period in the shape the SAF-T writer
 * takes (sandbox/saft/SaftWriter.ts `SaftDescription`; declared here structurally
 * because src/ never imports a connector).
 *
 * Rules (docs/test-books.md):
 * - every voucher balances to the øre (Σ lines = 0, debit positive) or is refused;
 * - voucher numbers (SAF-T TransactionID) run per year in date order: "2025-00042";
 * - a period's opening balance of a balance-sheet account (classes 1–2) is everything booked
 *   before the period; of a profit-and-loss account (classes 3–8) only what was booked earlier in
 *   the same financial year (the year's result is closed to 2050 at 31 December, 8960/2050, so
 *   the trial balance of every opening is zero).
 */
import type * as Dato from "../../src/domain/Dato.ts"
import type { Oere } from "../../src/domain/Money.ts"
import type { Periode } from "../../src/domain/Periode.ts"

export interface Line {
  readonly account: string
  /** Signed øre, debit positive. */
  readonly amount: Oere
  readonly description?: string
  readonly reference?: string
  readonly customerId?: string
  readonly supplierId?: string
}

/** A voucher's number, filled in when the journal is closed (numbers follow date order). */
export interface VoucherRef {
  id: string
}

export interface Voucher {
  readonly ref: VoucherRef
  readonly seq: number
  readonly date: Dato.Dato
  readonly description: string
  readonly lines: ReadonlyArray<Line>
}

/** The SAF-T writer's `SaftDescription` (sandbox/saft/SaftWriter.ts), structurally. */
export interface SaftDescription {
  readonly company: { readonly registrationNumber: string; readonly name: string }
  readonly periode: Periode
  readonly accounts: ReadonlyArray<{ readonly id: string; readonly description: string; readonly opening: Oere }>
  readonly transactions: () => Iterable<{
    readonly id: string
    readonly date: Dato.Dato
    readonly description?: string
    readonly lines: ReadonlyArray<Line>
  }>
  readonly createdDate?: Dato.Dato
  readonly customers?: ReadonlyArray<{ readonly id: string; readonly name: string }>
  readonly suppliers?: ReadonlyArray<{ readonly id: string; readonly name: string }>
}

/** NS 4102 account names for every account the generator books. */
export const ACCOUNTS: Readonly<Record<string, string>> = {
  "1200": "Maskiner og anlegg",
  "1500": "Kundefordringer",
  "1920": "Bankinnskudd",
  "2000": "Aksjekapital",
  "2050": "Annen egenkapital",
  "2400": "Leverandørgjeld",
  "2500": "Betalbar skatt, ikke fastsatt",
  "2510": "Betalbar skatt, fastsatt",
  "2600": "Forskuddstrekk",
  "2700": "Utgående merverdiavgift, høy sats",
  "2701": "Utgående merverdiavgift, middels sats",
  "2702": "Utgående merverdiavgift, lav sats",
  "2710": "Inngående merverdiavgift, høy sats",
  "2711": "Inngående merverdiavgift, middels sats",
  "2712": "Inngående merverdiavgift, lav sats",
  "2713": "Inngående merverdiavgift, høy sats, kapitalvarer",
  "2740": "Oppgjørskonto merverdiavgift",
  "2770": "Skyldig arbeidsgiveravgift",
  "3000": "Salgsinntekt, avgiftspliktig, høy sats",
  "3020": "Salgsinntekt, avgiftspliktig, middels sats",
  "3030": "Salgsinntekt, avgiftspliktig, lav sats",
  "3200": "Salgsinntekt, unntatt avgiftsplikt",
  "4000": "Innkjøp av varer, høy sats",
  "4020": "Innkjøp av varer, middels sats",
  "5000": "Lønn til ansatte",
  "5400": "Arbeidsgiveravgift",
  "6800": "Kontorrekvisita",
  "7140": "Reisekostnad, ikke oppgavepliktig",
  "7350": "Representasjon",
  "8150": "Annen rentekostnad",
  "8300": "Betalbar skatt",
  "8960": "Overføringer annen egenkapital"
}

const isResultAccount = (account: string): boolean => account >= "3" && account < "9"

/** The vouchers of one company, added in any order, numbered by date when closed. */
export class Journal {
  readonly vouchers: Array<Voucher> = []
  #closed = false

  add(date: Dato.Dato, description: string, lines: ReadonlyArray<Line>): VoucherRef {
    if (this.#closed) throw new Error("the journal is closed")
    const kept = lines.filter((l) => l.amount !== 0)
    const sum = kept.reduce((s, l) => s + l.amount, 0)
    if (sum !== 0) throw new Error(`voucher "${description}" ${date} does not balance: ${sum} øre`)
    if (kept.length === 0) throw new Error(`voucher "${description}" ${date} has no lines`)
    for (const l of kept) if (ACCOUNTS[l.account] === undefined) throw new Error(`unknown account ${l.account}`)
    const ref: VoucherRef = { id: "" }
    this.vouchers.push({ ref, seq: this.vouchers.length, date, description, lines: kept })
    return ref
  }

  /** Sorts by date (ties: the order added) and numbers the vouchers per year. */
  close(): void {
    this.vouchers.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.seq - b.seq))
    const perYear = new Map<string, number>()
    for (const v of this.vouchers) {
      const y = v.date.slice(0, 4)
      const n = (perYear.get(y) ?? 0) + 1
      perYear.set(y, n)
      v.ref.id = `${y}-${String(n).padStart(5, "0")}`
    }
    this.#closed = true
  }

  /** Σ of the lines on `accounts` dated on or before `asOf` (signed, debit positive). */
  balance(accounts: ReadonlyArray<string>, asOf: Dato.Dato): Oere {
    let s = 0
    for (const v of this.vouchers) {
      if (v.date > asOf) continue
      for (const l of v.lines) if (accounts.includes(l.account)) s += l.amount
    }
    return s as Oere
  }

  /** The ledger of a period, with opening balances. */
  describe(
    company: SaftDescription["company"],
    periode: Periode,
    parties: Pick<SaftDescription, "customers" | "suppliers">
  ): SaftDescription {
    const yearStart = `${periode.fraOgMed.slice(0, 4)}-01-01`
    const opening = new Map<string, number>(Object.keys(ACCOUNTS).map((a) => [a, 0]))
    for (const v of this.vouchers) {
      if (v.date >= periode.fraOgMed) break
      for (const l of v.lines) {
        if (isResultAccount(l.account) && v.date < yearStart) continue
        opening.set(l.account, (opening.get(l.account) ?? 0) + l.amount)
      }
    }
    const inside = this.vouchers.filter((v) => periode.fraOgMed <= v.date && v.date <= periode.tilOgMed)
    return {
      company,
      periode,
      accounts: Object.entries(ACCOUNTS).map(([id, description]) => ({ id, description, opening: (opening.get(id) ?? 0) as Oere })),
      transactions: () => inside.map((v) => ({ id: v.ref.id, date: v.date, description: v.description, lines: v.lines })),
      createdDate: periode.tilOgMed,
      ...parties
    }
  }
}
