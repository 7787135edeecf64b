/**
 * Naive mirror books for the sandbox's generated parties (sandbox/Generate.ts): one ledger line
 * per claim and per payment. Not how accountants book — the demo uses sandbox/demo/books.ts
 * for that — but the Fiken connector's equivalence test reads the same books through Fiken and
 * through a SAF-T file with it. Deliberate differences of each kind:
 * - one claim never booked (missing in ledger), one booked 100 kr off (amount differs);
 * - a stray entry on the VAT account (only in ledger);
 * - a payment Skatteetaten has not placed is booked as paid (payment not placed);
 * - stipulated interest is never booked (interest not booked).
 */
import { Either } from "effect"
import type { Dato } from "../../src/domain/Dato.ts"
import * as Money from "../../src/domain/Money.ts"
import type { PartyData } from "../Generate.ts"
import type { SaftDescription, SaftTransaction } from "../saft/SaftWriter.ts"
import { DEFAULT_TODAY } from "../Simulator.ts"

type Json = Record<string, unknown>

/** Where each kravgruppe is booked, and the other side of the booking (NS 4102). */
const ACCOUNTS: Record<string, { readonly tax: string; readonly expense: string }> = {
  merverdiavgift: { tax: "2740", expense: "2700" },
  arbeidsgiveravgift: { tax: "2770", expense: "5400" },
  forskuddstrekk: { tax: "2600", expense: "5000" },
  skatt: { tax: "2510", expense: "8300" }
}

const oere = (n: unknown): number => (typeof n === "number" ? Either.getOrElse(Money.fromKronerNumber(n), () => 0) : 0)

/** The demo period: the sandbox's generated data starts in January of the year before "today". */
export const demoPeriode = (today: Dato = DEFAULT_TODAY) => ({ fraOgMed: `${Number(today.slice(0, 4)) - 1}-01-01` as Dato, tilOgMed: today })

export const mirrorBooks = (party: PartyData, options: { readonly perturb: boolean; readonly today?: Dato } = { perturb: true }): SaftDescription => {
  const periode = demoPeriode(options.today)
  const transactions: Array<SaftTransaction> = []
  let n = 0
  const book = (date: string, account: string, amount: number, other: string, description: string, reference?: string) => {
    n++
    transactions.push({
      id: `D${String(n).padStart(5, "0")}`,
      date: date as Dato,
      description,
      lines: [
        { account, amount: amount as Money.Oere, description, ...(reference ? { reference } : {}) },
        { account: other, amount: -amount as Money.Oere, description }
      ]
    })
  }
  const krav = party.krav.filter((k) => String(k["opprettelsesdatoForKrav"]) <= periode.tilOgMed)
  krav.forEach((k, i) => {
    const accounts = ACCOUNTS[String(k["kravgruppe"])]
    if (accounts === undefined) return
    const description = `${String((k["kravbeskrivelse"] as { spraakTekst: Array<{ tekst: string }> }).spraakTekst[0]?.tekst ?? k["kravtype"])} ${
      String(k["kravidentifikator"])
    }`
    for (const f of k["kravforfall"] as Array<Json>) {
      // Deliberate differences: the third claim is never booked, the fifth is booked 100 kr too high.
      const skip = options.perturb && i === 2
      const extra = options.perturb && i === 4 ? 10_000 : 0
      const kid = (f["betalingsinformasjon"] as Json | undefined)?.["kidnummer"] as string | undefined
      if (!skip) {
        book(
          String(k["opprettelsesdatoForKrav"]),
          accounts.tax,
          -(oere(f["opprinneligBeloep"]) + extra),
          accounts.expense,
          description,
          String(f["kravforfallsIdentifikator"])
        )
      }
      for (const p of (f["plassertInnbetaling"] ?? []) as Array<Json>) {
        book(String(p["innbetalingsdato"]), accounts.tax, Math.abs(oere(p["plassertBeloep"])), "1920", `Betalt ${description}`, kid)
      }
    }
  })
  for (const p of party.innbetalinger) {
    // A payment Skatteetaten has not placed yet: the books have it as paid on the VAT account.
    if (oere(p["uplassertBeloep"]) > 0) {
      book(String(p["innbetalingsdato"]), "2740", oere(p["uplassertBeloep"]), "1920", "Innbetaling skattekonto", String(p["innbetalingsidentifikator"]))
    }
  }
  if (options.perturb) book(`${periode.tilOgMed.slice(0, 7)}-01`, "2740", -123_45, "1920", "Korrigering merverdiavgift (ikke innrapportert)")
  return {
    company: { registrationNumber: party.part.length === 9 ? party.part : "000000000", name: party.name },
    periode,
    accounts: [
      { id: "1920", description: "Bankinnskudd", opening: 50_000_000 as Money.Oere },
      { id: "2510", description: "Betalbar skatt, fastsatt", opening: Money.zero },
      { id: "2600", description: "Forskuddstrekk", opening: Money.zero },
      { id: "2700", description: "Utgående merverdiavgift", opening: Money.zero },
      { id: "2740", description: "Oppgjørskonto merverdiavgift", opening: Money.zero },
      { id: "2770", description: "Skyldig arbeidsgiveravgift", opening: Money.zero },
      { id: "5000", description: "Lønn til ansatte", opening: Money.zero },
      { id: "5400", description: "Arbeidsgiveravgift", opening: Money.zero },
      { id: "8300", description: "Betalbar skatt", opening: Money.zero }
    ],
    transactions: () => transactions
  }
}
