/**
 * Reading a Krav og betalinger answer: the body (JSON or XML) decoded into the model, strictly or
 * leniently (src/client/decode.ts), and the answers of a period split into years merged into one
 * document.
 */
import { Either } from "effect"
import { documentFor, type Endepunkt } from "../../domain/Dokumenter.ts"
import type { Periode } from "../../domain/Periode.ts"
import { decodeLenient, type DecodeProblem, decodeStrict, type DocumentOf, type Rejected } from "../decode.ts"
import { readXmlDocument } from "../xml.ts"
import type { Format } from "./request.ts"

/** A decoded document and the list elements a lenient decode set aside (none in strict mode). */
export interface Decoded<E extends Endepunkt> {
  readonly document: DocumentOf<E>
  readonly rejected: ReadonlyArray<Rejected>
}

/** The body as a value: XML read into the JSON shape, or JSON parsed. */
const parseBody = (endpoint: Endepunkt, format: Format, text: string): Either.Either<unknown, DecodeProblem> =>
  format === "xml"
    ? readXmlDocument(endpoint, text)
    : Either.try({ try: () => JSON.parse(text) as unknown, catch: () => ({ path: "", message: "the body is not JSON" }) })

/** The body decoded into the model, or the first problem with its path. */
export const decodeBody = <E extends Endepunkt>(endpoint: E, format: Format, text: string, lenient: boolean): Either.Either<Decoded<E>, DecodeProblem> =>
  Either.flatMap(
    parseBody(endpoint, format, text),
    (v) => (lenient ? decodeLenient(endpoint, v) : Either.map(decodeStrict(endpoint, v), (document) => ({ document, rejected: [] })))
  )

/**
 * The yearly answers of one period as one document over the whole `periode`: the list elements
 * in order with exact repeats dropped (where yearly answers overlap), skjermet if any answer is.
 */
export const mergeLists = <E extends Endepunkt>(endpoint: E, docs: ReadonlyArray<DocumentOf<E>>, periode: Periode): DocumentOf<E> => {
  const first = docs[0] as Record<string, unknown>
  const field = documentFor[endpoint].list
  const seen = new Set<string>()
  const merged: Array<unknown> = []
  let any = false
  for (const d of docs as ReadonlyArray<Record<string, unknown>>) {
    const list = d[field]
    if (!Array.isArray(list)) continue
    any = true
    for (const item of list) {
      // Only byte-identical repeats are dropped: two different elements are never merged away.
      const key = JSON.stringify(item)
      if (seen.has(key)) continue
      seen.add(key)
      merged.push(item)
    }
  }
  const skjermet = (docs as ReadonlyArray<{ skjermet?: boolean | null }>).some((d) => d.skjermet === true)
  return { ...first, periode, ...(skjermet ? { skjermet: true } : {}), ...(any ? { [field]: merged } : {}) } as DocumentOf<E>
}
