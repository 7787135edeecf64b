/**
 * The same books through Tripletex (the fake, over HTTP) and through a SAF-T file give the same
 * LedgerSnapshot — up to the locators each system has of its own (entry id, voucher number, link,
 * the human description) — and therefore the same reconciliation.
 */
import { Command } from "@effect/cli"
import { NodeContext } from "@effect/platform-node"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Layer, Schema } from "effect"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Sandbox from "../../sandbox/client.ts"
import * as SaftWriter from "../../sandbox/saft/SaftWriter.ts"
import { reconcileCommand } from "../../src/cli/commands/reconcile.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import { AapneKrav, Innbetalinger, KravListe } from "../../src/domain/Dokumenter.ts"
import type { Oere } from "../../src/domain/Money.ts"
import { decodeReportJson, jsonChunks } from "../../src/reconcile/JsonReportSink.ts"
import type { LedgerSnapshot } from "../../src/reconcile/LedgerSource.ts"
import * as Registry from "../../src/reconcile/LedgerSourceRegistry.ts"
import * as Mapping from "../../src/reconcile/mapping/AccountMapping.ts"
import { reconcile } from "../../src/reconcile/reconcile.ts"
import { fullDemoArgs } from "../../test/support/demo.ts"
import { testHttp } from "../../test/support/http.ts"
import { type Books, type BooksTransaction, generateBooks } from "../../test/support/tripletex/books.ts"
import { query, settingsFor, sourceFor, startChecked } from "../../test/support/tripletex/harness.ts"
import * as Saft from "../saft/index.ts"
import * as Tripletex from "./index.ts"

const dir = mkdtempSync(join(tmpdir(), "kravsync-tripletex-"))
const periode = { fraOgMed: "2023-01-01" as Dato, tilOgMed: "2023-12-31" as Dato }
const kr = (n: number) => Math.round(n * 100) as Oere
const pair = (
  id: string,
  date: string,
  account: string,
  amount: number,
  other: string,
  extra: { description?: string; reference?: string; supplierId?: string } = {}
): BooksTransaction => ({
  id,
  date: date as Dato,
  description: extra.description ?? id,
  lines: [
    { account, amount: kr(amount), ...extra },
    { account: other, amount: kr(-amount), description: extra.description ?? id }
  ]
})

/** The books behind sandbox/demo/full (sandbox/demo/generate.ts), restated as a description. */
const demoBooks: Books = {
  company: { registrationNumber: "212201782", name: "Lystig Klam Katt Tusj AS" },
  periode,
  accounts: [
    { id: "1920", description: "Bankinnskudd", opening: kr(250000) },
    { id: "2510", description: "Betalbar skatt, fastsatt", opening: kr(0) },
    { id: "2600", description: "Forskuddstrekk", opening: kr(-800) },
    { id: "2740", description: "Oppgjørskonto merverdiavgift", opening: kr(0) },
    { id: "2770", description: "Skyldig arbeidsgiveravgift", opening: kr(0) }
  ],
  transactions: () => [
    pair("2001", "2023-02-28", "2740", -25000, "2700", { description: "Mva 1. termin", reference: "ff-mva-1" }),
    pair("2002", "2023-04-11", "2740", 25000, "1920", { description: "Betalt mva 1. termin", supplierId: "Skatteetaten" }),
    pair("2003", "2023-04-30", "2740", -18000, "2700", { description: "Mva 2. termin", reference: "ff-mva-2" }),
    pair("2004", "2023-03-10", "2770", -6200, "5400", { description: "Aga jan-feb" }),
    pair("2005", "2023-05-20", "2770", 3000, "1920", { description: "Innbetaling til skattekontoen", reference: "inn-uplassert" }),
    pair("2006", "2023-06-01", "2740", -999.99, "2700", { description: "Feilført mva" }),
    pair("2007", "2023-12-20", "2600", -1200, "5000", { description: "Forskuddstrekk nov-des" })
  ]
}

const saftFile = async (name: string, books: Books) => {
  const path = join(dir, name)
  await SaftWriter.writeSaft(books, path)
  return path
}

/** Drops what only identifies an entry inside its own system, and orders entries canonically. */
const normalise = (s: LedgerSnapshot) => {
  const entries = s.entries
    .map((e) => ({ ...e, id: "", voucher: "", link: undefined }))
    .sort((a, b) =>
      JSON.stringify([a.account, a.date, a.amount, a.description, a.reference]).localeCompare(
        JSON.stringify([b.account, b.date, b.amount, b.description, b.reference])
      )
    )
    .map((e, i) => ({ ...e, id: `e${i}` }))
  return {
    company: s.company,
    periode: s.periode,
    accounts: [...s.accounts].sort((a, b) => a.number.localeCompare(b.number)),
    entries,
    rejected: s.rejected
  }
}

const saved = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "sandbox", "demo", "full", name), "utf8")) as unknown

describe("Tripletex and SAF-T agree on the same books", () => {
  it.scopedLive("generated books: the snapshots are equal", () =>
    Effect.gen(function*() {
      const books = generateBooks({ seed: 2024, vouchers: 1500, periode, taxAccounts: ["2740", "2600", "2500", "2770"] })
      const { fake, contract } = yield* startChecked()
      fake.loadBooks(1, books)
      const path = yield* Effect.promise(() => saftFile("generated.xml", books))
      const accounts = Mapping.accounts(Mapping.standard)
      const viaSaft = yield* Saft.make({ path }).read(query(accounts))
      const viaTripletex = yield* sourceFor(fake, { pageSize: 200 }).read(query(accounts))
      expect(viaTripletex.entries.length).toBeGreaterThan(1000)
      expect(normalise(viaTripletex)).toEqual(normalise(viaSaft))
      expect(contract.violations).toEqual([])
    }))

  it.scopedLive("the full demo: same snapshot, same reconciliation report", () =>
    Effect.gen(function*() {
      const { fake, contract } = yield* startChecked({ companies: [{ id: 1, name: demoBooks.company.name, organizationNumber: "212201782" }] })
      fake.loadBooks(1, demoBooks)
      const path = yield* Effect.promise(() => saftFile("demo.xml", demoBooks))
      const accounts = Mapping.accounts(Mapping.standard)
      const viaSaft = normalise(yield* Saft.make({ path }).read(query(accounts)))
      const viaTripletex = normalise(yield* sourceFor(fake).read(query(accounts)))
      expect(viaTripletex).toEqual(viaSaft)

      const input = {
        party: "212201782",
        periode,
        asOf: "2023-09-30" as Dato,
        aapneKrav: Schema.decodeUnknownSync(AapneKrav)(saved("aapnekrav-212201782.json")),
        krav: Schema.decodeUnknownSync(KravListe)(saved("krav-212201782-2023-01-01_2023-12-31.json")),
        innbetalinger: Schema.decodeUnknownSync(Innbetalinger)(saved("innbetalinger-212201782-2023-01-01_2023-12-31.json")),
        mapping: Mapping.standard,
        generatedAt: "2024-01-01T00:00:00.000Z",
        kravsyncVersion: "test"
      }
      const snapshot = (s: ReturnType<typeof normalise>): LedgerSnapshot => ({ ...s, system: "x", description: "x" })
      const fromSaft = reconcile({ ...input, ledger: snapshot(viaSaft) })
      const fromTripletex = reconcile({ ...input, ledger: snapshot(viaTripletex) })
      // compared as the JSON sink writes them: results are objects with getters over the engine's items
      const asWritten = (r: typeof fromSaft) => JSON.parse([...jsonChunks(r)].join("")) as unknown
      expect(asWritten(fromTripletex)).toEqual(asWritten(fromSaft))
      expect(fromTripletex.totals.conserved).toBe(true)
      expect(fromTripletex.ledgerEntries.length).toBeGreaterThan(5)
      expect(contract.violations).toEqual([])
    }))

  it.scopedLive("kravsync reconcile --ledger tripletex runs end to end and ties out like --ledger saft:FILE", () =>
    Effect.gen(function*() {
      const { fake } = yield* startChecked({ companies: [{ id: 1, name: demoBooks.company.name, organizationNumber: "212201782" }] })
      fake.loadBooks(1, demoBooks)
      const file = yield* Effect.promise(() => saftFile("demo-cli.xml", demoBooks))
      const cli = Command.run(reconcileCommand, { name: "kravsync", version: "test" })
      const env = Layer.mergeAll(
        NodeContext.layer,
        Registry.layer([Saft.factory, Tripletex.makeFactory(testHttp, { settings: settingsFor(fake) })]),
        Sandbox.environment,
        NodeHttpClient.layerUndici
      )
      const run = (ledger: string, out: string) =>
        cli([
          "node",
          "kravsync",
          ...fullDemoArgs(ledger),
          "--out",
          out
        ]).pipe(
          Effect.provide(env)
        )
      const a = join(dir, "via-tripletex.json")
      const b = join(dir, "via-saft.json")
      yield* run("tripletex", a)
      yield* run(`saft:${file}`, b)
      const read = (p: string) => Either.getOrThrow(decodeReportJson(readFileSync(p, "utf8")))
      const rt = read(a)
      const rs = read(b)
      expect(rt.metadata.ledger.description).toMatch(/^Tripletex Lystig Klam Katt Tusj AS \(212201782\), company id 1/)
      expect(rt.totals).toEqual(rs.totals)
      expect(rt.accounts).toEqual(rs.accounts)
      // Each source lists entries in its own order (SAF-T: file order; Tripletex: date, voucher).
      const outcome = (r: typeof rt) => r.ledgerEntries.map((e) => `${e.date} ${e.account} ${e.amount} ${e.status}`).sort()
      expect(outcome(rt)).toEqual(outcome(rs))
      expect(rt.ledgerEntries.length).toBe(7)
    }))
})
