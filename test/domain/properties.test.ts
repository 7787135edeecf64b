import { describe, expect, it } from "@effect/vitest"
import { Either, ParseResult, Schema } from "effect"
import * as fc from "fast-check"
import { AapneKrav, Innbetalinger, KravListe, Utbetalinger } from "../../src/domain/Dokumenter.ts"
import * as Money from "../../src/domain/Money.ts"
import * as PartIdentifikator from "../../src/domain/PartIdentifikator.ts"

// An independent formulation of the modulus-11 rules, written from the published algorithm
// (control digit = 11 − (Σ wᵢ·dᵢ mod 11); 11 → 0; 10 → no valid number).
const control = (digits: string, weights: ReadonlyArray<number>): number | null => {
  const s = weights.reduce((acc, w, i) => acc + w * Number(digits[i]), 0)
  const k = (11 - (s % 11)) % 11
  return k === 10 ? null : k
}
const validOrg = (s: string) => control(s, [3, 2, 7, 6, 5, 4, 3, 2]) === Number(s[8])
const validFnrDigits = (s: string) => {
  const k1 = control(s, [3, 7, 6, 1, 8, 9, 4, 5, 2])
  const k2 = control(s, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
  return k1 === Number(s[9]) && k2 === Number(s[10])
}

const withOrgControl = (eight: string) => {
  const k = control(eight + "0", [3, 2, 7, 6, 5, 4, 3, 2])
  return k === null ? null : `${eight}${k}`
}
const withFnrControls = (nine: string) => {
  const k1 = control(nine, [3, 7, 6, 1, 8, 9, 4, 5, 2])
  if (k1 === null) return null
  const k2 = control(`${nine}${k1}`, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
  return k2 === null ? null : `${nine}${k1}${k2}`
}

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(""))
const isValid = (s: string) => Either.isRight(PartIdentifikator.classify(s))

describe("partIdentifikator", () => {
  it("accepts every test party in Skatteetaten's documentation", () => {
    for (const p of ["310478717", "313367002", "311851381", "314961900", "314055403", "212201782", "04827896468"]) expect(isValid(p)).toBe(true)
    expect(Either.getOrThrow(PartIdentifikator.classify("04827896468"))).toBe("syntetisk")
  })

  it("organisasjonsnummer agrees with the independent mod11 formulation on any 9 digits", () => {
    fc.assert(
      fc.property(digits(9), (s) => {
        expect(isValid(s)).toBe(validOrg(s))
      }),
      { numRuns: 2000 }
    )
  })

  it("every generated valid organisasjonsnummer is accepted; changing one digit is caught", () => {
    fc.assert(
      fc.property(digits(8), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 9 }), (eight, pos, delta) => {
        const org = withOrgControl(eight)
        fc.pre(org !== null)
        expect(isValid(org!)).toBe(true)
        const changed = org!.slice(0, pos) + String((Number(org![pos]) + delta) % 10) + org!.slice(pos + 1)
        expect(isValid(changed)).toBe(false)
      })
    )
  })

  const dateParts = fc.record({
    day: fc.integer({ min: 1, max: 28 }),
    month: fc.integer({ min: 1, max: 12 }),
    yy: fc.integer({ min: 0, max: 99 }),
    indiv: digits(3)
  })
  it.each(
    [
      ["fødselsnummer", 0, 0, "foedselsnummer"],
      ["D-nummer (day + 40)", 40, 0, "dnummer"],
      ["H-nummer (month + 40)", 0, 40, "hnummer"],
      ["Tenor synthetic (month + 80)", 0, 80, "syntetisk"]
    ] as const
  )("%s with valid control digits is accepted and classified; a broken k2 names the rule", (_, dayPlus, monthPlus, kind) => {
    fc.assert(
      fc.property(dateParts, ({ day, month, yy, indiv }) => {
        const nine = `${String(day + dayPlus).padStart(2, "0")}${String(month + monthPlus).padStart(2, "0")}${String(yy).padStart(2, "0")}${indiv}`
        const fnr = withFnrControls(nine)
        fc.pre(fnr !== null)
        expect(validFnrDigits(fnr!)).toBe(true)
        expect(PartIdentifikator.classify(fnr!)).toStrictEqual(Either.right(kind))
        const broken = fnr!.slice(0, 10) + String((Number(fnr![10]) + 1) % 10)
        const r = PartIdentifikator.classify(broken)
        expect(Either.isLeft(r) && r.left.rule).toBe("fødselsnummer second control digit (k2, mod11)")
      })
    )
  })

  it("names the failed rule and never prints a full fødselsnummer", () => {
    const r = PartIdentifikator.classify("04827896469")
    expect(Either.isLeft(r) && r.left.message).toBe("partIdentifikator 048278*****: fødselsnummer second control digit (k2, mod11)")
    expect(Either.isLeft(PartIdentifikator.classify("12345")) && PartIdentifikator.classify("12345")).toBeTruthy()
  })
})

describe("money in øre", () => {
  const oere = fc.integer({ min: -1e15, max: 1e15 })
  it("øre → wire number → øre is the identity", () => {
    fc.assert(fc.property(oere, (o) => {
      expect(Money.fromKronerNumber(Money.toKronerNumber(o as Money.Oere))).toStrictEqual(Either.right(o))
    }))
  })

  it("sums are exact: Σ decoded = decoded exact decimal sum", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e10, max: 1e10 }), { maxLength: 200 }), (xs) => {
        const decoded = xs.map((o) => Either.getOrThrow(Money.parseKroner(Money.toKronerText(o as Money.Oere))))
        expect(Money.sum(decoded)).toBe(xs.reduce((a, b) => a + b, 0))
      })
    )
    // the float trap: 0.1 + 0.2 kroner
    expect(Money.add(Either.getOrThrow(Money.fromKronerNumber(0.1)), Either.getOrThrow(Money.fromKronerNumber(0.2)))).toBe(30)
  })

  it("refuses more than two decimals, NaN and infinities with a reason", () => {
    expect(Money.fromKronerNumber(1.005)).toStrictEqual(Either.left("more than two decimals"))
    expect(Money.fromKronerNumber(Number.NaN)).toStrictEqual(Either.left("not a finite number"))
    expect(Money.fromKronerNumber(Number.POSITIVE_INFINITY)).toStrictEqual(Either.left("not a finite number"))
    expect(Money.parseKroner("10.500")).toStrictEqual(Either.right(1050))
    expect(Money.parseKroner("1e3")).toStrictEqual(Either.right(100000))
    expect(Money.formatNok(-123456789 as Money.Oere)).toBe("−1\u00a0234\u00a0567,89")
  })
})

describe("decoding arbitrary JSON", () => {
  it("never throws: it succeeds or fails with a typed ParseError", () => {
    for (const schema of [AapneKrav, KravListe, Innbetalinger, Utbetalinger] as ReadonlyArray<Schema.Schema<unknown, unknown>>) {
      fc.assert(
        fc.property(fc.jsonValue(), (v) => {
          const r = Schema.decodeUnknownEither(schema)(v)
          if (Either.isLeft(r)) expect(ParseResult.isParseError(r.left)).toBe(true)
        }),
        { numRuns: 300 }
      )
    }
  })
})
