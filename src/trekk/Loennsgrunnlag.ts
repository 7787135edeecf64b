/**
 * The optional payroll file a percentage order needs ("Trekkes av brutto inntekt", api/trekkpaalegg.md
 * Feltforklaringer): the gross pay per employee (skyldner) and month, and the pay date when known.
 * Without it a percentage order is reported as *krever lønnsgrunnlag*, never guessed.
 *
 * Two forms, chosen by the file's content:
 * - JSON: `{ "loennsgrunnlag": [{ "skyldner": "…", "maaned": "2026-03", "bruttoloenn": 45230.5,
 *   "utbetalingsdato": "2026-03-20" }] }` (bruttoloenn in kroner, a number or Norwegian text);
 * - CSV with a header line, `;` or `,` separated: `skyldner;maaned;bruttoloenn;utbetalingsdato`.
 * Errors name the file, the row and the field; a fødselsnummer in a message is masked.
 */
import { Either, Schema } from "effect"
import * as Dato from "../domain/Dato.ts"
import { fromKronerNumber, type Oere, parseKronerInput } from "../domain/Money.ts"
import * as PartIdentifikator from "../domain/PartIdentifikator.ts"
import { ExitCategoryId } from "../ExitCategory.ts"

export class LoennsgrunnlagError extends Schema.TaggedError<LoennsgrunnlagError>()("LoennsgrunnlagError", {
  file: Schema.String,
  location: Schema.String,
  field: Schema.String,
  problem: Schema.String,
  /** The problem in bokmål (the CLI's default language); the English when absent. */
  problemNb: Schema.optional(Schema.String)
}) {
  readonly [ExitCategoryId] = "input" as const
  override get message() {
    return `${this.file}, ${this.location}, ${this.field}: ${this.problem}`
  }
  get messageNb() {
    const location = this.location.replace(/^line /, "linje ").replace("(file)", "(filen)")
    return `${this.file}, ${location}, ${this.field}: ${this.problemNb ?? this.problem}`
  }
}

export interface Rad {
  readonly skyldner: string
  readonly maaned: string
  readonly bruttoloenn: Oere
  readonly utbetalingsdato: Dato.Dato | undefined
}

/** Rows by skyldner, then month. */
export type Loennsgrunnlag = ReadonlyMap<string, ReadonlyMap<string, Rad>>

export const lookup = (l: Loennsgrunnlag | undefined, skyldner: string, maaned: string): Rad | undefined => l?.get(skyldner)?.get(maaned)

const MAANED = /^(\d{4})-(0[1-9]|1[0-2])$/

const row = (
  file: string,
  location: string,
  raw: { readonly skyldner: unknown; readonly maaned: unknown; readonly bruttoloenn: unknown; readonly utbetalingsdato: unknown }
): Either.Either<Rad, LoennsgrunnlagError> => {
  const bad = (field: string, problem: string, problemNb?: string) => Either.left(new LoennsgrunnlagError({ file, location, field, problem, problemNb }))
  const s = typeof raw.skyldner === "string" ? PartIdentifikator.normaliseInput(raw.skyldner) : String(raw.skyldner ?? "")
  const kind = PartIdentifikator.classify(s)
  if (Either.isLeft(kind)) return bad("skyldner", kind.left.message)
  if (kind.right === "organisasjonsnummer") {
    return bad(
      "skyldner",
      `${s} is an organisasjonsnummer, not a fødselsnummer or D-nummer`,
      `${s} er et organisasjonsnummer, ikke et fødselsnummer eller D-nummer`
    )
  }
  const m = typeof raw.maaned === "string" ? raw.maaned.trim() : ""
  if (!MAANED.test(m)) {
    return bad("maaned", `"${String(raw.maaned ?? "")}" is not a month in the form YYYY-MM`, `«${String(raw.maaned ?? "")}» er ikke en måned på formen ÅÅÅÅ-MM`)
  }
  const b = typeof raw.bruttoloenn === "number"
    ? fromKronerNumber(raw.bruttoloenn)
    : typeof raw.bruttoloenn === "string"
    ? parseKronerInput(raw.bruttoloenn)
    : Either.left("not a decimal number" as const)
  if (Either.isLeft(b)) return bad("bruttoloenn", b.left)
  if (b.right < 0) return bad("bruttoloenn", "gross pay cannot be negative", "bruttolønn kan ikke være negativ")
  let utbetalingsdato: Dato.Dato | undefined
  if (raw.utbetalingsdato !== undefined && raw.utbetalingsdato !== null && raw.utbetalingsdato !== "") {
    const d = Dato.parse(String(raw.utbetalingsdato))
    if (Either.isLeft(d)) return bad("utbetalingsdato", d.left)
    if (d.right.slice(0, 7) !== m) return bad("utbetalingsdato", `${d.right} is not in ${m}`, `${d.right} er ikke i ${m}`)
    utbetalingsdato = d.right
  }
  return Either.right({ skyldner: s, maaned: m, bruttoloenn: b.right, utbetalingsdato })
}

const splitCsv = (line: string, sep: string): Array<string> => line.split(sep).map((c) => c.trim().replace(/^"(.*)"$/, "$1"))

/** The file's text as rows; one skyldner and month appears at most once. */
export const parse = (text: string, file: string): Either.Either<Loennsgrunnlag, LoennsgrunnlagError> => {
  const t = text.replace(/^\uFEFF/, "")
  const rows: Array<Rad> = []
  if (t.trimStart().startsWith("{")) {
    let json: unknown
    try {
      json = JSON.parse(t)
    } catch {
      return Either.left(new LoennsgrunnlagError({ file, location: "(file)", field: "(file)", problem: "not valid JSON", problemNb: "ikke gyldig JSON" }))
    }
    const list = (json as { loennsgrunnlag?: unknown }).loennsgrunnlag
    if (!Array.isArray(list)) {
      return Either.left(
        new LoennsgrunnlagError({
          file,
          location: "(file)",
          field: "loennsgrunnlag",
          problem: "a list of rows is required",
          problemNb: "en liste med rader må oppgis"
        })
      )
    }
    for (let i = 0; i < list.length; i++) {
      const r = (list[i] ?? {}) as Record<string, unknown>
      const parsed = row(file, `loennsgrunnlag[${i}]`, {
        skyldner: r["skyldner"],
        maaned: r["maaned"],
        bruttoloenn: r["bruttoloenn"],
        utbetalingsdato: r["utbetalingsdato"]
      })
      if (Either.isLeft(parsed)) return Either.left(parsed.left)
      rows.push(parsed.right)
    }
  } else {
    const lines = t.split(/\r?\n/)
    const header = lines[0] ?? ""
    const sep = header.includes(";") ? ";" : ","
    const cols = splitCsv(header, sep).map((c) => c.toLowerCase())
    const at = (name: string) => cols.indexOf(name)
    for (const name of ["skyldner", "maaned", "bruttoloenn"]) {
      if (at(name) < 0) {
        return Either.left(
          new LoennsgrunnlagError({
            file,
            location: "line 1",
            field: name,
            problem: `the header must name the columns skyldner${sep}maaned${sep}bruttoloenn[${sep}utbetalingsdato]`,
            problemNb: `overskriftslinjen må navngi kolonnene skyldner${sep}maaned${sep}bruttoloenn[${sep}utbetalingsdato]`
          })
        )
      }
    }
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] ?? ""
      if (line.trim() === "") continue
      const c = splitCsv(line, sep)
      const parsed = row(file, `line ${i + 1}`, {
        skyldner: c[at("skyldner")],
        maaned: c[at("maaned")],
        bruttoloenn: c[at("bruttoloenn")],
        utbetalingsdato: at("utbetalingsdato") < 0 ? undefined : c[at("utbetalingsdato")]
      })
      if (Either.isLeft(parsed)) return Either.left(parsed.left)
      rows.push(parsed.right)
    }
  }
  const out = new Map<string, Map<string, Rad>>()
  for (const r of rows) {
    const byMonth = out.get(r.skyldner) ?? new Map<string, Rad>()
    if (byMonth.has(r.maaned)) {
      return Either.left(
        new LoennsgrunnlagError({
          file,
          location: "(file)",
          field: "maaned",
          problem: `${PartIdentifikator.mask(r.skyldner)} has two rows for ${r.maaned}`,
          problemNb: `${PartIdentifikator.mask(r.skyldner)} har to rader for ${r.maaned}`
        })
      )
    }
    byMonth.set(r.maaned, r)
    out.set(r.skyldner, byMonth)
  }
  return Either.right(out)
}
