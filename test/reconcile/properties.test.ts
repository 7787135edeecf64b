/**
 * Property tests: random claims, payments and ledgers.
 * - A ledger built to mirror Skatteetaten exactly reconciles with zero difference, all matched.
 * - Whatever is done to the ledger (entries dropped, amounts changed, strays added), every item
 *   comes out exactly once, totals per status add up to the input to the øre, and the difference
 *   is fully explained (the mirror's opening balance and Skatteetaten's figures are consistent).
 */
import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Dato from "../../src/domain/Dato.ts"
import type { Oere } from "../../src/domain/Money.ts"
import type { LedgerEntry } from "../../src/reconcile/LedgerSource.ts"
import { aapneKrav, bridgeHolds, innbetalinger, kravListe, type KravSpec, run, snapshot } from "./helpers.ts"

const TYPES = [
  ["åBetaleMva", "2740"],
  ["arbeidsgiveravgift", "2770"],
  ["forskuddstrekk", "2600"],
  ["restskatt", "2510"]
] as const

const claimArb = fc.record({
  type: fc.integer({ min: 0, max: 3 }),
  day: fc.integer({ min: 10, max: 300 }), // keeps every payment inside the period
  forfall: fc.array(
    fc.record({ oere: fc.integer({ min: 1, max: 50_000_000 }), paidPart: fc.integer({ min: 0, max: 2 }), offset: fc.integer({ min: 0, max: 40 }) }),
    { minLength: 1, maxLength: 3 }
  ),
  renter: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined }),
  withRef: fc.boolean()
})

type Claim = typeof claimArb extends fc.Arbitrary<infer C> ? C : never

const build = (claims: ReadonlyArray<Claim>) => {
  const specs: Array<KravSpec> = []
  const payments: Array<{ id: string; dato: string; beloep: number }> = []
  const entries: Array<LedgerEntry> = []
  claims.forEach((c, i) => {
    const [kravtype, account] = TYPES[c.type as number]!
    const created = Dato.addDays("2023-01-01" as Dato.Dato, c.day)
    const forfall = (c.forfall as Array<{ oere: number; paidPart: number; offset: number }>).map((f, j) => {
      const id = `ff-${i}-${j}`
      const dato = Dato.addDays(created, 10 + f.offset)
      const paid = f.paidPart === 0 ? 0 : f.paidPart === 1 ? Math.floor(f.oere / 2) : f.oere
      entries.push({ id: `b-${id}`, voucher: `v${i}`, date: created, account, amount: -f.oere as Oere, ...(c.withRef ? { reference: id } : {}) })
      const placements = paid > 0 ? [{ innbetaling: `inn-${id}`, beloep: paid / 100, dato }] : undefined
      if (paid > 0) {
        payments.push({ id: `inn-${id}`, dato, beloep: paid / 100 })
        entries.push({ id: `p-${id}`, voucher: `p${i}`, date: dato as Dato.Dato, account, amount: paid as Oere, reference: `inn-${id}` })
      }
      return { id, forfallsdato: dato, opprinnelig: f.oere / 100, gjenstaaende: (f.oere - paid) / 100, placements }
    })
    if (c.renter !== undefined) {
      entries.push({ id: `r-${i}`, voucher: `r${i}`, date: "2023-12-20" as Dato.Dato, account, amount: -c.renter as Oere, description: `Renter krav-${i}` })
    }
    specs.push({ id: `krav-${i}`, kravtype, opprettet: created, renter: c.renter === undefined ? undefined : c.renter / 100, forfall })
  })
  return { specs, payments, entries }
}

const perturbArb = fc.record({
  drop: fc.array(fc.nat(), { maxLength: 5 }),
  change: fc.array(fc.tuple(fc.nat(), fc.integer({ min: -100_000, max: 100_000 })), { maxLength: 5 }),
  stray: fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 0, max: 360 })), { maxLength: 5 })
})

describe("reconcile properties", () => {
  it("a ledger that mirrors Skatteetaten reconciles with zero difference", () => {
    fc.assert(
      fc.property(fc.array(claimArb, { maxLength: 25 }), (claims) => {
        const { specs, payments, entries } = build(claims)
        const r = run({
          krav: kravListe(specs),
          aapneKrav: aapneKrav(specs.filter((s) => s.forfall.some((f) => (f.gjenstaaende ?? 0) !== 0))),
          innbetalinger: innbetalinger(payments),
          ledger: snapshot(entries)
        })
        expect(r.totals.conserved).toBe(true)
        for (const a of r.accounts) {
          expect(a.difference).toBe(0)
          expect(a.unexplained).toBe(0)
        }
        for (const c of r.claims) {
          for (const f of c.forfall) expect(f.status).toBe("matched")
          if (c.renter) expect(c.renter.status).toBe("matched")
        }
        for (const p of r.payments) expect(p.status).toBe("matched")
        for (const e of r.ledgerEntries) expect(e.status).toBe("matched")
      }),
      { numRuns: 150 }
    )
  })

  it("whatever happens to the ledger, nothing is lost and the difference is explained to the øre", () => {
    fc.assert(
      fc.property(fc.array(claimArb, { maxLength: 25 }), perturbArb, (claims, p) => {
        const { specs, payments, entries } = build(claims)
        const ledger = [...entries]
        for (const d of p.drop) if (ledger.length > 0) ledger.splice(d % ledger.length, 1)
        for (const [i, delta] of p.change) {
          if (ledger.length > 0 && delta !== 0) {
            const k = i % ledger.length
            ledger[k] = { ...ledger[k]!, amount: (ledger[k]!.amount + delta) as Oere }
          }
        }
        p.stray.forEach(([t, amount, day], i) =>
          ledger.push({ id: `stray-${i}`, voucher: "s", date: Dato.addDays("2023-01-01" as Dato.Dato, day), account: TYPES[t]![1], amount: amount as Oere })
        )
        const r = run({ krav: kravListe(specs), innbetalinger: innbetalinger(payments), ledger: snapshot(ledger) })
        expect(r.totals.conserved).toBe(true)
        const inputTotal = ledger.reduce((s, e) => s + e.amount, 0)
        expect(r.totals.byKind.find((k) => k.kind === "bilagslinje")).toMatchObject({ count: ledger.length, amount: inputTotal })
        expect(new Set(r.ledgerEntries.map((e) => e.id)).size).toBe(ledger.length)
        for (const a of r.accounts) {
          expect(a.unexplained).toBe(0)
          expect(a.difference).toBe(a.explained)
          bridgeHolds(a)
        }
      }),
      { numRuns: 150 }
    )
  })
})
