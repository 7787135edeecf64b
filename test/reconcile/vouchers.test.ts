/**
 * The engine on books as Norwegian accountants book them (issue: matching on real books):
 * gross VAT settlement vouchers, the payment in the settlement voucher, internal moves between a
 * row's own accounts, a payment booked on the wrong tax account, refunds paid out and set off,
 * accruals whose claim does not exist yet, and claims whose accrual is in the opening balance.
 * Each case was a false alarm (or two unrelated differences) before the voucher-aware engine.
 */
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { Utbetalinger } from "../../src/domain/Dokumenter.ts"
import { Krav } from "../../src/domain/Krav.ts"
import type { Report } from "../../src/reconcile/Report.ts"
import { needsAttention } from "../../src/reconcile/Status.ts"
import { entry, innbetalinger, kravListe, type KravSpec, PARTY, run, snapshot } from "./helpers.ts"

const forfallOf = (r: Report, id: string) => r.claims.flatMap((c) => c.forfall).find((f) => f.kravforfallsIdentifikator === id)
const row = (r: Report, key: string) => r.accounts.find((a) => a.key === key)
const followUps = (r: Report) => [
  ...r.claims.flatMap((c) => c.forfall.filter((f) => needsAttention(f.status)).map((f) => `${f.kravforfallsIdentifikator}:${f.status}`)),
  ...r.payments.filter((p) => needsAttention(p.status)).map((p) => `${p.innbetalingsidentifikator}:${p.status}`),
  ...r.utbetalinger.filter((p) => needsAttention(p.status)).map((p) => `${p.utbetalingsidentifikator}:${p.status}`),
  ...r.motregninger.filter((p) => needsAttention(p.status)).map((p) => `${p.id}:${p.status}`),
  ...r.ledgerEntries.filter((e) => needsAttention(e.status)).map((e) => `${e.id}:${e.status}`)
]
const tiesOut = (r: Report) => {
  expect(r.totals.conserved).toBe(true)
  for (const a of r.accounts) {
    expect(a.unexplained).toBe(0)
    expect(a.bridge.differenceParts.reduce((n, p) => n + p.amount, 0)).toBe(a.difference)
    const s = a.bridge.skatteetaten
    expect(s.opening + s.claims + s.payments + s.setOffs + s.refunds + s.stipulerteRenter + s.other).toBe(s.closing)
    const l = a.bridge.ledger
    expect(l.opening + l.claims + l.payments + l.setOffs + l.refunds + l.accruedNotClaimed + l.other).toBe(l.closing)
  }
}

const MVA1: KravSpec = {
  id: "mva-2023-1",
  kravtype: "åBetaleMva",
  opprettet: "2023-03-20",
  forfall: [{
    id: "ff-mva-1",
    forfallsdato: "2023-04-11",
    opprinnelig: 125_000,
    kid: "1234567890123",
    gjenstaaende: 0,
    placements: [{ innbetaling: "inn-1", beloep: 125_000, dato: "2023-04-11" }]
  }]
}
const paid = innbetalinger([{ id: "inn-1", dato: "2023-04-11", beloep: 125_000, kid: "1234567890123" }])

describe("voucher-aware matching", () => {
  it("a gross settlement voucher (credit 250 000 from 2700, debit 125 000 from 2710) explains a claim of 125 000", () => {
    const r = run({
      krav: kravListe([MVA1]),
      innbetalinger: paid,
      ledger: snapshot([
        entry("2740", "2023-02-28", -250_000, { id: "S-1", voucher: "S", description: "Mva 1. termin: utgående" }),
        entry("2740", "2023-02-28", 125_000, { id: "S-2", voucher: "S", description: "Mva 1. termin: inngående" }),
        entry("2740", "2023-04-11", 125_000, { id: "B-1", voucher: "B", description: "Betaling mva", reference: "1234567890123" })
      ])
    })
    expect(forfallOf(r, "ff-mva-1")).toMatchObject({
      status: "matched",
      matchMethod: "voucher",
      entryIds: ["S-1", "S-2"],
      text: "2 linjer i bilag S utgjør til sammen 125 000,00"
    })
    expect(r.payments[0]).toMatchObject({ status: "matched", entryIds: ["B-1"] })
    expect(followUps(r)).toEqual([])
    tiesOut(r)
  })

  it("the payment in the same voucher as the settlement: each line ends in exactly one place", () => {
    const r = run({
      krav: kravListe([MVA1]),
      innbetalinger: paid,
      ledger: snapshot([
        entry("2740", "2023-04-11", -250_000, { id: "S-1", voucher: "S", description: "Mva 1. termin: utgående" }),
        entry("2740", "2023-04-11", 100_000, { id: "S-2", voucher: "S", description: "Mva 1. termin: inngående 25 %" }),
        entry("2740", "2023-04-11", 25_000, { id: "S-3", voucher: "S", description: "Mva 1. termin: inngående 15 %" }),
        entry("2740", "2023-04-11", 125_000, { id: "S-4", voucher: "S", description: "Betalt", reference: "1234567890123" })
      ])
    })
    const f = forfallOf(r, "ff-mva-1")!
    const p = r.payments[0]!
    expect(f.status).toBe("matched")
    expect(p.status).toBe("matched")
    expect([...f.entryIds, ...p.entryIds].sort()).toEqual(["S-1", "S-2", "S-3", "S-4"])
    expect(new Set([...f.entryIds, ...p.entryIds]).size).toBe(4)
    expect(r.ledgerEntries.every((e) => e.matchedTo.length === 1)).toBe(true)
    expect(followUps(r)).toEqual([])
    tiesOut(r)
  })

  it("a move from 2500 to 2510 nets to zero and is not a difference", () => {
    const r = run({
      ledger: snapshot(
        [
          entry("2500", "2023-10-20", 80_000, { id: "F-1", voucher: "F", description: "Omføring betalbar skatt til fastsatt" }),
          entry("2510", "2023-10-20", -80_000, { id: "F-2", voucher: "F", description: "Omføring betalbar skatt til fastsatt" })
        ],
        {},
        { fraOgMed: "2023-01-01", tilOgMed: "2023-12-31" }
      )
    })
    expect(r.ledgerEntries.map((e) => e.status)).toEqual(["internal-transfer", "internal-transfer"])
    expect(followUps(r)).toEqual([])
    tiesOut(r)
  })

  it("a payment booked on 2740 that Skatteetaten placed on arbeidsgiveravgift: one item, its own explanation", () => {
    const r = run({
      krav: kravListe([
        {
          id: "aga-1",
          kravtype: "arbeidsgiveravgift",
          opprettet: "2023-03-05",
          forfall: [{
            id: "ff-aga-1",
            forfallsdato: "2023-03-15",
            opprinnelig: 6_200,
            kid: "5550001112223",
            gjenstaaende: 0,
            placements: [{ innbetaling: "inn-aga", beloep: 6_200, dato: "2023-03-15" }]
          }]
        }
      ]),
      innbetalinger: innbetalinger([{ id: "inn-aga", dato: "2023-03-15", beloep: 6_200, kid: "5550001112223" }]),
      ledger: snapshot([
        entry("2770", "2023-02-28", -6_200, { id: "A-1", voucher: "A", description: "Arbeidsgiveravgift jan-feb" }),
        entry("2740", "2023-03-15", 6_200, { id: "P-1", voucher: "P", description: "Betaling", reference: "5550001112223" })
      ])
    })
    expect(r.payments[0]).toMatchObject({ status: "wrong-account", matchMethod: "wrong-account", entryIds: ["P-1"] })
    expect(r.payments[0]!.text).toBe("bokført på 2740, Skatteetaten har plassert den på arbeidsgiveravgift (2770)")
    expect(r.ledgerEntries.find((e) => e.id === "P-1")).toMatchObject({ status: "wrong-account", contribution: 0 })
    expect(followUps(r)).toEqual(["inn-aga:wrong-account", "P-1:wrong-account"])
    expect(row(r, "2740")).toMatchObject({ difference: 620_000, unexplained: 0 })
    expect(row(r, "2770")).toMatchObject({ difference: -620_000, unexplained: 0 })
    tiesOut(r)
  })
})

describe("refunds and set-offs", () => {
  const tilgode = (extra: Partial<KravSpec["forfall"][number]> & { utbetaling?: string } = {}) => ({
    partIdentifikator: PARTY,
    kravidentifikator: "tilgode-3",
    kravtype: "tilgodeMva",
    kravgruppe: "merverdiavgift",
    opprinneligBeloep: -40_000,
    gjenstaaendeBeloep: 0,
    opprettelsesdatoForKrav: "2023-07-20",
    kravforfall: [
      {
        kravforfallsIdentifikator: "ff-tilgode-3",
        forfallsdato: "2023-08-10",
        opprinneligBeloep: -40_000,
        gjenstaaendeBeloep: 0,
        ...(extra.utbetaling
          ? { plassertUtbetaling: [{ utbetalingsidentifikator: extra.utbetaling, plassertBeloep: 40_000, plassertDato: "2023-08-21" }] }
          : {})
      }
    ]
  })

  it("a VAT refund paid out: the settlement's debit is the tilgode claim, the payout is the utbetaling", () => {
    const r = run({
      krav: { ...kravListe([]), krav: [Schema.decodeUnknownSync(Krav)(tilgode({ utbetaling: "utb-1" }))] },
      utbetalinger: Schema.decodeUnknownSync(Utbetalinger)({
        partIdentifikator: PARTY,
        utbetaling: [{
          utbetalingsidentifikator: "utb-1",
          utbetaltdato: "2023-08-21",
          utbetaltBeloep: 40_000,
          grunnlagForUtbetaling: { kreditKrav: [{ kravforfallsIdentifikator: "ff-tilgode-3", utbetaltBeloep: 40_000 }] },
          utbetalingstatus: "bekreftet"
        }]
      }),
      ledger: snapshot([
        entry("2740", "2023-06-30", -60_000, { id: "S-1", voucher: "S", description: "Mva 3. termin: utgående" }),
        entry("2740", "2023-06-30", 100_000, { id: "S-2", voucher: "S", description: "Mva 3. termin: inngående" }),
        entry("2740", "2023-08-21", -40_000, { id: "U-1", voucher: "U", description: "Tilbakebetalt mva" })
      ])
    })
    expect(forfallOf(r, "ff-tilgode-3")).toMatchObject({ status: "matched", matchMethod: "voucher" })
    expect(r.utbetalinger[0]).toMatchObject({ status: "matched", entryIds: ["U-1"], contribution: 0 })
    expect(followUps(r)).toEqual([])
    expect(row(r, "2740")).toMatchObject({ difference: 0 })
    expect(row(r, "2740")!.bridge.skatteetaten).toMatchObject({ claims: -4_000_000, refunds: 4_000_000, closing: 0 })
    tiesOut(r)
  })

  it("a refund never booked as paid out is the utbetaling's difference", () => {
    const r = run({
      krav: { ...kravListe([]), krav: [Schema.decodeUnknownSync(Krav)(tilgode({ utbetaling: "utb-1" }))] },
      utbetalinger: Schema.decodeUnknownSync(Utbetalinger)({
        partIdentifikator: PARTY,
        utbetaling: [{ utbetalingsidentifikator: "utb-1", utbetaltdato: "2023-08-21", utbetaltBeloep: 40_000 }]
      }),
      ledger: snapshot([entry("2740", "2023-06-30", 40_000, { id: "S-1", voucher: "S", description: "Mva 3. termin tilgode" })])
    })
    expect(r.utbetalinger[0]).toMatchObject({ status: "missing-in-ledger", contribution: 4_000_000 })
    expect(row(r, "2740")).toMatchObject({ difference: 4_000_000, unexplained: 0 })
    tiesOut(r)
  })

  it("tilgode VAT set off against arbeidsgiveravgift: one set-off with a leg on each row", () => {
    const aga = {
      partIdentifikator: PARTY,
      kravidentifikator: "aga-3",
      kravtype: "arbeidsgiveravgift",
      opprinneligBeloep: 50_000,
      gjenstaaendeBeloep: 10_000,
      opprettelsesdatoForKrav: "2023-07-05",
      kravforfall: [
        {
          kravforfallsIdentifikator: "ff-aga-3",
          forfallsdato: "2023-07-17",
          opprinneligBeloep: 50_000,
          gjenstaaendeBeloep: 10_000,
          plassertMotkrav: [{ kravforfallsIdentifikator: "ff-tilgode-3", plassertBeloep: 40_000, plassertDato: "2023-07-25", kravtype: "tilgodeMva" }]
        }
      ]
    }
    const r = run({
      krav: { ...kravListe([]), krav: [Schema.decodeUnknownSync(Krav)(tilgode()), Schema.decodeUnknownSync(Krav)(aga)] },
      ledger: snapshot([
        entry("2740", "2023-06-30", 40_000, { id: "S-1", voucher: "S", description: "Mva 3. termin tilgode" }),
        entry("2770", "2023-06-30", -50_000, { id: "A-1", voucher: "A", description: "Arbeidsgiveravgift mai-juni" }),
        entry("2770", "2023-07-25", 40_000, { id: "M-1", voucher: "M", description: "Motregning tilgode mva" }),
        entry("2740", "2023-07-25", -40_000, { id: "M-2", voucher: "M", description: "Motregning tilgode mva" })
      ])
    })
    expect(r.motregninger).toHaveLength(1)
    expect(r.motregninger[0]).toMatchObject({
      status: "matched",
      kravforfallsIdentifikator: "ff-aga-3",
      motkravForfallsIdentifikator: "ff-tilgode-3",
      beloep: 4_000_000
    })
    expect([...r.motregninger[0]!.entryIds].sort()).toEqual(["M-1", "M-2"])
    expect(followUps(r)).toEqual([])
    expect(row(r, "2770")).toMatchObject({ difference: 0, skatteetaten: { saldo: 1_000_000 } })
    expect(row(r, "2740")).toMatchObject({ difference: 0, skatteetaten: { saldo: 0 } })
    tiesOut(r)
  })
})

describe("across period boundaries", () => {
  it("the 6th termin, booked last year and claimed in January, is in the opening balance", () => {
    const termin6: KravSpec = {
      id: "mva-2022-6",
      kravtype: "åBetaleMva",
      opprettet: "2023-01-25",
      kravperiode: { aar: "2022", fraDato: "2022-11-01", tilDato: "2022-12-31", terminTekniskNavn: "termin6" },
      forfall: [{
        id: "ff-2022-6",
        forfallsdato: "2023-02-10",
        opprinnelig: 30_000,
        gjenstaaende: 0,
        placements: [{ innbetaling: "inn-6", beloep: 30_000, dato: "2023-02-10" }]
      }]
    }
    const books = (opening: number) =>
      run({
        krav: kravListe([termin6]),
        innbetalinger: innbetalinger([{ id: "inn-6", dato: "2023-02-10", beloep: 30_000 }]),
        ledger: snapshot([entry("2740", "2023-02-10", 30_000, { id: "B-1", voucher: "B", description: "Betaling mva 6. termin 2022" })], { "2740": opening }),
        asOf: "2023-03-31" as never
      })
    const r = books(-30_000)
    expect(forfallOf(r, "ff-2022-6")).toMatchObject({
      status: "opening-balance",
      contribution: 0,
      text: "gjelder 6. termin 2022, før 2023-01-01: dekket av inngående saldo (30 000,00)"
    })
    expect(r.payments[0]).toMatchObject({ status: "matched" })
    expect(followUps(r)).toEqual([])
    expect(row(r, "2740")).toMatchObject({ difference: 0, unexplained: 0, openingAccrued: 0, unexplainedBreakdown: { openingBalance: 0 } })
    expect(row(r, "2740")!.bridge.skatteetaten).toMatchObject({ opening: 0, claims: 3_000_000, payments: -3_000_000, closing: 0 })
    tiesOut(r)
    // Half of it in the opening balance: the rest is expected as a booking in the period (never beyond the opening balance).
    const half = books(-15_000)
    expect(forfallOf(half, "ff-2022-6")).toMatchObject({ status: "missing-in-ledger", contribution: 1_500_000 })
    tiesOut(half)
  })

  it("at 31 January the 6th termin's claim need not exist: the opening balance is accrued, not a difference", () => {
    const r = run({ ledger: snapshot([], { "2740": -30_000 }), asOf: "2023-01-31" as never })
    expect(row(r, "2740")).toMatchObject({ difference: -3_000_000, openingAccrued: -3_000_000, unexplained: 0, needsAttention: false })
    expect(row(r, "2740")!.bridge.differenceParts).toEqual([{ part: "opening-accrued-not-claimed", amount: -3_000_000 }])
    const late = run({ ledger: snapshot([], { "2740": -30_000 }), asOf: "2023-02-28" as never })
    expect(row(late, "2740")).toMatchObject({
      openingAccrued: 0,
      unexplained: -3_000_000,
      needsAttention: true,
      attention: ["unexplained", "opening-balance-differs"]
    })
  })

  it("a payroll run whose termin is not claimed yet is accrued, not a difference — until the claim is due", () => {
    const ledger = snapshot([
      entry("2770", "2023-11-25", -4_000, { id: "L-1", voucher: "L11", description: "Lønn november" }),
      entry("2770", "2023-12-20", -4_100, { id: "L-2", voucher: "L12", description: "Lønn desember" })
    ])
    const atYearEnd = run({ ledger, asOf: "2023-12-31" as never })
    expect(atYearEnd.ledgerEntries.map((e) => e.status)).toEqual(["accrued-not-claimed", "accrued-not-claimed"])
    expect(atYearEnd.ledgerEntries[0]!.text).toBe("påløpt for 6. termin 2023; kravet fra Skatteetaten skal ikke foreligge før 2024-01-15")
    expect(followUps(atYearEnd)).toEqual([])
    expect(row(atYearEnd, "2770")).toMatchObject({ difference: -810_000, unexplained: 0, needsAttention: false })
    tiesOut(atYearEnd)
    const late = run({ ledger: snapshot(ledger.entries as never, {}, { fraOgMed: "2023-01-01", tilOgMed: "2024-02-29" }), asOf: "2024-02-01" as never })
    expect(late.ledgerEntries.map((e) => e.status)).toEqual(["only-in-ledger", "only-in-ledger"])
    expect(late.ledgerEntries[0]!.text).toContain("men Skatteetaten har ikke noe tilsvarende krav selv om det skulle foreligge innen 2024-01-15")
  })
})
