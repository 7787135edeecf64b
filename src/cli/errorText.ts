/**
 * A failure as the CLI prints it, in the user's language: one line, the kind of failure first
 * ("Ugyldig inndata: …" / "Invalid input: …"), never a stack trace.
 *
 * Errors keep their English `message` (for logs and hosts). An error that knows its bokmål text
 * carries it as `messageNb` (a field or a getter); for the rest the bokmål text is made here from the
 * error's fields (the KB errors already speak Skatteetaten's Norwegian; a report that could not be
 * written names its path), and the English message is shown where no bokmål text exists.
 */
import * as Dato from "../domain/Dato.ts"
import type { Language } from "../reconcile/Status.ts"

const PREFIX: Record<number, Record<Language, string>> = {
  1: { nb: "Feil", en: "Error" },
  2: { nb: "Ugyldig inndata", en: "Invalid input" },
  3: { nb: "Feil fra API-et", en: "API error" },
  4: { nb: "Autentiseringsfeil", en: "Authentication error" },
  5: { nb: "Kunne ikke skrive", en: "Could not write" },
  6: { nb: "Må følges opp", en: "Needs follow-up" }
}

/** "Ugyldig inndata", "API error", … for an exit code. */
export const prefixFor = (code: number, language: Language): string => (PREFIX[code] ?? PREFIX[1])?.[language] ?? "Error"

const field = (e: unknown, name: string): unknown => (typeof e === "object" && e !== null && name in e ? (e as Record<string, unknown>)[name] : undefined)

const text = (e: unknown, name: string): string | undefined => {
  const v = field(e, name)
  return typeof v === "string" && v !== "" ? v : undefined
}

/** A position as the readers write it ("line 12, column 3", "posting 7, voucher 3"), in bokmål. */
const locationNb = (location: string): string =>
  location
    .replace(/\bline (\d+)/g, "linje $1")
    .replace(/\bcolumn (\d+)/g, "kolonne $1")
    .replace(/\bposting (\S+)/g, "postering $1")
    .replace(/\bvoucher (\S+)/g, "bilag $1")
    .replace(/\baccount (\S+)/g, "konto $1")
    .replace(/\bbalance sheet\b/g, "saldobalanse")

/**
 * The error's message in `language`: its own bokmål text when it has one, else the English message;
 * followed by where in the input it is (a SAF-T file's line and column), when the error carries a
 * `location` its message does not already name.
 */
export const messageFor = (e: unknown, language: Language): string => {
  const english = text(e, "message") ?? String(e)
  const message = language === "en" ? english : text(e, "messageNb") ?? english
  const location = text(e, "location")
  if (location === undefined || location.startsWith("(") || english.includes(location)) return message
  return `${message} (${language === "en" ? location : locationNb(location)})`
}

/** The one line the CLI prints for a failure with exit code `code`. */
export const errorLine = (e: unknown, code: number, language: Language): string => `${prefixFor(code, language)}: ${messageFor(e, language)}`

/**
 * The language the user asked for: `--lang en` (or `--lang=en`) anywhere on the command line, else
 * KRAVSYNC_LANG, else bokmål. Read before the command's own parsing, so that a command line that
 * does not parse is answered in the same language.
 */
export const languageOf = (args: ReadonlyArray<string>, env: string | undefined = process.env["KRAVSYNC_LANG"]): Language => {
  const i = args.indexOf("--lang")
  const given = i >= 0 ? args[i + 1] : args.find((a) => a.startsWith("--lang="))?.slice("--lang=".length)
  const chosen = given ?? env
  return chosen === "en" ? "en" : "nb"
}

/** A refused organisasjonsnummer/fødselsnummer in bokmål (it lives with the rules it names). */
export { partIdentifikatorNb } from "../domain/PartIdentifikator.ts"

/**
 * A date that Dato.parse refused (src/domain/Dato.ts), in bokmål with the same value and rule:
 * `"2023-13-01" has no month 13` → `«2023-13-01» har ingen måned 13`.
 */
export const datoProblemNb = Dato.problemNb

/** A period that Periode.make refused (src/domain/Periode.ts), in bokmål. */
export const periodeProblemNb = (p: { readonly field: string; readonly message: string }): string =>
  p.field === "periode"
    ? p.message.replace(/^tilOgMed (\S+) is before fraOgMed (\S+)$/, "tilOgMed $1 er før fraOgMed $2")
    : datoProblemNb(p.message)

/**
 * A command line that @effect/cli refused (a missing option or argument, an unknown one), as it
 * prints it, in `language` and with the same "Ugyldig inndata:" prefix as every other input error.
 * Only @effect/cli's own phrases are recognised; any other text is returned as it is.
 */
export const commandLineProblem = (text: string, language: Language): string => {
  const known = /Expected to find option: '[^']*'|Missing argument <[^>]*>|Received unknown argument: '[^']*'/.test(text)
  if (!known) return text
  const body = language === "en" ? text : text
    .replace(/Expected to find option: '([^']*)'/g, "valget '$1' mangler")
    .replace(/Missing argument <([^>]*)>/g, "argumentet <$1> mangler")
    .replace(/Received unknown argument: '([^']*)'/g, "ukjent argument: '$1'")
  return `${prefixFor(2, language)}: ${body.trimStart()}`
}
