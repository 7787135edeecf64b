/**
 * XML bodies for Krav og betalinger documents.
 *
 * Skatteetaten serves XML when asked (om/bruk.md "Format") but publishes no XML example for this
 * API, so the shape is our reading, chosen to mirror the JSON exactly: a root element per
 * endpoint (`documentFor[endpoint].xmlRoot`), one element per JSON key, arrays as repeated
 * elements, `null` as an empty element with `nil="true"`, no namespace for data.
 *
 * Both directions are driven by the schema's encoded side, so the reader knows which elements
 * are lists, numbers or flags and yields the same wire value a JSON body would; the model's
 * schema then decodes it. Elements the schema does not know are skipped (new fields arrive
 * without a new version, om/versjoner.md).
 */
import { Data, Either, Schema, SchemaAST as AST } from "effect"
import { SaxesParser } from "saxes"

export class XmlDecodeError extends Data.TaggedError("XmlDecodeError")<{
  readonly message: string
  readonly line?: number
  readonly column?: number
}> {}

interface Node {
  readonly name: string
  readonly attributes: Record<string, string>
  readonly children: Array<Node>
  text: string
}

const escape = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;")

/** Strips refinements, transformations and suspensions down to the structural type. */
const structural = (ast: AST.AST): AST.AST => {
  switch (ast._tag) {
    case "Refinement":
      return structural(ast.from)
    case "Transformation":
      return structural(ast.from)
    case "Suspend":
      return structural(ast.f())
    default:
      return ast
  }
}

/** The non-null, non-undefined members of a (possibly union) type. */
const members = (ast: AST.AST): ReadonlyArray<AST.AST> => {
  const s = structural(ast)
  if (s._tag === "Union") return s.types.flatMap(members)
  if (s._tag === "UndefinedKeyword" || (s._tag === "Literal" && s.literal === null)) return []
  return [s]
}

const arrayElement = (ast: AST.AST): AST.AST | undefined => {
  for (const m of members(ast)) if (m._tag === "TupleType" && m.rest.length > 0) return m.rest[0]?.type
  return undefined
}

const propertyType = (ast: AST.AST, key: string): AST.AST | undefined => {
  for (const m of members(ast)) {
    if (m._tag === "TypeLiteral") {
      const p = m.propertySignatures.find((ps) => ps.name === key)
      if (p) return p.type
      if (m.indexSignatures.length > 0) return m.indexSignatures[0]?.type
    }
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// Encoding

const encodeValue = (name: string, value: unknown, ast: AST.AST | undefined, out: Array<string>, indent: string): void => {
  if (value === undefined) return
  if (value === null) {
    out.push(`${indent}<${name} nil="true"/>`)
    return
  }
  if (Array.isArray(value)) {
    const element = ast === undefined ? undefined : arrayElement(ast)
    for (const v of value) encodeValue(name, v, element, out, indent)
    return
  }
  if (typeof value === "object") {
    out.push(`${indent}<${name}>`)
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      encodeValue(k, v, ast === undefined ? undefined : propertyType(ast, k), out, `${indent}  `)
    }
    out.push(`${indent}</${name}>`)
    return
  }
  out.push(`${indent}<${name}>${escape(String(value))}</${name}>`)
}

/** Encodes a wire value (what `Schema.encode` gives) as an XML document with `root` as root element. */
export const encodeXml = <A, I>(schema: Schema.Schema<A, I>, root: string, wire: I): string => {
  const out: Array<string> = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>"]
  encodeValue(root, wire, Schema.encodedSchema(schema).ast, out, "")
  return `${out.join("\n")}\n`
}

// ---------------------------------------------------------------------------------------------
// Decoding

const parseTree = (text: string): Either.Either<Node, XmlDecodeError> => {
  const parser = new SaxesParser({ xmlns: true, position: true })
  const stack: Array<Node> = []
  let root: Node | undefined
  let error: XmlDecodeError | undefined
  parser.on("error", (e) => {
    error ??= new XmlDecodeError({ message: e.message, line: parser.line, column: parser.column })
  })
  parser.on("opentag", (tag) => {
    const attributes: Record<string, string> = {}
    for (const [k, a] of Object.entries(tag.attributes)) attributes[k] = typeof a === "string" ? a : a.value
    const node: Node = { name: tag.local ?? tag.name, attributes, children: [], text: "" }
    const parent = stack.at(-1)
    if (parent) parent.children.push(node)
    else root = node
    stack.push(node)
  })
  parser.on("text", (t) => {
    const top = stack.at(-1)
    if (top) top.text += t
  })
  parser.on("cdata", (t) => {
    const top = stack.at(-1)
    if (top) top.text += t
  })
  parser.on("closetag", () => void stack.pop())
  try {
    parser.write(text).close()
  } catch {
    // saxes reports through the error handler; a throw here carries the same failure
  }
  if (error) return Either.left(error)
  if (root === undefined) return Either.left(new XmlDecodeError({ message: "the body holds no XML element" }))
  return Either.right(root)
}

/** xs:decimal's lexical space (XML Schema 1.1 Part 2, 3.3.3): a sign, digits, an optional point; no exponent. */
const XS_DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/

/** XML's whitespace (space, tab, CR, LF), which the whiteSpace facet collapses; not U+00A0 and the like. */
const xmlTrim = (s: string): string => s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "")

/**
 * An xs:decimal text as the number it is, or undefined when it is not one or no double holds it
 * exactly. The double's shortest text (`String(n)`) must be the decimal itself (leading zeros,
 * trailing fraction zeros and a "+" aside): "10.0000000000000001" or a 17-digit amount would
 * otherwise be read as a nearby value, money the body does not hold.
 */
const decimalNumber = (text: string): number | undefined => {
  const m = XS_DECIMAL.exec(text)
  if (m === null) return undefined
  const [, sign = "", intDigits = "", fracDigits = ""] = m
  if (intDigits === "" && fracDigits === "") return undefined
  const int = intDigits.replace(/^0+/, "") || "0"
  const frac = fracDigits.replace(/0+$/, "")
  const magnitude = frac === "" ? int : `${int}.${frac}`
  const n = Number(text)
  if (!Number.isFinite(n)) return undefined
  const canonical = magnitude === "0" || sign !== "-" ? magnitude : `-${magnitude}`
  return String(n) === canonical ? n : undefined
}

const scalar = (node: Node, ast: AST.AST | undefined): unknown => {
  const text = xmlTrim(node.text)
  const ms = ast === undefined ? [] : members(ast)
  // Where text is allowed (kravperiode.aar is "2023" or 2023), text stays text.
  if (ms.some((m) => m._tag === "StringKeyword")) return node.text
  // A number is read only from an xs:decimal (the form the encoder writes): `Number()` alone also
  // takes "0x10", "0b1", "0o7" and "1e3", which would turn text the body does not hold as a
  // decimal into money ("0x10" into 16 kroner). Anything else stays text, and the schema rejects
  // it with the field's path.
  if (ms.some((m) => m._tag === "NumberKeyword")) {
    const n = decimalNumber(text)
    if (n !== undefined) return n
  }
  if (ms.some((m) => m._tag === "BooleanKeyword") && (text === "true" || text === "false")) return text === "true"
  // Unknown types keep the text; the schema reports a mismatch with the field's path.
  return node.text
}

const toValue = (node: Node, ast: AST.AST | undefined): unknown => {
  if (node.attributes["nil"] === "true") return null
  const ms = ast === undefined ? [] : members(ast)
  const wantsObject = ms.some((m) => m._tag === "TypeLiteral")
  if (node.children.length === 0 && !(wantsObject && node.text.trim() === "" && !ms.some((m) => m._tag === "StringKeyword"))) {
    return scalar(node, ast)
  }
  const out: Record<string, unknown> = {}
  const known = (name: string) => (ast === undefined ? undefined : propertyType(ast, name))
  for (const child of node.children) {
    const type = known(child.name)
    if (ast !== undefined && type === undefined) continue
    const element = type === undefined ? undefined : arrayElement(type)
    if (element !== undefined) {
      const list = (out[child.name] ??= []) as Array<unknown>
      list.push(toValue(child, element))
    } else if (child.name in out) {
      // A repeated element where the schema expects one: keep them all and let the schema say so.
      const prev = out[child.name]
      out[child.name] = Array.isArray(prev) ? [...prev, toValue(child, type)] : [prev, toValue(child, type)]
    } else {
      out[child.name] = toValue(child, type)
    }
  }
  return out
}

/**
 * Reads an XML document into the wire value its JSON form would have, guided by the schema.
 * Fails with line and column when the XML is not well formed or the root element is wrong.
 */
export const decodeXml = <A, I>(schema: Schema.Schema<A, I>, root: string, text: string): Either.Either<unknown, XmlDecodeError> =>
  Either.flatMap(parseTree(text), (node) =>
    node.name === root
      ? Either.right(toValue(node, Schema.encodedSchema(schema).ast))
      : Either.left(new XmlDecodeError({ message: `expected root element <${root}>, found <${node.name}>`, line: 1, column: 1 })))

/** Skatteetaten's XML error body (om/feil.md). */
export const encodeFeilXml = (feil: { readonly kode: string; readonly melding: string; readonly korrelasjonsid: string }): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<feil xmlns="urn:no:skatteetaten:datasamarbeid:feil:v1">\n  <kode>${escape(feil.kode)}</kode>\n  <melding>${
    escape(feil.melding)
  }</melding>\n  <korrelasjonsid>${escape(feil.korrelasjonsid)}</korrelasjonsid>\n</feil>\n`
