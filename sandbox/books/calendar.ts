/**
 * The calendar of a Norwegian AS's tax year: termins, Skatteetaten's due dates, working days,
 * and the forsinkelsesrente. docs/test-books.md says which source each rule follows and which
 * are guesses.
 *
 * - Termins: six two-month termins (1 = January–February … 6 = November–December), as for
 *   alminnelig terminoppgave of merverdiavgift and for arbeidsgiveravgift/forskuddstrekk.
 * - Merverdiavgift due with the melding's deadline (skattebetalingsloven § 10-30): 10 April,
 *   10 June, 31 August, 10 October, 10 December, 10 February (termin 3 is due on 31 August).
 * - Arbeidsgiveravgift and forskuddstrekk due the 15th of the month after the termin
 *   (15 March … 15 January).
 * - Forskuddsskatt for an AS: 15 February and 15 April of the year after the income year.
 * - Restskatt for an AS: three weeks after the notice of the tax settlement.
 * - A deadline on a Saturday, Sunday, public holiday or 1/17 May moves to the next working day
 *   (skattebetalingsloven § 10-2).
 * - Forsinkelsesrente: Norges Bank's policy rate on 1 January / 1 July plus 8 percentage points,
 *   per half-year (forsinkelsesrenteloven § 3, used for tax by skattebetalingsloven § 11-1).
 */
import * as Dato from "../../src/domain/Dato.ts"
import type { Oere } from "../../src/domain/Money.ts"

export type Termin = 1 | 2 | 3 | 4 | 5 | 6
export const TERMINER: ReadonlyArray<Termin> = [1, 2, 3, 4, 5, 6]

const pad = (n: number): string => String(n).padStart(2, "0")

/** A calendar date; months past 12 roll into the next year (month 14 of 2025 = February 2026). */
export const date = (year: number, month: number, day: number): Dato.Dato => {
  const y = year + Math.floor((month - 1) / 12)
  const m = ((((month - 1) % 12) + 12) % 12) + 1
  return `${String(y).padStart(4, "0")}-${pad(m)}-${pad(day)}` as Dato.Dato
}

export const yearOf = (d: Dato.Dato): number => Number(d.slice(0, 4))
export const monthOf = (d: Dato.Dato): number => Number(d.slice(5, 7))

/** The last day of a month (month may roll over as in `date`). */
export const endOfMonth = (year: number, month: number): Dato.Dato => Dato.addDays(date(year, month + 1, 1), -1)

/** Easter Sunday (anonymous Gregorian algorithm). */
export const easterSunday = (year: number): Dato.Dato => {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return date(year, month, day)
}

const holidayCache = new Map<number, ReadonlySet<string>>()

/** Norwegian public holidays on weekdays that matter for deadlines (helligdagsloven, 1 and 17 May). */
export const holidays = (year: number): ReadonlySet<string> => {
  const cached = holidayCache.get(year)
  if (cached !== undefined) return cached
  const easter = easterSunday(year)
  const set = new Set<string>([
    date(year, 1, 1),
    Dato.addDays(easter, -3), // skjærtorsdag
    Dato.addDays(easter, -2), // langfredag
    Dato.addDays(easter, 1), // 2. påskedag
    date(year, 5, 1),
    date(year, 5, 17),
    Dato.addDays(easter, 39), // Kristi himmelfartsdag
    Dato.addDays(easter, 50), // 2. pinsedag
    date(year, 12, 25),
    date(year, 12, 26)
  ])
  holidayCache.set(year, set)
  return set
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export const weekday = (d: Dato.Dato): number => (((Dato.toEpochDay(d) + 4) % 7) + 7) % 7

export const isWorkingDay = (d: Dato.Dato): boolean => {
  const w = weekday(d)
  return w !== 0 && w !== 6 && !holidays(yearOf(d)).has(d)
}

/** The day itself when it is a working day, else the next working day (a deadline's rule). */
export const onOrAfterWorkingDay = (d: Dato.Dato): Dato.Dato => {
  let x = d
  while (!isWorkingDay(x)) x = Dato.addDays(x, 1)
  return x
}

/** The day itself when it is a working day, else the working day before (a pay day's rule). */
export const onOrBeforeWorkingDay = (d: Dato.Dato): Dato.Dato => {
  let x = d
  while (!isWorkingDay(x)) x = Dato.addDays(x, -1)
  return x
}

/** `n` working days after (n > 0) or before (n < 0) a working day. */
export const addWorkingDays = (d: Dato.Dato, n: number): Dato.Dato => {
  let x = d
  let left = Math.abs(n)
  const step = n < 0 ? -1 : 1
  while (left > 0) {
    x = Dato.addDays(x, step)
    if (isWorkingDay(x)) left--
  }
  return x
}

/** The working days from `from` to `to`, both inclusive. */
export const workingDaysBetween = (from: Dato.Dato, to: Dato.Dato): ReadonlyArray<Dato.Dato> => {
  const out: Array<Dato.Dato> = []
  for (let x = from; x <= to; x = Dato.addDays(x, 1)) if (isWorkingDay(x)) out.push(x)
  return out
}

// ---------------------------------------------------------------------------------------------
// Termins

export const terminStart = (year: number, t: Termin): Dato.Dato => date(year, 2 * t - 1, 1)
export const terminEnd = (year: number, t: Termin): Dato.Dato => endOfMonth(year, 2 * t)
export const terminOfMonth = (month: number): Termin => Math.ceil(month / 2) as Termin
export const terminMonths = (t: Termin): readonly [number, number] => [2 * t - 1, 2 * t]

/** "1. termin 2025", the text Skatteetaten and the ledger both use. */
export const terminText = (year: number, t: Termin): string => `${t}. termin ${year}`

const MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"]
export const monthName = (month: number): string => MONTHS[(month - 1) % 12] as string

/** Merverdiavgift (alminnelig tomånedlig termin): 10th of the second month after, termin 3 on 31 August. */
export const mvaDue = (year: number, t: Termin): Dato.Dato => onOrAfterWorkingDay(t === 3 ? date(year, 8, 31) : date(year, 2 * t + 2, 10))

/** Arbeidsgiveravgift and forskuddstrekk: the 15th of the month after the termin. */
export const agaDue = (year: number, t: Termin): Dato.Dato => onOrAfterWorkingDay(date(year, 2 * t + 1, 15))

/** The a-melding for a month is due the 5th of the next month. */
export const ameldingDeadline = (year: number, month: number): Dato.Dato => onOrAfterWorkingDay(date(year, month + 1, 5))

/** Forskuddsskatt for an AS's income year: 15 February and 15 April of the next year. */
export const forskuddsskattDue = (incomeYear: number): readonly [Dato.Dato, Dato.Dato] => [
  onOrAfterWorkingDay(date(incomeYear + 1, 2, 15)),
  onOrAfterWorkingDay(date(incomeYear + 1, 4, 15))
]

/** Restskatt for an AS: three weeks after the notice of the settlement. */
export const restskattDue = (notice: Dato.Dato): Dato.Dato => onOrAfterWorkingDay(Dato.addDays(notice, 21))

/** The pay day: the 20th, or the working day before. */
export const payDay = (year: number, month: number): Dato.Dato => onOrBeforeWorkingDay(date(year, month, 20))

// ---------------------------------------------------------------------------------------------
// Forsinkelsesrente

/**
 * Forsinkelsesrente per half-year in basis points: Norges Bank's policy rate on 1 January /
 * 1 July + 8 points. Half-years not listed use the nearest listed one.
 */
const FORSINKELSESRENTE: ReadonlyArray<readonly [string, number]> = [
  ["2020-01", 950],
  ["2020-07", 800],
  ["2021-01", 800],
  ["2021-07", 800],
  ["2022-01", 850],
  ["2022-07", 925],
  ["2023-01", 1075],
  ["2023-07", 1175],
  ["2024-01", 1250],
  ["2024-07", 1250],
  ["2025-01", 1250],
  ["2025-07", 1225]
]

export const forsinkelsesrenteBasisPoints = (d: Dato.Dato): number => {
  const key = `${d.slice(0, 4)}-${monthOf(d) <= 6 ? "01" : "07"}`
  let rate = (FORSINKELSESRENTE[0] as readonly [string, number])[1]
  for (const [from, bp] of FORSINKELSESRENTE) if (from <= key) rate = bp
  return rate
}

/**
 * Forsinkelsesrenter on `amount` from the due date to the payment date (days after the due date,
 * actual/365, the rate of each day's half-year), rounded to whole øre.
 */
export const forsinkelsesrenter = (amount: Oere, forfallsdato: Dato.Dato, paid: Dato.Dato): Oere => {
  let acc = 0
  for (let x = Dato.addDays(forfallsdato, 1); x <= paid; x = Dato.addDays(x, 1)) acc += forsinkelsesrenteBasisPoints(x)
  return Math.round((amount * acc) / (10_000 * 365)) as Oere
}
