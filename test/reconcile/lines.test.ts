/**
 * The compact ledger lines and the streaming JSON sink (issue #13):
 * - a line's report fields (getters, the explanation made when read) are what its JSON holds, in
 *   the schema's field order — the digest test holds the bytes, this holds the two views equal;
 * - a repeated ledger id is set aside against the first *accepted* line with that id, whatever
 *   else is wrong with either (the rule the Set-based check had);
 * - equal strings found by hash bucketing are exactly the equal strings;
 * - the JSON sink reports its progress (step "json", one unit per array element) and writes what
 *   `jsonChunks` gives.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as fc from "fast-check"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ALL_DIFFERENCES, ALL_STYLES, generateCompany } from "../../sandbox/books/index.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import type { Oere } from "../../src/domain/Money.ts"
import type { Periode } from "../../src/domain/Periode.ts"
import { Progress, type ProgressUpdate } from "../../src/Progress.ts"
import { firstOfEqual } from "../../src/reconcile/engine/strings.ts"
import * as Explanation from "../../src/reconcile/Explanation.ts"
import { decodeReportJson, elementCount, jsonChunks, writeJson } from "../../src/reconcile/JsonReportSink.ts"
import type { LedgerEntry } from "../../src/reconcile/LedgerSource.ts"
import { LedgerEntryResult } from "../../src/reconcile/Report.ts"
import { reconcileBooks } from "./books.ts"
import { run, snapshot } from "./helpers.ts"

const books = generateCompany({
  part: "313367002",
  name: "Sandbox Regnskap AS",
  seed: 42,
  firstYear: 2024,
  years: 2,
  styles: ALL_STYLES,
  differences: ALL_DIFFERENCES
})
const periode = { fraOgMed: "2025-01-01", tilOgMed: "2025-12-31" } as Periode

describe("ledger lines", () => {
  it("each line's JSON is its report fields in the schema's order, the sentence rendered from its explanation", () => {
    const fields = Object.keys(LedgerEntryResult.fields) as Array<keyof LedgerEntryResult>
    const statuses = new Set<string>()
    for (const asOf of ["2025-06-30", "2025-12-31"]) {
      for (const e of reconcileBooks(books, periode, asOf as Dato).ledgerEntries) {
        const plain = Object.fromEntries(fields.map((k) => [k, e[k]]))
        expect(JSON.stringify(e)).toBe(JSON.stringify(plain))
        expect(e.text).toBe(Explanation.render(e.explanation, "nb"))
        statuses.add(e.status)
      }
    }
    // the books reach the line outcomes whose explanation needs more than the line: a matched item, a period
    expect([...statuses].sort()).toEqual(expect.arrayContaining(["matched", "accrued-not-claimed", "outside-period", "other-account"]))
  })

  it("a repeated id is set aside against the first accepted line with it, whatever else is wrong with either", () => {
    const line = (id: string, amount: number, date = "2023-02-01"): LedgerEntry => ({
      id,
      voucher: `v-${id}`,
      date: date as Dato,
      account: "2740",
      amount: amount as Oere
    })
    const r = run({
      ledger: snapshot([
        line("a", -100),
        line("a", 1.5), // a twin of an accepted line: the repeat is the reason, not the amount
        line("b", 1.5), // not accepted, so the next "b" is not a repeat
        line("b", -200),
        line("c", -300),
        line("c", -300, "2023-02-31"),
        line("c", -300),
        line("", -1)
      ]),
      language: "en"
    })
    expect(r.setAside.map((s) => s.reason)).toEqual([
      "id a appears more than once",
      "amount 1.5 is not a whole number of øre",
      "id c appears more than once",
      "id c appears more than once",
      "no id"
    ])
    expect(r.ledgerEntries.map((e) => `${e.id} ${e.amount}`)).toEqual(["a -100", "b -200", "c -300"])
  })

  it("equal strings found by hash bucketing are exactly the equal strings (the first position of each)", () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.string({ maxLength: 3 }), { nil: undefined }), { maxLength: 300 }), (keys) => {
        const first = firstOfEqual(keys.length, (k) => keys[k])
        const seen = new Map<string, number>()
        keys.forEach((s, k) => {
          const expected = s === undefined ? k : seen.get(s) ?? k
          if (s !== undefined && !seen.has(s)) seen.set(s, k)
          expect(first[k]).toBe(expected)
        })
      })
    )
  })
})

describe("JSON sink", () => {
  it.effect("writes what jsonChunks gives and reports progress per element, ending at the total", () =>
    Effect.gen(function*() {
      const r = reconcileBooks(books, periode, "2025-12-31" as Dato)
      const path = join(mkdtempSync(join(tmpdir(), "kravsync-json-")), "r.json")
      const updates: Array<ProgressUpdate> = []
      const ended: Array<string> = []
      yield* writeJson(r, path).pipe(Effect.provideService(Progress, { update: (u) => updates.push(u), end: (s) => ended.push(s) }))
      const text = readFileSync(path, "utf8")
      expect(text).toBe([...jsonChunks(r)].join(""))
      expect(Either.isRight(decodeReportJson(text))).toBe(true)
      const total = elementCount(r)
      expect(total).toBe(
        r.ledgerEntries.length + r.claims.length + r.payments.length + r.accounts.length + r.utbetalinger.length
          + r.motregninger.length + r.setAside.length + r.ledgerNotes.length + r.unmappedCodes.length
      )
      expect(updates.every((u) => u.step === "json" && u.subject === path && u.total === total)).toBe(true)
      expect(updates.at(-1)?.done).toBe(total)
      expect(ended).toEqual(["json"])
    }))
})
