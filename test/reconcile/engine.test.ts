import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import * as Explanation from "../../src/reconcile/Explanation.ts"
import * as Mapping from "../../src/reconcile/mapping/AccountMapping.ts"
import type { Report } from "../../src/reconcile/Report.ts"
import { aapneKrav, entry, innbetalinger, kravListe, type KravSpec, PARTY, run, snapshot } from "./helpers.ts"

const forfallOf = (r: Report, id: string) => r.claims.flatMap((c) => c.forfall).find((f) => f.kravforfallsIdentifikator === id)
const row = (r: Report, key: string) => r.accounts.find((a) => a.key === key)
const conserved = (r: Report) => {
  expect(r.totals.conserved).toBe(true)
  for (const k of r.totals.byKind) {
    expect(k.statusCount).toBe(k.count)
    expect(k.statusAmount).toBe(k.amount)
  }
  for (const a of r.accounts) expect(a.difference).toBe(a.explained + a.unexplained)
}

const MVA: KravSpec = {
  id: "mva-2023-1",
  kravtype: "åBetaleMva",
  opprettet: "2023-03-20",
  forfall: [{ id: "ff-mva-1", forfallsdato: "2023-04-11", opprinnelig: 10000, kid: "1234567890123" }]
}

describe("reconcile: one status at a time", () => {
  it("matched on reference, then paid: zero difference", () => {
    const r = run({
      krav: kravListe([{ ...MVA, forfall: [{ ...MVA.forfall[0]!, gjenstaaende: 0, placements: [{ innbetaling: "inn-77", beloep: 10000 }] }] }]),
      innbetalinger: innbetalinger([{ id: "inn-77", dato: "2023-04-10", beloep: 10000 }]),
      ledger: snapshot([
        entry("2740", "2023-02-28", -10000, { reference: "ff-mva-1" }),
        entry("2740", "2023-04-10", 10000, { description: "Betaling mva" })
      ])
    })
    const f = forfallOf(r, "ff-mva-1")!
    expect(f.status).toBe("matched")
    expect(f.matchMethod).toBe("reference")
    expect(f.text).toBe("avstemt på kravforfallsidentifikator ff-mva-1, beløp 10 000,00")
    expect(Explanation.render(f.explanation, "en")).toBe("matched on instalment id ff-mva-1, amount 10 000.00".replace("10 000.00", "10 000,00"))
    expect(r.payments[0]).toMatchObject({ status: "matched", matchMethod: "amount-date", text: "samme beløp 10 000,00, bokført på dato for innbetalingsdato" })
    expect(row(r, "2740")).toMatchObject({ difference: 0, unexplained: 0, needsAttention: false })
    conserved(r)
  })

  it("matched on amount and date, with the days in the explanation", () => {
    const r = run({ aapneKrav: aapneKrav([MVA]), ledger: snapshot([entry("2740", "2023-04-14", -10000)]) })
    expect(forfallOf(r, "ff-mva-1")).toMatchObject({
      status: "matched",
      matchMethod: "amount-date",
      text: "samme beløp 10 000,00, bokført 3 dager etter forfall"
    })
    conserved(r)
  })

  it("amount differs when the reference matches another amount", () => {
    const r = run({ aapneKrav: aapneKrav([MVA]), ledger: snapshot([entry("2740", "2023-02-28", -9000, { reference: "KID 1234567890123 mva-2023-1" })]) })
    const f = forfallOf(r, "ff-mva-1")!
    expect(f.status).toBe("amount-differs")
    expect(f.contribution).toBe(100000)
    expect(f.text).toContain("avvik 1 000,00")
    expect(r.ledgerEntries[0]?.status).toBe("amount-differs")
    expect(row(r, "2740")).toMatchObject({ difference: 100000, explained: 100000, unexplained: 0, needsAttention: true })
    conserved(r)
  })

  it("missing in ledger and only in ledger", () => {
    const r = run({ aapneKrav: aapneKrav([MVA]), ledger: snapshot([entry("2740", "2023-08-01", -55.5)]) })
    expect(forfallOf(r, "ff-mva-1")).toMatchObject({ status: "missing-in-ledger", contribution: 1000000 })
    expect(r.ledgerEntries[0]).toMatchObject({ status: "only-in-ledger", contribution: -5550 })
    expect(row(r, "2740")).toMatchObject({ difference: 1000000 - 5550, unexplained: 0 })
    conserved(r)
  })

  it("a payment booked but not placed by Skatteetaten", () => {
    const r = run({
      aapneKrav: aapneKrav([MVA], [{
        partIdentifikator: PARTY,
        innbetalingsidentifikator: "inn-9",
        innbetalingsdato: "2023-05-02",
        innbetaltBeloep: 2500,
        uplassertBeloep: 2500
      }]),
      ledger: snapshot([entry("2740", "2023-04-11", -10000), entry("2740", "2023-05-03", 2500, { reference: "inn-9" })])
    })
    expect(r.payments[0]).toMatchObject({ status: "unplaced-payment", contribution: 250000, matchMethod: "reference" })
    expect(row(r, "2740")).toMatchObject({ difference: 250000, explained: 250000, unexplained: 0 })
    conserved(r)
  })

  it("stipulated interest: booked with a reference, or not booked", () => {
    const withRenter = { ...MVA, renter: 120 }
    const booked = run({
      aapneKrav: aapneKrav([withRenter]),
      ledger: snapshot([entry("2740", "2023-04-11", -10000), entry("2740", "2023-06-30", -120, { description: "Renter mva-2023-1" })])
    })
    expect(booked.claims[0]?.renter).toMatchObject({ status: "matched", text: "stipulerte renter 120,00 er bokført" })
    conserved(booked)
    const notBooked = run({ aapneKrav: aapneKrav([withRenter]), ledger: snapshot([entry("2740", "2023-04-11", -10000)]) })
    expect(notBooked.claims[0]?.renter).toMatchObject({ status: "interest-not-booked", contribution: 12000 })
    expect(row(notBooked, "2740")).toMatchObject({ difference: 12000, unexplained: 0 })
    conserved(notBooked)
  })

  it("a skjermet party: nothing to match, entries are marked skjermet", () => {
    const r = run({ aapneKrav: aapneKrav([], [], true), ledger: snapshot([entry("2740", "2023-04-11", -10000)]) })
    expect(r.metadata.skjermet).toBe(true)
    expect(r.ledgerEntries[0]?.status).toBe("skjermet")
    expect(row(r, "2740")?.attention).toContain("skjermet")
    conserved(r)
  })

  it("unmapped kravtyper are reported, never dropped", () => {
    const r = run({
      aapneKrav: aapneKrav([{ id: "sa-1", kravtype: "sjokoladeavgift", forfall: [{ id: "ff-sa-1", forfallsdato: "2023-05-01", opprinnelig: 700 }] }]),
      ledger: snapshot([])
    })
    expect(forfallOf(r, "ff-sa-1")).toMatchObject({ status: "unmapped" })
    expect(r.unmappedCodes).toEqual([{ kravtype: "sjokoladeavgift", kravgruppe: "særavgifter", claims: 1, gjenstaaende: 70000 }])
    expect(row(r, Mapping.UNMAPPED_ROW)).toMatchObject({ difference: 70000, unexplained: 0, needsAttention: true })
    conserved(r)
  })

  it("one claim booked as three entries, and two claims booked as one entry", () => {
    const aga: KravSpec = {
      id: "aga-1",
      kravtype: "arbeidsgiveravgift",
      opprettet: "2023-03-01",
      forfall: [{ id: "ff-aga-1", forfallsdato: "2023-03-15", opprinnelig: 3000 }]
    }
    const aga2: KravSpec = {
      id: "aga-2",
      kravtype: "arbeidsgiveravgift",
      opprettet: "2023-03-01",
      forfall: [{ id: "ff-aga-2", forfallsdato: "2023-03-15", opprinnelig: 1700.5 }]
    }
    const r = run({
      aapneKrav: aapneKrav([MVA, aga, aga2]),
      ledger: snapshot([
        entry("2740", "2023-03-01", -2500),
        entry("2740", "2023-03-02", -7000),
        entry("2740", "2023-03-03", -500),
        entry("2770", "2023-03-10", -4700.5)
      ])
    })
    expect(forfallOf(r, "ff-mva-1")).toMatchObject({ status: "matched", matchMethod: "combination" })
    expect(forfallOf(r, "ff-mva-1")?.entryIds).toHaveLength(3)
    expect(forfallOf(r, "ff-aga-1")).toMatchObject({ status: "matched", matchMethod: "combination" })
    expect(forfallOf(r, "ff-aga-2")).toMatchObject({ status: "matched", matchMethod: "combination" })
    expect(r.ledgerEntries.find((e) => e.account === "2770")?.matchedTo).toHaveLength(2)
    expect(r.totals.unexplained).toBe(0)
    expect(r.totals.difference).toBe(0)
    conserved(r)
  })

  it("entries after the as-of date and claims from before the period", () => {
    const old: KravSpec = {
      id: "old-1",
      kravtype: "forskuddstrekk",
      opprettet: "2022-12-01",
      forfall: [{ id: "ff-old", forfallsdato: "2023-01-15", opprinnelig: 800 }]
    }
    const r = run({
      asOf: "2023-06-30" as never,
      aapneKrav: aapneKrav([old]),
      ledger: snapshot([entry("2600", "2023-07-02", -100)], { "2600": -800 })
    })
    expect(forfallOf(r, "ff-old")).toMatchObject({ status: "opening-balance" })
    expect(r.ledgerEntries[0]).toMatchObject({ status: "outside-period" })
    expect(row(r, "2600")).toMatchObject({ difference: 0, unexplained: 0 })
    conserved(r)
  })

  it("an opening balance that does not fit Skatteetaten's older claims is unexplained", () => {
    const old: KravSpec = {
      id: "old-1",
      kravtype: "forskuddstrekk",
      opprettet: "2022-12-01",
      forfall: [{ id: "ff-old", forfallsdato: "2023-01-15", opprinnelig: 800 }]
    }
    const r = run({ aapneKrav: aapneKrav([old]), ledger: snapshot([], { "2600": -500 }) })
    expect(row(r, "2600")).toMatchObject({ difference: 30000, unexplained: 30000, needsAttention: true })
    expect(row(r, "2600")?.unexplainedBreakdown).toEqual({ openingBalance: 30000, sourceInconsistency: 0, other: 0 })
    expect(row(r, "2600")?.attention).toContain("opening-balance-differs")
  })

  it("bad ledger lines and other parties' claims are set aside with a reason; the rest is reconciled", () => {
    const input = {
      aapneKrav: aapneKrav([MVA, { ...MVA, id: "x", party: "04827896468", forfall: [{ ...MVA.forfall[0]!, id: "other" }] }]),
      ledger: {
        ...snapshot([entry("2740", "2023-04-11", -10000), { ...entry("2740", "2023-13-01", -1), id: "bad-date" }, {
          ...entry("2740", "2023-04-01", 1),
          amount: 1.5 as never
        }]),
        rejected: [{ location: "line 7, column 3", reason: "line has neither DebitAmount nor CreditAmount" }, {
          location: "line 9, column 1",
          reason: "the line has no AccountID",
          reasonNb: "linjen har ingen AccountID"
        }]
      }
    }
    const r = run({ ...input, language: "en" })
    expect(r.setAside.map((s) => s.reason)).toEqual([
      "belongs to another party (04827896468)",
      "\"2023-13-01\" has no month 13",
      "amount 1.5 is not a whole number of øre",
      "line has neither DebitAmount nor CreditAmount",
      "the line has no AccountID"
    ])
    // The default language is bokmål; a source's reason with no bokmål text is shown as given.
    expect(run(input).setAside.map((s) => s.reason)).toEqual([
      "tilhører en annen part (04827896468)",
      "\"2023-13-01\" har ingen måned 13",
      "beløpet 1.5 er ikke et helt antall øre",
      "line has neither DebitAmount nor CreditAmount",
      "linjen har ingen AccountID"
    ])
    expect(forfallOf(r, "ff-mva-1")?.status).toBe("matched")
    expect(r.totals.needsAttention).toBe(true)
    conserved(r)
  })

  it("the seed data for 212201782 reconciles without losing anything", async () => {
    const { Schema } = await import("effect")
    const { AapneKrav, KravListe } = await import("../../src/domain/Dokumenter.ts")
    const seedA = Schema.decodeUnknownSync(AapneKrav)((await import("../../sandbox/seed/aapnekrav-212201782.json", { with: { type: "json" } })).default)
    const seedK = Schema.decodeUnknownSync(KravListe)(
      (await import("../../sandbox/seed/krav-212201782-2023-01-01_2023-09-01.json", { with: { type: "json" } })).default
    )
    const r = run({ aapneKrav: seedA, krav: seedK, ledger: snapshot([entry("2510", "2023-01-31", -10000, { reference: "krav-1234" })]) })
    expect(forfallOf(r, "93d29b06-6cbd-4999-bd23-b0a13c47da51")).toMatchObject({ status: "matched", matchMethod: "reference" })
    expect(r.setAside.filter((s) => s.reason.includes("04827896468")).map((s) => s.kind)).toEqual(["innbetaling", "krav", "krav"])
    conserved(r)
  })
})

describe("account mapping", () => {
  it("defaults follow NS 4102", () => {
    expect(Mapping.resolve(Mapping.standard, "åBetaleMva", undefined).accounts).toEqual(["2740"])
    expect(Mapping.resolve(Mapping.standard, "RESTSKATT", "Skatt").accounts).toEqual(["2500", "2510"])
    expect(Mapping.resolve(Mapping.standard, "finansskattLønn", "Arbeidsgiveravgift").accounts).toEqual(["2772"])
    expect(Mapping.resolve(Mapping.standard, "forskuddstrekk", undefined).accounts).toEqual(["2600"])
    expect(Mapping.resolve(Mapping.standard, "tvangsmulkt", undefined)).toMatchObject({ accounts: [], via: "none" })
    expect(Mapping.accounts(Mapping.standard)).toEqual(["2500", "2510", "2600", "2740", "2770", "2772"])
  })

  it("a company file overrides, an ENK has no company tax", async () => {
    const { parseMapping } = await import("../../src/reconcile/mapping/loadMapping.ts")
    const m = Either.getOrThrow(
      parseMapping(JSON.stringify({ selskapsform: "ENK", kravgrupper: { Merverdiavgift: ["2741"] }, kravtyper: { tvangsmulkt: ["2790"] } }), "firma.json")
    )
    expect(Mapping.resolve(m, "åBetaleMva", undefined).accounts).toEqual(["2741"])
    expect(Mapping.resolve(m, "restskatt", undefined).accounts).toEqual([])
    expect(Mapping.resolve(m, "tvangsmulkt", undefined).accounts).toEqual(["2790"])
  })

  it("errors name the field", async () => {
    const { parseMapping } = await import("../../src/reconcile/mapping/loadMapping.ts")
    const bad = parseMapping(JSON.stringify({ kravgrupper: { merverdiavgift: [2740] } }), "firma.json")
    expect(Either.isLeft(bad) && bad.left.field).toBe("kravgrupper.merverdiavgift.0")
    const unknown = parseMapping(JSON.stringify({ kravgrupper: { moms: ["2740"] } }), "firma.json")
    expect(Either.isLeft(unknown) && unknown.left.field).toBe("kravgrupper.moms")
    const clash = parseMapping(JSON.stringify({ kravtyper: { restskatt: ["2740", "2770"] } }), "firma.json")
    expect(Either.isLeft(clash) && clash.left.message).toContain("account 2740")
    const extra = parseMapping(JSON.stringify({ kontoer: {} }), "firma.json")
    expect(Either.isLeft(extra) && extra.left.field).toBe("kontoer")
  })
})
