/**
 * The test books (sandbox/books): deterministic, balanced, decodable, Skatteetaten's figures
 * add up, the mirror identity holds at every month-end (and every day for one company), and each
 * deliberate difference moves its row by exactly its documented amount.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Schema } from "effect"
import * as fc from "fast-check"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Saft from "../../connectors/saft/index.ts"
import * as Cal from "../../sandbox/books/calendar.ts"
import {
  ALL_DIFFERENCES,
  ALL_STYLES,
  type BookingStyle,
  type CompanyBooks,
  type CompanyOptions,
  generateCompany,
  ROW_OF_KRAVGRUPPE,
  ROWS
} from "../../sandbox/books/index.ts"
import * as Data from "../../sandbox/Data.ts"
import type { SaftDescription as WriterDescription } from "../../sandbox/saft/SaftWriter.ts"
import * as SaftWriter from "../../sandbox/saft/SaftWriter.ts"
import * as Dato from "../../src/domain/Dato.ts"
import { AapneKrav, Innbetalinger, KravListe, Utbetalinger } from "../../src/domain/Dokumenter.ts"
import { lookupKravgruppe, lookupKravtype } from "../../src/domain/Kodeliste.ts"
import * as Money from "../../src/domain/Money.ts"
import type { PartIdentifikator } from "../../src/domain/PartIdentifikator.ts"
import type { Periode } from "../../src/domain/Periode.ts"

type Json = Record<string, unknown>

const PART = "313367002"
const oere = (n: unknown): number => Either.getOrThrow(Money.fromKronerNumber(n as number))
const list = (x: unknown): ReadonlyArray<Json> => (Array.isArray(x) ? (x as Array<Json>) : x === undefined ? [] : [x as Json])
const base: CompanyOptions = { part: PART, name: "Testbøker AS", seed: 7, firstYear: 2023, years: 2, styles: ALL_STYLES }

const monthEnds = (o: CompanyOptions): ReadonlyArray<Dato.Dato> => {
  const out: Array<Dato.Dato> = []
  for (let y = o.firstYear; y <= o.firstYear + o.years; y++) for (let m = 1; m <= 12; m++) out.push(Cal.endOfMonth(y, m))
  return out
}

/** Per row: ledger balance − (−Skatteetaten's open amount + accrued not claimed). Zero for a mirror. */
const breaks = (books: CompanyBooks, o: CompanyOptions, asOf: Dato.Dato): Record<string, number> => {
  const ledger = books.ledger({ fraOgMed: Cal.date(o.firstYear, 1, 1), tilOgMed: asOf })
  const balance = new Map<string, number>(ledger.accounts.map((a) => [a.id, a.opening]))
  for (const t of ledger.transactions()) for (const l of t.lines) balance.set(l.account, (balance.get(l.account) ?? 0) + l.amount)
  const open = new Map<string, number>()
  for (const k of books.skatteetaten(asOf).krav) {
    const row = ROW_OF_KRAVGRUPPE[String(k["kravgruppe"])] ?? "(ikke tilordnet)"
    open.set(row, (open.get(row) ?? 0) + oere(k["gjenstaaendeBeloep"]))
  }
  const accrued = new Map<string, number>()
  for (const a of books.accruedNotClaimed(asOf)) accrued.set(a.row, (accrued.get(a.row) ?? 0) + a.amount)
  expect(open.get("(ikke tilordnet)")).toBeUndefined()
  return Object.fromEntries(
    Object.entries(ROWS).map(([row, accounts]) => {
      const ledgerBalance = accounts.reduce((s, a) => s + (balance.get(a) ?? 0), 0)
      return [row, ledgerBalance + (open.get(row) ?? 0) - (accrued.get(row) ?? 0)]
    })
  )
}

const zeroRows = Object.fromEntries(Object.keys(ROWS).map((r) => [r, 0]))

/** What the injected differences should do to each row on `asOf`. */
const expectedBreaks = (books: CompanyBooks, asOf: Dato.Dato): Record<string, number> => {
  const out: Record<string, number> = { ...zeroRows }
  for (const d of books.differences) {
    if (d.date > asOf) continue
    out[d.row] = (out[d.row] ?? 0) + d.amount
    if (d.counterpart) out[d.counterpart.row] = (out[d.counterpart.row] ?? 0) + d.counterpart.amount
  }
  return out
}

const allTransactions = (
  books: CompanyBooks,
  o: CompanyOptions
) => [...books.ledger({ fraOgMed: Cal.date(o.firstYear, 1, 1), tilOgMed: Cal.date(o.firstYear + o.years, 12, 31) }).transactions()]

describe("test books", () => {
  it("are deterministic: the same options give the same documents, ledger, accruals and differences", () => {
    const o = { ...base, differences: ALL_DIFFERENCES }
    const a = generateCompany(o)
    const b = generateCompany(o)
    for (const asOf of (["2023-06-30", "2024-12-31", "2025-11-30"] as const).map((d) => d as Dato.Dato)) {
      expect(JSON.stringify(a.skatteetaten(asOf))).toBe(JSON.stringify(b.skatteetaten(asOf)))
      expect(a.accruedNotClaimed(asOf)).toEqual(b.accruedNotClaimed(asOf))
    }
    expect(JSON.stringify(allTransactions(a, o))).toBe(JSON.stringify(allTransactions(b, o)))
    expect(a.differences).toEqual(b.differences)
    const other = generateCompany({ ...o, seed: 8 })
    expect(JSON.stringify(other.skatteetaten("2024-12-31" as Dato.Dato))).not.toBe(JSON.stringify(a.skatteetaten("2024-12-31" as Dato.Dato)))
  })

  it("every voucher balances, ids are unique, and every opening trial balance is zero", () => {
    for (const styles of [[], ALL_STYLES] as ReadonlyArray<ReadonlyArray<BookingStyle>>) {
      const o = { ...base, years: 3, styles, differences: ALL_DIFFERENCES }
      const books = generateCompany(o)
      const ts = allTransactions(books, o)
      expect(new Set(ts.map((t) => t.id)).size).toBe(ts.length)
      for (const t of ts) {
        expect(t.lines.length).toBeGreaterThanOrEqual(2)
        expect(t.lines.reduce((s, l) => s + l.amount, 0), `${t.id} ${t.description}`).toBe(0)
        for (const l of t.lines) expect(Number.isSafeInteger(l.amount)).toBe(true)
      }
      for (let y = o.firstYear; y <= o.firstYear + o.years; y++) {
        const ledger = books.ledger({ fraOgMed: Cal.date(y, 1, 1), tilOgMed: Cal.date(y, 12, 31) })
        expect(ledger.accounts.reduce((s, a) => s + a.opening, 0)).toBe(0)
        if (y > o.firstYear) {
          // Profit-and-loss accounts start the year at zero: the result was closed to 2050.
          for (const a of ledger.accounts) if (a.id >= "3") expect(a.opening, `${a.id} ${y}`).toBe(0)
        }
      }
    }
  })

  it("the second year opens with the first year's closing balances, the 6th termin and the tax accrual included", () => {
    // Without payment-in-settlement the 6th termin's VAT is settled to 2740 on 31 December.
    const books = generateCompany({ ...base, styles: ALL_STYLES.filter((s) => s !== "payment-in-settlement") })
    const y1 = books.ledger({ fraOgMed: "2023-01-01" as Dato.Dato, tilOgMed: "2023-12-31" as Dato.Dato })
    const closing = new Map<string, number>(y1.accounts.map((a) => [a.id, a.opening]))
    for (const t of y1.transactions()) for (const l of t.lines) closing.set(l.account, (closing.get(l.account) ?? 0) + l.amount)
    const y2 = books.ledger({ fraOgMed: "2024-01-01" as Dato.Dato, tilOgMed: "2024-12-31" as Dato.Dato })
    for (const a of y2.accounts) if (a.id < "3") expect(a.opening, a.id).toBe(closing.get(a.id) ?? 0)
    const opening = new Map(y2.accounts.map((a) => [a.id, a.opening]))
    for (const account of ["2740", "2770", "2600", "2500"]) expect(opening.get(account), account).toBeLessThan(0)
    const accrued = books.accruedNotClaimed("2023-12-31" as Dato.Dato)
    expect(new Set(accrued.map((a) => `${a.row} ${a.kravperiode}`))).toEqual(
      new Set(["2740 6. termin 2023", "2770 6. termin 2023", "2600 6. termin 2023", "2500+2510 2023"])
    )
    // What opens the year on each tax row: the accruals above, less what Skatteetaten still has open (the interest claim of style e).
    const open = books.skatteetaten("2023-12-31" as Dato.Dato).krav.filter((k) => oere(k["gjenstaaendeBeloep"]) !== 0)
    expect(open.map((k) => k["kravtype"])).toEqual(["forsinkelsesrenterMva"])
    for (const [row, accounts] of Object.entries(ROWS)) {
      const stillOpen = open.filter((k) => ROW_OF_KRAVGRUPPE[String(k["kravgruppe"])] === row).reduce((s, k) => s + oere(k["gjenstaaendeBeloep"]), 0)
      const accruedOnRow = accrued.filter((a) => a.row === row).reduce((s, a) => s + a.amount, 0)
      expect(accounts.reduce((s, a) => s + (opening.get(a) ?? 0), 0), row).toBe(accruedOnRow - stillOpen)
    }
  })

  it("every document decodes with the domain schemas, on every month-end", () => {
    const o = { ...base, differences: ALL_DIFFERENCES }
    const books = generateCompany(o)
    let krav = 0
    for (const asOf of monthEnds(o)) {
      const party = books.skatteetaten(asOf)
      krav += party.krav.length
      const periode = { fraOgMed: Cal.date(Cal.yearOf(asOf), 1, 1), tilOgMed: asOf } as Periode
      Schema.decodeUnknownSync(AapneKrav)(Data.computeAapneKrav(party, asOf))
      for (
        const [endpoint, schema] of [
          ["krav", KravListe],
          ["innbetalinger", Innbetalinger],
          ["utbetalinger", Utbetalinger]
        ] as const
      ) {
        const answer = Data.answer(party, endpoint, periode, asOf)
        if (answer._tag === "Document") Schema.decodeUnknownSync(schema as Schema.Schema<unknown, unknown>)(answer.body)
      }
    }
    expect(krav).toBeGreaterThan(100)
  })

  it("uses kravtype codes from kravtype.xml with their own kravgruppe", () => {
    const books = generateCompany({ ...base, differences: ALL_DIFFERENCES })
    const types = new Set<string>()
    for (const k of books.skatteetaten("2025-12-31" as Dato.Dato).krav) {
      const info = lookupKravtype(String(k["kravtype"]))
      expect(info, String(k["kravtype"])).toBeDefined()
      expect(lookupKravgruppe(info?.kravgruppe ?? "")?.kode).toBe(lookupKravgruppe(String(k["kravgruppe"]))?.kode)
      types.add(String(k["kravtype"]))
    }
    expect([...types].sort()).toEqual(
      ["arbeidsgiveravgift", "forsinkelsesrenterMva", "forskuddstrekk", "restskatt", "tilgodeMva", "utskrevetForskuddsskatt", "åBetaleMva"].sort()
    )
  })

  it("Skatteetaten's figures add up to the øre on every month-end", () => {
    const o = { ...base, differences: ALL_DIFFERENCES }
    const books = generateCompany(o)
    for (const asOf of monthEnds(o)) {
      const party = books.skatteetaten(asOf)
      const forfall = party.krav.flatMap((k) => list(k["kravforfall"]))
      const usedAsMotkrav = new Map<string, number>()
      for (const f of forfall) {
        for (const m of list(f["plassertMotkrav"])) {
          const credit = String(m["kravforfallsIdentifikator"])
          usedAsMotkrav.set(credit, (usedAsMotkrav.get(credit) ?? 0) - oere(m["plassertBeloep"]))
        }
      }
      const placedOn = new Map<string, number>()
      for (const k of party.krav) {
        const fs = list(k["kravforfall"])
        expect(fs.reduce((s, f) => s + oere(f["opprinneligBeloep"]), 0)).toBe(oere(k["opprinneligBeloep"]))
        expect(fs.reduce((s, f) => s + oere(f["gjenstaaendeBeloep"]), 0)).toBe(oere(k["gjenstaaendeBeloep"]))
        for (const f of fs) {
          const id = String(f["kravforfallsIdentifikator"])
          const placements = [...list(f["plassertInnbetaling"]), ...list(f["plassertMotkrav"]), ...list(f["plassertUtbetaling"])]
          const placed = placements.reduce((s, p) => s + oere(p["plassertBeloep"]), 0)
          expect(oere(f["gjenstaaendeBeloep"]), id).toBe(oere(f["opprinneligBeloep"]) + placed + (usedAsMotkrav.get(id) ?? 0))
          const opprinnelig = oere(f["opprinneligBeloep"])
          const gjenstaaende = oere(f["gjenstaaendeBeloep"])
          expect(Math.sign(gjenstaaende) === 0 || Math.sign(gjenstaaende) === Math.sign(opprinnelig)).toBe(true)
          expect(Math.abs(gjenstaaende)).toBeLessThanOrEqual(Math.abs(opprinnelig))
          expect((f["betalingsinformasjon"] as Json)["kidnummer"]).toMatch(/^\d+$/)
          for (const p of list(f["plassertInnbetaling"])) placedOn.set(`${String(p["innbetalingsIdentifikator"])}/${id}`, oere(p["plassertBeloep"]))
        }
        if (k["stipulerteRenter"] !== undefined) {
          expect(fs.some((f) => String(f["forfallsdato"]) < asOf && oere(f["gjenstaaendeBeloep"]) > 0)).toBe(true)
        }
        if (k["kravtype"] === "forsinkelsesrenterMva") expect(party.krav.some((h) => h["kravidentifikator"] === k["hovedstolKravidentifikator"])).toBe(true)
      }
      for (const i of party.innbetalinger) {
        const placements = list(i["plassertKrav"])
        expect(oere(i["uplassertBeloep"])).toBe(oere(i["innbetaltBeloep"]) + placements.reduce((s, p) => s + oere(p["plassertBeloep"]), 0))
        for (const p of placements) {
          expect(placedOn.get(`${String(i["innbetalingsidentifikator"])}/${String(p["kravforfallsIdentifikator"])}`)).toBe(oere(p["plassertBeloep"]))
        }
        if (placements.length > 0) expect((i["innbetaltFra"] as Json)["kidnummer"]).toBeDefined()
      }
      expect([...placedOn.keys()].every((key) => party.innbetalinger.some((i) => key.startsWith(`${String(i["innbetalingsidentifikator"])}/`)))).toBe(true)
      for (const u of party.utbetalinger) {
        const credits = list((u["grunnlagForUtbetaling"] as Json)["kreditKrav"])
        expect(credits.reduce((s, c) => s + oere(c["utbetaltBeloep"]), 0)).toBe(oere(u["utbetaltBeloep"]))
        for (const c of credits) {
          const f = forfall.find((x) => x["kravforfallsIdentifikator"] === c["kravforfallidentifikator"])
          expect(list(f?.["plassertUtbetaling"]).map((p) => p["utbetalingsidentifikator"])).toContain(u["utbetalingsidentifikator"])
          expect(oere(f?.["gjenstaaendeBeloep"])).toBe(0)
        }
      }
      const aapne = Data.computeAapneKrav(party, asOf)
      const total = aapne["totalOversikt"] as Json
      const claimed = oere(total["sumForfalteKrav"]) + oere(total["sumIkkeForfalteKrav"]) + oere(total["sumStipulerteRenter"])
      expect(oere(total["saldo"])).toBe(claimed - oere(total["sumUplasserteInnbetalinger"]))
    }
  })

  it("follows the claim calendar: due dates, creation windows, KIDs, one innbetaling per KID", () => {
    const o = { ...base, differences: [] }
    const books = generateCompany(o)
    const party = books.skatteetaten("2025-12-31" as Dato.Dato)
    for (const k of party.krav) {
      const periode = k["kravperiode"] as Json
      const f = list(k["kravforfall"])[0] as Json
      const created = String(k["opprettelsesdatoForKrav"])
      const due = String(f["forfallsdato"])
      expect(Cal.isWorkingDay(due as Dato.Dato), due).toBe(true)
      if (k["kravtype"] === "åBetaleMva") {
        const t = Number(String(periode["terminTekniskNavn"]).slice(-1)) as Cal.Termin
        expect(due).toBe(Cal.mvaDue(Number(periode["aar"]), t))
        expect(created > String(periode["tilDato"])).toBe(true)
      }
      if (k["kravtype"] === "arbeidsgiveravgift" || k["kravtype"] === "forskuddstrekk") {
        expect(due.slice(8)).toMatch(/^1[5-7]$/)
        expect(created > String(periode["tilDato"]) && created < due).toBe(true)
      }
      if (k["kravtype"] === "utskrevetForskuddsskatt") expect(list(k["kravforfall"]).map((x) => String(x["forfallsdato"]).slice(5, 7))).toEqual(["02", "04"])
      if (k["kravtype"] === "restskatt") expect(Dato.daysBetween(created as Dato.Dato, due as Dato.Dato)).toBeGreaterThanOrEqual(21)
    }
    expect(Cal.mvaDue(2025, 3)).toBe("2025-09-01") // 31 August 2025 is a Sunday
    expect(Cal.mvaDue(2024, 6)).toBe("2025-02-10")
    // Multi-KID: aga and forskuddstrekk paid in one voucher, registered as one innbetaling per KID.
    const ledger = allTransactions(books, o)
    const joint = ledger.find((t) => t.description?.startsWith("Betaling arbeidsgiveravgift og forskuddstrekk"))
    expect(joint?.lines.filter((l) => l.account === "1920")).toHaveLength(1)
    const kids = joint?.lines.filter((l) => l.account !== "1920").map((l) => l.reference) ?? []
    expect(new Set(kids).size).toBe(2)
    for (const kid of kids) {
      expect(party.innbetalinger.filter((i) => (i["innbetaltFra"] as Json)["kidnummer"] === kid && i["innbetalingsdato"] === joint?.date)).toHaveLength(1)
    }
  })

  it("the mirror identity holds on every day for all styles together", () => {
    const o = { ...base, years: 1 }
    const books = generateCompany(o)
    for (let d = Cal.date(2023, 1, 1); d <= "2024-12-31"; d = Dato.addDays(d, 1)) expect(breaks(books, o, d), d).toEqual(zeroRows)
  })

  it("the mirror identity holds at every month-end for each single style, no style and all styles", () => {
    for (const styles of [[], ALL_STYLES, ...ALL_STYLES.map((s) => [s])] as ReadonlyArray<ReadonlyArray<BookingStyle>>) {
      const o = { ...base, years: 3, styles }
      const books = generateCompany(o)
      for (const asOf of monthEnds(o)) expect(breaks(books, o, asOf), `${styles.join(",")} ${asOf}`).toEqual(zeroRows)
    }
  })

  it("the mirror identity holds at every month-end for any seed, style subset and company", () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          styles: fc.subarray([...ALL_STYLES]),
          firstYear: fc.integer({ min: 2021, max: 2026 }),
          years: fc.integer({ min: 1, max: 3 }),
          mva: fc.boolean(),
          arbeidsgiver: fc.boolean(),
          skatt: fc.boolean()
        }),
        (r) => {
          const o: CompanyOptions = { ...base, ...r }
          const books = generateCompany(o)
          for (const asOf of monthEnds(o)) expect(breaks(books, o, asOf), asOf).toEqual(zeroRows)
          expect(books.differences).toEqual([])
        }
      ),
      { numRuns: 20 }
    )
  })

  it("each deliberate difference moves its row by exactly its amount, from its date on", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.subarray([...ALL_STYLES]), fc.integer({ min: 1, max: 2 }), (seed, styles, years) => {
        const o: CompanyOptions = { ...base, seed, styles, years, differences: ALL_DIFFERENCES }
        const books = generateCompany(o)
        expect(books.differences.map((d) => d.kind).sort()).toEqual([...ALL_DIFFERENCES].sort())
        const lastYear = String(o.firstYear + o.years - 1)
        const dates = new Set(monthEnds(o))
        for (const d of books.differences) {
          expect(d.date.slice(0, 4)).toBe(lastYear)
          expect(d.amount).not.toBe(0)
          dates.add(d.date)
          dates.add(Dato.addDays(d.date, -1))
        }
        for (const asOf of [...dates].sort()) expect(breaks(books, o, asOf), asOf).toEqual(expectedBreaks(books, asOf))
      }),
      { numRuns: 8 }
    )
  })

  it("each deliberate difference is injected once, in the last year, for any seed and style", () => {
    for (let seed = 1; seed <= 150; seed++) {
      const styles = ALL_STYLES.filter((_, i) => (seed >> i) % 2 === 1)
      const books = generateCompany({ ...base, seed, styles, years: 1 + (seed % 2), differences: ALL_DIFFERENCES })
      expect(books.differences.map((d) => d.kind).sort(), String(seed)).toEqual([...ALL_DIFFERENCES].sort())
      for (const d of books.differences) expect(d.date.slice(0, 4), `${seed} ${d.kind}`).toBe(String(base.firstYear + (seed % 2)))
    }
  })

  it("each deliberate difference alone, with its documented sign and references", () => {
    const o = { ...base, years: 1 }
    const at = "2024-12-31" as Dato.Dato
    for (const kind of ALL_DIFFERENCES) {
      const books = generateCompany({ ...o, differences: [kind] })
      expect(books.differences).toHaveLength(1)
      const d = books.differences[0]
      if (d === undefined) continue
      expect(breaks(books, o, at)).toEqual(expectedBreaks(books, at))
      expect(breaks(books, o, Dato.addDays(d.date, -1))).toEqual(zeroRows)
      const party = books.skatteetaten(at)
      const forfallIds = party.krav.flatMap((k) => list(k["kravforfall"]).map((f) => String(f["kravforfallsIdentifikator"])))
      const vouchers = new Map(allTransactions(books, o).map((t) => [t.id, t]))
      switch (kind) {
        case "claim-not-booked":
        case "interest-not-booked":
          expect(d.row).toBe("2740")
          expect(d.amount).toBeGreaterThan(0)
          expect(forfallIds).toContain(d.itemId)
          expect(d.voucher).toBeUndefined()
          break
        case "claim-amount-off":
          expect(d).toMatchObject({ row: "2740", amount: 10_000 })
          expect(forfallIds).toContain(d.itemId)
          expect(vouchers.get(d.voucher ?? "")?.lines.some((l) => l.account === "2700")).toBe(true)
          break
        case "stray-entry":
          expect(d.row).toBe("2740")
          expect(d.amount).toBeLessThan(0)
          expect(vouchers.get(d.voucher ?? "")?.lines.find((l) => l.account === "2740")?.amount).toBe(d.amount)
          break
        case "payment-not-placed": {
          const payment = party.innbetalinger.find((i) => i["innbetalingsidentifikator"] === d.itemId)
          expect(oere(payment?.["uplassertBeloep"])).toBe(d.amount)
          expect((payment?.["innbetaltFra"] as Json)["kidnummer"]).toBeUndefined()
          expect(vouchers.get(d.voucher ?? "")?.lines.find((l) => l.account === "2740")?.amount).toBe(d.amount)
          break
        }
        case "payment-wrong-account": {
          expect(d).toMatchObject({ row: "2770", counterpart: { row: "2740", amount: -d.amount } })
          const payment = party.innbetalinger.find((i) => i["innbetalingsidentifikator"] === d.itemId)
          expect(list(payment?.["plassertKrav"])[0]?.["kravtype"]).toBe("arbeidsgiveravgift")
          expect(vouchers.get(d.voucher ?? "")?.lines.find((l) => l.account === "2740")?.amount).toBe(-d.amount)
          break
        }
      }
    }
  })

  it("refuses options it cannot honour", () => {
    expect(() => generateCompany({ ...base, part: "123456789" })).toThrow(/organisasjonsnummer/)
    expect(() => generateCompany({ ...base, mva: false, differences: ["claim-not-booked"] })).toThrow(/needs mva/)
    expect(() => generateCompany({ ...base, arbeidsgiver: false, differences: ["payment-wrong-account"] })).toThrow(/needs arbeidsgiver/)
  })

  it.effect("the ledger is a SAF-T description the writer and reader agree on", () =>
    Effect.gen(function*() {
      const o = { ...base, differences: ALL_DIFFERENCES }
      const books = generateCompany(o)
      const periode = { fraOgMed: "2024-01-01" as Dato.Dato, tilOgMed: "2024-12-31" as Dato.Dato }
      const description: WriterDescription = books.ledger(periode)
      const path = join(mkdtempSync(join(tmpdir(), "kravsync-books-")), `${PART}.xml`)
      writeFileSync(path, SaftWriter.saftText(description))
      const snap = yield* Saft.make({ path }).read({ company: PART as PartIdentifikator, periode, accounts: ["2740", "2770", "2600", "2500", "2510"] })
      expect(snap.rejected).toEqual([])
      for (const a of snap.accounts) {
        const expected = description.accounts.find((x) => x.id === a.number)?.opening
        expect(a.openingBalance, a.number).toBe(expected)
      }
      const lines = [...description.transactions()].flatMap((t) => t.lines)
      for (const account of ["2740", "2770", "2600"]) {
        const written = lines.filter((l) => l.account === account).reduce((s, l) => s + l.amount, 0)
        expect(snap.entries.filter((e) => e.account === account).reduce((s, e) => s + e.amount, 0)).toBe(written)
      }
      expect(snap.entries.some((e) => e.reference !== undefined && /^\d+$/.test(e.reference))).toBe(true)
    }))
})
