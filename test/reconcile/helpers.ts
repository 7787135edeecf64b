/** Builders for small reconciliation scenarios. */
import { expect } from "@effect/vitest"
import { Schema } from "effect"
import type { Dato } from "../../src/domain/Dato.ts"
import { AapneKrav, Innbetalinger, KravListe } from "../../src/domain/Dokumenter.ts"
import type { Oere } from "../../src/domain/Money.ts"
import type { LedgerEntry, LedgerSnapshot } from "../../src/reconcile/LedgerSource.ts"
import * as Mapping from "../../src/reconcile/mapping/AccountMapping.ts"
import { reconcile, type ReconcileInput } from "../../src/reconcile/reconcile.ts"
import type { Report } from "../../src/reconcile/Report.ts"

export const PARTY = "212201782"

export interface ForfallSpec {
  id: string
  forfallsdato: string
  opprinnelig: number // kroner
  gjenstaaende?: number
  kid?: string
  placements?: Array<{ innbetaling: string; beloep: number; dato?: string }>
}

export interface KravSpec {
  id: string
  kravtype: string
  kravgruppe?: string
  opprettet?: string
  renter?: number
  forfall: Array<ForfallSpec>
  party?: string
  /** kravperiode as the API sends it, e.g. { aar: "2022", fraDato: "2022-11-01", tilDato: "2022-12-31", terminTekniskNavn: "termin6" }. */
  kravperiode?: Record<string, string>
}

export const kravJson = (k: KravSpec) => {
  const forfall = k.forfall.map((f) => ({
    kravforfallsIdentifikator: f.id,
    forfallsdato: f.forfallsdato,
    opprinneligBeloep: f.opprinnelig,
    gjenstaaendeBeloep: f.gjenstaaende ?? f.opprinnelig,
    ...(f.kid ? { betalingsinformasjon: { kidnummer: f.kid } } : {}),
    ...(f.placements
      ? {
        plassertInnbetaling: f.placements.map((p) => ({
          innbetalingsIdentifikator: p.innbetaling,
          plassertBeloep: p.beloep,
          plassertDato: p.dato ?? f.forfallsdato
        }))
      }
      : {})
  }))
  return {
    partIdentifikator: k.party ?? PARTY,
    kravidentifikator: k.id,
    kravtype: k.kravtype,
    ...(k.kravgruppe ? { kravgruppe: k.kravgruppe } : {}),
    // summed in øre: kroner floats would not add up exactly
    opprinneligBeloep: k.forfall.reduce((s, f) => s + Math.round(f.opprinnelig * 100), 0) / 100,
    gjenstaaendeBeloep: k.forfall.reduce((s, f) => s + Math.round((f.gjenstaaende ?? f.opprinnelig) * 100), 0) / 100,
    kravforfall: forfall,
    ...(k.renter ? { stipulerteRenter: k.renter } : {}),
    ...(k.opprettet ? { opprettelsesdatoForKrav: k.opprettet } : {}),
    ...(k.kravperiode ? { kravperiode: k.kravperiode } : {})
  }
}

export const aapneKrav = (krav: Array<KravSpec>, uplasserte: Array<Record<string, unknown>> = [], skjermet = false) =>
  Schema.decodeUnknownSync(AapneKrav)({
    partIdentifikator: PARTY,
    skjermet,
    aapentKravMedGjenstaaendeBeloep: krav.map(kravJson),
    innbetalingMedUplassertBeloep: uplasserte
  })

export const kravListe = (krav: Array<KravSpec>) =>
  Schema.decodeUnknownSync(KravListe)({ partIdentifikator: PARTY, periode: { fraOgMed: "2023-01-01", tilOgMed: "2023-12-31" }, krav: krav.map(kravJson) })

export const innbetalinger = (list: Array<{ id: string; dato: string; beloep: number; uplassert?: number; kid?: string }>) =>
  Schema.decodeUnknownSync(Innbetalinger)({
    partIdentifikator: PARTY,
    innbetaling: list.map((p) => ({
      innbetalingsidentifikator: p.id,
      innbetalingsdato: p.dato,
      innbetaltBeloep: p.beloep,
      ...(p.uplassert !== undefined ? { uplassertBeloep: p.uplassert } : {}),
      ...(p.kid ? { innbetaltFra: { kidnummer: p.kid } } : {})
    }))
  })

let seq = 0
export const entry = (account: string, date: string, kroner: number, extra: Partial<LedgerEntry> = {}): LedgerEntry => {
  seq++
  return { id: extra.id ?? `T${seq}-1`, voucher: extra.voucher ?? String(seq), date: date as Dato, account, amount: Math.round(kroner * 100) as Oere, ...extra }
}

export const snapshot = (
  entries: Array<LedgerEntry>,
  opening: Record<string, number> = {},
  periode = { fraOgMed: "2023-01-01", tilOgMed: "2023-12-31" }
): LedgerSnapshot => ({
  system: "test",
  description: "test ledger",
  company: { registrationNumber: PARTY, name: "Test AS" },
  periode: periode as LedgerSnapshot["periode"],
  accounts: ["2500", "2510", "2600", "2740", "2770", "2772"].map((n) => ({
    number: n,
    name: `Konto ${n}`,
    openingBalance: Math.round((opening[n] ?? 0) * 100) as Oere
  })),
  entries,
  rejected: []
})

export const run = (over: Partial<ReconcileInput> & { ledger: LedgerSnapshot }) =>
  reconcile({
    party: PARTY,
    periode: { fraOgMed: "2023-01-01" as Dato, tilOgMed: "2023-12-31" as Dato },
    asOf: "2023-12-31" as Dato,
    mapping: Mapping.standard,
    generatedAt: "2024-01-01T00:00:00.000Z",
    kravsyncVersion: "test",
    ...over
  })

/** The bridge of a row: both sides run from opening to closing, and the difference's named parts sum to it, to the øre. */
export const bridgeHolds = (a: Report["accounts"][number]) => {
  const s = a.bridge.skatteetaten
  expect(s.opening + s.claims + s.payments + s.setOffs + s.refunds + s.stipulerteRenter + s.other).toBe(s.closing)
  expect(s.closing).toBe(a.skatteetaten.saldo)
  const l = a.bridge.ledger
  expect(l.opening + l.claims + l.payments + l.setOffs + l.refunds + l.accruedNotClaimed + l.other).toBe(l.closing)
  expect(l.closing).toBe(a.ledger.saldo)
  expect(a.bridge.differenceParts.reduce((n, p) => n + p.amount, 0)).toBe(a.difference)
}
