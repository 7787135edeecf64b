/**
 * Every SAF-T file the project writes or ships validates against Skatteetaten's official XSD of
 * its version (libxml2 as WebAssembly via xmllint-wasm, so no system xmllint is needed): the
 * committed demo ledgers, files SaftWriter writes here (1.30 and 1.10, with customers and
 * suppliers), and the shipped reference example. And the check is not a formality: a 1.30 file
 * carrying 1.10's StandardAccountID, as the writer once produced, is refused.
 */
import { describe, expect, it } from "@effect/vitest"
import { mkdtempSync, readdirSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { groupingCode, type SaftDescription, saftText, SaftWriteError, writeSaft } from "../../sandbox/saft/SaftWriter.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import type { Oere } from "../../src/domain/Money.ts"
import { declaredVersion, validateSaftFile, validateSaftXml } from "../../test/support/saft/validateXsd.ts"
import { generateBooks } from "../../test/support/tripletex/books.ts"

const here = import.meta.dirname
const demo = join(here, "..", "..", "sandbox", "demo")
const shipped = [
  join(demo, "212201782-2023.xml"),
  join(demo, "full", "212201782-2023-full.xml"),
  ...readdirSync(join(demo, "ledgers"))
    .filter((f) => f.endsWith(".xml"))
    .map((f) => join(demo, "ledgers", f))
]
const EXAMPLE = join(here, "testdata", "example-999999999.xml")
const dir = mkdtempSync(join(tmpdir(), "kravsync-xsd-"))

const books: SaftDescription = {
  company: { registrationNumber: "212201782", name: "Demo & Sønn AS" },
  periode: { fraOgMed: "2023-01-01" as Dato, tilOgMed: "2023-06-15" as Dato },
  accounts: [
    { id: "1920", description: "Bankinnskudd", opening: 100000 as Oere },
    { id: "2740", description: "Oppgjørskonto merverdiavgift", opening: -50000 as Oere },
    { id: "2700", description: "Utgående merverdiavgift", opening: 0 as Oere, groupingCode: "2740" }
  ],
  customers: [{ id: "K1", name: "Kunde En AS" }],
  transactions: () => [
    {
      id: "10",
      date: "2023-02-28" as Dato,
      description: "Mva termin 1 <med tegn> & mer",
      lines: [
        { account: "2740", amount: -1000000 as Oere, reference: "KID 123", sourceDocumentId: "F-1" },
        { account: "2700", amount: 1000000 as Oere, customerId: "K1" }
      ]
    },
    {
      id: "11",
      date: "2023-04-10" as Dato,
      lines: [
        { account: "2740", amount: 1000000 as Oere, description: "x".repeat(300), supplierId: "Skatteetaten" },
        { account: "1920", amount: -1000000 as Oere, customerId: "K2" },
        { account: "8150", amount: 0 as Oere }
      ]
    }
  ]
}

const expectValid = (r: { readonly valid: boolean; readonly errors: ReadonlyArray<string> }, what: string) => {
  expect(r.errors, what).toEqual([])
  expect(r.valid, what).toBe(true)
}

describe("SAF-T files validate against the official XSD", () => {
  for (const path of shipped) {
    it(`shipped demo ledger ${path.slice(demo.length + 1)} (1.30)`, async () => {
      const r = await validateSaftFile(path)
      expect(r.version).toBe("1.30")
      expectValid(r, path)
    })
  }

  it("the shipped reference example, against its own version (1.10)", async () => {
    const r = await validateSaftFile(EXAMPLE)
    expect(r.version).toBe("1.10")
    expectValid(r, EXAMPLE)
  })

  it("a file SaftWriter writes: 1.30 (grouping, customers, suppliers, long text, a mid-month period)", async () => {
    const path = join(dir, "written-1.30.xml")
    await writeSaft(books, path)
    const text = readFileSync(path, "utf8")
    expect(declaredVersion(text)).toBe("1.30")
    expect(text).toContain("<n1:GroupingCategory>RF-1167</n1:GroupingCategory><n1:GroupingCode>1920</n1:GroupingCode>")
    expect(text).toContain("<n1:Supplier><n1:Name>Leverandør Skatteetaten</n1:Name><n1:SupplierID>Skatteetaten</n1:SupplierID></n1:Supplier>")
    expect(text).toContain("<n1:SelectionStartDate>2023-01-01</n1:SelectionStartDate><n1:SelectionEndDate>2023-06-15</n1:SelectionEndDate>")
    expectValid(await validateSaftFile(path), path)
  })

  it("a file SaftWriter writes in 1.10 mode validates against 1.10", async () => {
    const text = saftText({ ...books, version: "1.10" })
    expect(declaredVersion(text)).toBe("1.10")
    expect(text).toContain("<n1:StandardAccountID>19</n1:StandardAccountID>")
    expectValid(await validateSaftXml(text, "1.10", "written-1.10.xml"), "1.10")
  })

  it("generated test books (as the Tripletex and Fiken tests use them) validate", async () => {
    const text = saftText(generateBooks({ seed: 11, vouchers: 400, periode: { fraOgMed: "2023-01-01" as Dato, tilOgMed: "2023-12-31" as Dato } }))
    expectValid(await validateSaftXml(text, "1.30", "generated.xml"), "generated")
  })

  it("the check bites: a 1.30 file with 1.10's StandardAccountID is refused, naming the element", async () => {
    const text = saftText(books)
    const old = text.replace(
      /<n1:GroupingCategory>[^<]*<\/n1:GroupingCategory><n1:GroupingCode>([^<]*)<\/n1:GroupingCode>/g,
      (_m, code: string) => `<n1:StandardAccountID>${code.slice(0, 2)}</n1:StandardAccountID>`
    )
    expect(old).not.toContain("GroupingCategory")
    const r = await validateSaftXml(old, "1.30", "old-writer.xml")
    expect(r.valid).toBe(false)
    expect(r.errors.length).toBe(4)
    expect(r.errors[0]).toContain(
      "StandardAccountID': This element is not expected. Expected is ( {urn:StandardAuditFile-Taxation-Financial:NO}GroupingCategory )"
    )
  })

  it("the writer refuses what the schema cannot hold, before writing", async () => {
    const tooLong = {
      ...books,
      transactions: () => [{ id: "1", date: "2023-01-02" as Dato, lines: [{ account: "1920", amount: 1 as Oere, reference: "9".repeat(36) }] }]
    }
    expect(() => saftText(tooLong)).toThrow(SaftWriteError)
    expect(() => saftText(tooLong)).toThrow(/transaction 1, line 1: ReferenceNumber "9{36}" is 36 characters; the SAF-T schema allows 35/)
    const empty = { ...books, transactions: () => [{ id: "7", date: "2023-01-02" as Dato, lines: [] }] }
    await expect(writeSaft(empty, join(dir, "never.xml"))).rejects.toThrow(/transaction 7: no lines/)
    expect(readdirSync(dir)).not.toContain("never.xml")
  })

  it("RF-1167 grouping codes: the account itself when it is a code, else the post it is summed into", () => {
    expect(["1920", "2500", "2510", "2600", "2740", "2770", "5000", "5400", "8150", "8300"].map(groupingCode)).toEqual([
      "1920",
      "2500",
      "2510",
      "2600",
      "2740",
      "2770",
      "5000",
      "5400",
      "8150",
      "8300"
    ])
    expect(groupingCode("2700")).toBe("2740")
    expect(groupingCode("2780")).toBe("2770")
    expect(groupingCode("1600")).toBe("1570")
    expect(groupingCode("X-1")).toBe("X-1")
  })
})
