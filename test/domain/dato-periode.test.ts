import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import * as fc from "fast-check"
import * as Dato from "../../src/domain/Dato.ts"
import * as Kodeliste from "../../src/domain/Kodeliste.ts"
import * as Periode from "../../src/domain/Periode.ts"

// An independent formulation through the JS Date API in UTC, used only as an oracle.
const viaUtc = (epochDay: number): string => new Date(epochDay * 86_400_000).toISOString().slice(0, 10)

const epochDay = fc.integer({ min: -100_000, max: 100_000 })

describe("Dato", () => {
  it("epoch-day arithmetic agrees with UTC calendar arithmetic", () => {
    fc.assert(
      fc.property(epochDay, (n) => {
        const d = Dato.fromEpochDay(n)
        expect(d).toBe(viaUtc(n))
        expect(Dato.toEpochDay(d)).toBe(n)
      })
    )
  })

  it("rejects impossible dates and names the problem", () => {
    expect(Dato.parse("2023-02-29")).toStrictEqual(Either.left("\"2023-02-29\" has no day 29 in that month"))
    expect(Either.isRight(Dato.parse("2024-02-29"))).toBe(true)
    expect(Dato.parse("2023-13-01")).toStrictEqual(Either.left("\"2023-13-01\" has no month 13"))
    expect(Dato.parse("23-01-01")).toStrictEqual(Either.left("\"23-01-01\" is not a date in the form YYYY-MM-DD"))
  })

  it("today in Oslo does not drift with the host time zone", () => {
    // 23:30 UTC on 31 December is already New Year's Day in Oslo.
    expect(Dato.todayInOslo(new Date("2023-12-31T23:30:00Z"))).toBe("2024-01-01")
  })
})

describe("Periode", () => {
  const periode = fc
    .tuple(fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 0, max: 4_000 }))
    .map(([start, len]) => ({ fraOgMed: Dato.fromEpochDay(start), tilOgMed: Dato.fromEpochDay(start + len) }))

  it("splitIntoYears covers the period exactly, in order, each piece within one year", () => {
    fc.assert(
      fc.property(periode, (p) => {
        const pieces = Periode.splitIntoYears(p)
        expect(pieces[0]?.fraOgMed).toBe(p.fraOgMed)
        expect(pieces.at(-1)?.tilOgMed).toBe(p.tilOgMed)
        pieces.forEach((piece, i) => {
          expect(Periode.withinOneYear(piece)).toBe(true)
          expect(piece.fraOgMed <= piece.tilOgMed).toBe(true)
          const next = pieces[i + 1]
          if (next) expect(Dato.addDays(piece.tilOgMed, 1)).toBe(next.fraOgMed)
        })
        expect(pieces.length === 1).toBe(Periode.withinOneYear(p))
      })
    )
  })

  it("names the field that is wrong", () => {
    expect(Periode.make("2023-01-01", "2022-12-31")).toStrictEqual(
      Either.left({ field: "periode", message: "tilOgMed 2022-12-31 is before fraOgMed 2023-01-01" })
    )
    expect(Either.getLeft(Periode.make("2023-02-30", "2023-03-01")).pipe((o) => o._tag === "Some" && o.value.field)).toBe("fraOgMed")
  })

  it("a full calendar year is one call; a year and a day is two", () => {
    const year = Either.getOrThrow(Periode.make("2023-01-01", "2023-12-31"))
    expect(Periode.withinOneYear(year)).toBe(true)
    const more = Either.getOrThrow(Periode.make("2023-01-01", "2024-01-01"))
    expect(Periode.splitIntoYears(more)).toStrictEqual([year, { fraOgMed: "2024-01-01", tilOgMed: "2024-01-01" }])
  })
})

describe("Kodeliste", () => {
  it("matches the API's spelling of codes to the published lists", () => {
    expect(Kodeliste.lookupKravtype("RESTSKATT")?.kode).toBe("restskatt")
    expect(Kodeliste.lookupKravgruppe("Skatt")?.kode).toBe("skatt")
    expect(Kodeliste.lookupKravgruppe("Særavgift")?.kode).toBe("særavgifter")
    expect(Kodeliste.lookupKravtype("administrativSanksjonLoennsstoette")?.kode).toBe("administrativSanksjonLønnsstøtte")
  })

  it("an unknown code is reported as unknown, not an error", () => {
    expect(Kodeliste.lookupKravtype("RESTERENDE_SKT_TILB")).toBeUndefined()
    expect(Kodeliste.isKnownKravtype("heltNyKode2027")).toBe(false)
  })

  it("every code in the lists is found under its own name", () => {
    for (const k of Kodeliste.allKravtyper) expect(Kodeliste.lookupKravtype(k.kode)).toBeDefined()
    for (const g of Kodeliste.allKravgrupper) expect(Kodeliste.lookupKravgruppe(g.kode)).toBeDefined()
  })
})
