import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import type { Dato } from "../../src/domain/Dato.ts"
import type { Oere } from "../../src/domain/Money.ts"
import type { PartIdentifikator } from "../../src/domain/PartIdentifikator.ts"
import * as Saft from "./index.ts"

const EXAMPLE = join(import.meta.dirname, "testdata", "example-999999999.xml")
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

const small = Saft.SaftWriter.saftText({
  company: { registrationNumber: "212201782", name: "Demo AS" },
  periode: { fraOgMed: "2023-01-01" as Dato, tilOgMed: "2023-12-31" as Dato },
  accounts: [{ id: "2740", description: "Oppgjørskonto mva", opening: -50000 as Oere }],
  transactions: () => [
    { id: "10", date: "2023-02-28" as Dato, description: "Mva termin 1", lines: [{ account: "2740", amount: -1000000 as Oere, reference: "KID 123" }, { account: "2700", amount: 1000000 as Oere }] },
    { id: "11", date: "2023-04-10" as Dato, lines: [{ account: "2740", amount: 1000000 as Oere, description: "Betalt mva & <renter>" }, { account: "1920", amount: -1000000 as Oere }] }
  ]
})

describe("SAF-T reader", () => {
  it.effect("reads the published example file (v1.10)", () =>
    Effect.gen(function* () {
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
    Effect.gen(function* () {
      const snap = yield* Saft.make({ path: EXAMPLE }).read(query("999999999", ["2740"]))
      expect(snap.entries.map((e) => e.account)).toEqual(["2740"])
      expect(snap.accounts.map((a) => a.number)).toEqual(["2740"])
    }))

  it.effect("refuses another company's books unless forced", () =>
    Effect.gen(function* () {
      const err = yield* Effect.flip(Saft.make({ path: EXAMPLE }).read(query("212201782")))
      expect(err.kind).toBe("wrong-company")
      expect(err.message).toContain("999999999")
      const forced = yield* Saft.make({ path: EXAMPLE, force: true }).read(query("212201782"))
      expect(forced.entries).toHaveLength(5)
    }))

  it.effect("round-trips the writer's output exactly, entries before the period go to the opening balance", () =>
    Effect.gen(function* () {
      const p = file("small.xml", small)
      const snap = yield* Saft.make({ path: p }).read({ ...query("212201782", ["2740"]), periode: { fraOgMed: "2023-03-01" as Dato, tilOgMed: "2023-12-31" as Dato } })
      expect(snap.periode).toEqual({ fraOgMed: "2023-03-01", tilOgMed: "2023-12-31" })
      expect(snap.accounts[0]).toMatchObject({ number: "2740", openingBalance: -1050000 })
      expect(snap.entries).toEqual([
        expect.objectContaining({ id: "11-1", amount: 1000000, date: "2023-04-10", description: "Betalt mva & <renter>" })
      ])
    }))

  it.effect("truncated XML gives an error with line and column", () =>
    Effect.gen(function* () {
      const p = file("truncated.xml", small.slice(0, Math.floor(small.length * 0.7)))
      const err = yield* Effect.flip(Saft.make({ path: p }).read(query("212201782")))
      expect(err.kind).toBe("invalid-data")
      expect(err.location).toMatch(/^line \d+, column \d+$/)
    }))

  it.effect("malformed XML gives a positioned error", () =>
    Effect.gen(function* () {
      const p = file("malformed.xml", small.replace("<n1:Description>Mva termin 1</n1:Description>", "<n1:Description>Mva termin 1</n1:Descr>"))
      const err = yield* Effect.flip(Saft.make({ path: p }).read(query("212201782")))
      expect(err.kind).toBe("invalid-data")
      expect(err.location).toMatch(/^line 11, column \d+$/)
    }))

  it.effect("an unknown namespace is refused", () =>
    Effect.gen(function* () {
      const p = file("ns.xml", small.replace(Saft.SAFT_NAMESPACE, "urn:StandardAuditFile-Taxation-Financial:DK"))
      const err = yield* Effect.flip(Saft.make({ path: p }).read(query("212201782")))
      expect(err.message).toContain("unknown namespace")
      expect(err.location).toBe("line 2, column 70")
    }))

  it.effect("an amount that does not parse is an error at its position", () =>
    Effect.gen(function* () {
      const p = file("amount.xml", small.replace("<n1:Amount>10000.00</n1:Amount>", "<n1:Amount>10 000,00</n1:Amount>"))
      const err = yield* Effect.flip(Saft.make({ path: p }).read(query("212201782")))
      expect(err.message).toContain('"10 000,00" is not an amount')
      expect(err.location).toMatch(/^line 11, column \d+$/)
    }))

  it.effect("a line without an amount is set aside with its position, the rest is read", () =>
    Effect.gen(function* () {
      const p = file("noamount.xml", small.replace("<n1:CreditAmount><n1:Amount>10000.00</n1:Amount></n1:CreditAmount>", ""))
      const snap = yield* Saft.make({ path: p }).read({ ...query("212201782"), periode: { fraOgMed: "2023-01-01" as Dato, tilOgMed: "2023-12-31" as Dato } })
      expect(snap.rejected).toHaveLength(1)
      expect(snap.rejected[0]).toMatchObject({ reason: "line has neither DebitAmount nor CreditAmount", account: "2740" })
      expect(snap.rejected[0]?.location).toMatch(/^line 11, column \d+$/)
      expect(snap.entries).toHaveLength(3)
    }))

  it.effect("a missing file is not-found", () =>
    Effect.gen(function* () {
      const err = yield* Effect.flip(Saft.make({ path: join(dir, "nope.xml") }).read(query("212201782")))
      expect(err.kind).toBe("not-found")
    }))

  it("the writer's amounts are exact decimals", () => {
    expect(small).toContain("<n1:OpeningCreditBalance>500.00</n1:OpeningCreditBalance>")
    expect(small).toContain("<n1:TotalDebit>20000.00</n1:TotalDebit>")
    expect(Either.isRight(Either.right(1))).toBe(true)
  })
})
