/**
 * The sandbox's Trekkpålegg: for each employer (trekkpliktig) a history of orders, deterministic
 * from the seed and `today`, each order a list of versions as Skatteetaten publishes them
 * (api/trekkpaalegg.md, "Eksempler" and "Feltforklaringer"):
 * - created with one open period, amount- or percent-based, starting tomorrow at the earliest
 *   ("tidligste mulighet er å sette den til i morgen");
 * - updated to new versions: the open period gets a sluttdato the day before the new period's
 *   startdato (never backwards in time), a temporary stop as a 0 % or 0 kr period, a last
 *   instalment as an amount period with a sluttdato (the "restbeløp" example);
 * - ended: a sluttdato set; status `avsluttet` in the same version when the sluttdato is that day,
 *   else in a later version published the day after the sluttdato has passed ("ved midnatt");
 * - one sekvensnummer counter across every order and employer, rising with gaps as in the
 *   examples; trekkversjon rising by one per order; saksnummer and KID fixed per trekkid; the KID
 *   unique per order (mod10), kontonummer and betalingsmottaker those of the examples.
 * Versions are published over time: what the API shows is what was published on or before the
 * sandbox's Trekkpålegg clock, which tests move forward (`SandboxHandle.trekk.advance`).
 */
import * as D from "../../src/domain/Dato.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import { type Oere, toKronerNumber } from "../../src/domain/Money.ts"
import { mod11ControlDigit } from "../../src/domain/PartIdentifikator.ts"
import * as Prng from "../Prng.ts"

type Json = Record<string, unknown>

/** A period as generated: amount in øre or percent as decimal text. */
export interface GenPeriod {
  readonly startdato: Dato
  readonly sluttdato?: Dato | undefined
  readonly beloep?: Oere | undefined
  readonly prosent?: string | undefined
}

export interface GenVersion {
  readonly trekkid: string
  readonly trekkversjon: number
  sekvensnummer: number
  readonly opprettet: string
  readonly published: Dato
  readonly saksnummer: string
  readonly trekkpliktig: string
  readonly skyldner: string
  readonly trekkstatus: "aktiv" | "avsluttet"
  readonly perioder: ReadonlyArray<GenPeriod>
  readonly kidnummer: string
}

export interface TrekkData {
  /** Every version of every order, by sekvensnummer. */
  readonly versions: ReadonlyArray<GenVersion>
}

/** The employers with orders, and how many orders each has over the history. */
export const TREKK_EMPLOYERS: Readonly<Record<string, number>> = { "313367002": 8, "311851381": 5, "212201782": 3, "310478717": 2 }

/** Common to every order (Feltforklaringer: "felles for alle trekkpålegg"); the values of the examples. */
export const KONTONUMMER = "70213997155"
export const BETALINGSMOTTAKER = "971648199"

/** A valid synthetic fødselsnummer (Tenor style: month + 80), drawn from `rng`. */
export const syntheticFnr = (rng: Prng.Prng): string => {
  for (;;) {
    const day = rng.int(1, 28)
    const month = rng.int(1, 12) + 80
    const yy = rng.int(60, 99)
    const ind = rng.int(100, 499)
    const base = `${String(day).padStart(2, "0")}${month}${yy}${ind}`
    const d = Array.from(base, Number)
    const k1 = mod11ControlDigit(d, [3, 7, 6, 1, 8, 9, 4, 5, 2])
    if (k1 === undefined) continue
    const k2 = mod11ControlDigit([...d, k1], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
    if (k2 === undefined) continue
    return `${base}${k1}${k2}`
  }
}

/** A KID with a mod10 (Luhn) control digit. */
export const kidFor = (digits: string): string => {
  let s = 0
  for (let i = 0; i < digits.length; i++) {
    let n = Number(digits[digits.length - 1 - i])
    if (i % 2 === 0) {
      n *= 2
      if (n > 9) n -= 9
    }
    s += n
  }
  return `${digits}${(10 - (s % 10)) % 10}`
}

const PROSENTER = ["10", "12.5", "15", "17", "20", "23", "25.75", "30", "33.333"]

const amount = (rng: Prng.Prng): Oere => (rng.int(10, 80) * 10000 + (rng.next() < 0.3 ? rng.int(1, 99) : 0)) as Oere

const size = (rng: Prng.Prng, percent: boolean): Pick<GenPeriod, "beloep" | "prosent"> => percent ? { prosent: rng.pick(PROSENTER) } : { beloep: amount(rng) }

const time = (rng: Prng.Prng, d: Dato) => `${d}T${String(rng.int(7, 16)).padStart(2, "0")}:${String(rng.int(0, 59)).padStart(2, "0")}:00.00Z`

interface Draft {
  readonly trekkid: string
  readonly saksnummer: string
  readonly trekkpliktig: string
  readonly skyldner: string
  readonly kidnummer: string
  readonly versions: Array<Omit<GenVersion, "sekvensnummer" | "trekkid" | "saksnummer" | "trekkpliktig" | "skyldner" | "kidnummer" | "trekkversjon">>
}

/**
 * One order's history from `created` on, up to `horizon`. `script` fixes the first employer's
 * first order so that every reconciliation case exists: an amount order, changed once, ended
 * in May of the year before `today`'s.
 */
const history = (rng: Prng.Prng, created: Dato, horizon: Dato, script: { readonly endOn: Dato; readonly changeOn: Dato } | undefined) => {
  const percent = script === undefined && rng.next() < 0.4
  const versions: Draft["versions"] = []
  let perioder: Array<GenPeriod> = [{ startdato: D.addDays(created, rng.int(1, 10)), ...size(rng, percent) }]
  versions.push({ opprettet: time(rng, created), published: created, trekkstatus: "aktiv", perioder })
  let at = created
  for (let step = 0; step < 12; step++) {
    const next = script === undefined ? D.addDays(at, rng.int(25, 140)) : step === 0 ? script.changeOn : script.endOn
    if (next > horizon) break
    at = next
    const open = perioder[perioder.length - 1] as GenPeriod
    const roll = script === undefined ? rng.next() : step === 0 ? 0 : 0.9
    if (roll < 0.45 || (roll < 0.6 && percent)) {
      // A new size from a day after the open period started and after today.
      const start = D.max(D.addDays(at, rng.int(1, 10)), D.addDays(open.startdato, 1))
      perioder = [...perioder.slice(0, -1), { ...open, sluttdato: D.addDays(start, -1) }, { startdato: start, ...size(rng, percent) }]
      versions.push({ opprettet: time(rng, at), published: at, trekkstatus: "aktiv", perioder })
    } else if (roll < 0.6) {
      // A temporary stop: 0 kr for two months, then the amount again.
      const stop = D.max(D.addDays(at, rng.int(1, 10)), D.addDays(open.startdato, 1))
      const resume = D.addDays(stop, 61)
      perioder = [
        ...perioder.slice(0, -1),
        { ...open, sluttdato: D.addDays(stop, -1) },
        { startdato: stop, sluttdato: D.addDays(resume, -1), beloep: 0 as Oere },
        { startdato: resume, beloep: open.beloep ?? amount(rng) }
      ]
      versions.push({ opprettet: time(rng, at), published: at, trekkstatus: "aktiv", perioder })
    } else {
      // Ended: today, or later (status avsluttet the day after the sluttdato).
      const end = script !== undefined ? at : D.max(D.addDays(at, rng.next() < 0.3 ? 0 : rng.int(1, 30)), open.startdato)
      const last = rng.next() < 0.3 && end > open.startdato && script === undefined
      perioder = last
        ? [...perioder.slice(0, -1), { ...open, sluttdato: D.addDays(end, -1) }, { startdato: end, sluttdato: end, beloep: amount(rng) }]
        : [...perioder.slice(0, -1), { ...open, sluttdato: end }]
      const now = end === at && !last
      versions.push({ opprettet: time(rng, at), published: at, trekkstatus: now ? "avsluttet" : "aktiv", perioder })
      if (!now) {
        const passed = D.addDays(end, 1)
        versions.push({ opprettet: `${passed}T00:05:00.00Z`, published: passed, trekkstatus: "avsluttet", perioder })
      }
      break
    }
  }
  return versions
}

/** Every employer's orders and their versions, sekvensnummer assigned across all of them. */
export const generate = (options: { readonly seed: number; readonly today: Dato }): TrekkData => {
  const first = `${Number(options.today.slice(0, 4)) - 1}-01-05` as Dato
  const horizon = D.addDays(options.today, 365)
  const drafts: Array<Draft> = []
  let n = 0
  for (const [trekkpliktig, count] of Object.entries(TREKK_EMPLOYERS)) {
    const rng = Prng.make(Prng.hash(`trekk-${trekkpliktig}`) ^ options.seed)
    let previous: string | undefined
    for (let i = 0; i < count; i++) {
      n++
      const trekkid = String(20000 + n)
      const year = Number(first.slice(0, 4))
      // A skyldner whose order ended may get a new one (the "nytt trekk hos samme arbeidsgiver" example).
      const skyldner = previous !== undefined && rng.next() < 0.25 ? previous : syntheticFnr(rng)
      previous = skyldner
      const script = trekkpliktig === "313367002" && i === 0
        ? { changeOn: `${year}-09-08` as Dato, endOn: `${year + 1}-05-31` as Dato }
        : undefined
      const created = script !== undefined ? `${year}-03-03` as Dato : D.addDays(first, rng.int(0, D.daysBetween(first, D.addDays(options.today, 150))))
      drafts.push({
        trekkid,
        saksnummer: `TREKK/${created.slice(0, 4)}/${n}`,
        trekkpliktig,
        skyldner,
        kidnummer: kidFor(`${trekkpliktig.slice(0, 4)}${trekkid}`),
        versions: history(rng, created, horizon, script)
      })
    }
  }
  const flat = drafts.flatMap((d) =>
    d.versions.map((v, i): GenVersion => ({
      ...v,
      trekkid: d.trekkid,
      trekkversjon: i + 1,
      sekvensnummer: 0,
      saksnummer: d.saksnummer,
      trekkpliktig: d.trekkpliktig,
      skyldner: d.skyldner,
      kidnummer: d.kidnummer
    }))
  )
  flat.sort((
    a,
    b
  ) => (a.opprettet < b.opprettet
    ? -1
    : a.opprettet > b.opprettet
    ? 1
    : a.trekkid < b.trekkid
    ? -1
    : a.trekkid > b.trekkid
    ? 1
    : a.trekkversjon - b.trekkversjon)
  )
  const rng = Prng.make(options.seed ^ 0x7e4c)
  let seq = 100
  for (const v of flat) {
    seq += rng.int(1, 4)
    v.sekvensnummer = seq
  }
  return { versions: flat }
}

/** A version as the API sends it (api/trekkpaalegg.md, "Eksempler"). */
export const wire = (v: GenVersion): Json => ({
  trekkid: v.trekkid,
  skyldner: v.skyldner,
  opprettet: v.opprettet,
  saksnummer: v.saksnummer,
  trekkstatus: v.trekkstatus,
  trekkpliktig: v.trekkpliktig,
  trekkversjon: v.trekkversjon,
  sekvensnummer: v.sekvensnummer,
  betalingsinformasjon: { kidnummer: v.kidnummer, kontonummer: KONTONUMMER, betalingsmottaker: BETALINGSMOTTAKER },
  trekkstoerrelseForPeriode: v.perioder.map((p) => ({
    startdato: p.startdato,
    ...(p.sluttdato === undefined ? {} : { sluttdato: p.sluttdato }),
    ...(p.beloep !== undefined ? { trekkbeloep: { trekkbeloep: toKronerNumber(p.beloep) } } : { trekkprosent: { trekkprosent: Number(p.prosent) } })
  }))
})

/** The latest version of each order of `trekkpliktig` published on or before `clock`. */
export const current = (data: TrekkData, trekkpliktig: string, clock: Dato): ReadonlyArray<GenVersion> => {
  const latest = new Map<string, GenVersion>()
  for (const v of data.versions) {
    if (v.trekkpliktig !== trekkpliktig || v.published > clock) continue
    const prev = latest.get(v.trekkid)
    if (prev === undefined || v.trekkversjon > prev.trekkversjon) latest.set(v.trekkid, v)
  }
  return [...latest.values()].sort((a, b) => a.sekvensnummer - b.sekvensnummer)
}

/** One version of one order of `trekkpliktig`, if published on or before `clock`. */
export const version = (data: TrekkData, trekkpliktig: string, trekkid: string, trekkversjon: number, clock: Dato): GenVersion | undefined =>
  data.versions.find((v) => v.trekkpliktig === trekkpliktig && v.trekkid === trekkid && v.trekkversjon === trekkversjon && v.published <= clock)
