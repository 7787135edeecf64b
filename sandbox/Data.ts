/**
 * What the sandbox serves per party and endpoint.
 *
 * - 212201782: the seed examples verbatim (seed-examples/aapnekrav-212201782.json; the krav
 *   example for 2023-01-01..2023-09-01 byte for byte, other periods filtered from it), and the
 *   innbetalinger/utbetalinger examples of api/kravogbetalinger.md (utbetalinger re-addressed to
 *   the party).
 * - The other test parties: generated (Generate.ts), deterministic from the seed and `today`.
 * - `--data DIR`: scenario files, one per party (docs/sandbox.md), validated with the model.
 * Period endpoints return the items dated inside the period; an empty answer is KB-007.
 */
import { Either, ParseResult, Schema } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import type { Dato } from "../src/domain/Dato.ts"
import { AapneKrav, Innbetalinger, KravListe, Utbetalinger } from "../src/domain/Dokumenter.ts"
import * as Money from "../src/domain/Money.ts"
import type { Periode } from "../src/domain/Periode.ts"
import { generateParty, type PartyData, profiles } from "./Generate.ts"
import seedAapnekrav from "./seed/aapnekrav-212201782.json" with { type: "json" }
import seedKrav from "./seed/krav-212201782-2023-01-01_2023-09-01.json" with { type: "json" }

type Json = Record<string, unknown>

/** A party's books (generated, seed or scenario), plus what is served as fixed documents. */
export interface PartySource extends PartyData {
  /** A fixed åpne-krav document; computed from the lists when absent. */
  readonly aapnekrav?: Json
  /** Documents served byte for byte for exactly this period. */
  readonly verbatimKrav?: { readonly periode: Periode; readonly body: string }
}

export class ScenarioError extends Schema.TaggedError<ScenarioError>()("ScenarioError", {
  file: Schema.String,
  message: Schema.String
}) {}

const oere = (n: unknown): number => (typeof n === "number" ? Either.getOrElse(Money.fromKronerNumber(n), () => 0) : 0)
const kr = (o: number): number => Money.toKronerNumber(o as Money.Oere)
const inPeriode = (d: unknown, p: Periode): boolean => typeof d === "string" && p.fraOgMed <= d && d <= p.tilOgMed
const list = (x: unknown): ReadonlyArray<Json> => (Array.isArray(x) ? (x as Array<Json>) : [])

const SEED_PART = "212201782"

/** api/kravogbetalinger.md, "Innbetalinger" example. */
const seedInnbetalinger = (): ReadonlyArray<Json> =>
  [SEED_PART, "04827896468"].map((p) => ({
    partIdentifikator: p,
    innbetalingsidentifikator: "inn-1234",
    innbetalingsdato: "2023-03-01",
    innbetaltBeloep: 1000.0,
    uplassertBeloep: 0.0,
    mottakersKontonummer: { kontonummer: "98766543210" },
    innbetaltFra: { konto: { kontoeiersNavn: "LYSTIG KLAM KATT TUSJ", kontonummer: "******43210" } },
    innbetalingstype: "bankoverføring"
  }))

/** api/kravogbetalinger.md, "Utbetalinger" example (one of its three identical entries). */
const seedUtbetalinger = (): ReadonlyArray<Json> => [
  {
    partIdentifikator: SEED_PART,
    utbetalingsidentifikator: "147654",
    utbetaltdato: "2023-08-21",
    utbetaltBeloep: 62374.0,
    betaltTil: {
      meldingSendtTilMottaker: "Tilgode skatt 2023",
      konto: { kontoeiersNavn: "OVERFØLSOM GLAD TIGER AS", kontonummer: "627xxxxxx" },
      valutakode: "NOK"
    },
    grunnlagForUtbetaling: {
      kreditKrav: [
        {
          kravforfallidentifikator: "6412123",
          opprinneligBeloep: -62374.0,
          gjenstaaendeBeloep: 0.0,
          utbetaltBeloep: 62374.0,
          kravbeskrivelse: { spraakTekst: [{ tekst: "Tibakebetaling restskatt - 2023", spraak: "nb" }] },
          kravtype: "RESTERENDE_SKT_TILB",
          kravperiode: { periodeBeskrivelse: { spraakTekst: [{ tekst: "Inntektstår", spraak: "nb" }] }, aar: "2023" }
        }
      ]
    },
    utbetalingstatus: "bekreftet"
  }
]

const seedSource = (): PartySource => ({
  part: SEED_PART,
  name: "Seed-eksempel (Skatteetatens dokumentasjon)",
  skjermet: false,
  krav: list((seedKrav as Json)["krav"]),
  innbetalinger: seedInnbetalinger(),
  utbetalinger: seedUtbetalinger(),
  aapnekrav: seedAapnekrav as Json,
  verbatimKrav: {
    periode: { fraOgMed: "2023-01-01", tilOgMed: "2023-09-01" } as Periode,
    body: readFileSync(new URL("./seed/krav-212201782-2023-01-01_2023-09-01.json", import.meta.url), "utf8")
  }
})

/** The built-in parties: the seed party and the generated ones. */
export const builtIn = (options: { readonly seed: number; readonly today: Dato }): Map<string, PartySource> => {
  const parties = new Map<string, PartySource>([[SEED_PART, seedSource()]])
  for (const [part, profile] of Object.entries(profiles)) parties.set(part, generateParty(part, profile, options))
  return parties
}

/** Scenario file: `{ partIdentifikator, navn?, aapnekrav?, krav?, innbetalinger?, utbetalinger? }`. */
const ScenarioFile = Schema.Struct({
  partIdentifikator: Schema.String,
  navn: Schema.optional(Schema.String),
  aapnekrav: Schema.optional(AapneKrav),
  krav: Schema.optional(KravListe),
  innbetalinger: Schema.optional(Innbetalinger),
  utbetalinger: Schema.optional(Utbetalinger)
})

/** A saved response, named as the seed files are: `aapnekrav-<part>.json`, `krav-<part>-<fra>_<til>.json`, … */
const SAVED_RESPONSE = /^(aapnekrav|krav|innbetalinger|utbetalinger)-(\d{9}|\d{11})(?:-[^/]*)?\.json$/
const SAVED_KEY = { aapnekrav: "aapnekrav", krav: "krav", innbetalinger: "innbetalinger", utbetalinger: "utbetalinger" } as const

/**
 * The first problem of a decode, with its path, in one line (`krav.krav[1].opprinneligBeloep:
 * Expected number, actual "…"`): the schema's own message prints the whole schema, kilobytes.
 */
const firstProblem = (e: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(e)
  const first = issues[0]
  if (first === undefined) return "does not match the scenario format"
  const path = first.path.reduce<string>((acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc === "" ? String(k) : `${acc}.${String(k)}`), "")
  const message = (first.message.split("\n")[0] ?? "").slice(0, 200)
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""
  return `${path === "" ? "(the file)" : path}: ${message}${more}`
}

/**
 * Loads every `*.json` in `dir`: scenario files (one per party), and saved responses named like
 * the seed files, grouped per party into a scenario. The first invalid file fails with its name and the field.
 */
export const loadScenarios = (dir: string): Either.Either<ReadonlyArray<PartySource>, ScenarioError> => {
  let files: Array<string>
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort()
  } catch (e) {
    return Either.left(new ScenarioError({ file: dir, message: `cannot read the directory: ${(e as Error).message}` }))
  }
  const raws: Array<{ readonly file: string; readonly raw: unknown }> = []
  const saved = new Map<string, Json & { partIdentifikator: string }>()
  for (const file of files) {
    let raw: unknown
    try {
      raw = JSON.parse(readFileSync(join(dir, file), "utf8"))
    } catch (e) {
      return Either.left(new ScenarioError({ file, message: `not JSON: ${(e as Error).message}` }))
    }
    const m = SAVED_RESPONSE.exec(file)
    if (m === null) raws.push({ file, raw })
    else {
      const part = m[2] ?? ""
      const scenario = saved.get(part) ?? { partIdentifikator: part }
      scenario[SAVED_KEY[m[1] as keyof typeof SAVED_KEY]] = raw
      saved.set(part, scenario)
    }
  }
  for (const [part, scenario] of saved) raws.push({ file: `saved responses for ${part}`, raw: scenario })
  const out: Array<PartySource> = []
  for (const { file, raw } of raws) {
    const decoded = Schema.decodeUnknownEither(ScenarioFile, { errors: "first" })(raw)
    if (Either.isLeft(decoded)) return Either.left(new ScenarioError({ file, message: firstProblem(decoded.left) }))
    const s = raw as Json
    const doc = (k: string) => (s[k] ?? {}) as Json
    out.push({
      part: decoded.right.partIdentifikator,
      name: decoded.right.navn ?? `Scenario ${file}`,
      skjermet: Boolean(doc("aapnekrav")["skjermet"] ?? doc("krav")["skjermet"]),
      krav: list(doc("krav")["krav"]),
      innbetalinger: list(doc("innbetalinger")["innbetaling"]),
      utbetalinger: list(doc("utbetalinger")["utbetaling"]),
      ...(s["aapnekrav"] === undefined ? {} : { aapnekrav: doc("aapnekrav") })
    })
  }
  return Either.right(out)
}

// ---------------------------------------------------------------------------------------------
// Documents per endpoint

/** Computes the åpne-krav document from the lists as of `today`, every total in øre. */
export const computeAapneKrav = (src: PartySource, today: Dato): Json => {
  const open = src.krav.filter((k) => oere(k["gjenstaaendeBeloep"]) !== 0)
  const unplaced = src.innbetalinger.filter((i) => oere(i["uplassertBeloep"]) !== 0)
  const groups = new Map<string, { forfalte: number; ikkeForfalte: number; renter: number }>()
  let forfalte = 0
  let ikkeForfalte = 0
  let renter = 0
  for (const k of open) {
    const g = groups.get(String(k["kravgruppe"] ?? "ukjent")) ?? { forfalte: 0, ikkeForfalte: 0, renter: 0 }
    for (const f of list(k["kravforfall"])) {
      const rest = oere(f["gjenstaaendeBeloep"])
      if (String(f["forfallsdato"]) < today) g.forfalte += rest
      else g.ikkeForfalte += rest
    }
    g.renter += oere(k["stipulerteRenter"])
    groups.set(String(k["kravgruppe"] ?? "ukjent"), g)
  }
  for (const g of groups.values()) {
    forfalte += g.forfalte
    ikkeForfalte += g.ikkeForfalte
    renter += g.renter
  }
  const uplassert = unplaced.reduce((s, i) => s + oere(i["uplassertBeloep"]), 0)
  const totalOversikt = {
    sumStipulerteRenter: kr(renter),
    sumForfalteKrav: kr(forfalte),
    sumIkkeForfalteKrav: kr(ikkeForfalte),
    sumUplasserteInnbetalinger: kr(uplassert),
    saldo: kr(forfalte + ikkeForfalte + renter - uplassert)
  }
  if (src.skjermet) return { partIdentifikator: src.part, skjermet: true, totalOversikt }
  return {
    partIdentifikator: src.part,
    skjermet: false,
    // Empty lists are left out: in XML an empty list and a missing one read the same.
    ...(open.length > 0 ? { aapentKravMedGjenstaaendeBeloep: open } : {}),
    ...(unplaced.length > 0 ? { innbetalingMedUplassertBeloep: unplaced } : {}),
    totalOversikt,
    oversiktPerKravgruppe: [...groups].map(([kravgruppe, g]) => ({
      kravgruppe,
      sumStipulerteRenter: kr(g.renter),
      sumForfalteKrav: kr(g.forfalte),
      sumIkkeForfalteKrav: kr(g.ikkeForfalte),
      saldo: kr(g.forfalte + g.ikkeForfalte + g.renter)
    }))
  }
}

export type Answer = { readonly _tag: "Document"; readonly body: Json | string } | { readonly _tag: "Empty" }

const kravInPeriode = (k: Json, p: Periode): boolean =>
  inPeriode(k["opprettelsesdatoForKrav"], p) || list(k["kravforfall"]).some((f) => inPeriode(f["forfallsdato"], p))

/** The document for one endpoint, or Empty (KB-007) when the period holds nothing. */
export const answer = (
  src: PartySource,
  endpoint: "aapnekrav" | "krav" | "innbetalinger" | "utbetalinger",
  periode: Periode | undefined,
  today: Dato
): Answer => {
  if (endpoint === "aapnekrav") return { _tag: "Document", body: src.aapnekrav ?? computeAapneKrav(src, today) }
  const p = periode as Periode
  if (endpoint === "krav" && src.verbatimKrav && src.verbatimKrav.periode.fraOgMed === p.fraOgMed && src.verbatimKrav.periode.tilOgMed === p.tilOgMed) {
    return { _tag: "Document", body: src.verbatimKrav.body }
  }
  const [key, items] = endpoint === "krav"
    ? (["krav", src.krav.filter((k) => kravInPeriode(k, p))] as const)
    : endpoint === "innbetalinger"
    ? (["innbetaling", src.innbetalinger.filter((i) => inPeriode(i["innbetalingsdato"], p))] as const)
    : (["utbetaling", src.utbetalinger.filter((u) => inPeriode(u["utbetaltdato"], p))] as const)
  if (items.length === 0) return { _tag: "Empty" }
  const envelope = { partIdentifikator: src.part, periode: { fraOgMed: p.fraOgMed, tilOgMed: p.tilOgMed } }
  return { _tag: "Document", body: src.skjermet ? { ...envelope, skjermet: true } : { ...envelope, skjermet: false, [key]: items } }
}
