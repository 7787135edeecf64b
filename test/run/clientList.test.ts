/**
 * The client list: CSV (`,`/`;`, quotes), JSON and YAML read to the same rows; a bad row is
 * reported by its line and field while the others run; an unknown column refuses the list;
 * defaults from flags and from the list; relative files against the list's folder.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import * as fc from "fast-check"
import { parseClientList } from "../../src/run/ClientList.ts"
import { parseCsv } from "../../src/run/csv.ts"

const schemes = ["saft", "tripletex", "fiken"]
const parse = (file: string, text: string, defaults = {}) => {
  const r = parseClientList(file, text, defaults, schemes)
  if (Either.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

describe("the client list", () => {
  it("CSV with ; and a BOM, JSON and YAML give the same rows", () => {
    const csv = "\uFEFForgnr;navn;ledger;as_of\n313 367 002;Sandbox Regnskap AS;saft:books/a.xml;31.12.2025\n310478717;\"Handel; og Co AS\";tripletex:42;\n"
    const json = JSON.stringify([
      { orgnr: "313367002", navn: "Sandbox Regnskap AS", ledger: "saft:books/a.xml", as_of: "2025-12-31" },
      { orgnr: 310478717, name: "Handel; og Co AS", ledger: "tripletex:42" }
    ])
    const yaml = [
      "clients:",
      "  - orgnr: 313367002",
      "    navn: Sandbox Regnskap AS",
      "    ledger: saft:books/a.xml",
      "    as-of: 2025-12-31",
      "  - organisasjonsnummer: \"310478717\"",
      "    navn: \"Handel; og Co AS\"",
      "    regnskap: tripletex:42"
    ].join("\n")
    const strip = (rows: ReadonlyArray<{ readonly line: number }>) => rows.map(({ line: _line, ...rest }) => rest)
    const a = parse("/firm/klienter.csv", csv)
    const b = parse("/firm/klienter.json", json)
    const c = parse("/firm/klienter.yaml", yaml)
    expect(a.problems).toEqual([])
    expect(strip(a.rows)).toEqual(strip(b.rows))
    expect(strip(a.rows)).toEqual(strip(c.rows))
    expect(a.rows[0]?.ledger).toBe("saft:/firm/books/a.xml")
    expect(a.rows[0]?.asOf).toBe("2025-12-31")
    expect(a.rows.map((r) => r.line)).toEqual([2, 3])
    expect(c.rows.map((r) => r.line)).toEqual([2, 6])
  })

  it("a bad row names its line and field; the others run", () => {
    const csv = [
      "orgnr,ledger,fra,til",
      "313367002,saft:a.xml,,",
      "313367003,saft:b.xml,,",
      "310478717,ftp:books,,",
      "",
      "311851381,saft:c.xml,2025-02-30,",
      "314055403,,,",
      "310478717,saft:d.xml,2025-06-01,2025-01-01",
      "313367002,saft:e.xml,,"
    ].join("\n")
    const l = parse("/x/k.csv", csv)
    expect(l.rows.map((r) => r.orgnr)).toEqual(["313367002"])
    expect(l.problems.map((p) => [p.line, p.field])).toEqual([[3, "orgnr"], [4, "ledger"], [6, "fra"], [7, "ledger"], [8, "til"], [9, "orgnr"]])
    expect(l.problems[0]?.message).toMatch(/mod11/)
    expect(l.problems[5]?.message).toMatch(/already on line 2/)
    // each in bokmål too (the CLI's default language), the same value and rule
    expect(l.problems.map((p) => p.messageNb)).toEqual([
      "partIdentifikator 313367003: kontrollsifferet i organisasjonsnummeret stemmer ikke (mod11) — ventet 2, fikk 3",
      "ukjent regnskapskilde «ftp:books»; kjente: saft:FILE, tripletex, fiken",
      "«2025-02-30» har ingen dag 30 i den måneden",
      "mangler regnskapskilde: oppgi den i raden, eller for alle rader med --ledger (saft:FIL, tripletex, fiken)",
      "til 2025-01-01 er før fra 2025-06-01",
      "313367002 står allerede på linje 2; en klient kjøres én gang"
    ])
  })

  it("an unknown column refuses the list, naming it", () => {
    const r = parseClientList("k.csv", "orgnr,ledgr\n313367002,saft:a.xml\n", {}, schemes)
    expect(Either.isLeft(r) && r.left.message).toMatch(/line 1: unknown column "ledgr"/)
    const y = parseClientList("k.yaml", "- orgnr: 313367002\n  ledgr: saft:a.xml\n", {}, schemes)
    expect(Either.isLeft(y) && y.left.message).toMatch(/line 2: unknown column "ledgr"/)
    const j = parseClientList("k.json", "[{\"orgnr\": 313367002,]", {}, schemes)
    expect(Either.isLeft(j) && j.left.message).toMatch(/not valid JSON at line 1/)
  })

  it("defaults: the row, then the flags, then the list's own", () => {
    const yaml =
      "defaults:\n  ledger: tripletex\n  as_of: 2025-12-31\n  mapping: kontoplan.json\nclients:\n  - orgnr: 313367002\n  - orgnr: 310478717\n    as_of: 2025-06-30\n"
    const fromList = parse("/firm/k.yaml", yaml)
    expect(fromList.rows.map((r) => [r.ledger, r.asOf, r.mapping])).toEqual([
      ["tripletex", "2025-12-31", "/firm/kontoplan.json"],
      ["tripletex", "2025-06-30", "/firm/kontoplan.json"]
    ])
    const fromFlags = parse("/firm/k.yaml", yaml, { ledger: "fiken", asOf: "2025-11-30" })
    expect(fromFlags.rows.map((r) => [r.ledger, r.asOf])).toEqual([["fiken", "2025-11-30"], ["fiken", "2025-06-30"]])
  })

  it("CSV: any fields written with quoting read back the same (property)", () => {
    const field = fc.string({ unit: fc.constantFrom("a", "æ", ",", ";", "\"", "\n", " ", "1") })
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }), fc.constantFrom(",", ";"), (rows, d) => {
        const header = ["orgnr", "navn", "ledger"]
        const quote = (s: string) => `"${s.replaceAll("\"", "\"\"")}"`
        const text = [header.join(d), ...rows.map((r) => r.map(quote).join(d))].join("\r\n")
        const parsed = parseCsv(text)
        expect(parsed._tag).toBe("Ok")
        if (parsed._tag === "Ok") expect(parsed.records.map((r) => r.fields)).toEqual([header, ...rows])
      })
    )
  })
})
