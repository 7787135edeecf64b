import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as SaftWriter from "../../sandbox/saft/SaftWriter.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import type { Oere } from "../../src/domain/Money.ts"
import type { PartIdentifikator } from "../../src/domain/PartIdentifikator.ts"
import { Progress, type ProgressShape, type ProgressUpdate } from "../../src/Progress.ts"
import * as Saft from "./index.ts"

const EXAMPLE = join(import.meta.dirname, "testdata", "example-999999999.xml")
const DEMO = join(import.meta.dirname, "..", "..", "sandbox", "demo", "212201782-2023.xml")
const year2023 = { fraOgMed: "2023-01-01" as Dato, tilOgMed: "2023-12-31" as Dato }
const dir = mkdtempSync(join(tmpdir(), "kravsync-saft-"))
const file = (name: string, text: string) => {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}
const query = (company: string, accounts: ReadonlyArray<string> = []) => ({
  company: company as PartIdentifikator,
  periode: { fraOgMed: "2015-01-01" as Dato, tilOgMed: "2015-12-31" as Dato },
  accounts
})

const small = SaftWriter.saftText({
  company: { registrationNumber: "212201782", name: "Demo AS" },
  periode: { fraOgMed: "2023-01-01" as Dato, tilOgMed: "2023-12-31" as Dato },
  accounts: [{ id: "2740", description: "Oppgjørskonto mva", opening: -50000 as Oere }],
  transactions: () => [
    {
      id: "10",
      date: "2023-02-28" as Dato,
      description: "Mva termin 1",
      lines: [{ account: "2740", amount: -1000000 as Oere, reference: "KID 123" }, { account: "2700", amount: 1000000 as Oere }]
    },
    {
      id: "11",
      date: "2023-04-10" as Dato,
      lines: [{ account: "2740", amount: 1000000 as Oere, description: "Betalt mva & <renter>" }, { account: "1920", amount: -1000000 as Oere }]
    }
  ]
})

describe("SAF-T reader", () => {
  it.effect("reads the published example file (v1.10)", () =>
    Effect.gen(function*() {
      const snap = yield* Saft.make({ path: EXAMPLE }).read(query("999999999"))
      expect(snap.company).toEqual({ registrationNumber: "999999999", name: "Selskapet AS" })
      expect(snap.periode).toEqual({ fraOgMed: "2015-01-01", tilOgMed: "2015-12-31" })
      expect(snap.accounts.find((a) => a.number === "2740")).toMatchObject({ openingBalance: -123456, closingBalance: -1234567 })
      expect(snap.entries).toHaveLength(5)
      const mva = snap.entries.find((e) => e.account === "2740")
      expect(mva).toMatchObject({ id: "4567-2", voucher: "4567", date: "2015-10-31", amount: 250000, description: "Beregnet MVA", reference: "1234" })
      expect(snap.entries.find((e) => e.id === "4567-3")).toMatchObject({ amount: -1250000, counterparty: "20000", reference: "123456 1234" })
      expect(snap.rejected).toEqual([])
    }))

  it.effect("keeps only the requested accounts", () =>
    Effect.gen(function*() {
      const snap = yield* Saft.make({ path: EXAMPLE }).read(query("999999999", ["2740"]))
      expect(snap.entries.map((e) => e.account)).toEqual(["2740"])
      expect(snap.accounts.map((a) => a.number)).toEqual(["2740"])
    }))

  it.effect("refuses another company's books unless forced", () =>
    Effect.gen(function*() {
      const err = yield* Effect.flip(Saft.make({ path: EXAMPLE }).read(query("212201782")))
      expect(err.kind).toBe("wrong-company")
      expect(err.message).toContain("999999999")
      const forced = yield* Saft.make({ path: EXAMPLE, force: true }).read(query("212201782"))
      expect(forced.entries).toHaveLength(5)
    }))

  it.effect("round-trips the writer's output exactly, entries before the period go to the opening balance", () =>
    Effect.gen(function*() {
      const p = file("small.xml", small)
      const snap = yield* Saft.make({ path: p }).read({
        ...query("212201782", ["2740"]),
        periode: { fraOgMed: "2023-03-01" as Dato, tilOgMed: "2023-12-31" as Dato }
      })
      expect(snap.periode).toEqual({ fraOgMed: "2023-03-01", tilOgMed: "2023-12-31" })
      expect(snap.accounts[0]).toMatchObject({ number: "2740", openingBalance: -1050000 })
      expect(snap.entries).toEqual([
        expect.objectContaining({ id: "11-1", amount: 1000000, date: "2023-04-10", description: "Betalt mva & <renter>" })
      ])
    }))

  it.effect("truncated XML gives an error with line and column", () =>
    Effect.gen(function*() {
      const p = file("truncated.xml", small.slice(0, Math.floor(small.length * 0.7)))
      const err = yield* Effect.flip(Saft.make({ path: p }).read(query("212201782")))
      expect(err.kind).toBe("invalid-data")
      expect(err.location).toMatch(/^line \d+, column \d+$/)
    }))

  it.effect("malformed XML gives a positioned error", () =>
    Effect.gen(function*() {
      const p = file("malformed.xml", small.replace("<n1:Description>Mva termin 1</n1:Description>", "<n1:Description>Mva termin 1</n1:Descr>"))
      const err = yield* Effect.flip(Saft.make({ path: p }).read(query("212201782")))
      expect(err.kind).toBe("invalid-data")
      expect(err.location).toMatch(/^line 11, column \d+$/)
    }))

  it.effect("an unknown namespace is refused", () =>
    Effect.gen(function*() {
      const p = file("ns.xml", small.replace(Saft.SAFT_NAMESPACE, "urn:StandardAuditFile-Taxation-Financial:DK"))
      const err = yield* Effect.flip(Saft.make({ path: p }).read(query("212201782")))
      expect(err.message).toContain("unknown namespace")
      expect(err.location).toBe("line 2, column 70")
    }))

  it.effect("an amount that does not parse sets its line aside at its position (issue #14: it no longer refuses the file)", () =>
    Effect.gen(function*() {
      const p = file("amount.xml", small.replace("<n1:Amount>10000.00</n1:Amount>", "<n1:Amount>10 000,00</n1:Amount>"))
      const snap = yield* Saft.make({ path: p }).read({ ...query("212201782"), periode: year2023 })
      expect(snap.rejected).toEqual([expect.objectContaining({ account: "2740", location: expect.stringMatching(/^line 11, column \d+$/) })])
      expect(snap.rejected[0]?.reason).toContain("\"10 000,00\" is not an amount")
      expect(snap.entries).toHaveLength(3)
      expect(snap.notes).toEqual([expect.objectContaining({ kind: "unchecked-voucher", voucher: "10" })])
    }))

  it.effect("a line without an amount is set aside with its position, the rest is read", () =>
    Effect.gen(function*() {
      const p = file("noamount.xml", small.replace("<n1:CreditAmount><n1:Amount>10000.00</n1:Amount></n1:CreditAmount>", ""))
      const snap = yield* Saft.make({ path: p }).read({ ...query("212201782"), periode: { fraOgMed: "2023-01-01" as Dato, tilOgMed: "2023-12-31" as Dato } })
      expect(snap.rejected).toHaveLength(1)
      expect(snap.rejected[0]).toMatchObject({ reason: "line has neither DebitAmount nor CreditAmount", account: "2740" })
      expect(snap.rejected[0]?.location).toMatch(/^line 11, column \d+$/)
      expect(snap.entries).toHaveLength(3)
    }))

  it.effect("a missing file is not-found", () =>
    Effect.gen(function*() {
      const err = yield* Effect.flip(Saft.make({ path: join(dir, "nope.xml") }).read(query("212201782")))
      expect(err.kind).toBe("not-found")
    }))

  it.effect("a transaction with no lines is a note at the Transaction's position, never dropped", () =>
    Effect.gen(function*() {
      const emptyTx =
        "<n1:Transaction><n1:TransactionID>12</n1:TransactionID><n1:Period>5</n1:Period><n1:PeriodYear>2023</n1:PeriodYear><n1:TransactionDate>2023-05-02</n1:TransactionDate><n1:Description>Tomt bilag</n1:Description><n1:SystemEntryDate>2023-05-02</n1:SystemEntryDate><n1:GLPostingDate>2023-05-02</n1:GLPostingDate></n1:Transaction>\n"
      const p = file("empty-tx.xml", small.replace("</n1:Journal>", `${emptyTx}</n1:Journal>`))
      const snap = yield* Saft.make({ path: p }).read({ ...query("212201782", ["2740"]), periode: year2023 })
      expect(snap.notes).toEqual([
        expect.objectContaining({ kind: "empty-transaction", voucher: "12", location: expect.stringMatching(/^line 13, column \d+$/) })
      ])
      expect(snap.notes?.[0]?.message).toContain("no lines")
      expect(snap.entries).toHaveLength(2)
    }))

  it.effect("a line on an account missing from GeneralLedgerAccounts is a note, even when the account is not wanted", () =>
    Effect.gen(function*() {
      const p = file("unknown-account.xml", small.replace(/<n1:Account><n1:AccountID>2700<\/n1:AccountID>.*?<\/n1:Account>/, ""))
      expect(readFileSync(p, "utf8")).not.toContain("<n1:AccountID>2700</n1:AccountID><n1:AccountDescription>")
      const snap = yield* Saft.make({ path: p }).read({ ...query("212201782", ["2740"]), periode: year2023 })
      expect(snap.notes).toEqual([
        expect.objectContaining({
          kind: "unknown-account",
          account: "2700",
          voucher: "10",
          amount: 1000000,
          location: expect.stringMatching(/^line 11, column \d+$/)
        })
      ])
      expect(snap.notes?.[0]?.message).toContain("GeneralLedgerAccounts")
      // The note never replaces the line: read with every account, the line is an entry as before.
      const all = yield* Saft.make({ path: p }).read({ ...query("212201782"), periode: year2023 })
      expect(all.entries.filter((e) => e.account === "2700")).toHaveLength(1)
      expect(all.notes?.map((n) => n.kind)).toEqual(["unknown-account"])
    }))

  it.effect("a voucher whose lines do not balance is a note with the imbalance in signed øre, counting lines on accounts not wanted", () =>
    Effect.gen(function*() {
      // Voucher 10: 2740 credit 10 000,00, 2700 debit 9 000,00 → 1 000,00 more credit than debit.
      const p = file(
        "unbalanced.xml",
        small.replace("<n1:DebitAmount><n1:Amount>10000.00</n1:Amount></n1:DebitAmount>", "<n1:DebitAmount><n1:Amount>9000.00</n1:Amount></n1:DebitAmount>")
      )
      const snap = yield* Saft.make({ path: p }).read({ ...query("212201782", ["2740"]), periode: year2023 })
      expect(snap.notes).toEqual([
        expect.objectContaining({ kind: "unbalanced-voucher", voucher: "10", amount: -100000, location: expect.stringMatching(/^line 11, column \d+$/) })
      ])
      expect(snap.notes?.[0]?.message).toMatch(/debit 9000\.00.*credit 10000\.00/)
      expect(snap.entries.map((e) => e.amount)).toEqual([-1000000, 1000000])
      // The balanced original has no notes.
      const clean = yield* Saft.make({ path: file("balanced.xml", small) }).read({ ...query("212201782", ["2740"]), periode: year2023 })
      expect(clean.notes).toEqual([])
    }))

  it.effect("a line with no AccountID is set aside with its position, also when only some accounts are wanted (issue #14, item 3)", () =>
    Effect.gen(function*() {
      const demo = readFileSync(DEMO, "utf8")
      // Voucher 1002: the payment of 900,00 on 2510.
      const cut = demo.replace(
        "<n1:Line><n1:RecordID>1</n1:RecordID><n1:AccountID>2510</n1:AccountID><n1:Description>Innbetaling restskatt",
        "<n1:Line><n1:RecordID>1</n1:RecordID><n1:Description>Innbetaling restskatt"
      )
      expect(cut).not.toBe(demo)
      const p = file("no-account.xml", cut)
      const q = { ...query("212201782", ["2500", "2510", "2600", "2740", "2770"]), periode: year2023 }
      const before = yield* Saft.make({ path: DEMO }).read(q)
      const snap = yield* Saft.make({ path: p }).read(q)
      expect(snap.rejected).toEqual([expect.objectContaining({ reason: "line has no AccountID", location: expect.stringMatching(/^line 16, column \d+$/) })])
      expect(snap.rejected[0]?.raw).toContain("TransactionID 1002")
      expect(snap.entries).toHaveLength(before.entries.length - 1)
      // The voucher itself still balances (its amounts are all there), so no unbalanced-voucher note.
      expect(snap.notes).toEqual([])
    }))

  it.effect("the header alone gives the file's stated period; the snapshot carries it too", () =>
    Effect.gen(function*() {
      const source = Saft.make({ path: DEMO })
      expect(yield* source.statedPeriode!()).toEqual({ fraOgMed: "2023-01-01", tilOgMed: "2023-12-31" })
      // Only the header is read: a file broken after it still states its period.
      const broken = readFileSync(DEMO, "utf8").replace("<n1:MasterFiles>", "<n1:MasterFiles><<<not xml")
      const headerOnly = Saft.make({ path: file("broken-after-header.xml", broken) })
      expect(yield* headerOnly.statedPeriode!()).toEqual({ fraOgMed: "2023-01-01", tilOgMed: "2023-12-31" })
      expect((yield* Effect.flip(headerOnly.read(query("212201782")))).kind).toBe("invalid-data")
      const snap = yield* source.read({ ...query("212201782", ["2510"]), periode: { fraOgMed: "2023-03-01" as Dato, tilOgMed: "2023-06-30" as Dato } })
      expect(snap.periode).toEqual({ fraOgMed: "2023-03-01", tilOgMed: "2023-06-30" })
      expect(snap.statedPeriode).toEqual({ fraOgMed: "2023-01-01", tilOgMed: "2023-12-31" })
      expect((yield* Effect.flip(Saft.make({ path: join(dir, "nope.xml") }).statedPeriode!())).kind).toBe("not-found")
    }))

  it.effect("reports the bytes read to the Progress port: the file's size as total, every 4 MiB, the whole file at the end", () =>
    Effect.gen(function*() {
      // About 9 MB of vouchers, so there are updates before the end.
      const p = join(dir, "progress.xml")
      yield* Effect.promise(() =>
        SaftWriter.writeSaft({
          company: { registrationNumber: "212201782", name: "Demo AS" },
          periode: { fraOgMed: "2023-01-01" as Dato, tilOgMed: "2023-12-31" as Dato },
          accounts: [],
          transactions: function*() {
            for (let i = 0; i < 14000; i++) {
              yield {
                id: String(i + 1),
                date: "2023-05-01" as Dato,
                lines: [{ account: "2740", amount: 100 as Oere }, { account: "1920", amount: -100 as Oere }]
              }
            }
          }
        }, p)
      )
      const size = statSync(p).size
      expect(size).toBeGreaterThan(8 * 1024 * 1024)
      const updates: Array<ProgressUpdate> = []
      const ended: Array<string> = []
      const recorder: ProgressShape = { update: (u) => void updates.push(u), end: (step) => void ended.push(step) }
      const snap = yield* Saft.make({ path: p }).read(query("212201782", ["2740"])).pipe(
        Effect.provideService(Progress, recorder)
      )
      expect(snap.entries).toHaveLength(0) // outside the query's period (2015): read, but not kept
      expect(updates.length).toBeGreaterThanOrEqual(3)
      expect(updates.every((u) => u.step === "saft" && u.total === size && u.subject === "progress.xml")).toBe(true)
      const done = updates.map((u) => u.done)
      expect(done).toEqual([...done].sort((a, b) => a - b))
      expect(done[0]).toBeGreaterThanOrEqual(4 * 1024 * 1024)
      expect(done[done.length - 1]).toBe(size)
      expect(ended).toEqual(["saft"])
      // A failed read ends its step too.
      const failedUpdates: Array<ProgressUpdate> = []
      const failedEnds: Array<string> = []
      yield* Effect.flip(
        Saft.make({ path: join(dir, "missing.xml") }).read(query("212201782")).pipe(
          Effect.provideService(Progress, { update: (u) => void failedUpdates.push(u), end: (s) => void failedEnds.push(s) })
        )
      )
      expect(failedEnds).toEqual(["saft"])
    }))

  it("the writer's amounts are exact decimals", () => {
    expect(small).toContain("<n1:OpeningCreditBalance>500.00</n1:OpeningCreditBalance>")
    expect(small).toContain("<n1:TotalDebit>20000.00</n1:TotalDebit>")
    expect(Either.isRight(Either.right(1))).toBe(true)
  })
})
