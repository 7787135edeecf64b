import { describe, expect, it } from "@effect/vitest"
import { kravperiodeTekst } from "../../src/domain/Felles.ts"

describe("kravperiodeTekst", () => {
  it("shows Skatteetaten's own description alone — not \"1. termin 2025 2025 2025-01-01–2025-02-28\" (issue: the accountant's side)", () => {
    const p = { periodeBeskrivelse: { spraakTekst: [{ tekst: "1. termin 2025", spraak: "nb" }] }, aar: "2025", fraDato: "2025-01-01", tilDato: "2025-02-28" }
    expect(kravperiodeTekst(p as never)).toBe("1. termin 2025")
  })
  it("without a description, the year and the dates", () => {
    expect(kravperiodeTekst({ aar: "2025", fraDato: "2025-01-01", tilDato: "2025-02-28" } as never)).toBe("2025 2025-01-01–2025-02-28")
    expect(kravperiodeTekst("Inntektsår 2024")).toBe("Inntektsår 2024")
  })
})
