/**
 * What the flows (vat.ts, payroll.ts, tax.ts, differences.ts) share while a company is being
 * generated: both sides of the books, the accrued-not-claimed segments and the injected
 * differences, plus the payment-timing and KID rules every flow uses.
 */
import type * as Dato from "../../src/domain/Dato.ts"
import type { Oere } from "../../src/domain/Money.ts"
import { kid } from "../Generate.ts"
import type * as Prng from "../Prng.ts"
import * as Cal from "./calendar.ts"
import { stream } from "./events.ts"
import type { Journal, VoucherRef } from "./ledger.ts"
import type { BookingStyle, DeliberateDifference } from "./model.ts"
import type { Skattekonto } from "./skatteetaten.ts"

/** An amount booked for a termin / income year before its claim exists, over [from, to). */
export interface Accrual {
  readonly row: string
  readonly amount: Oere
  readonly kravperiode: string
  readonly voucher: VoucherRef
  readonly from: Dato.Dato
  readonly to: Dato.Dato
}

export interface Injected {
  readonly kind: DeliberateDifference
  readonly date: Dato.Dato
  readonly row: string
  readonly amount: Oere
  readonly itemId?: string
  readonly voucher?: VoucherRef
  readonly counterpart?: { readonly row: string; readonly amount: Oere }
}

export interface Ctx {
  readonly part: string
  readonly seed: number
  readonly lastYear: number
  readonly styles: ReadonlySet<BookingStyle>
  readonly differences: ReadonlySet<DeliberateDifference>
  readonly journal: Journal
  readonly sk: Skattekonto
  readonly accruals: Array<Accrual>
  readonly injected: Array<Injected>
  readonly arbeidsgiver: boolean
}

export const rngFor = (ctx: Ctx, purpose: string, year: number): Prng.Prng => stream(ctx.part, ctx.seed, purpose, year)

/** A difference applies in the last year only. */
export const injects = (ctx: Ctx, kind: DeliberateDifference, year: number): boolean => year === ctx.lastYear && ctx.differences.has(kind)

/** Records an accrual segment unless it is empty (booked the day the claim was created). */
export const accrue = (ctx: Ctx, a: Accrual): void => {
  if (a.from < a.to && a.amount !== 0) ctx.accruals.push(a)
}

/** Paid on the due date, now and then one or two working days early, never before the claim exists. */
export const payDate = (rng: Prng.Prng, due: Dato.Dato, notBefore: Dato.Dato): Dato.Dato => {
  const early = rng.pick([0, 0, 0, 0, 0, 1, 1, 2])
  const d = Cal.addWorkingDays(due, -early)
  return d < notBefore ? notBefore : d
}

/**
 * KIDs: Skatteetaten gives each organisation one fixed KID for arbeidsgiveravgift and one for
 * forskuddstrekk; mva, skatt and interest claims get a KID of their own.
 */
export const KID = {
  aga: (part: string) => kid(`2${part}0000`),
  trekk: (part: string) => kid(`3${part}0000`),
  mva: (part: string, year: number, t: Cal.Termin) => kid(`1${part}${year}${t}`),
  skatt: (part: string, year: number, kind: 1 | 2) => kid(`4${part}${year}${kind}`),
  renter: (part: string, year: number, t: Cal.Termin) => kid(`5${part}${year}${t}`)
} as const
