/**
 * The Trekkpålegg model against the published examples (api/trekkpaalegg.md, "Eksempler"; their
 * placeholder trekkpliktig and skyldner replaced by valid numbers, as the page asks), the exact
 * percentages and amounts, the rules of a period, and the payroll file.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import * as fc from "fast-check"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { maskDigits, normaliseScope } from "../../src/client/trekkpaalegg/request.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import * as T from "../../src/domain/trekkpaalegg/Trekkpaalegg.ts"
import * as Pct from "../../src/domain/trekkpaalegg/Trekkprosent.ts"
import * as Loennsgrunnlag from "../../src/trekk/Loennsgrunnlag.ts"

// Skatteetaten's Trekkpålegg page, from the shared reference material beside the repository (as CI lays it out)
const PAGE_PATH = ["reference", "skatteetaten", "api-dokumentasjon", "docs", "api", "trekkpaalegg.md"]
const PAGE = [join(import.meta.dirname, "..", "..", "..", "shared", ...PAGE_PATH), join("/work", "shared", ...PAGE_PATH)].find((p) => existsSync(p)) ??
  join("/work", "shared", ...PAGE_PATH)
const TREKKPLIKTIG = "313367002"
const SKYLDNER = "04827896468"

/** The JSON examples of the page, with the page's placeholder identifiers replaced. */
const examples = (): ReadonlyArray<Record<string, unknown>> => {
  const text = readFileSync(PAGE, "utf8")
  return [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) =>
    JSON.parse((m[1] ?? "").replaceAll("\"123456789\"", `"${TREKKPLIKTIG}"`).replaceAll("\"10108412345\"", `"${SKYLDNER}"`)) as Record<string, unknown>
  )
}

describe("Trekkpaalegg, decoded from the published examples", () => {
  it("every example decodes, and encodes back to the same document", () => {
    const xs = examples()
    expect(xs.length).toBeGreaterThanOrEqual(15)
    for (const x of xs) {
      const t = Either.getOrThrow(T.decode(x))
      expect(T.encode(t)).toEqual(x)
    }
  })

  it("amounts become øre and percentages exact millionths", () => {
    const [pct, beloep] = examples().map((x) => Either.getOrThrow(T.decode(x)))
    expect(pct?.trekkstoerrelseForPeriode[0]?.trekkprosent?.trekkprosent).toBe(17_000_000)
    expect(beloep?.trekkstoerrelseForPeriode[0]?.trekkbeloep?.trekkbeloep).toBe(500_000)
  })

  it("the placeholders as published fail the mod11 rules, naming the field and masking the person", () => {
    const raw = JSON.parse(/```json\n([\s\S]*?)```/.exec(readFileSync(PAGE, "utf8"))?.[1] ?? "{}") as Record<string, unknown>
    const e = T.decode({ ...raw, trekkpliktig: TREKKPLIKTIG })
    expect(Either.isLeft(e)).toBe(true)
    const message = Either.isLeft(e) ? e.left.message : ""
    expect(message).toContain("skyldner")
    expect(maskDigits(message)).not.toContain("10108412345")
  })

  it("a period with both an amount and a percentage, or neither, is refused at its path", () => {
    const base = examples()[0] as Record<string, unknown>
    const both = { ...base, trekkstoerrelseForPeriode: [{ startdato: "2025-08-10", trekkbeloep: { trekkbeloep: 10 }, trekkprosent: { trekkprosent: 5 } }] }
    const neither = { ...base, trekkstoerrelseForPeriode: [{ startdato: "2025-08-10" }] }
    for (const x of [both, neither]) {
      const r = T.decode(x)
      expect(Either.isLeft(r)).toBe(true)
      if (Either.isLeft(r)) expect(r.left.message).toContain("exactly one of trekkbeloep and trekkprosent")
    }
  })

  it("dates in the basic form 19981221 are read; more than two decimals of kroner, a negative amount or 100.5 % are refused", () => {
    const base = examples()[1] as Record<string, unknown>
    const basic = Either.getOrThrow(T.decode({ ...base, trekkstoerrelseForPeriode: [{ startdato: "20250810", trekkbeloep: { trekkbeloep: 5000 } }] }))
    expect(basic.trekkstoerrelseForPeriode[0]?.startdato).toBe("2025-08-10")
    for (const p of [{ trekkbeloep: { trekkbeloep: 10.005 } }, { trekkbeloep: { trekkbeloep: -1 } }, { trekkprosent: { trekkprosent: 100.5 } }]) {
      expect(Either.isLeft(T.decode({ ...base, trekkstoerrelseForPeriode: [{ startdato: "2025-08-10", ...p }] }))).toBe(true)
    }
    expect(Either.isLeft(T.decode({ ...base, opprettet: "2025-02-30T15:00:00Z" }))).toBe(true)
  })

  it("the period for a pay date, and an order's end", () => {
    const v4 = examples().find((x) => x["trekkid"] === "10006" && x["trekkversjon"] === 4) as Record<string, unknown>
    const t = Either.getOrThrow(T.decode(v4))
    const on = (d: string) => T.stoerrelse(T.periodeFor(t, d as Dato) as T.TrekkstoerrelseForPeriode)
    expect(on("2025-09-14")).toEqual({ _tag: "Beloep", beloep: 800_000 })
    expect(on("2025-09-15")).toEqual({ _tag: "Beloep", beloep: 600_000 })
    expect(on("2026-02-10")).toEqual({ _tag: "Beloep", beloep: 700_000 })
    expect(T.periodeFor(t, "2025-08-27" as Dato)).toBeUndefined()
    expect(T.sluttdato(t)).toBeUndefined()
    const ended = Either.getOrThrow(T.decode(examples().find((x) => x["trekkid"] === "10005" && x["trekkversjon"] === 2)))
    expect(T.sluttdato(ended)).toBe("2025-08-31")
    expect(T.periodeFor(ended, "2025-09-01" as Dato)).toBeUndefined()
  })
})

describe("Trekkprosent", () => {
  it("reads the shortest decimal of any number with up to six decimals exactly, and writes it back", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), (micro) => {
        const text = Pct.toText(micro as Pct.MikroProsent)
        expect(Either.getOrThrow(Pct.parseProsent(String(Number(text))))).toBe(micro)
      })
    )
  })

  it("a percentage of øre is rounded half away from zero, exactly as integer arithmetic says", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), fc.integer({ min: 0, max: 100_000_000 }), (oere, micro) => {
        const got = Pct.ofOere(oere, micro as Pct.MikroProsent)
        const exact = BigInt(oere) * BigInt(micro)
        const den = 100_000_000n
        const floor = exact / den
        const rest = exact % den
        expect(BigInt(got)).toBe(rest * 2n >= den ? floor + 1n : floor)
      })
    )
    expect(Pct.ofOere(4_523_050, 17_000_000 as Pct.MikroProsent)).toBe(768_919) // 45 230,50 × 17 % = 7 689,185 → 7 689,19
  })

  it("refuses more than six decimals and values outside 0–100", () => {
    expect(Either.isLeft(Pct.parseProsent("12.3456789"))).toBe(true)
    expect(Either.isLeft(Pct.parseProsent("1e-7"))).toBe(true)
    expect(Either.isLeft(Pct.parseProsent("100.000001"))).toBe(true)
    expect(Either.getOrThrow(Pct.parseProsent("1e-6"))).toBe(1)
  })
})

describe("scope and payroll file", () => {
  it("the seed page's scope spelling is read as the documented one, with a note", () => {
    expect(normaliseScope("skatteetaten:trekkpålegg")).toMatchObject({ scope: "skatteetaten:trekkpaalegg" })
    expect(normaliseScope("skatteetaten:trekkpålegg").note).toContain("skatteetaten:trekkpaalegg")
    expect(normaliseScope(undefined)).toEqual({ scope: "skatteetaten:trekkpaalegg", note: undefined })
    expect(normaliseScope("skatteetaten:trekkpaalegg").note).toBeUndefined()
  })

  it("CSV and JSON give the same rows; a bad row names its line and field, the person masked", () => {
    const csv = `skyldner;maaned;bruttoloenn;utbetalingsdato\n${SKYLDNER};2026-03;45 230,50;2026-03-20\n`
    const json = JSON.stringify({ loennsgrunnlag: [{ skyldner: SKYLDNER, maaned: "2026-03", bruttoloenn: 45230.5, utbetalingsdato: "2026-03-20" }] })
    const a = Either.getOrThrow(Loennsgrunnlag.parse(csv, "l.csv"))
    const b = Either.getOrThrow(Loennsgrunnlag.parse(json, "l.json"))
    expect(a).toEqual(b)
    expect(Loennsgrunnlag.lookup(a, SKYLDNER, "2026-03")?.bruttoloenn).toBe(4_523_050)
    const bad = Loennsgrunnlag.parse(`skyldner;maaned;bruttoloenn\n04827896469;2026-03;100\n`, "l.csv")
    expect(Either.isLeft(bad)).toBe(true)
    if (Either.isLeft(bad)) {
      expect(bad.left.message).toContain("line 2")
      expect(bad.left.message).toContain("skyldner")
      expect(bad.left.message).not.toContain("04827896469")
    }
    const twice = Loennsgrunnlag.parse(`${csv}${SKYLDNER};2026-03;1;\n`, "l.csv")
    expect(Either.isLeft(twice) && twice.left.problem).toContain("two rows for 2026-03")
  })
})
