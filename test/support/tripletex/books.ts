/**
 * A company's books described independently of any ledger system, so a test can put the *same*
 * books into the fake Tripletex and into a SAF-T file: the shape is the one
 * sandbox/saft/SaftWriter.ts takes (structurally), and `generateBooks` makes
 * deterministic (seeded) books of any size.
 */
import * as Prng from "../../../sandbox/Prng.ts"
import type { SaftAccount, SaftDescription, SaftLine, SaftTransaction } from "../../../sandbox/saft/SaftWriter.ts"
import * as D from "../../../src/domain/Dato.ts"
import type { Oere } from "../../../src/domain/Money.ts"
import type { Periode } from "../../../src/domain/Periode.ts"

/** The SAF-T writer's description of a company's books, reused so both systems get the same books. */
export type BooksLine = SaftLine
export type BooksTransaction = SaftTransaction
export type BooksAccount = SaftAccount
export type Books = SaftDescription

/** The sandbox's seeded PRNG, so generated books are the same for the same seed. */
export const prng = (seed: number): () => number => Prng.make(seed).next

export interface GenerateOptions {
  readonly seed: number
  /** Number of vouchers; each has one line on a tax account and one on the bank account. */
  readonly vouchers: number
  readonly periode: Periode
  readonly company?: { readonly registrationNumber: string; readonly name: string }
  /** Accounts the tax lines go to, cycled at random. Default 2740 (mva), 2600 (forskuddstrekk), 2500 (betalbar skatt). */
  readonly taxAccounts?: ReadonlyArray<string>
  /** Counter account of every voucher. Default 1920. */
  readonly bankAccount?: string
}

const names: Record<string, string> = {
  "1920": "Bankinnskudd",
  "2500": "Betalbar skatt, ikke utlignet",
  "2600": "Forskuddstrekk",
  "2740": "Oppgjørskonto merverdiavgift",
  "2770": "Skyldig arbeidsgiveravgift",
  "8150": "Rentekostnader"
}

export const accountName = (n: string): string => names[n] ?? `Konto ${n}`

/** Deterministic books: `vouchers` two-line vouchers spread over the period, amounts with øre. */
export const generateBooks = (o: GenerateOptions): Books => {
  const tax = o.taxAccounts ?? ["2740", "2600", "2500"]
  const bank = o.bankAccount ?? "1920"
  const days = D.daysBetween(o.periode.fraOgMed, o.periode.tilOgMed) + 1
  const openRandom = prng(o.seed ^ 0x5eed)
  const accounts: Array<BooksAccount> = [bank, ...tax].map((id) => ({
    id,
    description: accountName(id),
    opening: ((id === bank ? 1 : -1) * Math.floor(openRandom() * 100_000_000)) as Oere
  }))
  return {
    company: o.company ?? { registrationNumber: "212201782", name: "Testbedrift AS" },
    periode: o.periode,
    accounts,
    transactions: function*() {
      const r = prng(o.seed)
      for (let i = 0; i < o.vouchers; i++) {
        const account = tax[Math.floor(r() * tax.length)] ?? "2740"
        const amount = Math.floor(r() * 5_000_000) + 1
        const payment = r() < 0.5
        const date = D.addDays(o.periode.fraOgMed, Math.floor((i * days) / Math.max(1, o.vouchers)))
        const kid = r() < 0.6 ? String(1_000_000_000 + Math.floor(r() * 8_999_999_999)) : undefined
        const taxAmount = (payment ? amount : -amount) as Oere
        yield {
          id: String(i + 1),
          date,
          description: payment ? `Betaling til Skatteetaten ${account}` : `Avsetning ${accountName(account)}`,
          lines: [
            {
              account,
              amount: taxAmount,
              description: payment ? "Innbetaling" : "Avsetning",
              ...(kid ? { reference: kid } : {}),
              ...(payment ? { supplierId: "Skatteetaten" } : {})
            },
            { account: bank, amount: -taxAmount as Oere, description: payment ? "Utbetaling bank" : "Motpost" }
          ]
        }
      }
    }
  }
}
