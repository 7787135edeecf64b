/**
 * The Trekkpålegg reconciliation over real HTTP: a sandbox employer's orders fetched through the
 * client, its payroll-style books written as SAF-T and read through the LedgerSourceRegistry, the
 * payroll file for the percentage orders. Clean books tie out with no finding; each deliberate
 * difference is found once, as its own kind, on its own order and month.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Layer } from "effect"
import * as fc from "fast-check"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Saft from "../../connectors/saft/index.ts"
import * as SaftWriter from "../../sandbox/saft/SaftWriter.ts"
import * as Sandbox from "../../sandbox/Simulator.ts"
import { ALL_TREKK_DIFFERENCES, generateTrekkBooks, type TrekkDifference } from "../../sandbox/trekkpaalegg/Books.ts"
import * as G from "../../sandbox/trekkpaalegg/Generate.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import type { Organisasjonsnummer } from "../../src/domain/PartIdentifikator.ts"
import * as Registry from "../../src/reconcile/LedgerSourceRegistry.ts"
import * as Loennsgrunnlag from "../../src/trekk/Loennsgrunnlag.ts"
import { reconcileTrekk } from "../../src/trekk/reconcile.ts"
import { runTrekk } from "../../src/trekk/run.ts"
import { decodeJson, encodeJson, type TrekkSection } from "../../src/trekk/Section.ts"
import { trekkLayer } from "./support.ts"

const EMPLOYER = "313367002" as Organisasjonsnummer
const periode = { fraOgMed: "2026-01-01" as Dato, tilOgMed: "2026-11-24" as Dato }

const reconcileBooks = (differences: ReadonlyArray<TrekkDifference>, withPayroll: boolean) =>
  Effect.gen(function*() {
    const h = yield* Sandbox.start()
    const books = generateTrekkBooks({ data: h.trekk.data, trekkpliktig: EMPLOYER, name: "Sandbox Regnskap AS", periode, asOf: h.today, differences })
    const dir = mkdtempSync(join(tmpdir(), "kravsync-trekk-"))
    const file = join(dir, `${EMPLOYER}.xml`)
    writeFileSync(file, SaftWriter.saftText(books.saft))
    const payroll = Either.getOrThrow(Loennsgrunnlag.parse(JSON.stringify({ loennsgrunnlag: books.loennsgrunnlag }), "lønn.json"))
    const section = yield* runTrekk({
      trekkpliktig: EMPLOYER,
      periode,
      asOf: h.today,
      ledger: `saft:${file}`,
      loennsgrunnlag: withPayroll ? { source: "lønn.json", data: payroll } : undefined
    }).pipe(Effect.provide(Layer.mergeAll(trekkLayer(h), Registry.layer([Saft.factory]))))
    return { section, books }
  }).pipe(Effect.scoped)

const kinds = (s: TrekkSection) => s.findings.map((f) => f.kind)

describe("Trekkpålegg against 2610", () => {
  it.live("clean payroll books tie out: no finding, conserved, nothing unexplained", () =>
    Effect.gen(function*() {
      const { section, books } = yield* reconcileBooks([], true)
      expect(books.injected).toEqual([])
      expect(section.findings).toEqual([])
      expect(section.totals.conserved).toBe(true)
      expect(section.totals.monthsNeedingPayroll).toBe(0)
      expect(section.totals.difference).toBe(0)
      expect(section.totals.withheld).toBe(section.totals.expected)
      expect(section.totals.withheld).toBeGreaterThan(0)
      // What is still owed at the end is exactly November's withholding, due on 20 December.
      expect(section.totals.closingOwed).toBe(section.totals.notDue)
      expect(section.totals.overdue).toBe(0)
      // Both kinds of order take part.
      const months = section.orders.flatMap((o) => o.months)
      expect(months.some((m) => m.trekkprosent !== undefined && (m.expected ?? 0) > 0)).toBe(true)
      expect(months.some((m) => m.trekkbeloep !== undefined && (m.expected ?? 0) > 0)).toBe(true)
      expect(section.needsAttention).toBe(false)
    }))

  it.live("each deliberate difference is found once, on its own order and month, and nothing else", () =>
    Effect.gen(function*() {
      const { section, books } = yield* reconcileBooks(ALL_TREKK_DIFFERENCES, true)
      expect(books.injected.map((i) => i.kind).sort()).toEqual([...ALL_TREKK_DIFFERENCES].sort())
      expect(kinds(section).sort()).toEqual([...ALL_TREKK_DIFFERENCES].sort())
      for (const i of books.injected) {
        const f = section.findings.filter((x) => x.kind === i.kind)
        expect(f).toHaveLength(1)
        expect({ trekkid: f[0]?.trekkid, maaned: f[0]?.maaned }).toEqual({ trekkid: i.trekkid, maaned: i.maaned })
      }
      expect(section.totals.conserved).toBe(true)
      const otherKid = section.findings.find((f) => f.kind === "betalt-med-annen-kid")
      const order = section.orders.find((o) => o.trekkid === otherKid?.trekkid)
      expect(otherKid?.kid).not.toBe(order?.kidnummer)
    }))

  it.live("without a payroll file, percentage orders need lønnsgrunnlag and are never guessed", () =>
    Effect.gen(function*() {
      const { section } = yield* reconcileBooks([], false)
      expect(section.totals.monthsNeedingPayroll).toBeGreaterThan(0)
      const months = section.orders.flatMap((o) => o.months)
      for (const m of months.filter((x) => x.trekkprosent !== undefined)) {
        expect(m.expected).toBeUndefined()
        expect(m.status).toBe("krever-loennsgrunnlag")
      }
      // The amount orders still tie out; nothing is flagged for what could not be computed.
      expect(section.findings).toEqual([])
      expect(section.needsAttention).toBe(true)
    }))

  it.live("the section's JSON form decodes back to the same value, and carries no full fødselsnummer", () =>
    Effect.gen(function*() {
      const { section } = yield* reconcileBooks(ALL_TREKK_DIFFERENCES, true)
      const json = encodeJson(section)
      expect(Either.getOrThrow(decodeJson(json))).toEqual(section)
      expect(json).not.toMatch(/(?<!\d)\d{11}(?!\d)/)
    }))
})

describe("Trekkpålegg against 2610, for any seed and employer", () => {
  it("the findings are exactly the injected differences, and the balance is conserved", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom(...Object.keys(G.TREKK_EMPLOYERS)),
        fc.subarray([...ALL_TREKK_DIFFERENCES]),
        (seed, trekkpliktig, differences) => {
          const today = "2026-11-24" as Dato
          const books = generateTrekkBooks({ data: G.generate({ seed, today }), trekkpliktig, name: "x", periode, asOf: today, differences, seed })
          const entries = [...books.saft.transactions()].flatMap((t) =>
            t.lines.map((l, j) => ({
              id: `${t.id}-${j}`,
              voucher: t.id,
              date: t.date,
              account: l.account,
              amount: l.amount,
              description: l.description,
              reference: l.reference
            }))
          )
          const section = reconcileTrekk({
            trekkpliktig,
            periode,
            asOf: today,
            orders: books.orders,
            accounts: ["2610"],
            ledgerAccounts: books.saft.accounts.map((a) => ({ number: a.id, name: a.description, openingBalance: a.opening })),
            entries,
            loennsgrunnlag: Either.getOrThrow(Loennsgrunnlag.parse(JSON.stringify({ loennsgrunnlag: books.loennsgrunnlag }), "lønn.json")),
            sources: { environment: "test", watermark: 0, korrelasjonsIder: [], ledger: "generated", assumptions: [] }
          })
          const key = (x: { kind: string; trekkid?: string | undefined; maaned?: string | undefined }) => `${x.kind} ${x.trekkid} ${x.maaned}`
          expect(section.findings.map(key).sort()).toEqual(books.injected.map(key).sort())
          expect(section.totals.conserved).toBe(true)
        }
      ),
      { numRuns: 60 }
    )
  })
})
