/**
 * The demo's generated companies: a full year of books kept the way Norwegian accountants keep
 * them (sandbox/books, docs/test-books.md) — gross VAT settlements, monthly payroll runs, one
 * bank payment for several KIDs, a refund paid out and one set off, tax accrued on 2500 and moved
 * to 2510 — opening with the year before's closing balances (the 6th termin and last year's tax in
 * the opening balance) and closing with year-end accruals not claimed yet. One company carries a
 * deliberate difference of each kind; one is skjermet.
 *
 * For each: Skatteetaten's side as a scenario file the sandbox serves (`full/<part>.json`, what the
 * API would have served on the as-of date) and the ledger as SAF-T 1.30 (`ledgers/<part>.xml`).
 * Regenerate the committed files with `npx tsx sandbox/demo/books.ts`.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { Dato } from "../../src/domain/Dato.ts"
import type { Periode } from "../../src/domain/Periode.ts"
import { ALL_DIFFERENCES, type BookingStyle, type CompanyOptions, generateCompany } from "../books/index.ts"
import { writeSaft } from "../saft/SaftWriter.ts"

/** The reconciled year: the demo closes the books of 2025 as at 31 December. */
export const DEMO_YEAR = 2025
export const demoBooksPeriode: Periode = { fraOgMed: `${DEMO_YEAR}-01-01` as Dato, tilOgMed: `${DEMO_YEAR}-12-31` as Dato }
export const demoBooksAsOf = `${DEMO_YEAR}-12-31` as Dato

interface DemoCompany {
  readonly options: Omit<CompanyOptions, "firstYear" | "years">
  readonly skjermet: boolean
  /** What the demo shows about it, in Norwegian. */
  readonly what: string
}

const everyStyle: ReadonlyArray<BookingStyle> = [
  "gross-vat-settlement",
  "payroll-runs",
  "multi-kid-payment",
  "interest-expensed",
  "vat-refund",
  "skatt-2500-2510"
]

export const demoCompanies: ReadonlyArray<DemoCompany> = [
  {
    options: { part: "313367002", name: "Sandbox Regnskap AS", seed: 11, styles: everyStyle, differences: ALL_DIFFERENCES },
    skjermet: false,
    what: "helt regnskapsår med inngående saldo og periodiseringer, ett bevisst avvik av hvert slag"
  },
  {
    options: { part: "311851381", name: "Sandbox Bygg AS", seed: 12, styles: ["gross-vat-settlement", "payroll-runs", "multi-kid-payment"], skatt: false },
    skjermet: false,
    what: "helt regnskapsår ført slik norske regnskapsførere fører, uten avvik"
  },
  {
    options: {
      part: "310478717",
      name: "Sandbox Handel AS",
      seed: 13,
      styles: ["payment-in-settlement", "vat-refund", "skatt-2500-2510"],
      arbeidsgiver: false,
      differences: ["stray-entry"]
    },
    skjermet: false,
    what: "mva betalt i oppgjørsbilaget, tilgode mva utbetalt og motregnet, en feilført mva-korrigering"
  },
  {
    options: { part: "314055403", name: "Sandbox Skjermet ENK", seed: 14, styles: ["gross-vat-settlement"], arbeidsgiver: false, skatt: false },
    skjermet: true,
    what: "skjermet part: Skatteetaten gir ingen detaljer"
  }
]

/** Where the demo's files are: scenario files in full/, ledgers in ledgers/. */
export const demoDir: string = import.meta.dirname
export const demoLedgerFile = (part: string): string => join(import.meta.dirname, "ledgers", `${part}.xml`)
export const demoScenarioFile = (part: string): string => join(import.meta.dirname, "full", `${part}.json`)

const write = async () => {
  mkdirSync(join(import.meta.dirname, "ledgers"), { recursive: true })
  for (const c of demoCompanies) {
    const books = generateCompany({ ...c.options, firstYear: DEMO_YEAR - 1, years: 2 })
    const view = books.skatteetaten(demoBooksAsOf)
    const envelope = { partIdentifikator: c.options.part, periode: demoBooksPeriode, skjermet: c.skjermet }
    const scenario = {
      partIdentifikator: c.options.part,
      navn: c.options.name,
      ...(c.skjermet ? { aapnekrav: { partIdentifikator: c.options.part, skjermet: true } } : {}),
      krav: { ...envelope, krav: view.krav },
      innbetalinger: { ...envelope, innbetaling: view.innbetalinger },
      utbetalinger: { ...envelope, utbetaling: view.utbetalinger }
    }
    writeFileSync(demoScenarioFile(c.options.part), `${JSON.stringify(scenario, null, 2)}\n`)
    await writeSaft(books.ledger(demoBooksPeriode), demoLedgerFile(c.options.part))
    process.stdout.write(`wrote ${demoScenarioFile(c.options.part)} and ${demoLedgerFile(c.options.part)}\n`)
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await write()
