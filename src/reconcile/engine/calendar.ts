/**
 * The claim calendar: which termin or income year a ledger line belongs to, and by when
 * Skatteetaten's claim for it must exist. Used to tell an accrual that is simply not claimed yet
 * (the mva-melding or a-melding is not due) from a line whose claim is missing.
 *
 * Rules (Skatteetaten's published deadlines; docs/reconciliation.md, "Accrued, not yet claimed"):
 * - merverdiavgift: two-month termins (Jan–Feb … Nov–Dec); the claim exists at the latest on the
 *   due date, the 10th of the second month after the termin (termin 6 → 10 February), except
 *   termin 3 (May–June), due 31 August (skattebetalingsloven § 10-30).
 * - arbeidsgiveravgift and forskuddstrekk: two-month termins; reported by a-melding, due the 15th
 *   of the month after the termin.
 * - skatt: per income year; forskuddsskatt is claimed in the following year and the final
 *   assessment (restskatt or tilgode) comes in its autumn. We take 31 December of the following
 *   year as the latest date — a guess on the generous side, documented as such.
 * A due date on a Saturday or Sunday moves to the Monday (§ 10-2; public holidays are not modelled,
 * which can only make a deadline a day or two early).
 * The termin of a line is read from its description when it names one ("Mva 3. termin 2025",
 * "Lønn januar"), otherwise from its date.
 */
import * as Dato from "../../domain/Dato.ts"
import * as Kodeliste from "../../domain/Kodeliste.ts"

export interface ClaimPeriod {
  readonly kind: "termin" | "inntektsaar"
  /** Human label, e.g. "3. termin 2025" or "inntektsår 2025". */
  readonly label: string
  readonly start: Dato.Dato
  readonly end: Dato.Dato
  /** The last day by which the claim for this period must exist. */
  readonly deadline: Dato.Dato
}

interface Rule {
  readonly kind: "termin" | "inntektsaar"
  /** Months after the period's end month in which the due date falls, and its day. */
  readonly monthsAfter: number
  readonly dueDay: number
  /** Merverdiavgift's summer exception: termin 3 is due 31 August. */
  readonly termin3DueAugust31?: boolean
}

const RULES: ReadonlyMap<string, Rule> = new Map(
  Object.entries(
    {
      merverdiavgift: { kind: "termin", monthsAfter: 2, dueDay: 10, termin3DueAugust31: true },
      arbeidsgiveravgift: { kind: "termin", monthsAfter: 1, dueDay: 15 },
      forskuddstrekk: { kind: "termin", monthsAfter: 1, dueDay: 15 },
      skatt: { kind: "inntektsaar", monthsAfter: 12, dueDay: 31 }
    } satisfies Record<string, Rule>
  ).map(([k, v]) => [Kodeliste.normalise(k), v])
)

const MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"]

const pad = (n: number) => String(n).padStart(2, "0")
const firstOf = (y: number, m: number): Dato.Dato => {
  const yy = y + Math.floor((m - 1) / 12)
  const mm = ((((m - 1) % 12) + 12) % 12) + 1
  return `${yy}-${pad(mm)}-01` as Dato.Dato
}
/** Day `d` of month `m` (months past 12 roll into the next year), clamped to the month's last day. */
const ymd = (y: number, m: number, d: number): Dato.Dato => Dato.min(Dato.addDays(firstOf(y, m), d - 1), Dato.addDays(firstOf(y, m + 1), -1))

const rules = new Map<string, Rule | undefined>()
const ruleFor = (kravgruppe: string): Rule | undefined => {
  if (rules.has(kravgruppe)) return rules.get(kravgruppe)
  const code = Kodeliste.lookupKravgruppe(kravgruppe)?.kode ?? kravgruppe
  const rule = RULES.get(Kodeliste.normalise(code))
  rules.set(kravgruppe, rule)
  return rule
}

/** The Monday after, for a date on a Saturday or Sunday. */
const weekday = (d: Dato.Dato): Dato.Dato => {
  const dow = (((Dato.toEpochDay(d) + 4) % 7) + 7) % 7 // 1970-01-01 was a Thursday; 0 = Sunday
  return dow === 6 ? Dato.addDays(d, 2) : dow === 0 ? Dato.addDays(d, 1) : d
}

/** Periods are values: one object per rule and period, shared by every line that falls in it. */
const terminCache = new Map<Rule, Map<number, ClaimPeriod>>()
const incomeYearCache = new Map<number, ClaimPeriod>()

const termin = (rule: Rule, year: number, t: number): ClaimPeriod => {
  let byRule = terminCache.get(rule)
  if (byRule === undefined) terminCache.set(rule, byRule = new Map())
  const cached = byRule.get(year * 10 + t)
  if (cached !== undefined) return cached
  const start = ymd(year, 2 * t - 1, 1)
  const end = Dato.addDays(ymd(year, 2 * t + 1, 1), -1)
  const due = rule.termin3DueAugust31 === true && t === 3 ? ymd(year, 8, 31) : ymd(year, 2 * t + rule.monthsAfter, rule.dueDay)
  const period: ClaimPeriod = { kind: "termin", label: `${t}. termin ${year}`, start, end, deadline: weekday(due) }
  byRule.set(year * 10 + t, period)
  return period
}

const incomeYear = (year: number): ClaimPeriod => {
  const cached = incomeYearCache.get(year)
  if (cached !== undefined) return cached
  const period: ClaimPeriod = {
    kind: "inntektsaar",
    label: `inntektsår ${year}`,
    start: `${year}-01-01` as Dato.Dato,
    end: `${year}-12-31` as Dato.Dato,
    deadline: `${year + 1}-12-31` as Dato.Dato
  }
  incomeYearCache.set(year, period)
  return period
}

const MONTH_PATTERNS = MONTHS.map((m) => new RegExp(`\\b${m}\\b`))

/** The termin or income year a line of this kravgruppe belongs to; undefined for groups without a calendar. */
export const periodOf = (kravgruppe: string, date: Dato.Dato, hint?: string): ClaimPeriod | undefined => {
  const rule = ruleFor(kravgruppe)
  if (rule === undefined) return undefined
  const year = Number(date.slice(0, 4))
  const month = Number(date.slice(5, 7))
  const text = (hint ?? "").toLowerCase()
  const namedYear = /\b(20\d\d)\b/.exec(text)?.[1]
  if (rule.kind === "inntektsaar") return incomeYear(namedYear !== undefined ? Number(namedYear) : year)
  const current = Math.floor((month - 1) / 2) + 1
  const named = /\b([1-6])\.\s*termin/.exec(text)?.[1]
  const monthNamed = MONTH_PATTERNS.findIndex((m) => m.test(text))
  let t = current
  if (named !== undefined) t = Number(named)
  else if (monthNamed >= 0) t = Math.floor(monthNamed / 2) + 1
  // A termin named later in the year than the line's date belongs to the year before ("6. termin" booked in January).
  const y = namedYear !== undefined ? Number(namedYear) : t > current ? year - 1 : year
  return termin(rule, y, t)
}

/** The period that ended on the day before `date` (what an opening balance at `date` may still hold unclaimed). */
export const periodBefore = (kravgruppe: string, date: Dato.Dato): ClaimPeriod | undefined => periodOf(kravgruppe, Dato.addDays(date, -1))

/** The latest of the periods' deadlines over several kravgrupper (a row may carry more than one). */
export const latest = (periods: ReadonlyArray<ClaimPeriod | undefined>): ClaimPeriod | undefined =>
  periods.reduce<ClaimPeriod | undefined>((best, p) => (p === undefined ? best : best === undefined || p.deadline > best.deadline ? p : best), undefined)
