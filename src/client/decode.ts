/**
 * Decoding a response body into the model, strictly (the whole document or an error with the
 * path of the first bad field) or leniently (each list element on its own: the good ones are kept,
 * the bad ones are returned as `rejected` with their path, the reason and the raw element).
 */
import { Either, ParseResult, Schema } from "effect"
import { documentFor, type Endepunkt } from "../domain/Dokumenter.ts"
import { decoderFor } from "../domain/FastDecode.ts"
import { Innbetaling } from "../domain/Innbetaling.ts"
import { Krav } from "../domain/Krav.ts"
import { Utbetaling } from "../domain/Utbetaling.ts"

export type DocumentOf<E extends Endepunkt> = (typeof documentFor)[E]["schema"]["Type"]

/** A list element a lenient decode set aside. */
export interface Rejected {
  /** "krav[3].kravforfall[0].forfallsdato" */
  readonly path: string
  readonly message: string
  /** The element as received (JSON text of the element). */
  readonly raw: string
}

export interface DecodeProblem {
  readonly path: string
  readonly message: string
}

/** The list fields of each document and the schema of their elements. */
export const listsOf: { readonly [E in Endepunkt]: ReadonlyArray<{ readonly field: string; readonly element: Schema.Schema.AnyNoContext }> } = {
  aapnekrav: [
    { field: "aapentKravMedGjenstaaendeBeloep", element: Krav },
    { field: "innbetalingMedUplassertBeloep", element: Innbetaling }
  ],
  krav: [{ field: "krav", element: Krav }],
  innbetalinger: [{ field: "innbetaling", element: Innbetaling }],
  utbetalinger: [{ field: "utbetaling", element: Utbetaling }]
}

export const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc === "" ? String(k) : `${acc}.${String(k)}`), "")

const firstIssue = (e: ParseResult.ParseError, prefix: ReadonlyArray<PropertyKey> = []): DecodeProblem => {
  const issue = ParseResult.ArrayFormatter.formatErrorSync(e)[0]
  return { path: formatPath([...prefix, ...(issue?.path ?? [])]), message: issue?.message ?? e.message }
}

type Decoder<A> = (u: unknown) => Either.Either<A, ParseResult.ParseError>

// Built once per schema, not per call (src/domain/FastDecode.ts: a fast path with Effect's decoder behind it).
const decoders = new Map<Schema.Schema.AnyNoContext, Decoder<unknown>>()

const decoderOf = (schema: Schema.Schema.AnyNoContext): Decoder<unknown> => {
  let d = decoders.get(schema)
  if (d === undefined) {
    d = decoderFor(schema as Schema.Schema<unknown, unknown>)
    decoders.set(schema, d)
  }
  return d
}

const documentDecoder = <E extends Endepunkt>(endpoint: E): Decoder<DocumentOf<E>> =>
  decoderOf(documentFor[endpoint].schema as unknown as Schema.Schema.AnyNoContext) as Decoder<DocumentOf<E>>

/** Strict: the whole document, or the first problem with its path. */
export const decodeStrict = <E extends Endepunkt>(endpoint: E, value: unknown): Either.Either<DocumentOf<E>, DecodeProblem> =>
  Either.mapLeft(documentDecoder(endpoint)(value), (e) => firstIssue(e))

/**
 * Lenient: list elements are decoded one by one; a bad element is set aside, the rest of the
 * document is still decoded strictly (a bad partIdentifikator or summary still fails).
 */
export const decodeLenient = <E extends Endepunkt>(
  endpoint: E,
  value: unknown
): Either.Either<{ readonly document: DocumentOf<E>; readonly rejected: ReadonlyArray<Rejected> }, DecodeProblem> => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return Either.left({ path: "", message: "the document is not an object" })
  const rest: Record<string, unknown> = { ...(value as Record<string, unknown>) }
  const lists: Record<string, Array<unknown>> = {}
  const rejected: Array<Rejected> = []
  for (const { field, element } of listsOf[endpoint]) {
    const raw = rest[field]
    if (!Array.isArray(raw)) continue // absent/null/wrong type: left to the strict decode of the rest
    delete rest[field]
    const decode = decoderOf(element)
    const good: Array<unknown> = []
    for (let i = 0; i < raw.length; i++) {
      const item: unknown = raw[i]
      const r = decode(item)
      if (Either.isRight(r)) good.push(r.right)
      else {
        const p = firstIssue(r.left, [field, i])
        rejected.push({ path: p.path, message: p.message, raw: JSON.stringify(item) ?? String(item) })
      }
    }
    lists[field] = good
  }
  return Either.map(decodeStrict(endpoint, rest), (doc) => ({ document: { ...doc, ...lists } as DocumentOf<E>, rejected }))
}

/** The API's own JSON for a decoded document (amounts back in kroner). */
export const encodeJson = <E extends Endepunkt>(endpoint: E, document: DocumentOf<E>): unknown =>
  Schema.encodeSync(documentFor[endpoint].schema as unknown as Schema.Schema<DocumentOf<E>, unknown>)(document)
