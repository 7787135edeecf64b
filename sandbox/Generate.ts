/**
 * Deterministic, realistic claims and payments for the sandbox's test parties.
 *
 * What is generated follows Norwegian practice and the API's field model (MODEL-v1.1.1.md):
 * - merverdiavgift (kravtype `åBetaleMva`): six two-month terms a year, due the 10th of the
 *   second month after the term (term 6 on 10 February);
 * - arbeidsgiveravgift and forskuddstrekk: six terms, due the 15th of the month after the term;
 * - forskuddsskatt (`utskrevetForskuddsskatt`): two forfall (15 February, 15 April) for an AS,
 *   four (15 March, 15 May, 15 September, 15 November) for a person;
 * - restskatt for the year before last, created in October and due three weeks later.
 * Most forfall are paid on time with their KID; some are partly paid, some unpaid (overdue ones
 * carry stipulerte renter); one payment is left unplaced; one party has a VAT refund paid out.
 * Amounts are worked in øre and written as kroner numbers only at the end, so every total
 * (gjenstaaende = opprinnelig − placed, totalOversikt, oversiktPerKravgruppe) is exact.
 */
import * as Dato from "../src/domain/Dato.ts"
import * as Money from "../src/domain/Money.ts"
import * as Prng from "./Prng.ts"

type Json = Record<string, unknown>

export interface Profile {
  readonly name: string
  readonly kind: "AS" | "ENK" | "person"
  readonly mva: boolean
  readonly arbeidsgiver: boolean
  readonly skatt: boolean
  readonly refund: boolean
  readonly unplacedPayment: boolean
  readonly skjermet: boolean
  /** Only claims this many years back and older (a party with nothing recent → KB-007). */
  readonly onlyOlderThanYears?: number
}

/** The generated books of one party, at wire level (what the API would serve). */
export interface PartyData {
  readonly part: string
  readonly name: string
  readonly skjermet: boolean
  readonly krav: ReadonlyArray<Json>
  readonly innbetalinger: ReadonlyArray<Json>
  readonly utbetalinger: ReadonlyArray<Json>
}

const kr = (o: number): number => Money.toKronerNumber(o as Money.Oere)

const tekst = (t: string) => ({ spraakTekst: [{ tekst: t, spraak: "nb" }] })

const pad = (n: number) => String(n).padStart(2, "0")
const date = (y: number, m: number, d: number): Dato.Dato => {
  const yy = y + Math.floor((m - 1) / 12)
  const mm = ((m - 1) % 12) + 1
  return `${yy}-${pad(mm)}-${pad(d)}` as Dato.Dato
}

/** KID with a mod10 (Luhn) control digit, as Skatteetaten's KIDs have. */
export const kid = (base: string): string => {
  let sum = 0
  const digits = Array.from(base, Number).reverse()
  digits.forEach((d, i) => {
    const v = i % 2 === 0 ? d * 2 : d
    sum += v > 9 ? v - 9 : v
  })
  return `${base}${(10 - (sum % 10)) % 10}`
}

interface Forfall {
  readonly id: string
  readonly forfallsdato: Dato.Dato
  readonly amount: number
}

interface ClaimSpec {
  readonly kravtype: string
  readonly kravgruppe: string
  readonly beskrivelse: string
  readonly periode: Json
  readonly opprettet: Dato.Dato
  readonly forfall: ReadonlyArray<{ forfallsdato: Dato.Dato; amount: number }>
}

const SKATTEETATEN_KONTO = {
  bankinformasjon: "Skatteetaten, Postboks 9200 Grønland, 0134 Oslo",
  kontonummer: "63450624804",
  iban: "NO4263450624804",
  swiftBIC: "NDEANOKK"
}

const terms = (year: number) => [1, 2, 3, 4, 5, 6].map((t) => ({ t, from: date(year, 2 * t - 1, 1), to: Dato.addDays(date(year, 2 * t + 1, 1), -1) }))

const claimSpecs = (profile: Profile, today: Dato.Dato, rng: Prng.Prng): Array<ClaimSpec> => {
  const year = Number(today.slice(0, 4))
  const specs: Array<ClaimSpec> = []
  const amount = (min: number, max: number) => rng.int(min, max) * 100
  for (const y of [year - 1, year]) {
    for (const { t, from, to } of terms(y)) {
      if (to >= today) continue
      const periode = { periodeBeskrivelse: tekst(`${t}. termin ${y}`), aar: String(y), fraDato: from, tilDato: to, terminTekniskNavn: `termin${t}` }
      if (profile.mva) {
        const due = date(y, 2 * t + 2, 10)
        specs.push({
          kravtype: "åBetaleMva",
          kravgruppe: "merverdiavgift",
          beskrivelse: "Merverdiavgift",
          periode,
          opprettet: Dato.addDays(to, 20),
          forfall: [{ forfallsdato: due, amount: amount(20_000, 180_000) }]
        })
      }
      if (profile.arbeidsgiver) {
        const due = date(y, 2 * t + 1, 15)
        const opprettet = Dato.addDays(due, -10)
        specs.push({
          kravtype: "arbeidsgiveravgift",
          kravgruppe: "arbeidsgiveravgift",
          beskrivelse: "Arbeidsgiveravgift",
          periode,
          opprettet,
          forfall: [{ forfallsdato: due, amount: amount(8_000, 60_000) }]
        })
        specs.push({
          kravtype: "forskuddstrekk",
          kravgruppe: "forskuddstrekk",
          beskrivelse: "Forskuddstrekk",
          periode,
          opprettet,
          forfall: [{ forfallsdato: due, amount: amount(15_000, 120_000) }]
        })
      }
    }
    if (profile.skatt) {
      const person = profile.kind !== "AS"
      const dates = person ? [date(y, 3, 15), date(y, 5, 15), date(y, 9, 15), date(y, 11, 15)] : [date(y, 2, 15), date(y, 4, 15)]
      const each = amount(person ? 5_000 : 40_000, person ? 30_000 : 250_000)
      const created = date(y, 1, 20)
      if (created < today) {
        specs.push({
          kravtype: person ? "utskrevetForskuddsskattPerson" : "utskrevetForskuddsskatt",
          kravgruppe: "skatt",
          beskrivelse: "Forskuddsskatt",
          periode: { periodeBeskrivelse: tekst(`Inntektsår ${y}`), aar: String(y) },
          opprettet: created,
          forfall: dates.map((d) => ({ forfallsdato: d, amount: each }))
        })
      }
    }
  }
  if (profile.skatt) {
    const created = date(year - 1, 10, 20)
    specs.push({
      kravtype: person(profile) ? "restskattPerson" : "restskatt",
      kravgruppe: "skatt",
      beskrivelse: "Restskatt",
      periode: { periodeBeskrivelse: tekst(`Inntektsår ${year - 2}`), aar: String(year - 2) },
      opprettet: created,
      forfall: [{ forfallsdato: Dato.addDays(created, 21), amount: amount(3_000, 90_000) }]
    })
  }
  const cutoff = profile.onlyOlderThanYears === undefined ? undefined : Dato.addYears(today, -profile.onlyOlderThanYears)
  return cutoff === undefined
    ? specs
    : specs.map((s) => ({
      ...s,
      opprettet: Dato.addYears(s.opprettet, -5),
      forfall: s.forfall.map((f) => ({ ...f, forfallsdato: Dato.addYears(f.forfallsdato, -5) }))
    }))
}

const person = (p: Profile) => p.kind !== "AS"

/** Simple daily interest at 12.5 % a year (forsinkelsesrente level), in øre. */
const interest = (amount: number, from: Dato.Dato, to: Dato.Dato): number => {
  const days = Math.max(0, Dato.daysBetween(from, to))
  return Math.round((amount * 125 * days) / (1000 * 365))
}

/** Generates one party's books from its profile; the same (part, seed, today) gives the same data. */
export const generateParty = (part: string, profile: Profile, options: { readonly seed?: number; readonly today: Dato.Dato }): PartyData => {
  const rng = Prng.make(Prng.hash(part) ^ (options.seed ?? 1))
  const today = options.today
  const krav: Array<Json> = []
  const innbetalinger: Array<Json> = []
  const utbetalinger: Array<Json> = []
  let seq = 0
  const specs = claimSpecs(profile, today, rng).sort((a, b) => (a.opprettet < b.opprettet ? -1 : a.opprettet > b.opprettet ? 1 : 0))
  for (const spec of specs) {
    seq++
    const kravidentifikator = `${part.slice(-4)}-${String(seq).padStart(5, "0")}`
    let kravGjenstaaende = 0
    let kravOpprinnelig = 0
    let renter = 0
    const kravforfall = spec.forfall.map((f, i): Json => {
      const forfall: Forfall = { id: `${kravidentifikator}-${i + 1}`, forfallsdato: f.forfallsdato, amount: f.amount }
      const kidnummer = kid(`${part.slice(-6)}${String(seq).padStart(4, "0")}${i + 1}`)
      const placed: Array<Json> = []
      let paid = 0
      if (forfall.forfallsdato <= today) {
        const r = rng.next()
        const share = r < 0.82 ? 1 : r < 0.92 ? rng.int(30, 90) / 100 : 0
        paid = Math.round((forfall.amount * share) / 100) * 100
        if (paid > 0) {
          const innbetalingsdato = Dato.addDays(forfall.forfallsdato, r < 0.6 ? 0 : -rng.int(1, 5))
          const innbetalingsidentifikator = `inn-${part.slice(-4)}-${String(innbetalinger.length + 1).padStart(5, "0")}`
          innbetalinger.push({
            partIdentifikator: part,
            innbetalingsidentifikator,
            innbetalingsdato,
            innbetaltBeloep: kr(paid),
            uplassertBeloep: 0,
            mottakersKontonummer: { kontonummer: SKATTEETATEN_KONTO.kontonummer },
            innbetaltFra: { konto: { kontoeiersNavn: profile.name.toUpperCase(), kontonummer: `******${String(rng.int(10000, 99999))}` }, kidnummer },
            innbetalingstype: "bankoverføring",
            plassertKrav: [{
              kravidentifikator,
              kravforfallsIdentifikator: forfall.id,
              kravtype: spec.kravtype,
              forfallsdato: forfall.forfallsdato,
              plassertBeloep: kr(-paid),
              plassertDato: Dato.addDays(innbetalingsdato, 1)
            }]
          })
          placed.push({
            innbetalingsIdentifikator: innbetalingsidentifikator,
            plassertBeloep: kr(-paid),
            plassertDato: Dato.addDays(innbetalingsdato, 1),
            innbetalingsdato,
            innbetaltBeloep: kr(paid),
            innbetaltFra: { konto: {} },
            innbetalingstype: "Bankoverføring"
          })
        }
      }
      const gjenstaaende = forfall.amount - paid
      if (gjenstaaende > 0 && forfall.forfallsdato < today) renter += interest(gjenstaaende, forfall.forfallsdato, today)
      kravGjenstaaende += gjenstaaende
      kravOpprinnelig += forfall.amount
      return {
        kravforfallsIdentifikator: forfall.id,
        forfallsdato: forfall.forfallsdato,
        opprinneligBeloep: kr(forfall.amount),
        gjenstaaendeBeloep: kr(gjenstaaende),
        betalingsinformasjon: { kidnummer, konto: SKATTEETATEN_KONTO, valutakode: "NOK" },
        ...(placed.length > 0 ? { plassertInnbetaling: placed } : {})
      }
    })
    krav.push({
      partIdentifikator: part,
      kravidentifikator,
      kravtype: spec.kravtype,
      opprinneligBeloep: kr(kravOpprinnelig),
      gjenstaaendeBeloep: kr(kravGjenstaaende),
      kravforfall,
      ...(renter > 0 ? { stipulerteRenter: kr(renter) } : {}),
      kravbeskrivelse: tekst(spec.beskrivelse),
      kravperiode: spec.periode,
      opprettelsesdatoForKrav: spec.opprettet,
      kravgruppe: spec.kravgruppe,
      fastsettingsmaate: spec.kravgruppe === "skatt" ? "myndighetsfastsatt" : "egenfastsatt"
    })
  }
  if (profile.unplacedPayment) {
    const amount = rng.int(500, 20_000) * 100
    innbetalinger.push({
      partIdentifikator: part,
      innbetalingsidentifikator: `inn-${part.slice(-4)}-uplassert`,
      innbetalingsdato: Dato.addDays(today, -rng.int(3, 20)),
      innbetaltBeloep: kr(amount),
      uplassertBeloep: kr(amount),
      mottakersKontonummer: { kontonummer: SKATTEETATEN_KONTO.kontonummer },
      innbetaltFra: { konto: { kontoeiersNavn: profile.name.toUpperCase(), kontonummer: "******12345" } },
      innbetalingstype: "bankoverføring"
    })
  }
  if (profile.refund) {
    const amount = rng.int(5_000, 60_000) * 100
    const y = Number(today.slice(0, 4))
    utbetalinger.push({
      partIdentifikator: part,
      utbetalingsidentifikator: `utb-${part.slice(-4)}-1`,
      utbetaltdato: date(y, 4, 20),
      utbetaltBeloep: kr(amount),
      betaltTil: {
        meldingSendtTilMottaker: `Tilgode merverdiavgift 1. termin ${y}`,
        konto: { kontoeiersNavn: profile.name.toUpperCase(), kontonummer: "******67890" },
        valutakode: "NOK"
      },
      grunnlagForUtbetaling: {
        kreditKrav: [
          {
            kravforfallidentifikator: `${part.slice(-4)}-tilgode-1`,
            opprinneligBeloep: kr(-amount),
            gjenstaaendeBeloep: 0,
            utbetaltBeloep: kr(amount),
            kravbeskrivelse: tekst("Tilgode merverdiavgift"),
            kravtype: "tilgodeMva",
            kravperiode: { periodeBeskrivelse: tekst(`1. termin ${y}`), aar: String(y) }
          }
        ]
      },
      utbetalingstatus: "bekreftet"
    })
  }
  return { part, name: profile.name, skjermet: profile.skjermet, krav, innbetalinger, utbetalinger }
}

/** The sandbox's test parties (the API page's test list plus the other identifiers in the docs). */
export const profiles: Record<string, Profile> = {
  "313367002": { name: "Sandbox Regnskap AS", kind: "AS", mva: true, arbeidsgiver: true, skatt: true, refund: false, unplacedPayment: true, skjermet: false },
  "311851381": { name: "Sandbox Bygg AS", kind: "AS", mva: true, arbeidsgiver: true, skatt: false, refund: false, unplacedPayment: false, skjermet: false },
  "310478717": { name: "Sandbox Handel AS", kind: "AS", mva: true, arbeidsgiver: false, skatt: true, refund: true, unplacedPayment: false, skjermet: false },
  "314961900": {
    name: "Sandbox Hvilende AS",
    kind: "AS",
    mva: true,
    arbeidsgiver: false,
    skatt: false,
    refund: false,
    unplacedPayment: false,
    skjermet: false,
    onlyOlderThanYears: 5
  },
  "314055403": {
    name: "Sandbox Skjermet ENK",
    kind: "ENK",
    mva: true,
    arbeidsgiver: false,
    skatt: true,
    refund: false,
    unplacedPayment: false,
    skjermet: true
  },
  "04827896468": {
    name: "Lystig Klam Katt Tusj",
    kind: "person",
    mva: false,
    arbeidsgiver: false,
    skatt: true,
    refund: false,
    unplacedPayment: true,
    skjermet: false
  }
}

/**
 * A large party for benchmarks: `n` krav, each with one forfall, as an åpne-krav wire document.
 */
export const largeAapneKrav = (part: string, n: number, seed = 1): Json => {
  const rng = Prng.make(seed)
  const krav: Array<Json> = []
  for (let i = 0; i < n; i++) {
    const amount = rng.int(1_000, 5_000_000)
    const due = Dato.addDays("2024-01-15" as Dato.Dato, i % 700)
    krav.push({
      partIdentifikator: part,
      kravidentifikator: `bench-${i}`,
      kravtype: rng.pick(["åBetaleMva", "arbeidsgiveravgift", "forskuddstrekk", "restskatt"]),
      opprinneligBeloep: kr(amount),
      gjenstaaendeBeloep: kr(amount),
      kravforfall: [
        {
          kravforfallsIdentifikator: `bench-${i}-1`,
          forfallsdato: due,
          opprinneligBeloep: kr(amount),
          gjenstaaendeBeloep: kr(amount),
          betalingsinformasjon: { kidnummer: kid(String(100000 + i)), konto: SKATTEETATEN_KONTO }
        }
      ],
      kravbeskrivelse: tekst("Benchmark"),
      kravperiode: { periodeBeskrivelse: tekst("2024"), aar: "2024" },
      opprettelsesdatoForKrav: Dato.addDays(due, -20),
      kravgruppe: "skatt",
      fastsettingsmaate: "blank"
    })
  }
  return { partIdentifikator: part, skjermet: false, aapentKravMedGjenstaaendeBeloep: krav }
}
