/** Properties of carry-forward (src/store/CarryForward.ts), over arbitrary items and sign-offs. */
import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import type { Oere } from "../../src/domain/Money.ts"
import type { FollowUpItem } from "../../src/reconcile/FollowUp.ts"
import { allItemKinds } from "../../src/reconcile/Status.ts"
import { carryForward, type SignOff } from "../../src/store/CarryForward.ts"

const item = fc.record({
  kind: fc.constantFrom(...allItemKinds),
  id: fc.stringMatching(/^[a-z0-9-]{1,8}$/),
  amount: fc.integer({ min: -1e9, max: 1e9 })
}).map((x): FollowUpItem => ({
  kind: x.kind,
  status: "missing-in-ledger",
  id: x.id,
  date: undefined,
  amount: x.amount as Oere,
  contribution: x.amount as Oere,
  row: "2740",
  matchedTo: [],
  text: "mangler i regnskapet"
}))

const signOffOf = (i: FollowUpItem, n: number, amount: number = i.amount): SignOff => ({
  id: `s${String(n).padStart(4, "0")}`,
  runId: "r1",
  kind: i.kind,
  itemId: i.id,
  amount: amount as Oere,
  signedBy: "Kari",
  signedAt: `2026-03-${String(1 + (n % 28)).padStart(2, "0")}T10:00:00.000Z`,
  comment: "forklart"
})

describe("carry-forward", () => {
  it("keeps the items and their order; without sign-offs every item is følg opp", () => {
    fc.assert(fc.property(fc.array(item, { maxLength: 30 }), (items) => {
      const out = carryForward(items, [])
      expect(out.map((o) => [o.kind, o.id, o.amount])).toEqual(items.map((i) => [i.kind, i.id, i.amount]))
      expect(out.every((o) => o.disposition === "folg-opp" && o.signOff === undefined && o.reopened === undefined)).toBe(true)
    }))
  })

  it("an item signed off at its amount is kjent avvik with that sign-off; at another amount it is reopened", () => {
    fc.assert(fc.property(fc.uniqueArray(item, { selector: (i) => `${i.kind}/${i.id}`, maxLength: 30 }), fc.integer({ min: 1, max: 1e6 }), (items, delta) => {
      const same = items.map((i, n) => signOffOf(i, n))
      for (const o of carryForward(items, same)) {
        expect(o.disposition).toBe("kjent-avvik")
        expect(o.signOff).toMatchObject({ kind: o.kind, itemId: o.id, amount: o.amount, signedBy: "Kari", comment: "forklart" })
      }
      const changed = items.map((i, n) => signOffOf(i, n, i.amount + delta))
      for (const o of carryForward(items, changed, "en")) {
        expect(o).toMatchObject({ disposition: "folg-opp", dispositionLabel: "Follow up", reopened: { signedOffAmount: o.amount + delta } })
        expect(o.signOff).toBeUndefined()
      }
    }))
  })

  it("the latest sign-off of an item decides, and other items' sign-offs do not touch it", () => {
    fc.assert(fc.property(item, fc.integer({ min: 1, max: 1000 }), (i, delta) => {
      const older = signOffOf(i, 1, i.amount + delta)
      const newer = signOffOf(i, 2)
      expect(carryForward([i], [newer, older])[0]?.disposition).toBe("kjent-avvik")
      expect(carryForward([i], [signOffOf(i, 1), signOffOf(i, 2, i.amount + delta)])[0]?.disposition).toBe("folg-opp")
      const other = { ...signOffOf(i, 3), itemId: `${i.id}x` }
      expect(carryForward([i], [other])[0]?.disposition).toBe("folg-opp")
    }))
  })
})
