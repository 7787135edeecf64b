/**
 * The engine measured on books as Norwegian accountants book them (sandbox/books): two
 * consecutive years (the first year's closing balances are the second's opening balances, with the
 * 6th termin and the year's tax accrual), reconciled at every month-end of the second year.
 * - Mirror books, in each booking style alone, with none, and all together: zero items needing
 *   follow-up, nothing unexplained, every item out exactly once, every row's bridge exact.
 * - With every deliberate difference injected: no false alarm at any month-end, and each difference
 *   found exactly once, with its own status, from the date its termin's claim must exist on
 *   (before that, a booking for the termin is rightly "accrued, not claimed yet").
 * The style × (found, false alarms) table is written into docs/reconciliation.md
 * (KRAVSYNC_WRITE_DOCS=1) and checked against it otherwise, so the docs cannot go stale.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fc from "fast-check"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Saft from "../../connectors/saft/SaftLedgerSource.ts"
import {
  ALL_DIFFERENCES,
  ALL_STYLES,
  type BookingStyle,
  type CompanyBooks,
  type DeliberateDifference,
  generateCompany,
  type InjectedDifference
} from "../../sandbox/books/index.ts"
import { writeSaft } from "../../sandbox/saft/SaftWriter.ts"
import * as Dato from "../../src/domain/Dato.ts"
import type { PartIdentifikator } from "../../src/domain/PartIdentifikator.ts"
import type { Periode } from "../../src/domain/Periode.ts"
import * as Calendar from "../../src/reconcile/engine/calendar.ts"
import * as Mapping from "../../src/reconcile/mapping/AccountMapping.ts"
import type { Report } from "../../src/reconcile/Report.ts"
import { findings, followUps, isCausedBy, reconcileBooks } from "./books.ts"
import { bridgeHolds } from "./helpers.ts"

const YEAR = 2025
const PERIODE = { fraOgMed: `${YEAR}-01-01`, tilOgMed: `${YEAR}-12-31` } as Periode
const monthEnds = Array.from(
  { length: 12 },
  (_, m) => Dato.addDays(`${m === 11 ? YEAR + 1 : YEAR}-${String(((m + 1) % 12) + 1).padStart(2, "0")}-01` as Dato.Dato, -1)
)

const company = (styles: ReadonlyArray<BookingStyle>, seed: number, differences: ReadonlyArray<DeliberateDifference> = []): CompanyBooks =>
  generateCompany({ part: "313367002", name: "Sandbox Regnskap AS", seed, firstYear: YEAR - 1, years: 2, styles, differences })

const ROW_GROUP: Readonly<Record<string, string>> = { "2740": "merverdiavgift", "2770": "arbeidsgiveravgift", "2600": "forskuddstrekk", "2500+2510": "skatt" }

/**
 * From when a difference can be known: a booking for a termin whose claim need not exist yet is
 * "accrued", so a stray correction shows only once its termin's claim is due; the rest show at once.
 */
const detectableFrom = (d: InjectedDifference): Dato.Dato => {
  if (d.kind !== "stray-entry") return d.date
  return Calendar.periodOf(ROW_GROUP[d.row] ?? "merverdiavgift", d.date)?.deadline ?? d.date
}

const sound = (r: Report) => {
  expect(r.totals.conserved).toBe(true)
  for (const a of r.accounts) {
    expect(a.unexplained).toBe(0)
    bridgeHolds(a)
  }
}

interface Tally {
  found: number
  expected: number
  falseAlarms: number
  reconciliations: number
}

/** Reconciles the books at every month-end; returns what was found and every false alarm. */
const tally = (books: CompanyBooks): Tally & { readonly alarms: Array<string>; readonly misses: Array<string> } => {
  const t = { found: 0, expected: 0, falseAlarms: 0, reconciliations: 0, alarms: [] as Array<string>, misses: [] as Array<string> }
  for (const asOf of monthEnds) {
    const r = reconcileBooks(books, PERIODE, asOf)
    sound(r)
    t.reconciliations++
    const items = followUps(r)
    for (const f of items) {
      if (!books.differences.some((d) => isCausedBy(f, d))) {
        t.falseAlarms++
        t.alarms.push(`${asOf} ${f.kind} ${f.id} ${f.status}: ${f.text}`)
      }
    }
    for (const d of books.differences) {
      if (d.date > asOf) continue
      const n = findings(items, d).length
      if (asOf >= detectableFrom(d)) {
        t.expected++
        if (n === 1) t.found++
        else t.misses.push(`${asOf} ${d.kind} found ${n} times`)
      } else if (n > 1) t.misses.push(`${asOf} ${d.kind} found ${n} times before it is due`)
    }
  }
  return t
}

const CONFIGS: ReadonlyArray<{ readonly name: string; readonly styles: ReadonlyArray<BookingStyle> }> = [
  { name: "(one line per claim)", styles: [] },
  ...ALL_STYLES.map((s) => ({ name: s, styles: [s] })),
  { name: "all styles together", styles: ALL_STYLES }
]
const SEEDS = [1, 2, 3]

describe("booking styles: the engine on realistic books", () => {
  const rows: Array<string> = []

  for (const config of CONFIGS) {
    it(`${config.name}: mirror books give no follow-up at any month-end; each deliberate difference is found once`, () => {
      const mirror = { found: 0, expected: 0, falseAlarms: 0, reconciliations: 0 }
      const perturbed = { found: 0, expected: 0, falseAlarms: 0, reconciliations: 0 }
      for (const seed of SEEDS) {
        const m = tally(company(config.styles, seed))
        expect(m.alarms).toEqual([])
        mirror.reconciliations += m.reconciliations
        const p = tally(company(config.styles, seed, ALL_DIFFERENCES))
        expect(p.alarms).toEqual([])
        expect(p.misses).toEqual([])
        perturbed.found += p.found
        perturbed.expected += p.expected
        perturbed.falseAlarms += p.falseAlarms
        perturbed.reconciliations += p.reconciliations
      }
      rows.push(
        `| ${config.name} | ${mirror.reconciliations} | ${mirror.falseAlarms} | ${perturbed.found} of ${perturbed.expected} | ${perturbed.falseAlarms} |`
      )
    })
  }

  it("the year-end report names each difference with its own explanation", () => {
    const books = company(ALL_STYLES, 1, ALL_DIFFERENCES)
    const r = reconcileBooks(books, PERIODE, `${YEAR}-12-31` as Dato.Dato)
    const items = followUps(r)
    const text = (kind: DeliberateDifference) => findings(items, books.differences.find((d) => d.kind === kind)!)[0]?.text ?? ""
    expect(text("claim-not-booked")).toMatch(/^finner ingen bilagslinje for [\d  ]+,\d\d i regnskapet$/)
    expect(text("claim-amount-off")).toMatch(/avvik 100,00/)
    expect(text("stray-entry")).toMatch(/svarer ikke til noe hos Skatteetaten/)
    expect(text("payment-not-placed")).toMatch(/Skatteetaten har ikke plassert/)
    expect(text("interest-not-booked")).toMatch(/^stipulerte renter [\d  ]+,\d\d er ikke bokført$/)
    expect(text("payment-wrong-account")).toBe("bokført på 2740, Skatteetaten har plassert den på arbeidsgiveravgift (2770)")
  })

  it("docs/reconciliation.md carries the table this test measures", () => {
    const table = [
      "| booking style | mirror reconciliations | false alarms (mirror) | deliberate differences found once | false alarms (with differences) |",
      "|---|---|---|---|---|",
      ...rows
    ].join("\n")
    const path = join(import.meta.dirname, "../../docs/reconciliation.md")
    const doc = readFileSync(path, "utf8")
    const begin = "<!-- booking-styles:begin -->"
    const end = "<!-- booking-styles:end -->"
    const updated = `${doc.slice(0, doc.indexOf(begin) + begin.length)}\n${table}\n${doc.slice(doc.indexOf(end))}`
    if (process.env["KRAVSYNC_WRITE_DOCS"] === "1") writeFileSync(path, updated)
    else expect(doc).toBe(updated)
  })
})

describe("booking styles: properties", () => {
  it("random books in any mix of styles: a mirror ledger needs no follow-up and conserves every øre, at any month-end", () => {
    fc.assert(
      fc.property(fc.subarray([...ALL_STYLES]), fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom(...monthEnds), (styles, seed, asOf) => {
        const books = company(styles, seed)
        const r = reconcileBooks(books, PERIODE, asOf)
        sound(r)
        expect(followUps(r).map((f) => `${f.kind} ${f.id} ${f.status}: ${f.text}`)).toEqual([])
      }),
      { numRuns: 60 }
    )
  })

  it("random books with every deliberate difference: each found once at year-end, nothing else flagged", () => {
    fc.assert(
      fc.property(fc.subarray([...ALL_STYLES]), fc.integer({ min: 1, max: 1_000_000 }), (styles, seed) => {
        const books = company(styles, seed, ALL_DIFFERENCES)
        const r = reconcileBooks(books, PERIODE, `${YEAR}-12-31` as Dato.Dato)
        sound(r)
        const items = followUps(r)
        expect(items.filter((f) => !books.differences.some((d) => isCausedBy(f, d))).map((f) => `${f.kind} ${f.id} ${f.status}: ${f.text}`)).toEqual([])
        for (const d of books.differences) expect([d.kind, findings(items, d).length]).toEqual([d.kind, 1])
      }),
      { numRuns: 40 }
    )
  })
})

describe("booking styles: any period, any source", () => {
  it("a period that starts mid-year, with a non-zero opening balance, ties out at every month-end to December", () => {
    const periode = { fraOgMed: `${YEAR}-07-01`, tilOgMed: `${YEAR}-12-31` } as Periode
    for (const seed of SEEDS) {
      const books = company(ALL_STYLES, seed)
      const ledger = books.ledger(periode)
      expect(ledger.accounts.some((a) => ["2740", "2770", "2600", "2500", "2510"].includes(a.id) && a.opening !== 0)).toBe(true)
      for (const asOf of monthEnds.slice(6)) {
        const r = reconcileBooks(books, periode, asOf)
        sound(r)
        expect(followUps(r).map((f) => `${asOf} ${f.kind} ${f.id} ${f.status}: ${f.text}`)).toEqual([])
      }
    }
  })

  it.effect("the same books read from a SAF-T file give the same reconciliation, line for line", () =>
    Effect.gen(function*() {
      const books = company(ALL_STYLES, 2, ALL_DIFFERENCES)
      const description = books.ledger(PERIODE)
      const path = join(mkdtempSync(join(tmpdir(), "kravsync-books-")), "books.xml")
      yield* Effect.promise(() => writeSaft(description, path))
      const viaFile = yield* Saft.make({ path }).read({
        company: books.part as PartIdentifikator,
        periode: PERIODE,
        accounts: Mapping.accounts(Mapping.standard)
      })
      const asOf = `${YEAR}-12-31` as Dato.Dato
      const key = (r: Report) => r.ledgerEntries.filter((e) => e.row !== "").map((e) => `${e.voucher} ${e.date} ${e.account} ${e.amount} ${e.status}`).sort()
      const direct = reconcileBooks(books, PERIODE, asOf)
      const fromFile = reconcileBooks(books, PERIODE, asOf, viaFile)
      expect(key(fromFile)).toEqual(key(direct))
      expect(fromFile.accounts.map((a) => [a.key, a.difference, a.unexplained])).toEqual(direct.accounts.map((a) => [a.key, a.difference, a.unexplained]))
      expect(fromFile.ledgerNotes).toEqual([])
    }))
})
