/**
 * The SAF-T reader walks the document as a state machine (issue #13, «SAF-T read»): an element is
 * looked for only among the children its parent can have that the reader reads, and any other
 * element is skipped with everything inside it. These tests pin what that must not change: a
 * name the reader knows, inside an element it does not read, is never taken for the real one (an
 * AccountID or Amount in a line's analysis block, an Account under a supplier, a Line inside a
 * Line), and a text inside a skipped element still counts towards the 1 MB limit.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as SaftWriter from "../../sandbox/saft/SaftWriter.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import type { Oere } from "../../src/domain/Money.ts"
import { MAX_TEXT_LENGTH, readSaftFile, SaftError } from "./SaftReader.ts"

const dir = mkdtempSync(join(tmpdir(), "kravsync-saft-skip-"))
let n = 0
const file = (content: string) => {
  const p = join(dir, `f${n++}.xml`)
  writeFileSync(p, content)
  return p
}
const year = { fraOgMed: "2023-01-01" as Dato, tilOgMed: "2023-12-31" as Dato }

const books = SaftWriter.saftText({
  company: { registrationNumber: "212201782", name: "Hoppe AS" },
  periode: year,
  accounts: [{ id: "2740", description: "Oppgjørskonto mva", opening: 0 as Oere }],
  transactions: () => [
    {
      id: "10",
      date: "2023-02-28" as Dato,
      description: "Mva termin 1",
      lines: [{ account: "2740", amount: -1000000 as Oere, reference: "KID 123" }, { account: "2700", amount: 1000000 as Oere }]
    }
  ]
})
const firstLine = "<n1:Line><n1:RecordID>1</n1:RecordID>"

const read = (p: string, chunkSize?: number) =>
  Effect.tryPromise({ try: () => readSaftFile({ path: p, accounts: [], periode: year, ...(chunkSize ? { chunkSize } : {}) }), catch: (e) => e })

describe("SAF-T reader: elements it does not read are skipped whole (issue #13)", () => {
  it.effect("the unchanged books: two lines, kept, balanced, both accounts in the chart", () =>
    Effect.gen(function*() {
      expect(books).toContain(firstLine)
      const r = yield* read(file(books))
      expect(r.entries.map((e) => [e.account, e.amount])).toEqual([["2740", -1000000], ["2700", 1000000]])
      expect(r.notes).toEqual([])
    }))

  it.effect("an AccountID, an amount and a Line inside a line's unread block change nothing, whatever the chunk size", () =>
    Effect.gen(function*() {
      const block = "<n1:Analysis><n1:AccountID>9999</n1:AccountID><n1:Description>not this</n1:Description>" +
        "<n1:DebitAmount><n1:Amount>5.00</n1:Amount></n1:DebitAmount>" +
        "<n1:Line><n1:RecordID>9</n1:RecordID><n1:AccountID>2740</n1:AccountID><n1:DebitAmount><n1:Amount>7.00</n1:Amount></n1:DebitAmount></n1:Line>" +
        "</n1:Analysis>"
      const p = file(books.replace(firstLine, `${firstLine}${block}`))
      for (const chunkSize of [undefined, 5, 61]) {
        const r = yield* read(p, chunkSize)
        expect(r.linesSeen).toBe(2)
        expect(r.entries.map((e) => [e.account, e.amount, e.description])).toEqual([["2740", -1000000, "Mva termin 1"], [
          "2700",
          1000000,
          "Mva termin 1"
        ]])
        expect(r.rejected).toEqual([])
        expect(r.notes).toEqual([])
      }
    }))

  it.effect("an Account under a supplier is not in the chart: a line on it is noted as on an unknown account", () =>
    Effect.gen(function*() {
      const suppliers = "<n1:Suppliers><n1:Supplier><n1:SupplierID>L1</n1:SupplierID>" +
        "<n1:Account><n1:AccountID>2700</n1:AccountID></n1:Account><n1:AccountID>2700</n1:AccountID></n1:Supplier></n1:Suppliers>"
      const withoutChart2700 = books.replace(/<n1:Account><n1:AccountID>2700<\/n1:AccountID>.*?<\/n1:Account>\n?/, "")
      expect(withoutChart2700).not.toBe(books)
      const r = yield* read(file(withoutChart2700.replace("</n1:GeneralLedgerAccounts>", `</n1:GeneralLedgerAccounts>${suppliers}`)))
      expect(r.notes.map((x) => [x.kind, x.account])).toEqual([["unknown-account", "2700"]])
      expect(r.entries).toHaveLength(2)
    }))

  it.effect("a text over 1 MB inside an element the reader skips is still refused, at its position", () =>
    Effect.gen(function*() {
      const huge = "x".repeat(MAX_TEXT_LENGTH + 1)
      const p = file(books.replace(firstLine, `${firstLine}<n1:Analysis><n1:AnalysisID>${huge}</n1:AnalysisID></n1:Analysis>`))
      for (const chunkSize of [undefined, 1 << 22]) {
        const e = yield* Effect.flip(read(p, chunkSize))
        expect(e).toBeInstanceOf(SaftError)
        expect((e as SaftError).message).toMatch(/more than 1 MB/)
        expect((e as SaftError).location).toMatch(/^line \d+, column \d+$/)
      }
      const atLimit = yield* read(
        file(books.replace(firstLine, `${firstLine}<n1:Analysis><n1:AnalysisID>${"x".repeat(MAX_TEXT_LENGTH)}</n1:AnalysisID></n1:Analysis>`))
      )
      expect(atLimit.entries).toHaveLength(2)
    }))
})
