/**
 * XML bodies (Accept: application/xml, om/bruk.md "Format"). Documents are decoded with the
 * domain's XML reader into the same model as JSON; error bodies (`<feil>`, om/feil.md) have a
 * fixed three-field shape and are read here.
 */
import { Either, type Schema } from "effect"
import { documentFor, type Endepunkt } from "../domain/Dokumenter.ts"
import { decodeXml } from "../domain/xml.ts"
import type { DecodeProblem } from "./decode.ts"

const field = (xml: string, name: string): string | undefined => {
  const m = new RegExp(`<(?:\\w+:)?${name}>([\\s\\S]*?)</(?:\\w+:)?${name}>`).exec(xml)
  return m?.[1] === undefined ? undefined : unescape(m[1].trim())
}

const unescape = (s: string) =>
  s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&apos;/g, "'").replace(
    /&#(\d+);/g,
    (_, d: string) => String.fromCodePoint(Number(d))
  ).replace(/&amp;/g, "&")

/** `<feil xmlns="urn:no:skatteetaten:datasamarbeid:feil:v1"><kode/><melding/><korrelasjonsid/></feil>`. */
export const parseFeil = (xml: string): { kode: string | undefined; melding: string | undefined; korrelasjonsid: string | undefined } => ({
  kode: field(xml, "kode"),
  melding: field(xml, "melding"),
  korrelasjonsid: field(xml, "korrelasjonsid")
})

/** The XML document as the plain wire value the JSON decoders take, or the problem with its position. */
export const readXmlDocument = (endpoint: Endepunkt, text: string): Either.Either<unknown, DecodeProblem> => {
  const doc = documentFor[endpoint]
  return Either.mapLeft(decodeXml(doc.schema as Schema.Schema<unknown, unknown>, doc.xmlRoot, text), (e) => ({
    path: e.line === undefined ? "" : `line ${e.line}, column ${e.column ?? 0}`,
    message: e.message
  }))
}
