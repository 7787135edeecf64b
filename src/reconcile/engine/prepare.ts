/**
 * Turns the decoded documents and the ledger snapshot into the engine's working items,
 * setting aside (never dropping) whatever cannot be reconciled: claims of another party,
 * duplicate ids, ledger lines with a bad date or amount.
 */
import * as Dato from "../../domain/Dato.ts"
import type { AapneKrav, Innbetalinger, KravListe, Utbetalinger } from "../../domain/Dokumenter.ts"
import type { Innbetaling } from "../../domain/Innbetaling.ts"
import type { Krav, Kravforfall } from "../../domain/Krav.ts"
import type { Oere } from "../../domain/Money.ts"
import type { Utbetaling } from "../../domain/Utbetaling.ts"
import type { LedgerEntry, LedgerSnapshot } from "../LedgerSource.ts"
import * as Mapping from "../mapping/AccountMapping.ts"
import type { SetAsideItem } from "../Report.ts"
import type { Language } from "../Status.ts"
import { Claim, Forfall, Interest } from "./claims.ts"
import { normaliseRef } from "./EntryIndex.ts"
import { LedgerLine, type LineContext, type LinePlace } from "./lines.ts"
import type { ClaimItem, EntryItem, ForfallItem, InterestItem, PaymentItem, Phase, RefKey, SetOffItem, Target } from "./model.ts"
import { InnbetalingItem, UtbetalingItem } from "./payments.ts"
import { firstOfEqual } from "./strings.ts"

/** Days before the earliest / after the latest of a claim's dates within which an entry may be matched on amount alone. */
export const CLAIM_WINDOW_BEFORE = 62
export const CLAIM_WINDOW_DAYS = 31
export const PAYMENT_WINDOW_BEFORE = 7
export const PAYMENT_WINDOW_AFTER = 14
/** A set-off is booked when the accountant sees it: from a week before to a month after plassertDato. */
export const SETOFF_WINDOW_BEFORE = 7
export const SETOFF_WINDOW_AFTER = 31

export interface Prepared {
  readonly claims: Array<ClaimItem>
  readonly forfall: Array<ForfallItem>
  readonly payments: Array<PaymentItem>
  readonly setOffs: Array<SetOffItem>
  readonly entries: Array<EntryItem>
  readonly setAside: Array<SetAsideItem>
  readonly accountRow: ReadonlyMap<string, string>
  readonly openingBalances: ReadonlyArray<{ readonly number: string; readonly openingBalance: Oere }>
  readonly skjermet: boolean
}

export interface PrepareInput {
  readonly party: string
  readonly aapneKrav?: AapneKrav | undefined
  readonly krav?: KravListe | undefined
  readonly innbetalinger?: Innbetalinger | undefined
  readonly utbetalinger?: Utbetalinger | undefined
  readonly ledger: LedgerSnapshot
  readonly mapping: Mapping.AccountMapping
  readonly asOf: Dato.Dato
  /** The language the report's sentences are rendered in (when they are written). */
  readonly language?: Language | undefined
}

const day = (d: string): number => Dato.toEpochDay(d as Dato.Dato)

const ref = (value: string | null | undefined, field: RefKey["field"], unique: boolean): RefKey | undefined => {
  if (value === null || value === undefined) return undefined
  const token = normaliseRef(value)
  return token.length >= 3 ? { token, value, field, unique } : undefined
}

const defined = <A>(xs: ReadonlyArray<A | undefined>): Array<A> => xs.filter((x): x is A => x !== undefined)

const NO_REFS: ReadonlyArray<RefKey> = Object.freeze([])

/**
 * A target's reference keys in an array of their own size: `filter` leaves a capacity of 17, which at
 * 150 000 targets is 20 MB of nothing (issue #13); none at all share one empty array.
 */
const refKeys = (xs: ReadonlyArray<RefKey | undefined>): ReadonlyArray<RefKey> => {
  const out = defined(xs)
  return out.length === 0 ? NO_REFS : out.slice()
}

// Every field written out, in one order: one hidden class for all targets (a spread of the
// optional fields made each a dictionary-mode object of ~1 KB; issue #13).
const newTarget = (t: Omit<Target, "entries" | "booked" | "method" | "matchedRef">): Target => ({
  kind: t.kind,
  id: t.id,
  row: t.row,
  expected: t.expected,
  refs: t.refs,
  mustContain: t.mustContain,
  lo: t.lo,
  hi: t.hi,
  anchorDay: t.anchorDay,
  anchorName: t.anchorName,
  kravgruppe: t.kravgruppe,
  periodStart: t.periodStart,
  entries: [],
  booked: 0,
  method: undefined,
  matchedRef: undefined
})

const periodEnd = (
  k: Krav
): string | undefined => (typeof k.kravperiode === "object" && k.kravperiode !== null ? k.kravperiode.tilDato ?? undefined : undefined)

/** The date a claim came into being as far as the books are concerned. */
const claimDate = (k: Krav, f: Kravforfall): string => k.opprettelsesdatoForKrav ?? periodEnd(k) ?? f.forfallsdato

const orientation = (f: Kravforfall): number => (f.opprinneligBeloep < 0 ? -1 : 1)

/** The first day of a claim's kravperiode: fraDato, or the termin / income year its fields name. */
export const kravperiodeStart = (k: Krav): string | undefined => {
  const p = k.kravperiode
  if (typeof p !== "object" || p === null) return undefined
  if (p.fraDato != null) return p.fraDato
  if (p.aar == null) return undefined
  const termin = /termin\s*([1-6])/i.exec(p.terminTekniskNavn ?? "")?.[1]
  return termin === undefined ? `${p.aar}-01-01` : `${p.aar}-${String(2 * Number(termin) - 1).padStart(2, "0")}-01`
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** The owed-orientation part of `amount` that `capacity` covers: same sign only, never beyond it. */
const cover = (amount: number, capacity: number): number =>
  amount > 0 && capacity > 0 ? Math.min(amount, capacity) : amount < 0 && capacity < 0 ? Math.max(amount, capacity) : 0

/** What every stage of `prepare` needs to know. */
interface Stage {
  readonly party: string
  readonly start: string
  readonly asOf: Dato.Dato
  readonly asOfDay: number
  readonly skjermet: boolean
  readonly accountRow: ReadonlyMap<string, string>
  /** Where every stage puts what it cannot reconcile, with the reason. */
  readonly setAside: Array<SetAsideItem>
  /** The language of the set-aside reasons. */
  readonly language: Language
}

/** A set-aside reason in the report's language. */
const say = (stage: { readonly language: Language }, nb: string, en: string): string => (stage.language === "en" ? en : nb)

/**
 * In stages, each returning a value: payments and disbursements, claims (with interest), Skatteetaten's
 * placements (and the set-offs they make), the opening balance against prior-period claims, the targets
 * for what is expected in the period, the payment items, the ledger lines.
 */
export const prepare = (input: PrepareInput): Prepared => {
  const { mapping, ledger, asOf } = input
  const accountRow = new Map<string, string>()
  for (const r of Mapping.rows(mapping)) for (const a of r.accounts) accountRow.set(a, r.key)
  const stage: Stage = {
    party: input.party,
    start: ledger.periode.fraOgMed,
    asOf,
    asOfDay: day(asOf),
    skjermet: input.aapneKrav?.skjermet === true || input.krav?.skjermet === true || input.innbetalinger?.skjermet === true ||
      input.utbetalinger?.skjermet === true,
    accountRow,
    setAside: [],
    language: input.language ?? "nb"
  }
  const { paymentsById, utbetalingerById } = collectPayments(input, stage)
  const { claims, forfall, forfallById } = claimItems(input, stage)
  const { placedByPayment, setOffs } = placements(forfall, forfallById, paymentsById, utbetalingerById, stage)
  allocateOpening(forfall, ledger, stage)
  setClaimTargets(forfall, stage)
  const payments = paymentItems(paymentsById, utbetalingerById, placedByPayment, stage)
  const entries = entryItems(ledger, stage, { periodStart: stage.start, asOf, language: input.language ?? "nb" })
  return { claims, forfall, payments, setOffs, entries, setAside: stage.setAside, accountRow, openingBalances: ledger.accounts, skjermet: stage.skjermet }
}

/** Innbetalinger (the open-claims document's copy wins) and utbetalinger, keyed by id; another party's set aside. */
const collectPayments = (input: PrepareInput, stage: Stage) => {
  const { party, setAside } = stage
  const paymentsById = new Map<string, Innbetaling>()
  const addPayment = (p: Innbetaling, where: string, preferNew: boolean) => {
    if (p.partIdentifikator != null && p.partIdentifikator !== party) {
      setAside.push({
        source: "skatteetaten",
        kind: "innbetaling",
        location: `${where} ${p.innbetalingsidentifikator}`,
        reason: say(stage, `tilhører en annen part (${p.partIdentifikator})`, `belongs to another party (${p.partIdentifikator})`),
        amount: p.innbetaltBeloep
      })
      return
    }
    const prev = paymentsById.get(p.innbetalingsidentifikator)
    if (prev === undefined || preferNew) paymentsById.set(p.innbetalingsidentifikator, p)
  }
  for (const p of input.innbetalinger?.innbetaling ?? []) addPayment(p, "innbetalinger", false)
  for (const p of input.aapneKrav?.innbetalingMedUplassertBeloep ?? []) addPayment(p, "aapnekrav", true)
  const utbetalingerById = new Map<string, Utbetaling>()
  for (const u of input.utbetalinger?.utbetaling ?? []) {
    if (u.partIdentifikator != null && u.partIdentifikator !== party) {
      setAside.push({
        source: "skatteetaten",
        kind: "utbetaling",
        location: `utbetalinger ${u.utbetalingsidentifikator}`,
        reason: say(stage, `tilhører en annen part (${u.partIdentifikator})`, `belongs to another party (${u.partIdentifikator})`),
        amount: u.utbetaltBeloep
      })
      continue
    }
    if (utbetalingerById.has(u.utbetalingsidentifikator)) {
      setAside.push({
        source: "skatteetaten",
        kind: "utbetaling",
        location: `utbetalinger ${u.utbetalingsidentifikator}`,
        reason: say(stage, "den samme utbetalingsidentifikatoren forekommer mer enn én gang", "the same utbetalingsidentifikator appears more than once"),
        amount: u.utbetaltBeloep
      })
      continue
    }
    utbetalingerById.set(u.utbetalingsidentifikator, u)
  }

  return { paymentsById, utbetalingerById }
}

/** The claims (open ones win over the period list's copy), their kravforfall and interest, each with its phase. */
const claimItems = (input: PrepareInput, stage: Stage) => {
  const { party, setAside, start, asOfDay, skjermet, asOf } = stage
  const mapping = input.mapping
  const claimsById = new Map<string, { krav: Krav; aapen: boolean }>()
  const addKrav = (k: Krav, where: string, aapen: boolean) => {
    if (k.partIdentifikator !== party) {
      setAside.push({
        source: "skatteetaten",
        kind: "krav",
        location: `${where} ${k.kravidentifikator}`,
        reason: say(stage, `tilhører en annen part (${k.partIdentifikator})`, `belongs to another party (${k.partIdentifikator})`),
        amount: k.gjenstaaendeBeloep
      })
      return
    }
    const prev = claimsById.get(k.kravidentifikator)
    if (prev !== undefined && !aapen) return
    claimsById.set(k.kravidentifikator, { krav: k, aapen: aapen || prev?.aapen === true })
  }
  for (const k of input.krav?.krav ?? []) addKrav(k, "krav", false)
  for (const k of input.aapneKrav?.aapentKravMedGjenstaaendeBeloep ?? []) addKrav(k, "aapnekrav", true)

  const claims: Array<ClaimItem> = []
  const forfall: Array<ForfallItem> = []
  const forfallById = new Map<string, ForfallItem>()
  for (const { krav: k, aapen } of claimsById.values()) {
    const resolved = Mapping.resolve(mapping, k.kravtype, k.kravgruppe)
    const row = Mapping.rowKey(resolved.accounts)
    const claim: ClaimItem = new Claim(k, row, resolved.kravgruppe, aapen)
    claims.push(claim)
    const kravperiodeEnd = periodEnd(k)
    for (const f of k.kravforfall) {
      if (forfallById.has(f.kravforfallsIdentifikator)) {
        setAside.push({
          source: "skatteetaten",
          kind: "kravforfall",
          location: `krav ${k.kravidentifikator} forfall ${f.kravforfallsIdentifikator}`,
          reason: say(stage, "den samme kravforfallsIdentifikatoren forekommer mer enn én gang", "the same kravforfallsIdentifikator appears more than once"),
          amount: f.opprinneligBeloep
        })
        continue
      }
      const refDate = claimDate(k, f)
      const phase: Phase = row === Mapping.UNMAPPED_ROW ? "unmapped" : day(refDate) > asOfDay ? "after" : refDate < start ? "pre" : "in"
      // Created in the period for a kravperiode that ended before it (the 6th termin claimed in January):
      // its accrual is normally in the opening balance; decided below against what that balance holds.
      const priorPeriod = phase === "in" && kravperiodeEnd !== undefined && kravperiodeEnd < start
      const item: ForfallItem = new Forfall(claim, f, phase, priorPeriod, refDate)
      claim.forfall.push(item)
      forfall.push(item)
      forfallById.set(f.kravforfallsIdentifikator, item)
    }
    // Arrays grown by push keep a capacity of 17: one of the claim's own size instead.
    claim.forfall = claim.forfall.slice()
    const renter = k.stipulerteRenter ?? 0
    if (renter !== 0) {
      const first = claim.forfall[0]?.forfall.forfallsdato ?? k.opprettelsesdatoForKrav ?? asOf
      const phase: Phase = row === Mapping.UNMAPPED_ROW ? "unmapped" : day(k.opprettelsesdatoForKrav ?? first) > asOfDay ? "after" : "in"
      const interest: InterestItem = new Interest(
        claim,
        renter as Oere,
        phase,
        phase === "in" && !skjermet
          ? newTarget({
            kind: "renter",
            id: k.kravidentifikator,
            row,
            expected: -renter,
            refs: refKeys([ref(k.kravidentifikator, "kravidentifikator", true)]),
            mustContain: "rente",
            lo: day(first),
            hi: asOfDay + CLAIM_WINDOW_DAYS,
            anchorDay: Math.min(day(first), asOfDay),
            anchorName: "forfallsdato"
          })
          : undefined
      )
      claim.renter = interest
    }
  }

  return { claims, forfall, forfallById }
}

/** Skatteetaten's own record of what reduced each forfall: payments, payouts, set-offs (which become items of their own). */
const placements = (
  forfall: ReadonlyArray<ForfallItem>,
  forfallById: ReadonlyMap<string, ForfallItem>,
  paymentsById: ReadonlyMap<string, Innbetaling>,
  utbetalingerById: ReadonlyMap<string, Utbetaling>,
  stage: Stage
) => {
  const { start, asOfDay, skjermet } = stage
  const placedByPayment = new Map<string, Map<string, number>>()
  const placeKnown = (f: ForfallItem, paymentId: string, amount: number) => {
    f.placedKnown += amount
    const byRow = placedByPayment.get(paymentId) ?? new Map<string, number>()
    byRow.set(f.claim.row, (byRow.get(f.claim.row) ?? 0) + amount)
    placedByPayment.set(paymentId, byRow)
  }
  const counts = (f: ForfallItem, date: string | null | undefined): boolean =>
    f.phase === "in" || f.phase === "unmapped" || (f.phase === "pre" && (date == null || date >= start))
  const setOffs: Array<SetOffItem> = []
  for (const f of forfall) {
    const o = orientation(f.forfall)
    for (const p of f.forfall.plassertInnbetaling ?? []) {
      const amount = Math.abs(p.plassertBeloep ?? 0) * o
      const date = p.plassertDato ?? p.plasseringsdato ?? p.innbetalingsdato
      if (!counts(f, date)) continue
      f.placed += amount
      f.placedInn += amount
      const id = p.innbetalingsIdentifikator
      if (id != null && paymentsById.has(id) && f.phase !== "unmapped") placeKnown(f, `inn:${id}`, amount)
    }
    const utbetalt = f.forfall.plassertUtbetaling == null
      ? []
      : Array.isArray(f.forfall.plassertUtbetaling)
      ? f.forfall.plassertUtbetaling
      : [f.forfall.plassertUtbetaling]
    for (const u of utbetalt) {
      const amount = Math.abs(u.plassertBeloep ?? u.utbetaltBeloep ?? 0) * o
      const date = u.plassertDato ?? u.utbetaltdato
      if (!counts(f, date)) continue
      f.placed += amount
      f.placedUt += amount
      const id = u.utbetalingsidentifikator
      if (id != null && utbetalingerById.has(id) && f.phase !== "unmapped") placeKnown(f, `ut:${id}`, amount)
    }
    f.forfall.plassertMotkrav?.forEach((m, i) => {
      const amount = Math.abs(m.plassertBeloep ?? 0) * o
      const date = m.plassertDato ?? m.plasseringsdato
      if (!counts(f, date)) return
      f.placed += amount
      f.placedMot += amount
      const other = m.kravforfallsIdentifikator ?? m.motkravForfallsIdentifikator
      const g = other == null || other === f.forfall.kravforfallsIdentifikator ? undefined : forfallById.get(other)
      const gCounts = g !== undefined && g.phase !== "after"
      if (g !== undefined && gCounts) {
        g.placed -= amount
        g.placedMot -= amount
      }
      if (f.phase === "unmapped" || date == null) return
      const legs: Array<{ row: string; placed: number }> = [{ row: f.claim.row, placed: amount }]
      if (g !== undefined && gCounts && g.phase !== "unmapped") {
        // Both sides on one row (tilgode mva set off against mva): the row's balance does not move.
        if (g.claim.row === f.claim.row) legs.length = 0
        else legs.push({ row: g.claim.row, placed: -amount })
      }
      const d = day(date)
      const setOffPhase = d > asOfDay ? "after" : date < start ? "before" : "in"
      const id = `${f.forfall.kravforfallsIdentifikator}~${other ?? i}`
      setOffs.push({
        id,
        covered: f,
        motkrav: g,
        amount: Math.abs(amount),
        dato: date,
        phase: setOffPhase,
        legs: legs.map((l) => ({
          ...l,
          target: setOffPhase === "in" && !skjermet
            ? newTarget({
              kind: "motregning",
              id,
              row: l.row,
              expected: l.placed,
              refs: NO_REFS,
              lo: d - SETOFF_WINDOW_BEFORE,
              hi: d + SETOFF_WINDOW_AFTER,
              anchorDay: d,
              anchorName: "plassertDato"
            })
            : undefined
        }))
      })
    })
  }
  // An utbetaling's kreditKrav names the tilgode forfall it paid; used when the forfall itself records no plassertUtbetaling.
  for (const u of utbetalingerById.values()) {
    for (const kk of u.grunnlagForUtbetaling?.kreditKrav ?? []) {
      const fid = kk.kravforfallsIdentifikator ?? kk.kravforfallidentifikator
      const f = fid == null ? undefined : forfallById.get(fid)
      if (f === undefined || f.forfall.plassertUtbetaling != null || !counts(f, u.utbetaltdato)) continue
      const amount = Math.abs(kk.utbetaltBeloep ?? u.utbetaltBeloep) * orientation(f.forfall)
      f.placed += amount
      f.placedUt += amount
      if (f.phase !== "unmapped") placeKnown(f, `ut:${u.utbetalingsidentifikator}`, amount)
    }
  }

  return { placedByPayment, setOffs }
}

/** The opening balance against claims whose kravperiode ended before the period, in date order, never beyond it. */
const allocateOpening = (forfall: ReadonlyArray<ForfallItem>, ledger: LedgerSnapshot, stage: Stage): void => {
  const { accountRow } = stage
  const openingOwed = new Map<string, number>()
  for (const a of ledger.accounts) {
    const row = accountRow.get(a.number)
    if (row !== undefined) openingOwed.set(row, (openingOwed.get(row) ?? 0) - a.openingBalance)
  }
  const capacity = new Map<string, number>()
  for (const f of forfall) {
    if (f.phase === "pre") {
      capacity.set(f.claim.row, (capacity.get(f.claim.row) ?? openingOwed.get(f.claim.row) ?? 0) - (f.forfall.gjenstaaendeBeloep + f.placed))
    }
  }
  const prior = forfall
    .filter((f) => f.priorPeriod)
    .sort((a, b) =>
      byId(periodEnd(a.claim.krav) ?? "", periodEnd(b.claim.krav) ?? "") || byId(a.forfall.forfallsdato, b.forfall.forfallsdato) ||
      byId(a.forfall.kravforfallsIdentifikator, b.forfall.kravforfallsIdentifikator)
    )
  for (const f of prior) {
    const row = f.claim.row
    const left = capacity.get(row) ?? openingOwed.get(row) ?? 0
    const covered = cover(f.forfall.opprinneligBeloep, left)
    capacity.set(row, left - covered)
    f.openingCovered = covered
    if (covered === f.forfall.opprinneligBeloep && covered !== 0) f.phase = "pre"
  }
}

/** Targets for the kravforfall expected as bookings in the period. */
const setClaimTargets = (forfall: ReadonlyArray<ForfallItem>, stage: Stage): void => {
  const { skjermet } = stage
  for (const f of forfall) {
    if (f.phase !== "in" || skjermet) continue
    const k = f.claim.krav
    const dates = defined([f.forfall.forfallsdato, k.opprettelsesdatoForKrav ?? undefined, periodEnd(k)]).map(day)
    f.target = newTarget({
      kind: "kravforfall",
      id: f.forfall.kravforfallsIdentifikator,
      row: f.claim.row,
      expected: -(f.forfall.opprinneligBeloep - f.openingCovered),
      refs: refKeys([
        ref(f.forfall.kravforfallsIdentifikator, "kravforfallsIdentifikator", true),
        ref(k.kravidentifikator, "kravidentifikator", k.kravforfall.length === 1),
        ref(f.forfall.betalingsinformasjon?.kidnummer, "kid", false)
      ]),
      lo: Math.min(...dates) - CLAIM_WINDOW_BEFORE,
      hi: Math.max(...dates) + CLAIM_WINDOW_DAYS,
      anchorDay: day(f.forfall.forfallsdato),
      anchorName: "forfallsdato",
      kravgruppe: f.claim.kravgruppe,
      periodStart: kravperiodeStart(k)
    })
  }
}

/** Innbetalinger and utbetalinger as payment items, each with its placements per row and, in the period, a target. */
const paymentItems = (
  paymentsById: ReadonlyMap<string, Innbetaling>,
  utbetalingerById: ReadonlyMap<string, Utbetaling>,
  placedByPayment: ReadonlyMap<string, Map<string, number>>,
  stage: Stage
): Array<PaymentItem> => {
  const { start, asOfDay, skjermet } = stage
  const payments: Array<PaymentItem> = []
  const noPlacements: ReadonlyMap<string, number> = new Map()
  const paymentItem = (
    kind: "innbetaling" | "utbetaling",
    id: string,
    dato: string,
    expected: number,
    kidnummer: string | null | undefined,
    make: (phase: "in" | "after" | "before", placedByRow: ReadonlyMap<string, number>, target: Target | undefined) => PaymentItem
  ): PaymentItem => {
    const phase = day(dato) > asOfDay ? "after" : dato < start ? "before" : "in"
    // A payment placed on nothing in the data shares one empty map.
    const placedByRow = placedByPayment.get(`${kind === "innbetaling" ? "inn" : "ut"}:${id}`) ?? noPlacements
    const rows = [...placedByRow.keys()]
    const d = day(dato)
    return make(
      phase,
      placedByRow,
      phase === "in" && !skjermet
        ? newTarget({
          kind,
          id,
          row: rows.length === 1 ? rows[0] : undefined,
          expected,
          refs: refKeys([ref(id, kind === "innbetaling" ? "innbetalingsidentifikator" : "utbetalingsidentifikator", true), ref(kidnummer, "kid", false)]),
          lo: d - PAYMENT_WINDOW_BEFORE,
          hi: d + PAYMENT_WINDOW_AFTER,
          anchorDay: d,
          anchorName: kind === "innbetaling" ? "innbetalingsdato" : "utbetaltdato"
        })
        : undefined
    )
  }
  for (const p of paymentsById.values()) {
    payments.push(
      paymentItem(
        "innbetaling",
        p.innbetalingsidentifikator,
        p.innbetalingsdato,
        p.innbetaltBeloep,
        p.innbetaltFra?.kidnummer ?? p.betaltFra?.kidnummer,
        (phase, placedByRow, target) => new InnbetalingItem(p, phase, placedByRow, target)
      )
    )
  }
  for (const u of utbetalingerById.values()) {
    payments.push(
      paymentItem(
        "utbetaling",
        u.utbetalingsidentifikator,
        u.utbetaltdato,
        -u.utbetaltBeloep,
        u.betaltTil?.kidnummer,
        (phase, placedByRow, target) => new UtbetalingItem(u, phase, placedByRow, target)
      )
    )
  }

  return payments
}

/** The ledger lines with their row and phase; a line that cannot be read is set aside, never dropped. */
const entryItems = (ledger: LedgerSnapshot, stage: Stage, context: LineContext): Array<EntryItem> => {
  const { start, asOfDay, accountRow, setAside } = stage
  const end = ledger.periode.tilOgMed
  const all = ledger.entries
  const entries: Array<EntryItem> = []
  const startDay = day(start)
  const endDay = Math.min(day(end), asOfDay)
  // A line whose id an earlier accepted line has is set aside; accepted = no other problem and no earlier twin.
  const problems = all.map(entryProblem)
  const firstId = firstOfEqual(all.length, (k) => (problems[k] === "no id" ? undefined : all[k]?.id))
  const acceptedId = new Int32Array(all.length).fill(-1)
  const places = new Map<string, LinePlace>()
  for (let k = 0; k < all.length; k++) {
    const e = all[k] as LedgerEntry
    const f = firstId[k] as number
    const other = problems[k]
    const problem = other === "no id" ? other : acceptedId[f] !== -1 ? `id ${e.id} appears more than once` : other
    if (problem !== undefined) {
      setAside.push({
        source: "ledger",
        kind: "bilagslinje",
        location: `bilagslinje ${String(e.id)} (bilag ${String(e.voucher)})`,
        reason: say(stage, problemNb(e, problem), problem),
        raw: JSON.stringify(e).slice(0, 300),
        account: typeof e.account === "string" ? e.account : undefined,
        amount: Number.isSafeInteger(e.amount) ? e.amount : undefined
      })
      continue
    }
    acceptedId[f] = k
    const row = accountRow.get(e.account) ?? ""
    const d = day(e.date)
    const phase = row === "" ? "other-account" : d < startDay ? "before" : d > endDay ? "after" : "in"
    let place = places.get(row)
    if (place === undefined) places.set(row, place = { row, context })
    entries.push(new LedgerLine(e, place, phase, d))
  }
  for (const r of ledger.rejected) {
    setAside.push({
      source: "ledger",
      kind: "bilagslinje",
      location: r.location,
      reason: say(stage, r.reasonNb ?? r.reason, r.reason),
      raw: r.raw,
      account: r.account
    })
  }
  return entries
}

/** What is wrong with a line apart from a repeated id (found against the lines before it, above). */
/** `entryProblem`'s text (or the duplicate id's) in bokmål. */
const problemNb = (e: LedgerEntry, problem: string): string =>
  problem === "no id"
    ? "linjen mangler id"
    : problem === "no account"
    ? "linjen mangler konto"
    : problem === "no date"
    ? "linjen mangler dato"
    : problem.startsWith("amount ")
    ? `beløpet ${String(e.amount)} er ikke et helt antall øre`
    : problem.startsWith("id ")
    ? `id ${e.id} forekommer mer enn én gang`
    : datoProblemNb(String(e.date))

/** Dato.problem's three cases in bokmål. */
const datoProblemNb = (d: string): string => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d)
  if (m === null) return `"${d}" er ikke en dato på formen ÅÅÅÅ-MM-DD`
  const month = Number(m[2])
  return month < 1 || month > 12 ? `"${d}" har ingen måned ${month}` : `"${d}" har ingen dag ${Number(m[3])} i den måneden`
}

const entryProblem = (e: LedgerEntry): string | undefined => {
  if (typeof e.id !== "string" || e.id === "") return "no id"
  if (typeof e.account !== "string" || e.account === "") return "no account"
  if (typeof e.amount !== "number" || !Number.isSafeInteger(e.amount)) return `amount ${String(e.amount)} is not a whole number of øre`
  const p = typeof e.date === "string" ? Dato.problem(e.date) : "no date"
  return p
}
