/**
 * Issue #14, item 2: the SAF-T reader's input rules. The declared encoding is honoured (UTF-8,
 * ISO-8859-1/windows-1252; any other is refused by name); one bad amount never refuses the file
 * (the line is set aside with its position and reason, its voucher's balance is reported as not
 * checked); amounts are xs:decimal exactly (no exponent); a text node over 1 MB is a typed error
 * at its position.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as SaftWriter from "../../sandbox/saft/SaftWriter.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import { type Oere, parseKroner, parseXsDecimal } from "../../src/domain/Money.ts"
import type { PartIdentifikator } from "../../src/domain/PartIdentifikator.ts"
import * as Saft from "./index.ts"
import { MAX_TEXT_LENGTH, readSaftFile, SaftError } from "./SaftReader.ts"

const dir = mkdtempSync(join(tmpdir(), "kravsync-saft-rules-"))
let n = 0
const file = (content: string | Buffer) => {
  const p = join(dir, `f${n++}.xml`)
  writeFileSync(p, content)
  return p
}
const year = { fraOgMed: "2023-01-01" as Dato, tilOgMed: "2023-12-31" as Dato }
const query = { company: "212201782" as PartIdentifikator, periode: year, accounts: [] }

const small = SaftWriter.saftText({
  company: { registrationNumber: "212201782", name: "Blåbærsyltetøy Ærlig AS" },
  periode: year,
  accounts: [{ id: "2740", description: "Oppgjørskonto mva", opening: -50000 as Oere }],
  transactions: () => [
    {
      id: "10",
      date: "2023-02-28" as Dato,
      description: "Mva termin 1, særskilt",
      lines: [{ account: "2740", amount: -1000000 as Oere, reference: "KID 123" }, { account: "2700", amount: 1000000 as Oere }]
    },
    {
      id: "11",
      date: "2023-04-10" as Dato,
      lines: [{ account: "2740", amount: 1000000 as Oere, description: "Betalt mva" }, { account: "1920", amount: -1000000 as Oere }]
    }
  ]
})

const read = (p: string, chunkSize?: number) =>
  Effect.tryPromise({ try: () => readSaftFile({ path: p, accounts: [], periode: year, ...(chunkSize ? { chunkSize } : {}) }), catch: (e) => e })

describe("SAF-T input rules (issue #14, item 2)", () => {
  describe("(a) the declared encoding", () => {
    const latin1 = (text: string) => Buffer.from(text.replace(`encoding="UTF-8"`, `encoding="ISO-8859-1"`), "latin1")

    it.effect("an ISO-8859-1 file reads æøå correctly, whatever the chunk size", () =>
      Effect.gen(function*() {
        for (const chunkSize of [undefined, 7, 64]) {
          const r = yield* read(file(latin1(small)), chunkSize)
          expect(r.header.companyName).toBe("Blåbærsyltetøy Ærlig AS")
          expect(r.accounts.find((a) => a.number === "2740")?.name).toBe("Oppgjørskonto mva")
          expect(r.entries.find((e) => e.id === "10-1")?.description).toBe("Mva termin 1, særskilt")
        }
      }))

    it.effect("windows-1252 and single quotes are read; UTF-8 with a byte order mark is read", () =>
      Effect.gen(function*() {
        const cp = Buffer.from(small.replace(`encoding="UTF-8"`, `encoding='windows-1252'`), "latin1")
        expect((yield* read(file(cp))).header.companyName).toBe("Blåbærsyltetøy Ærlig AS")
        const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(small, "utf8")])
        expect((yield* read(file(bom))).header.companyName).toBe("Blåbærsyltetøy Ærlig AS")
      }))

    it.effect("another declared encoding is refused, naming it", () =>
      Effect.gen(function*() {
        const e = yield* Effect.flip(read(file(small.replace(`encoding="UTF-8"`, `encoding="EBCDIC-US"`))))
        expect(e).toBeInstanceOf(SaftError)
        expect((e as SaftError).kind).toBe("invalid-data")
        expect((e as SaftError).message).toContain("EBCDIC-US")
        const viaSource = yield* Effect.flip(Saft.make({ path: file(small.replace(`encoding="UTF-8"`, `encoding="Shift_JIS"`)) }).read(query))
        expect(viaSource.message).toContain("Shift_JIS")
        expect(viaSource.location).toBe("line 1, column 1")
      }))

    it.effect("ISO-8859-1 bytes in a file that says (or defaults to) UTF-8 are an error, not mojibake", () =>
      Effect.gen(function*() {
        const e = yield* Effect.flip(read(file(Buffer.from(small, "latin1"))))
        expect(e).toBeInstanceOf(SaftError)
        expect((e as SaftError).message).toMatch(/not valid UTF-8/)
        expect((e as SaftError).location).toMatch(/^line \d+, column \d+$/)
      }))
  })

  describe("(b) one bad amount never refuses the file", () => {
    it.effect("the line goes to rejected with its position and reason; the voucher's balance is reported as not checked", () =>
      Effect.gen(function*() {
        const p = file(small.replace("<n1:Amount>10000.00</n1:Amount>", "<n1:Amount>10 000,00</n1:Amount>"))
        const snap = yield* Saft.make({ path: p }).read(query)
        expect(snap.rejected).toHaveLength(1)
        expect(snap.rejected[0]?.location).toMatch(/^line 11, column \d+$/)
        expect(snap.rejected[0]?.reason).toContain(`"10 000,00"`)
        expect(snap.rejected[0]?.reason).toMatch(/CreditAmount|DebitAmount/)
        expect(snap.entries).toHaveLength(3)
        const note = (snap.notes ?? []).find((x) => x.voucher === "10")
        expect(note?.message).toMatch(/balance could not be checked/)
        expect(note?.location).toMatch(/^line \d+, column \d+$/)
        expect((snap.notes ?? []).filter((x) => x.kind === "unbalanced-voucher")).toEqual([])
      }))

    it.effect("a bad amount on an account not asked for still leaves its voucher unchecked, and nothing else", () =>
      Effect.gen(function*() {
        const p = file(small.replace("<n1:Amount>10000.00</n1:Amount>", "<n1:Amount>ti tusen</n1:Amount>"))
        const r = yield* Effect.promise(() => readSaftFile({ path: p, accounts: ["1920"], periode: year }))
        expect(r.rejected).toEqual([])
        expect(r.entries.map((e) => e.id)).toEqual(["11-2"])
        expect(r.linesSeen).toBe(4)
        expect(r.notes.map((x) => [x.kind, x.voucher])).toEqual([["unchecked-voucher", "10"]])
      }))
  })

  describe("(c) amounts are xs:decimal exactly", () => {
    it("parseXsDecimal refuses exponents and anything but xs:decimal; parseKroner is unchanged", () => {
      for (const bad of ["1e3", "1E3", "1.5e2", "-2e-2", "10 000,00", "1,5", "", ".", "+", "0x10", "Infinity", "NaN", "١٢"]) {
        expect(Either.isLeft(parseXsDecimal(bad)), bad).toBe(true)
      }
      expect(parseXsDecimal("1234.50")).toEqual(Either.right(123450))
      expect(parseXsDecimal(" +1234.5 ")).toEqual(Either.right(123450))
      expect(parseXsDecimal("-.05")).toEqual(Either.right(-5))
      expect(parseXsDecimal("007")).toEqual(Either.right(700))
      expect(parseXsDecimal("1.")).toEqual(Either.right(100))
      expect(parseXsDecimal("10.500")).toEqual(Either.right(1050))
      expect(Either.isLeft(parseXsDecimal("10.505"))).toBe(true)
      // other callers keep parseKroner's behaviour
      expect(parseKroner("1e3")).toEqual(Either.right(100000))
    })

    it.effect("an amount with an exponent is refused as a line, not read as 1000", () =>
      Effect.gen(function*() {
        const p = file(small.replace("<n1:Amount>10000.00</n1:Amount>", "<n1:Amount>1e4</n1:Amount>"))
        const snap = yield* Saft.make({ path: p }).read(query)
        expect(snap.rejected).toHaveLength(1)
        expect(snap.rejected[0]?.reason).toMatch(/"1e4".*xs:decimal/)
        expect(snap.entries).toHaveLength(3)
      }))

    it.effect("an opening balance with an exponent is an error at its position", () =>
      Effect.gen(function*() {
        const p = file(small.replace("<n1:OpeningCreditBalance>500.00</n1:OpeningCreditBalance>", "<n1:OpeningCreditBalance>5e2</n1:OpeningCreditBalance>"))
        const e = yield* Effect.flip(read(p))
        expect((e as SaftError).message).toContain("5e2")
        expect((e as SaftError).location).toMatch(/^line \d+, column \d+$/)
      }))
  })

  describe("(d) a text node over the limit", () => {
    it.effect("fails with a typed error naming its line and column", () =>
      Effect.gen(function*() {
        expect(MAX_TEXT_LENGTH).toBe(1 << 20)
        const huge = "x".repeat(MAX_TEXT_LENGTH + 10)
        const p = file(small.replace("<n1:Description>Mva termin 1, særskilt</n1:Description>", `<n1:Description>${huge}</n1:Description>`))
        const e = yield* Effect.flip(read(p))
        expect(e).toBeInstanceOf(SaftError)
        expect((e as SaftError).message).toMatch(/more than 1 MB/)
        expect((e as SaftError).location).toMatch(/^line 11, column \d+$/)
        const inComment = file(small.replace("<n1:Header>", `<n1:Header><!--${huge}-->`))
        const e2 = yield* Effect.flip(read(inComment))
        expect((e2 as SaftError).location).toMatch(/^line 3, column \d+$/)
        const inAttribute = file(small.replace("<n1:Header>", `<n1:Header note="${huge}">`))
        const e3 = yield* Effect.flip(read(inAttribute))
        expect((e3 as SaftError).message).toMatch(/more than 1 MB/)
      }))

    it.effect("an attribute value just over the limit, deep in the file, whatever the chunk size; one at the limit is read", () =>
      Effect.gen(function*() {
        const attr = (length: number) => small.replace("<n1:Line>", `<n1:Line note="${"y".repeat(length)}">`)
        for (const chunkSize of [undefined, 97, 1 << 22]) {
          const e = yield* Effect.flip(read(file(attr(MAX_TEXT_LENGTH + 1)), chunkSize))
          expect(e).toBeInstanceOf(SaftError)
          expect((e as SaftError).message).toMatch(/more than 1 MB/)
          const r = yield* read(file(attr(MAX_TEXT_LENGTH)), chunkSize)
          expect(r.entries).toHaveLength(4)
        }
      }))
  })
})
