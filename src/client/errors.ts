/**
 * The client's errors: one per KB code of Krav og betalinger (seed-examples/
 * krav-og-betalinger-api-page-2025.md, "Feilkoder"), HTTP 410 for deleted data (om/bruk.md), any
 * other coded error (DAS-xxx, om/feil.md), and the client-side failures: invalid input,
 * authentication/consent, transport, timeout and decoding.
 *
 * Every API error carries what a user reports to Skatteetaten (om/feil.md: kode, melding,
 * korrelasjonsid) plus the HTTP status and the endpoint ("krav 212201782", parties masked).
 */
import { Schema } from "effect"
import { consentMessageNb } from "../auth/Consent.ts"
import { maskinportenMessageNb } from "../auth/Maskinporten.ts"
import { ExitCategoryId } from "../ExitCategory.ts"

const api = {
  kode: Schema.String,
  melding: Schema.String,
  korrelasjonsid: Schema.optional(Schema.String),
  status: Schema.Number,
  /** "aapnekrav 212201782", "krav 04827896468→048278*****", ... */
  endpoint: Schema.String
}

const describe = (e: { kode: string; melding: string; korrelasjonsid?: string | undefined; status: number; endpoint: string }, meaning: string) =>
  `${e.kode} ${meaning} (HTTP ${e.status}, ${e.endpoint}${e.korrelasjonsid ? `, korrelasjonsid ${e.korrelasjonsid}` : ""}): ${e.melding}`

/** KB-001, 500: unexpected error in the service. Retried. */
export class UnexpectedServiceError extends Schema.TaggedError<UnexpectedServiceError>()("KB-001", api) {
  readonly [ExitCategoryId] = "api" as const
  static readonly meaning = "Uventet feil på tjenesten"
  override get message() {
    return describe(this, UnexpectedServiceError.meaning)
  }
}
/** KB-002, 500: unexpected error in a system behind the API. Retried. */
export class BackendSystemError extends Schema.TaggedError<BackendSystemError>()("KB-002", api) {
  readonly [ExitCategoryId] = "api" as const
  static readonly meaning = "Uventet feil i et bakenforliggende system"
  override get message() {
    return describe(this, BackendSystemError.meaning)
  }
}
/** KB-003, 404: unknown URL. */
export class UnknownUrlError extends Schema.TaggedError<UnknownUrlError>()("KB-003", api) {
  readonly [ExitCategoryId] = "api" as const
  static readonly meaning = "Ukjent url benyttet"
  override get message() {
    return describe(this, UnknownUrlError.meaning)
  }
}
/** KB-004, 401: authentication failed (the token was refused). */
export class AuthenticationError extends Schema.TaggedError<AuthenticationError>()("KB-004", api) {
  readonly [ExitCategoryId] = "auth" as const
  static readonly meaning = "Feil i forbindelse med autentisering"
  override get message() {
    return describe(this, AuthenticationError.meaning)
  }
}
/** KB-005, 403: the consent token is missing, invalid or expired (rettighetspakke finans). */
export class ConsentMissingError extends Schema.TaggedError<ConsentMissingError>()("KB-005", { ...api, part: Schema.String }) {
  readonly [ExitCategoryId] = "auth" as const
  static readonly meaning = "Feil i forbindelse med samtykketoken"
  override get message() {
    return `consent missing or expired for party ${this.part} — ${describe(this, ConsentMissingError.meaning)}`
  }
  get messageNb() {
    return `samtykke mangler eller er utløpt for parten ${this.part} — ${describe(this, ConsentMissingError.meaning)}`
  }
}
/** KB-006, 400: the input did not validate. */
export class ValidationError extends Schema.TaggedError<ValidationError>()("KB-006", api) {
  readonly [ExitCategoryId] = "api" as const
  static readonly meaning = "Feil i forbindelse med validering av inputdata"
  override get message() {
    return describe(this, ValidationError.meaning)
  }
}
/** KB-007, 404: no claims/payments for the identifier and period. */
export class NoDataError extends Schema.TaggedError<NoDataError>()("KB-007", api) {
  readonly [ExitCategoryId] = "api" as const
  static readonly meaning = "Fant ingen krav/betalinger på angitt identifikator og periode"
  override get message() {
    return describe(this, NoDataError.meaning)
  }
}
/** KB-008, 406: format not supported (only JSON or XML). */
export class FormatNotSupportedError extends Schema.TaggedError<FormatNotSupportedError>()("KB-008", api) {
  readonly [ExitCategoryId] = "api" as const
  static readonly meaning = "Feil tilknyttet dataformat. Kun json eller xml er støttet"
  override get message() {
    return describe(this, FormatNotSupportedError.meaning)
  }
}
/** KB-009, 404: no match for the identifier. */
export class UnknownPartyError extends Schema.TaggedError<UnknownPartyError>()("KB-009", api) {
  readonly [ExitCategoryId] = "api" as const
  static readonly meaning = "Ingen treff på oppgitt identifikator"
  override get message() {
    return describe(this, UnknownPartyError.meaning)
  }
}

/** HTTP 410: the data was deleted (om/bruk.md, "Slettede data"). */
export class DataDeletedError extends Schema.TaggedError<DataDeletedError>()("DataDeleted", api) {
  readonly [ExitCategoryId] = "api" as const
  static readonly meaning = "Data finnes ikke lenger (slettet)"
  override get message() {
    return describe(this, DataDeletedError.meaning)
  }
}

/** Any other coded or uncoded API error (DAS-xxx, a gateway's 502 page, 429 after the budget). */
export class ApiError extends Schema.TaggedError<ApiError>()("ApiError", api) {
  readonly [ExitCategoryId] = "api" as const
  override get message() {
    return describe(this, "API-feil")
  }
}

/**
 * The bokmål for the fixed reasons and rules the client itself writes (src/client/internal/errors.ts,
 * KravOgBetalingerClient, TrekkpaaleggClient); a text not listed is shown as it came (a reason
 * quoted from elsewhere, such as Maskinporten's error_description or the operating system's).
 */
const PHRASES_NB: ReadonlyArray<readonly [RegExp, string]> = [
  [/^connection failed \((.*)\)$/, "tilkoblingen feilet ($1)"],
  [/^response could not be read \((.*)\)$/, "svaret kunne ikke leses ($1)"],
  [
    /^the response is more than (.*), over the limit of (.*) that kravsync reads; ask for a shorter period$/,
    "svaret er over $1, mer enn grensen på $2 som kravsync leser; be om en kortere periode"
  ],
  [
    /^the response is (.*), over the limit of (.*) that kravsync reads; ask for a shorter period$/,
    "svaret er $1, over grensen på $2 som kravsync leser; be om en kortere periode"
  ],
  [/^fraOgMed and tilOgMed are required for this endpoint$/, "fraOgMed og tilOgMed må oppgis for dette endepunktet"],
  [/^0 or greater \(a whole number\)$/, "0 eller mer (et helt tall)"],
  [/^1 or greater \(a whole number\)$/, "1 eller mer (et helt tall)"],
  [
    /^consent missing or expired for party (\S+): no consent provider is configured \(rettighetspakke finans\)$/,
    "samtykke mangler eller er utløpt for parten $1: ingen samtykkekilde er satt opp (rettighetspakke finans)"
  ]
]

/**
 * A schema issue's wording (effect/Schema's ArrayFormatter: "is missing", "Expected string, actual 1")
 * in bokmål, the types and values as they are; any other text as it is.
 */
export const schemaIssueNb = (text: string): string =>
  text
    .replace(/^is missing$/, "mangler")
    .replace(/^is unexpected, expected: (.*)$/, "er ukjent, ventet: $1")
    .replace(/^Expected (.*), actual (.*)$/s, "ventet $1, fikk $2")
    .replace(/^the document is not an object$/, "dokumentet er ikke et objekt")
    .replace(/^not JSON: /, "ikke JSON: ")

/**
 * `text` in bokmål when it is one of the client's own fixed phrases, or the message of a
 * MaskinportenError or ConsentError that an AuthError quotes as its reason; else as it is.
 */
export const phraseNb = (text: string): string => {
  for (const [re, nb] of PHRASES_NB) if (re.test(text)) return text.replace(re, nb)
  return maskinportenMessageNb(text) ?? consentMessageNb(text) ?? text
}

/** Input rejected before any request: the argument and the rule it broke (`ruleNb`: the same rule in bokmål). */
export class InvalidInputError extends Schema.TaggedError<InvalidInputError>()("InvalidInput", {
  argument: Schema.String,
  rule: Schema.String,
  ruleNb: Schema.optional(Schema.String)
}) {
  readonly [ExitCategoryId] = "input" as const
  override get message() {
    return `${this.argument}: ${this.rule}`
  }
  get messageNb() {
    return `${this.argument}: ${this.ruleNb ?? phraseNb(this.rule)}`
  }
}

/** No Maskinporten token, a key that cannot be used, or no consent token: nothing was asked of the API. */
export class AuthError extends Schema.TaggedError<AuthError>()("AuthError", {
  endpoint: Schema.String,
  reason: Schema.String,
  /** The reason in bokmål (the cause's own `messageNb`), when the caller has it. */
  reasonNb: Schema.optional(Schema.String)
}) {
  readonly [ExitCategoryId] = "auth" as const
  override get message() {
    return `authentication failed before calling ${this.endpoint}: ${this.reason}`
  }
  get messageNb() {
    return `autentiseringen mislyktes før kallet til ${this.endpoint}: ${this.reasonNb ?? phraseNb(this.reason)}`
  }
}

/** The connection failed on every attempt within the retry budget. */
export class TransportError extends Schema.TaggedError<TransportError>()("TransportError", {
  endpoint: Schema.String,
  attempts: Schema.optional(Schema.Number),
  reason: Schema.String
}) {
  readonly [ExitCategoryId] = "api" as const
  override get message() {
    return `could not reach ${this.endpoint}: ${this.reason}`
  }
  get messageNb() {
    return `fikk ikke kontakt med ${this.endpoint}: ${phraseNb(this.reason)}`
  }
}

/** No complete response within the per-request timeout, on every attempt within the budget. */
export class TimeoutError extends Schema.TaggedError<TimeoutError>()("TimeoutError", {
  endpoint: Schema.String,
  timeout: Schema.String
}) {
  readonly [ExitCategoryId] = "api" as const
  override get message() {
    return `${this.endpoint}: no complete response within ${this.timeout}`
  }
  get messageNb() {
    return `${this.endpoint}: intet fullstendig svar innen ${this.timeout}`
  }
}

/** The response did not match the model; `path` points at the bad field ("krav[3].kravforfall[0].forfallsdato"). */
export class DecodeError extends Schema.TaggedError<DecodeError>()("DecodeError", {
  endpoint: Schema.String,
  korrelasjonsid: Schema.optional(Schema.String),
  status: Schema.Number,
  path: Schema.String,
  reason: Schema.String
}) {
  readonly [ExitCategoryId] = "api" as const
  override get message() {
    return `${this.endpoint}: the response does not match the model at ${this.path || "(document)"}: ${this.reason}${
      this.korrelasjonsid ? ` (korrelasjonsid ${this.korrelasjonsid})` : ""
    }`
  }
  get messageNb() {
    return `${this.endpoint}: svaret stemmer ikke med modellen ved ${this.path || "(dokumentet)"}: ${schemaIssueNb(this.reason)}${
      this.korrelasjonsid ? ` (korrelasjonsid ${this.korrelasjonsid})` : ""
    }`
  }
}

export type KbError =
  | UnexpectedServiceError
  | BackendSystemError
  | UnknownUrlError
  | AuthenticationError
  | ConsentMissingError
  | ValidationError
  | NoDataError
  | FormatNotSupportedError
  | UnknownPartyError

export type ApiResponseError = KbError | DataDeletedError | ApiError

export type KravOgBetalingerError = ApiResponseError | InvalidInputError | AuthError | TransportError | TimeoutError | DecodeError

export const kbErrors = {
  "KB-001": UnexpectedServiceError,
  "KB-002": BackendSystemError,
  "KB-003": UnknownUrlError,
  "KB-004": AuthenticationError,
  "KB-005": ConsentMissingError,
  "KB-006": ValidationError,
  "KB-007": NoDataError,
  "KB-008": FormatNotSupportedError,
  "KB-009": UnknownPartyError
} as const

export type KbCode = keyof typeof kbErrors

/** The Norwegian meaning of a KB code, as in the API page's table. */
export const meaningOf = (kode: string): string | undefined => (kode in kbErrors ? kbErrors[kode as KbCode].meaning : undefined)

/** The error for a response's `{kode, melding, korrelasjonsid}`, the status and the endpoint. */
export const fromResponse = (
  fields: { readonly kode: string | undefined; readonly melding: string | undefined; readonly korrelasjonsid: string | undefined },
  status: number,
  endpoint: string,
  part: string
): ApiResponseError => {
  const base = { kode: fields.kode ?? `HTTP-${status}`, melding: fields.melding ?? `HTTP ${status}`, korrelasjonsid: fields.korrelasjonsid, status, endpoint }
  if (fields.kode === "KB-005") return new ConsentMissingError({ ...base, part })
  if (fields.kode !== undefined && fields.kode in kbErrors && fields.kode !== "KB-005") {
    const C = kbErrors[fields.kode as Exclude<KbCode, "KB-005">]
    return new C(base)
  }
  if (status === 410) return new DataDeletedError({ ...base, melding: fields.melding ?? DataDeletedError.meaning })
  return new ApiError(base)
}

/** Exit-code category for the CLI: 2 input, 3 API, 4 auth/consent. */
export const category = (e: { readonly _tag: string }): "input" | "api" | "auth" =>
  e._tag === "InvalidInput" ? "input" : e._tag === "AuthError" || e._tag === "KB-004" || e._tag === "KB-005" ? "auth" : "api"
