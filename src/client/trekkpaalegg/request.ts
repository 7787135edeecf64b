/**
 * Building and reading a Trekkpålegg call (beta-apier/docs/trekkpaalegg/apispesifikasjon/index.md):
 * `GET {base}` with `fraSekvensnummer`/`maksAntall` ("Oppgis sammen"), `GET {base}/{trekkid}/{trekkversjon}`,
 * the token request (scope skatteetaten:trekkpaalegg, tilgang.md; the trekkpliktig is named by the
 * token, as a system user or as the client's own organisation), and the body decoded into the model.
 */
import { HttpClientRequest } from "@effect/platform"
import { Either, ParseResult, Schema } from "effect"
import type { TokenRequest } from "../../auth/Maskinporten.ts"
import type { Organisasjonsnummer } from "../../domain/PartIdentifikator.ts"
import { Trekkpaalegg } from "../../domain/trekkpaalegg/Trekkpaalegg.ts"
import { formatPath } from "../decode.ts"

/** The scope tilgang.md and api/trekkpaalegg.md name. */
export const SCOPE = "skatteetaten:trekkpaalegg"

/**
 * Other spellings seen in Skatteetaten's pages: the seed page's title scope `skatteetaten:trekkpålegg`
 * and the production checklist's `skatteetaten:trekkpåålegg` (api/trekkpaalegg.md, "Sjekkliste").
 * They are asked for as the documented form (docs/trekkpaalegg.md, "Scope").
 */
export const SCOPE_ALIASES: ReadonlyArray<string> = ["skatteetaten:trekkpålegg", "skatteetaten:trekkpåålegg"]

/** The scope to ask Maskinporten for, and a note when the given one was an alias. */
export const normaliseScope = (scope: string | undefined): { readonly scope: string; readonly note: string | undefined } => {
  const s = scope?.trim()
  if (s === undefined || s === "") return { scope: SCOPE, note: undefined }
  if (SCOPE_ALIASES.includes(s.normalize("NFC"))) {
    return { scope: SCOPE, note: `scope ${s} is read as ${SCOPE} (the form tilgang.md documents)` }
  }
  return { scope: s, note: undefined }
}

export type SystemUser = "party" | "none" | { readonly org: string }

/** Alternative 2 of tilgang.md names the trekkpliktig as system user; alternative 1 (none) is the client's own organisation. */
export const tokenRequestFor = (systemUser: SystemUser, scope: string, trekkpliktig: Organisasjonsnummer): TokenRequest => ({
  scope,
  systemUserOrg: systemUser === "none" ? undefined : systemUser === "party" ? trekkpliktig : systemUser.org
})

export interface Page {
  readonly fraSekvensnummer: number
  readonly maksAntall: number
}

/** GET {base} (every current order), optionally one page of it. */
export const listRequest = (page: Page | undefined): HttpClientRequest.HttpClientRequest => {
  const r = HttpClientRequest.get("").pipe(HttpClientRequest.setHeader("Accept", "application/json"))
  return page === undefined
    ? r
    : HttpClientRequest.setUrlParams(r, { fraSekvensnummer: String(page.fraSekvensnummer), maksAntall: String(page.maksAntall) })
}

/** GET {base}/{trekkid}/{trekkversjon}. */
export const versionRequest = (trekkid: string, trekkversjon: number): HttpClientRequest.HttpClientRequest =>
  HttpClientRequest.get(`/${encodeURIComponent(trekkid)}/${trekkversjon}`).pipe(HttpClientRequest.setHeader("Accept", "application/json"))

/** "trekkpaalegg 313367002 fra 120 maks 50": how errors and logs name a call (the trekkpliktig is an organisation: public). */
export const labelFor = (trekkpliktig: string, what: Page | { readonly trekkid: string; readonly trekkversjon: number } | undefined): string =>
  what === undefined
    ? `trekkpaalegg ${trekkpliktig}`
    : "trekkid" in what
    ? `trekkpaalegg ${trekkpliktig} ${what.trekkid}/${what.trekkversjon}`
    : `trekkpaalegg ${trekkpliktig} fra ${what.fraSekvensnummer} maks ${what.maksAntall}`

/** Any fødselsnummer-like run of 11 digits in a text shown as its birth date and stars. */
export const maskDigits = (text: string): string => text.replace(/(?<!\d)(\d{6})\d{5}(?!\d)/g, "$1*****")

export interface Problem {
  readonly path: string
  readonly message: string
}

const options = { errors: "first", onExcessProperty: "ignore" } as const

const problemOf = (e: ParseResult.ParseError, prefix: ReadonlyArray<PropertyKey>): Problem => {
  const issue = ParseResult.ArrayFormatter.formatErrorSync(e)[0]
  return { path: formatPath([...prefix, ...(issue?.path ?? [])]), message: maskDigits(issue?.message ?? e.message) }
}

const parse = (text: string): Either.Either<unknown, Problem> =>
  Either.try({ try: () => JSON.parse(text) as unknown, catch: () => ({ path: "", message: "the body is not JSON" }) })

/** A list answer: a JSON array of orders, each of them for `trekkpliktig`. */
export const decodeList = (text: string, trekkpliktig: string): Either.Either<ReadonlyArray<Trekkpaalegg>, Problem> =>
  Either.flatMap(parse(text), (v) => {
    if (!Array.isArray(v)) return Either.left({ path: "", message: "the body is not a list of trekkpålegg" })
    const out: Array<Trekkpaalegg> = []
    for (let i = 0; i < v.length; i++) {
      const r = Schema.decodeUnknownEither(Trekkpaalegg)(v[i], options)
      if (Either.isLeft(r)) return Either.left(problemOf(r.left, [i]))
      if (r.right.trekkpliktig !== trekkpliktig) {
        return Either.left({ path: formatPath([i, "trekkpliktig"]), message: `the order is for trekkpliktig ${r.right.trekkpliktig}, not ${trekkpliktig}` })
      }
      out.push(r.right)
    }
    return Either.right(out)
  })

/** A version answer: one order, the one asked for. */
export const decodeOne = (text: string, trekkpliktig: string, trekkid: string, trekkversjon: number): Either.Either<Trekkpaalegg, Problem> =>
  Either.flatMap(parse(text), (v) => {
    const r = Schema.decodeUnknownEither(Trekkpaalegg)(v, options)
    if (Either.isLeft(r)) return Either.left(problemOf(r.left, []))
    if (r.right.trekkpliktig !== trekkpliktig) {
      return Either.left({ path: "trekkpliktig", message: `the order is for trekkpliktig ${r.right.trekkpliktig}, not ${trekkpliktig}` })
    }
    if (r.right.trekkid !== trekkid || r.right.trekkversjon !== trekkversjon) {
      return Either.left({
        path: "trekkversjon",
        message: `asked for ${trekkid} version ${trekkversjon}, got ${r.right.trekkid} version ${r.right.trekkversjon}`
      })
    }
    return Either.right(r.right)
  })
