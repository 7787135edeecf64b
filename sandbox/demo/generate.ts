/**
 * Regenerates the demo ledgers: `npx tsx sandbox/demo/generate.ts`.
 * - 212201782-2023.xml: the books of sandbox party 212201782 against the seed data
 *   (sandbox/seed/): the restskatt claim matched on its reference, the payment booked with
 *   the wrong amount, the stipulated interest not booked, a stray entry, one after the as-of date.
 * - full/: saved Skatteetaten responses plus a ledger showing every status but skjermet.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { Dato } from "../../src/domain/Dato.ts"
import type { Oere } from "../../src/domain/Money.ts"
import { type SaftTransaction, writeSaft } from "../saft/SaftWriter.ts"

const here = import.meta.dirname
const kr = (n: number) => Math.round(n * 100) as Oere
const d = (s: string) => s as Dato
const company = { registrationNumber: "212201782", name: "Lystig Klam Katt Tusj AS" }
const accounts = [
  { id: "1920", description: "Bankinnskudd", opening: kr(250000) },
  { id: "2510", description: "Betalbar skatt, fastsatt", opening: kr(0) },
  { id: "2600", description: "Forskuddstrekk", opening: kr(-800) },
  { id: "2740", description: "Oppgjørskonto merverdiavgift", opening: kr(0) },
  { id: "2770", description: "Skyldig arbeidsgiveravgift", opening: kr(0) }
]
const pair = (
  id: string,
  date: string,
  account: string,
  amount: number,
  other: string,
  extra: { description?: string; reference?: string } = {}
): SaftTransaction => ({
  id,
  date: d(date),
  description: extra.description ?? id,
  lines: [
    { account, amount: kr(amount), ...extra },
    { account: other, amount: kr(-amount), description: extra.description ?? id }
  ]
})

const seedLedger: ReadonlyArray<SaftTransaction> = [
  pair("1001", "2023-01-31", "2510", -10000, "8300", { description: "Restskatt 2022", reference: "krav-1234" }),
  pair("1002", "2023-03-01", "2510", 900, "1920", { description: "Innbetaling restskatt", reference: "inn-1234" }),
  pair("1003", "2023-05-15", "2740", -4321.5, "2700", { description: "Mva-justering" }),
  pair("1004", "2023-09-20", "2510", 500, "1920", { description: "Betaling etter avstemmingsdato" })
]

const fullLedger: ReadonlyArray<SaftTransaction> = [
  pair("2001", "2023-02-28", "2740", -25000, "2700", { description: "Mva 1. termin", reference: "ff-mva-1" }), // matched (reference)
  pair("2002", "2023-04-11", "2740", 25000, "1920", { description: "Betalt mva 1. termin" }), // payment matched (amount/date)
  pair("2003", "2023-04-30", "2740", -18000, "2700", { description: "Mva 2. termin", reference: "ff-mva-2" }), // amount differs (claim 18 500)
  pair("2004", "2023-03-10", "2770", -6200, "5400", { description: "Aga jan-feb" }), // matched (amount/date)
  pair("2005", "2023-05-20", "2770", 3000, "1920", { description: "Innbetaling til skattekontoen", reference: "inn-uplassert" }), // unplaced payment
  pair("2006", "2023-06-01", "2740", -999.99, "2700", { description: "Feilført mva" }), // only in ledger
  pair("2007", "2023-12-20", "2600", -1200, "5000", { description: "Forskuddstrekk nov-des" }) // after the as-of date
]
const kravJson = (
  id: string,
  kravtype: string,
  forfall: Array<{ id: string; dato: string; beloep: number; gjenstaaende?: number; placements?: Array<{ inn: string; beloep: number; dato: string }> }>,
  extra: Record<string, unknown> = {}
) => ({
  partIdentifikator: "212201782",
  kravidentifikator: id,
  kravtype,
  opprinneligBeloep: forfall.reduce((s, f) => s + f.beloep, 0),
  gjenstaaendeBeloep: forfall.reduce((s, f) => s + (f.gjenstaaende ?? f.beloep), 0),
  kravforfall: forfall.map((f) => ({
    kravforfallsIdentifikator: f.id,
    forfallsdato: f.dato,
    opprinneligBeloep: f.beloep,
    gjenstaaendeBeloep: f.gjenstaaende ?? f.beloep,
    ...(f.placements
      ? {
        plassertInnbetaling: f.placements.map((p) => ({
          innbetalingsIdentifikator: p.inn,
          plassertBeloep: p.beloep,
          plassertDato: p.dato,
          innbetalingsdato: p.dato
        }))
      }
      : {})
  })),
  ...extra
})
const fullKrav = [
  kravJson("mva-2023-1", "åBetaleMva", [{
    id: "ff-mva-1",
    dato: "2023-04-11",
    beloep: 25000,
    gjenstaaende: 0,
    placements: [{ inn: "inn-mva-1", beloep: 25000, dato: "2023-04-11" }]
  }], { opprettelsesdatoForKrav: "2023-03-20" }),
  kravJson("mva-2023-2", "åBetaleMva", [{ id: "ff-mva-2", dato: "2023-06-12", beloep: 18500 }], {
    opprettelsesdatoForKrav: "2023-05-20",
    stipulerteRenter: 150
  }),
  kravJson("aga-2023-1", "arbeidsgiveravgift", [{ id: "ff-aga-1", dato: "2023-03-15", beloep: 6200 }], { opprettelsesdatoForKrav: "2023-03-05" }),
  kravJson("aga-2023-3", "arbeidsgiveravgift", [{ id: "ff-aga-3", dato: "2023-07-17", beloep: 5900 }], { opprettelsesdatoForKrav: "2023-07-05" }), // missing in ledger
  kravJson("ft-2022-6", "forskuddstrekk", [{ id: "ff-ft-2022-6", dato: "2023-01-16", beloep: 800 }], { opprettelsesdatoForKrav: "2022-12-31" }), // opening balance
  kravJson("tm-2023", "tvangsmulkt", [{ id: "ff-tm", dato: "2023-08-01", beloep: 2000 }], { opprettelsesdatoForKrav: "2023-07-01" }) // unmapped
]
const fullInnbetalinger = [
  { partIdentifikator: "212201782", innbetalingsidentifikator: "inn-mva-1", innbetalingsdato: "2023-04-11", innbetaltBeloep: 25000, uplassertBeloep: 0 },
  { partIdentifikator: "212201782", innbetalingsidentifikator: "inn-uplassert", innbetalingsdato: "2023-05-19", innbetaltBeloep: 3000, uplassertBeloep: 3000 }
]

const main = async () => {
  const periode = { fraOgMed: d("2023-01-01"), tilOgMed: d("2023-12-31") }
  await writeSaft(
    { company, periode, accounts: accounts.map((a) => (a.id === "2600" ? { ...a, opening: kr(0) } : a)), transactions: () => seedLedger },
    join(here, "212201782-2023.xml")
  )
  const full = join(here, "full")
  mkdirSync(full, { recursive: true })
  await writeSaft({ company, periode, accounts, transactions: () => fullLedger }, join(full, "212201782-2023-full.xml"))
  const json = (name: string, v: unknown) => writeFileSync(join(full, name), `${JSON.stringify(v, null, 2)}\n`)
  json("aapnekrav-212201782.json", {
    partIdentifikator: "212201782",
    skjermet: false,
    aapentKravMedGjenstaaendeBeloep: fullKrav.filter((k) => k.gjenstaaendeBeloep !== 0),
    innbetalingMedUplassertBeloep: fullInnbetalinger.filter((p) => p.uplassertBeloep !== 0)
  })
  json("krav-212201782-2023-01-01_2023-12-31.json", {
    partIdentifikator: "212201782",
    periode: { fraOgMed: "2023-01-01", tilOgMed: "2023-12-31" },
    skjermet: false,
    krav: fullKrav
  })
  json("innbetalinger-212201782-2023-01-01_2023-12-31.json", {
    partIdentifikator: "212201782",
    periode: { fraOgMed: "2023-01-01", tilOgMed: "2023-12-31" },
    skjermet: false,
    innbetaling: fullInnbetalinger
  })
}
void main()
