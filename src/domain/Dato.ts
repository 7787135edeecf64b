/**
 * Calendar dates (`YYYY-MM-DD`) as validated strings.
 *
 * Skatteetaten's dates are calendar dates with no time of day. Keeping them as text (never a JS
 * `Date`) means no time zone can shift a forfallsdato by a day; arithmetic goes through a day
 * count since 1970-01-01 computed with integers only.
 */
import { Either, ParseResult, Schema } from "effect"

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0

const daysIn = (y: number, m: number): number => (m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31)

/** Why a text is not a calendar date, or undefined when it is one. */
export const problem = (s: string): string | undefined => {
  const m = DATE.exec(s)
  if (m === null) return `"${s}" is not a date in the form YYYY-MM-DD`
  const y = Number(m[1])
  const mo = Number(m[2])
  const d = Number(m[3])
  if (mo < 1 || mo > 12) return `"${s}" has no month ${mo}`
  if (d < 1 || d > daysIn(y, mo)) return `"${s}" has no day ${d} in that month`
  return undefined
}

/** The same rule as `problem` by character codes, without a regular expression or a message: read for every date of every response. */
const isDato = (s: string): boolean => {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false
  let y = 0
  for (let i = 0; i < 4; i++) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) return false
    y = y * 10 + c
  }
  const m1 = s.charCodeAt(5) - 48
  const m2 = s.charCodeAt(6) - 48
  const d1 = s.charCodeAt(8) - 48
  const d2 = s.charCodeAt(9) - 48
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return false
  const mo = m1 * 10 + m2
  const d = d1 * 10 + d2
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo)
}

export const Dato = Schema.String.pipe(
  Schema.filter((s, _options, ast) => {
    if (isDato(s)) return true
    const p = problem(s)
    return p === undefined || new ParseResult.Type(ast, s, p)
  }),
  Schema.brand("Dato"),
  Schema.annotations({ identifier: "Dato", description: "A calendar date, YYYY-MM-DD" })
)
export type Dato = typeof Dato.Type

/**
 * A date as typed: ISO (2023-01-31) or the Norwegian form dd.mm.yyyy (31.01.2023, also 31.1.2023);
 * the rule that failed is named either way.
 */
export const parse = (s: string): Either.Either<Dato, string> => {
  const t = s.trim()
  const nb = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t)
  const iso = nb === null ? t : `${nb[3]}-${(nb[2] ?? "").padStart(2, "0")}-${(nb[1] ?? "").padStart(2, "0")}`
  const p = problem(iso)
  return p === undefined ? Either.right(iso as Dato) : Either.left(nb === null ? p : `${t} (dd.mm.yyyy): ${p}`)
}

/** Days since 1970-01-01 (may be negative), by the civil-from-days algorithm; integers only. */
export const toEpochDay = (d: Dato): number => {
  let y = Number(d.slice(0, 4))
  const m = Number(d.slice(5, 7))
  const day = Number(d.slice(8, 10))
  y -= m <= 2 ? 1 : 0
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

export const fromEpochDay = (n: number): Dato => {
  const z = n + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp + (mp < 10 ? 3 : -9)
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0)
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}` as Dato
}

export const addDays = (d: Dato, n: number): Dato => fromEpochDay(toEpochDay(d) + n)

/** b − a in days. */
export const daysBetween = (a: Dato, b: Dato): number => toEpochDay(b) - toEpochDay(a)

export const compare = (a: Dato, b: Dato): -1 | 0 | 1 => (a < b ? -1 : a > b ? 1 : 0)

export const min = (a: Dato, b: Dato): Dato => (a <= b ? a : b)
export const max = (a: Dato, b: Dato): Dato => (a >= b ? a : b)

/** The same day `years` later; 29 February becomes 28 February in a common year. */
export const addYears = (d: Dato, years: number): Dato => {
  const y = Number(d.slice(0, 4)) + years
  const m = Number(d.slice(5, 7))
  const day = Math.min(Number(d.slice(8, 10)), daysIn(y, m))
  return `${String(y).padStart(4, "0")}-${d.slice(5, 7)}-${String(day).padStart(2, "0")}` as Dato
}

/** Today's date in Norway (Europe/Oslo), which is what Skatteetaten's "today" means. */
export const todayInOslo = (now: Date = new Date()): Dato =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Oslo", year: "numeric", month: "2-digit", day: "2-digit" }).format(now) as Dato

/** A date problem from `parse` (its English text) in bokmål, the value and the rule kept. */
export const problemNb = (en: string): string =>
  en
    .replace(/^(.*) \(dd\.mm\.yyyy\): /, "$1 (dd.mm.åååå): ")
    .replace(/"([^"]*)" is not a date in the form YYYY-MM-DD$/, "«$1» er ikke en dato på formen ÅÅÅÅ-MM-DD eller dd.mm.åååå")
    .replace(/"([^"]*)" has no month (\d+)$/, "«$1» har ingen måned $2")
    .replace(/"([^"]*)" has no day (\d+) in that month$/, "«$1» har ingen dag $2 i den måneden")
