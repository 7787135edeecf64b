/**
 * The firm's client list (`kravsync run --clients FILE`): one row per client with its
 * organisasjonsnummer, its ledger (`saft:FILE`, `tripletex[:COMPANY-ID]`, `fiken[:SLUG]`), and
 * optionally a name, a credentials reference, a mapping file, a period and an as-of date.
 *
 * Read from CSV (header row; `,`, `;` or tab), JSON or YAML (a list of rows, or
 * `{defaults: {...}, clients: [...]}`), by the file's extension. Column names are matched
 * without regard to case, spaces or dashes, in Norwegian or English (`orgnr`/`organisasjonsnummer`,
 * `navn`/`name`, `ledger`/`regnskap`, `credentials`/`legitimasjon`, `mapping`, `fra`/`from`,
 * `til`/`to`, `as_of`/`per`). A value missing from a row comes from the command's flags, then
 * from the list's `defaults`. An unknown column refuses the whole list (a misspelt `ledgr` must not
 * silently fall back to a default); a bad row is a RowProblem naming its line and field, and the
 * other rows run. Relative file names are relative to the list's own folder.
 */
import { Either, Schema } from "effect"
import { dirname, isAbsolute, resolve } from "node:path"
import { isMap, isSeq, LineCounter, type Node as YamlNode, parseDocument } from "yaml"
import * as Dato from "../domain/Dato.ts"
import * as PartIdentifikator from "../domain/PartIdentifikator.ts"
import { ExitCategoryId } from "../ExitCategory.ts"
import { parseCsv } from "./csv.ts"

/** One client of the run, checked. */
export interface ClientRow {
  /** The line of the list the row starts on. */
  readonly line: number
  readonly orgnr: PartIdentifikator.PartIdentifikator
  readonly name?: string | undefined
  /** The ledger spec the registry resolves, with a relative SAF-T file made absolute. */
  readonly ledger: string
  /** The ledger as the list wrote it (for the overview). */
  readonly ledgerAsWritten: string
  /** Names the client's credentials for Tripletex/Fiken (docs/run.md, «Credentials»). */
  readonly credentials?: string | undefined
  /** An absolute path. */
  readonly mapping?: string | undefined
  readonly fra?: Dato.Dato | undefined
  readonly til?: Dato.Dato | undefined
  readonly asOf?: Dato.Dato | undefined
}

/** A row that cannot run: where it is and what is wrong with which field. */
export interface RowProblem {
  readonly line: number
  /** The organisation number as written, when the row has one. */
  readonly orgnr?: string | undefined
  readonly field: string
  readonly message: string
  /** The same in bokmål, for the CLI's default language. */
  readonly messageNb?: string | undefined
}

/** Values for every row that does not give its own (from the list's `defaults` or the command's flags). */
export interface ClientDefaults {
  readonly ledger?: string | undefined
  readonly credentials?: string | undefined
  readonly mapping?: string | undefined
  readonly fra?: string | undefined
  readonly til?: string | undefined
  readonly asOf?: string | undefined
}

export interface ClientList {
  readonly rows: ReadonlyArray<ClientRow>
  readonly problems: ReadonlyArray<RowProblem>
}

/** The list as a whole cannot be read: the file, and what is wrong (with the line where there is one). */
export class ClientListError extends Schema.TaggedError<ClientListError>()("ClientListError", {
  file: Schema.String,
  reason: Schema.String
}) {
  readonly [ExitCategoryId] = "input" as const
  override get message() {
    return `client list ${this.file}: ${this.reason}`
  }
  get messageNb() {
    return `klientlisten ${this.file}: ${clientListReasonNb(this.reason)}`
  }
}

/** The reasons written for a ClientListError (here, in csv.ts and by `kravsync run`), in bokmål; any other text is kept. */
const REASONS_NB: ReadonlyArray<readonly [RegExp, string]> = [
  [/^line (\d+): /, "linje $1: "],
  [/^not valid (JSON|YAML) at line (\d+), column (\d+) \((.*)\)$/, "ikke gyldig $1 på linje $2, kolonne $3 ($4)"],
  [/^empty: the first row names the columns \((.*)\)$/, "tom: første rad navngir kolonnene ($1)"],
  [/unknown column (.*); known: (.*)$/, "ukjent kolonne $1; kjente: $2"],
  [/no orgnr column; the header names the columns \((.*)\)$/, "ingen orgnr-kolonne; overskriftsraden navngir kolonnene ($1)"],
  [/^unknown key (.*); the list is \{defaults, clients\} or a list of rows$/, "ukjent nøkkel $1; listen er {defaults, clients} eller en liste med rader"],
  [/defaults must be a mapping of column to value$/, "defaults må være en tilordning fra kolonne til verdi"],
  [/"(.*)" cannot have a default; known: (.*)$/, "«$1» kan ikke ha en standardverdi; kjente: $2"],
  [/expected a list of clients \(or \{defaults, clients: \[\.\.\.\]\}\)$/, "ventet en liste med klienter (eller {defaults, clients: [...]})"],
  [
    /a quote inside an unquoted field \(quote the whole field, and double quotes inside it\)$/,
    "et anførselstegn inne i et felt uten anførselstegn (sett hele feltet i anførselstegn, og doble anførselstegn inne i det)"
  ],
  [/a quoted field is never closed \(a missing "\)$/, "et felt i anførselstegn lukkes aldri (et manglende \")"],
  [/^--concurrency must be 1 or more$/, "--concurrency må være 1 eller mer"],
  [/^cannot read it: (.*)$/, "kan ikke leses: $1"],
  [
    /^the connection setting concurrency \(KRAVSYNC_CONCURRENCY or --config\) is (\d+); a run shares one limit of at most 5 calls to Skatteetaten for the firm, so it must be 5 or less$/,
    "tilkoblingsinnstillingen concurrency (KRAVSYNC_CONCURRENCY eller --config) er $1; en kjøring deler én grense på høyst 5 kall til Skatteetaten for hele firmaet, så den må være 5 eller mindre"
  ]
]

export const clientListReasonNb = (reason: string): string => REASONS_NB.reduce((t, [re, nb]) => t.replace(re, nb), reason)

type Field = "orgnr" | "navn" | "ledger" | "credentials" | "mapping" | "fra" | "til" | "as_of"

const ALIASES: Record<string, Field> = {
  orgnr: "orgnr",
  organisasjonsnummer: "orgnr",
  org_nr: "orgnr",
  part: "orgnr",
  partidentifikator: "orgnr",
  navn: "navn",
  name: "navn",
  klient: "navn",
  ledger: "ledger",
  regnskap: "ledger",
  credentials: "credentials",
  legitimasjon: "credentials",
  mapping: "mapping",
  fra: "fra",
  from: "fra",
  fra_og_med: "fra",
  til: "til",
  to: "til",
  til_og_med: "til",
  as_of: "as_of",
  asof: "as_of",
  per: "as_of"
}

const KNOWN = "orgnr, navn, ledger, credentials, mapping, fra, til, as_of"

const fieldOf = (name: string): Field | undefined => ALIASES[name.trim().toLowerCase().replace(/[\s-]+/g, "_")]

/** The flag a field's default comes from, for messages. */
const FLAG: Record<Field, string> = {
  orgnr: "orgnr",
  navn: "navn",
  ledger: "--ledger",
  credentials: "--credentials",
  mapping: "--mapping",
  fra: "--fra",
  til: "--til",
  as_of: "--as-of"
}

type Raw = Partial<Record<Field, string>>

const relativeTo = (base: string, file: string) => (isAbsolute(file) ? file : resolve(base, file))

/** `saft:FILE` with FILE made absolute against the list's folder; other specs unchanged. */
const resolveLedger = (base: string, spec: string): string => {
  const i = spec.indexOf(":")
  if (i <= 1 || spec.slice(0, i).trim().toLowerCase() !== "saft") return spec.trim()
  return `saft:${relativeTo(base, spec.slice(i + 1).trim())}`
}

const schemeOf = (spec: string): string => {
  const i = spec.indexOf(":")
  return (i <= 1 ? spec : spec.slice(0, i)).trim().toLowerCase()
}

/**
 * Checks one row against the defaults: a ClientRow, or the RowProblem of its first bad field.
 * `schemes` are the ledger kinds the program knows (saft, tripletex, fiken, …).
 */
export const checkRow = (
  line: number,
  raw: Raw,
  defaults: ClientDefaults,
  base: string,
  schemes: ReadonlyArray<string>
): Either.Either<ClientRow, RowProblem> => {
  const given = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v.trim())
  const orgnrText = given(raw.orgnr)
  const problem = (field: Field, message: string, messageNb: string) => Either.left({ line, orgnr: orgnrText, field, message, messageNb })
  if (orgnrText === undefined) return problem("orgnr", "no organisasjonsnummer", "mangler organisasjonsnummer")
  const orgnr = PartIdentifikator.parse(orgnrText)
  if (Either.isLeft(orgnr)) return problem("orgnr", orgnr.left.message, PartIdentifikator.partIdentifikatorNb(orgnr.left))
  const ledger = given(raw.ledger) ?? given(defaults.ledger)
  if (ledger === undefined) {
    return problem(
      "ledger",
      `no ledger: give it in the row or for every row with ${FLAG.ledger} (saft:FILE, tripletex, fiken)`,
      `mangler regnskapskilde: oppgi den i raden, eller for alle rader med ${FLAG.ledger} (saft:FIL, tripletex, fiken)`
    )
  }
  const scheme = schemeOf(ledger)
  if (!schemes.includes(scheme)) {
    const known = schemes.map((s) => (s === "saft" ? "saft:FILE" : s)).join(", ")
    return problem("ledger", `unknown ledger "${ledger}"; known: ${known}`, `ukjent regnskapskilde «${ledger}»; kjente: ${known}`)
  }
  if (scheme === "saft" && ledger.slice(ledger.indexOf(":") + 1).trim() === "") {
    return problem("ledger", "saft: needs the file, as saft:FILE", "saft: trenger filen, som saft:FIL")
  }
  const dates: Partial<Record<"fra" | "til" | "as_of", Dato.Dato>> = {}
  for (const f of ["fra", "til", "as_of"] as const) {
    const fromRow = given(raw[f])
    const v = fromRow ?? given(f === "as_of" ? defaults.asOf : defaults[f])
    if (v === undefined) continue
    const d = Dato.parse(v)
    if (Either.isLeft(d)) {
      return problem(
        f,
        `${d.left}${fromRow === undefined ? ` (from ${FLAG[f]})` : ""}`,
        `${Dato.problemNb(d.left)}${fromRow === undefined ? ` (fra ${FLAG[f]})` : ""}`
      )
    }
    dates[f] = d.right
  }
  if (dates.fra !== undefined && dates.til !== undefined && dates.fra > dates.til) {
    return problem("til", `til ${dates.til} is before fra ${dates.fra}`, `til ${dates.til} er før fra ${dates.fra}`)
  }
  const mapping = given(raw.mapping) ?? given(defaults.mapping)
  return Either.right({
    line,
    orgnr: orgnr.right,
    name: given(raw.navn),
    ledger: resolveLedger(base, ledger),
    ledgerAsWritten: ledger,
    credentials: given(raw.credentials) ?? given(defaults.credentials),
    mapping: mapping === undefined ? undefined : relativeTo(base, mapping),
    fra: dates.fra,
    til: dates.til,
    asOf: dates.as_of
  })
}

/** The rows, with the problems of bad ones; a second row for the same client is a problem naming the first. */
const finish = (
  raws: ReadonlyArray<{ readonly line: number; readonly raw: Raw }>,
  defaults: ClientDefaults,
  base: string,
  schemes: ReadonlyArray<string>
): ClientList => {
  const rows: Array<ClientRow> = []
  const problems: Array<RowProblem> = []
  const seen = new Map<string, number>()
  for (const { line, raw } of raws) {
    const checked = checkRow(line, raw, defaults, base, schemes)
    if (Either.isLeft(checked)) {
      problems.push(checked.left)
      continue
    }
    const first = seen.get(checked.right.orgnr)
    if (first !== undefined) {
      problems.push({
        line,
        orgnr: raw.orgnr,
        field: "orgnr",
        message: `${checked.right.orgnr} is already on line ${first}; a client runs once`,
        messageNb: `${checked.right.orgnr} står allerede på linje ${first}; en klient kjøres én gang`
      })
      continue
    }
    seen.set(checked.right.orgnr, line)
    rows.push(checked.right)
  }
  return { rows, problems }
}

const fromCsv = (file: string, text: string): Either.Either<ReadonlyArray<{ readonly line: number; readonly raw: Raw }>, ClientListError> => {
  const parsed = parseCsv(text)
  if (parsed._tag === "Error") return Either.left(new ClientListError({ file, reason: `line ${parsed.line}: ${parsed.message}` }))
  const [header, ...records] = parsed.records
  if (header === undefined) return Either.left(new ClientListError({ file, reason: `empty: the first row names the columns (${KNOWN})` }))
  const fields = header.fields.map(fieldOf)
  const unknown = header.fields.filter((_, i) => fields[i] === undefined && (header.fields[i] ?? "").trim() !== "")
  if (unknown.length > 0) {
    return Either.left(new ClientListError({ file, reason: `line ${header.line}: unknown column ${unknown.map((u) => `"${u}"`).join(", ")}; known: ${KNOWN}` }))
  }
  if (!fields.includes("orgnr")) {
    return Either.left(new ClientListError({ file, reason: `line ${header.line}: no orgnr column; the header names the columns (${KNOWN})` }))
  }
  return Either.right(records.map((r) => {
    const raw: Raw = {}
    r.fields.forEach((v, i) => {
      const f = fields[i]
      if (f !== undefined) raw[f] = v
    })
    return { line: r.line, raw }
  }))
}

const scalar = (v: unknown): string | undefined =>
  typeof v === "string" ? v : typeof v === "number" || typeof v === "bigint" ? String(v) : v === null || v === undefined ? undefined : JSON.stringify(v)

/** JSON or YAML: `[row, …]` or `{defaults: {...}, clients: [row, …]}`; each row's line from the parser. */
const fromStructured = (
  file: string,
  text: string
): Either.Either<{ readonly raws: ReadonlyArray<{ readonly line: number; readonly raw: Raw }>; readonly defaults: ClientDefaults }, ClientListError> => {
  const counter = new LineCounter()
  const doc = parseDocument(text.replace(/^\uFEFF/, ""), { lineCounter: counter, prettyErrors: false, uniqueKeys: true })
  const lineOf = (n: YamlNode | null | undefined): number => (n?.range ? counter.linePos(n.range[0]).line : 1)
  if (doc.errors.length > 0) {
    const e = doc.errors[0]
    const at = e === undefined ? undefined : counter.linePos(e.pos[0])
    // The parser's own message quotes the text; a position and the kind of mistake are enough.
    return Either.left(
      new ClientListError({
        file,
        reason: `not valid ${file.endsWith(".json") ? "JSON" : "YAML"} at line ${at?.line ?? 1}, column ${at?.col ?? 1} (${e?.code ?? "syntax"})`
      })
    )
  }
  const root = doc.contents
  let items: YamlNode | null = root
  let defaults: ClientDefaults = {}
  if (isMap(root)) {
    const keys = root.items.map((p) => scalar((p.key as { value?: unknown } | null)?.value) ?? "")
    const extra = keys.filter((k) => k !== "defaults" && k !== "clients" && k !== "klienter")
    if (extra.length > 0) {
      return Either.left(
        new ClientListError({ file, reason: `unknown key ${extra.map((k) => `"${k}"`).join(", ")}; the list is {defaults, clients} or a list of rows` })
      )
    }
    items = (root.get("clients", true) ?? root.get("klienter", true) ?? null) as YamlNode | null
    const d = root.get("defaults", true) as YamlNode | undefined
    if (d !== undefined) {
      if (!isMap(d)) return Either.left(new ClientListError({ file, reason: `line ${lineOf(d)}: defaults must be a mapping of column to value` }))
      const raw: Raw = {}
      for (const p of d.items) {
        const k = scalar((p.key as { value?: unknown } | null)?.value) ?? ""
        const f = fieldOf(k)
        if (f === undefined || f === "orgnr" || f === "navn") {
          return Either.left(
            new ClientListError({
              file,
              reason: `line ${lineOf(p.key as YamlNode)}: "${k}" cannot have a default; known: ledger, credentials, mapping, fra, til, as_of`
            })
          )
        }
        raw[f] = scalar((p.value as { toJSON?: () => unknown } | null)?.toJSON?.())
      }
      defaults = { ledger: raw.ledger, credentials: raw.credentials, mapping: raw.mapping, fra: raw.fra, til: raw.til, asOf: raw.as_of }
    }
  }
  if (!isSeq(items)) {
    return Either.left(new ClientListError({ file, reason: `line ${lineOf(items)}: expected a list of clients (or {defaults, clients: [...]})` }))
  }
  const raws: Array<{ line: number; raw: Raw }> = []
  for (const item of items.items) {
    const node = item as YamlNode
    const line = lineOf(node)
    if (!isMap(node)) {
      raws.push({ line, raw: {} })
      continue
    }
    const raw: Raw = {}
    for (const p of node.items) {
      const k = scalar((p.key as { value?: unknown } | null)?.value) ?? ""
      const f = fieldOf(k)
      if (f === undefined) {
        return Either.left(new ClientListError({ file, reason: `line ${lineOf(p.key as YamlNode)}: unknown column "${k}"; known: ${KNOWN}` }))
      }
      raw[f] = scalar((p.value as { toJSON?: () => unknown } | null)?.toJSON?.())
    }
    raws.push({ line, raw })
  }
  return Either.right({ raws, defaults })
}

/**
 * Reads the client list `text` of `file`: CSV by default, JSON for `.json`, YAML for `.yaml`/`.yml`.
 * A row's own value wins; then the command's flags (`flagDefaults`); then the list's `defaults`.
 */
export const parseClientList = (
  file: string,
  text: string,
  flagDefaults: ClientDefaults,
  schemes: ReadonlyArray<string>
): Either.Either<ClientList, ClientListError> => {
  const base = dirname(resolve(file))
  const lower = file.toLowerCase()
  const structured = lower.endsWith(".json") || lower.endsWith(".yaml") || lower.endsWith(".yml")
  if (!structured) return Either.map(fromCsv(file, text), (raws) => finish(raws, flagDefaults, base, schemes))
  return Either.map(fromStructured(file, text), ({ defaults, raws }) => {
    const merged: ClientDefaults = {
      ledger: flagDefaults.ledger ?? defaults.ledger,
      credentials: flagDefaults.credentials ?? defaults.credentials,
      mapping: flagDefaults.mapping ?? (defaults.mapping === undefined ? undefined : relativeTo(base, defaults.mapping)),
      fra: flagDefaults.fra ?? defaults.fra,
      til: flagDefaults.til ?? defaults.til,
      asOf: flagDefaults.asOf ?? defaults.asOf
    }
    return finish(raws, merged, base, schemes)
  })
}
