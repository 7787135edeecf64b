/** What accountants type is accepted (issue: the accountant's side): organisasjonsnummer with spaces or as NO…MVA, dates as dd.mm.yyyy. */
import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import * as Dato from "../../src/domain/Dato.ts"
import * as PartIdentifikator from "../../src/domain/PartIdentifikator.ts"

describe("input forms", () => {
  it("organisasjonsnummer with spaces, dots or as NO…MVA", () => {
    for (const form of ["313 367 002", " 313367002 ", "313.367.002", "NO313367002MVA", "NO 313 367 002 MVA", "no313367002mva"]) {
      expect(Either.getOrThrow(PartIdentifikator.parse(form))).toBe("313367002")
    }
    // the rule that failed is still named
    const bad = PartIdentifikator.parse("NO313367003MVA")
    expect(Either.isLeft(bad) && bad.left.message).toContain("control digit")
    expect(Either.isLeft(PartIdentifikator.parse("NO313367002"))).toBe(true)
  })
  it("dates as dd.mm.yyyy or ISO", () => {
    expect(Either.getOrThrow(Dato.parse("01.01.2023"))).toBe("2023-01-01")
    expect(Either.getOrThrow(Dato.parse("1.2.2023"))).toBe("2023-02-01")
    expect(Either.getOrThrow(Dato.parse("2023-02-01"))).toBe("2023-02-01")
    const bad = Dato.parse("31.02.2023")
    expect(Either.isLeft(bad) && bad.left).toContain("31.02.2023 (dd.mm.yyyy)")
  })
})

describe("amounts as typed", () => {
  it("comma decimals and grouped thousands", async () => {
    const { parseKronerInput } = await import("../../src/domain/Money.ts")
    for (const [text, oere] of [["1 234,56", 123456], ["1.234,56", 123456], ["−50", -5000], ["1234.5", 123450], ["0,05", 5]] as const) {
      expect(Either.getOrThrow(parseKronerInput(text))).toBe(oere)
    }
    expect(Either.isLeft(parseKronerInput("12,345"))).toBe(true) // three decimals: not an amount in øre
  })
})
