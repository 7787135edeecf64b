/**
 * Skatteetaten's side of the books: the claims (krav with their kravforfall), the payments
 * (innbetalinger) and where they were placed, set-offs of credit claims (plassertMotkrav) and
 * disbursements (utbetalinger), every event dated, so the documents can be rendered as the API
 * would serve them on any day.
 *
 * Shapes follow seed-examples/ (authoritative) and MODEL-v1.1.1.md; kravtype and kravgruppe codes
 * come from kravtype.xml. Rules (docs/test-books.md):
 * - gjenstaaendeBeloep = opprinneligBeloep − everything placed on the forfall on or before the day,
 *   exactly, in øre; a credit claim (tilgodeMva) is negative and rises to 0 as it is used;
 * - placements carry a negative plassertBeloep (as in the seed examples); a disbursement placed on
 *   a credit forfall carries a positive one (it brings a negative balance up to zero);
 * - a set-off is recorded on the covered claim only (plassertMotkrav naming the credit forfall);
 * - stipulerteRenter: forsinkelsesrente on what is still open after the due date, up to the day
 *   (none on interest claims and credit claims: no interest on interest).
 */
import type * as Dato from "../../src/domain/Dato.ts"
import * as Money from "../../src/domain/Money.ts"
import type { Oere } from "../../src/domain/Money.ts"
import type { PartyData } from "../Generate.ts"
import * as Prng from "../Prng.ts"
import * as Cal from "./calendar.ts"

type Json = Record<string, unknown>

export const SKATTEETATEN_KONTO = {
  bankinformasjon: "Nordea Bank Norge ASA, Postboks 1166 Sentrum, 0107 Oslo, Norge",
  kontonummer: "63450624804",
  iban: "NO42 6345 06 24804",
  swiftBIC: "NDEANOKK"
} as const

export interface Kravperiode {
  readonly text: string
  readonly aar: number
  readonly fraDato: Dato.Dato
  readonly tilDato: Dato.Dato
  readonly terminTekniskNavn?: string
}

export interface Innbetalt {
  readonly payment: Payment
  readonly amount: Oere
  readonly date: Dato.Dato
}
export interface Motkrav {
  readonly credit: Forfall
  readonly creditClaim: Claim
  readonly amount: Oere
  readonly date: Dato.Dato
}
export interface Utbetalt {
  readonly payout: Payout
  readonly amount: Oere
  readonly date: Dato.Dato
}

export interface Forfall {
  readonly id: string
  readonly forfallsdato: Dato.Dato
  /** Negative for a credit claim. */
  readonly opprinnelig: Oere
  readonly kid: string
  readonly innbetalinger: Array<Innbetalt>
  /** Credit forfall set off against this one (recorded here, on the covered claim). */
  readonly motkrav: Array<Motkrav>
  /** This credit forfall used to cover other claims (not rendered on it; see `motkrav`). */
  readonly brukt: Array<{ readonly amount: Oere; readonly date: Dato.Dato }>
  readonly utbetalinger: Array<Utbetalt>
}

export interface Claim {
  readonly id: string
  readonly kravtype: string
  readonly kravgruppe: string
  readonly beskrivelse: string
  readonly periode: Kravperiode
  readonly opprettet: Dato.Dato
  readonly fastsettingsmaate: "egenfastsatt" | "myndighetsfastsatt" | "blank"
  readonly hovedstol?: string
  readonly forfall: ReadonlyArray<Forfall>
  /** Interest claims and credit claims carry no stipulerte renter. */
  readonly renter: boolean
}

export interface Payment {
  readonly id: string
  readonly date: Dato.Dato
  readonly amount: Oere
  readonly kid?: string
  readonly placements: Array<{ readonly claim: Claim; readonly forfall: Forfall; readonly amount: Oere; readonly date: Dato.Dato }>
}

export interface Payout {
  readonly id: string
  readonly date: Dato.Dato
  readonly amount: Oere
  readonly message: string
  readonly credits: ReadonlyArray<{ readonly claim: Claim; readonly forfall: Forfall; readonly amount: Oere }>
}

const kr = (o: number): number => Money.toKronerNumber(o as Oere)
const tekst = (t: string) => ({ spraakTekst: [{ tekst: t, spraak: "nb" }] })
const sumUpTo = (xs: ReadonlyArray<{ readonly amount: Oere; readonly date: Dato.Dato }>, asOf: Dato.Dato): number =>
  xs.reduce((s, x) => (x.date <= asOf ? s + x.amount : s), 0)

/** What is still open on a forfall at the end of `asOf`. */
export const remaining = (f: Forfall, asOf: Dato.Dato): Oere =>
  (f.opprinnelig - sumUpTo(f.innbetalinger, asOf) - sumUpTo(f.motkrav, asOf) + sumUpTo(f.brukt, asOf) + sumUpTo(f.utbetalinger, asOf)) as Oere

/** A deterministic identifier in the form of a UUID (the seed examples' kravforfallsIdentifikator). */
const uuid = (key: string): string => {
  const rng = Prng.make(Prng.hash(key))
  const hex = Array.from({ length: 4 }, () => Math.floor(rng.next() * 0x1_0000_0000).toString(16).padStart(8, "0")).join("")
  const variant = "89ab"[Number.parseInt(hex[16] ?? "0", 16) % 4]
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/** The claims, payments and payouts of one party, built in date order by the generator. */
export class Skattekonto {
  readonly claims: Array<Claim> = []
  readonly payments: Array<Payment> = []
  readonly payouts: Array<Payout> = []
  #claimSeq = 0
  #paymentSeq = 0
  #payoutSeq = 0

  constructor(
    readonly part: string,
    readonly name: string,
    readonly seed: number
  ) {}

  claim(spec: {
    readonly kravtype: string
    readonly kravgruppe: string
    readonly beskrivelse: string
    readonly periode: Kravperiode
    readonly opprettet: Dato.Dato
    readonly fastsettingsmaate: Claim["fastsettingsmaate"]
    readonly hovedstol?: string
    readonly renter?: boolean
    readonly forfall: ReadonlyArray<{ readonly forfallsdato: Dato.Dato; readonly amount: Oere; readonly kid: string }>
  }): Claim {
    const n = ++this.#claimSeq
    const id = `${this.part.slice(-3)}${String(this.#claimSeq + 4_700_000).padStart(8, "0")}`
    const claim: Claim = {
      id,
      kravtype: spec.kravtype,
      kravgruppe: spec.kravgruppe,
      beskrivelse: spec.beskrivelse,
      periode: spec.periode,
      opprettet: spec.opprettet,
      fastsettingsmaate: spec.fastsettingsmaate,
      ...(spec.hovedstol === undefined ? {} : { hovedstol: spec.hovedstol }),
      renter: spec.renter ?? true,
      forfall: spec.forfall.map((f, i) => ({
        id: uuid(`${this.part}:${this.seed}:forfall:${n}:${i}`),
        forfallsdato: f.forfallsdato,
        opprinnelig: f.amount,
        kid: f.kid,
        innbetalinger: [],
        motkrav: [],
        brukt: [],
        utbetalinger: []
      }))
    }
    this.claims.push(claim)
    return claim
  }

  /** A payment that arrives on `date`; with a KID it is placed the same day on that forfall. */
  pay(date: Dato.Dato, amount: Oere, target?: { readonly claim: Claim; readonly forfall: Forfall }): Payment {
    const id = String(880_000_000 + ++this.#paymentSeq * 7)
    const payment: Payment = { id, date, amount, ...(target === undefined ? {} : { kid: target.forfall.kid }), placements: [] }
    if (target !== undefined) {
      if (target.claim.opprettet > date) throw new Error(`payment ${date} before claim ${target.claim.id} exists (${target.claim.opprettet})`)
      const open = remaining(target.forfall, date)
      if (amount > open) throw new Error(`payment ${Money.formatNok(amount)} exceeds the open ${Money.formatNok(open)} on ${target.forfall.id}`)
      payment.placements.push({ claim: target.claim, forfall: target.forfall, amount, date })
      target.forfall.innbetalinger.push({ payment, amount, date })
    }
    this.payments.push(payment)
    return payment
  }

  /** Skatteetaten sets `amount` of a credit forfall off against an open forfall on `date`. */
  setOff(date: Dato.Dato, credit: { readonly claim: Claim; readonly forfall: Forfall }, covered: { readonly forfall: Forfall }, amount: Oere): void {
    credit.forfall.brukt.push({ amount, date })
    covered.forfall.motkrav.push({ credit: credit.forfall, creditClaim: credit.claim, amount, date })
  }

  /** Skatteetaten pays a credit forfall out on `date`. */
  payOut(date: Dato.Dato, credit: { readonly claim: Claim; readonly forfall: Forfall }, message: string): Payout {
    const amount = -remaining(credit.forfall, date) as Oere
    const id = String(5_100_000 + ++this.#payoutSeq)
    const payout: Payout = { id, date, amount, message, credits: [{ claim: credit.claim, forfall: credit.forfall, amount }] }
    credit.forfall.utbetalinger.push({ payout, amount, date })
    this.payouts.push(payout)
    return payout
  }

  /** Puts claims in creation order and payments / payouts in date order (stable: ties keep the order made). */
  finish(): void {
    this.claims.sort((a, b) => (a.opprettet < b.opprettet ? -1 : a.opprettet > b.opprettet ? 1 : 0))
    this.payments.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    this.payouts.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  }

  /** Forsinkelsesrente on what is open after the due date, up to `asOf`. */
  stipulerteRenter(claim: Claim, asOf: Dato.Dato): Oere {
    if (!claim.renter) return Money.zero
    let renter = 0
    for (const f of claim.forfall) {
      const open = remaining(f, asOf)
      if (open > 0 && f.forfallsdato < asOf) renter += Cal.forsinkelsesrenter(open, f.forfallsdato, asOf)
    }
    return renter as Oere
  }

  // -------------------------------------------------------------------------------------------
  // Wire documents

  /** Everything the API knows on `asOf`, as PartyData (kroner numbers). */
  render(asOf: Dato.Dato): PartyData {
    return {
      part: this.part,
      name: this.name,
      skjermet: false,
      krav: this.claims.filter((c) => c.opprettet <= asOf).map((c) => this.kravJson(c, asOf)),
      innbetalinger: this.payments.filter((p) => p.date <= asOf).map((p) => this.innbetalingJson(p, asOf)),
      utbetalinger: this.payouts.filter((p) => p.date <= asOf).map((p) => this.utbetalingJson(p))
    }
  }

  periodeJson(p: Kravperiode): Json {
    return {
      periodeBeskrivelse: tekst(p.text),
      aar: String(p.aar),
      fraDato: p.fraDato,
      tilDato: p.tilDato,
      ...(p.terminTekniskNavn === undefined ? {} : { terminTekniskNavn: p.terminTekniskNavn })
    }
  }

  kravJson(c: Claim, asOf: Dato.Dato): Json {
    const forfall = c.forfall.map((f) => this.forfallJson(f, asOf))
    const renter = this.stipulerteRenter(c, asOf)
    return {
      partIdentifikator: this.part,
      kravidentifikator: c.id,
      kravtype: c.kravtype,
      opprinneligBeloep: kr(c.forfall.reduce((s, f) => s + f.opprinnelig, 0)),
      gjenstaaendeBeloep: kr(c.forfall.reduce((s, f) => s + remaining(f, asOf), 0)),
      kravforfall: forfall,
      ...(renter > 0 ? { stipulerteRenter: kr(renter) } : {}),
      kravbeskrivelse: tekst(c.beskrivelse),
      kravperiode: this.periodeJson(c.periode),
      opprettelsesdatoForKrav: c.opprettet,
      kravgruppe: c.kravgruppe,
      fastsettingsmaate: c.fastsettingsmaate,
      ...(c.hovedstol === undefined ? {} : { hovedstolKravidentifikator: c.hovedstol })
    }
  }

  forfallJson(f: Forfall, asOf: Dato.Dato): Json {
    const innb = f.innbetalinger.filter((p) => p.date <= asOf)
    const motkrav = f.motkrav.filter((m) => m.date <= asOf)
    const utb = f.utbetalinger.filter((u) => u.date <= asOf)
    return {
      kravforfallsIdentifikator: f.id,
      forfallsdato: f.forfallsdato,
      opprinneligBeloep: kr(f.opprinnelig),
      gjenstaaendeBeloep: kr(remaining(f, asOf)),
      betalingsinformasjon: { kidnummer: f.kid, konto: SKATTEETATEN_KONTO, valutakode: "NOK" },
      ...(innb.length === 0
        ? {}
        : {
          plassertInnbetaling: innb.map((p) => ({
            innbetalingsIdentifikator: p.payment.id,
            plassertBeloep: kr(-p.amount),
            plassertDato: p.date,
            innbetalingsdato: p.payment.date,
            innbetaltBeloep: kr(p.payment.amount),
            innbetaltFra: { konto: { kontoeiersNavn: this.name.toUpperCase() }, ...(p.payment.kid === undefined ? {} : { kidnummer: p.payment.kid }) },
            innbetalingstype: "Bankoverføring"
          }))
        }),
      ...(motkrav.length === 0
        ? {}
        : {
          plassertMotkrav: motkrav.map((m) => ({
            kravforfallsIdentifikator: m.credit.id,
            plassertBeloep: kr(-m.amount),
            kravtype: m.creditClaim.kravtype,
            plassertDato: m.date,
            kravbeskrivelse: tekst(m.creditClaim.beskrivelse),
            forfallsdato: m.credit.forfallsdato,
            kravperiode: this.periodeJson(m.creditClaim.periode)
          }))
        }),
      ...(utb.length === 0
        ? {}
        : {
          plassertUtbetaling: utb.map((u) => ({
            utbetalingsidentifikator: u.payout.id,
            plassertBeloep: kr(u.amount),
            plassertDato: u.date,
            utbetaltdato: u.payout.date,
            utbetaltBeloep: kr(u.payout.amount)
          }))
        })
    }
  }

  /** The company's bank account as Skatteetaten shows it (masked). */
  ownAccount(): Json {
    return { kontoeiersNavn: this.name.toUpperCase(), kontonummer: `******${this.part.slice(-5)}` }
  }

  innbetalingJson(p: Payment, asOf: Dato.Dato): Json {
    const placed = p.placements.filter((x) => x.date <= asOf)
    return {
      partIdentifikator: this.part,
      innbetalingsidentifikator: p.id,
      innbetalingsdato: p.date,
      innbetaltBeloep: kr(p.amount),
      uplassertBeloep: kr(p.amount - placed.reduce((s, x) => s + x.amount, 0)),
      mottakersKontonummer: { kontonummer: SKATTEETATEN_KONTO.kontonummer },
      innbetaltFra: { konto: this.ownAccount(), ...(p.kid === undefined ? {} : { kidnummer: p.kid }) },
      innbetalingstype: "bankoverføring",
      ...(placed.length === 0
        ? {}
        : {
          plassertKrav: placed.map((x) => ({
            kravidentifikator: x.claim.id,
            kravforfallsIdentifikator: x.forfall.id,
            kravtype: x.claim.kravtype,
            kravbeskrivelse: tekst(x.claim.beskrivelse),
            kravperiode: this.periodeJson(x.claim.periode),
            forfallsdato: x.forfall.forfallsdato,
            plassertBeloep: kr(-x.amount),
            plassertDato: x.date
          }))
        })
    }
  }

  utbetalingJson(p: Payout): Json {
    return {
      partIdentifikator: this.part,
      utbetalingsidentifikator: p.id,
      utbetaltdato: p.date,
      utbetaltBeloep: kr(p.amount),
      betaltTil: { meldingSendtTilMottaker: p.message, konto: this.ownAccount(), valutakode: "NOK" },
      grunnlagForUtbetaling: {
        kreditKrav: p.credits.map((c) => ({
          kravforfallidentifikator: c.forfall.id,
          kravidentifikator: c.claim.id,
          opprinneligBeloep: kr(c.forfall.opprinnelig),
          gjenstaaendeBeloep: kr(remaining(c.forfall, p.date)),
          utbetaltBeloep: kr(c.amount),
          kravbeskrivelse: tekst(c.claim.beskrivelse),
          kravtype: c.claim.kravtype,
          kravperiode: this.periodeJson(c.claim.periode)
        }))
      },
      utbetalingstatus: "bekreftet"
    }
  }
}
