/**
 * Schema building blocks that decode in one step: a nullable field, a validated string and a
 * union picked by the value's JavaScript type, each as one `Schema.declare` instead of a union or a
 * chain of refinements. A large response has a dozen of them per krav, and the generic forms
 * (`Schema.NullOr`, `Schema.Union`, `filter` + `brand`) cost most of its decode
 * (docs/performance.md "decode"). Every rule is the same; an issue still carries the field's path
 * and the same message.
 *
 * Declarations are opaque to readers of the schema, so each says what it reads as:
 * `structureOf` gives src/domain/xml.ts the union or keyword it stands for.
 */
import { ParseResult, Schema, SchemaAST as AST } from "effect"

/** The ordinary schema a declaration stands for, by its decode function (the encoded side's declaration keeps it, not its annotations). */
const standsFor = new WeakMap<object, (typeParameters: ReadonlyArray<AST.AST>) => AST.AST>()

const register = <S extends Schema.Schema.AnyNoContext>(s: S, structure: (typeParameters: ReadonlyArray<AST.AST>) => AST.AST): S => {
  standsFor.set((s.ast as AST.Declaration).decodeUnknown, structure)
  return s
}

/** What a declaration made here reads as (`x | null`, `string`, `a | b`), else undefined. */
export const structureOf = (ast: AST.AST): AST.AST | undefined => {
  if (ast._tag !== "Declaration") return undefined
  return standsFor.get(ast.decodeUnknown)?.(ast.typeParameters)
}

const nullLiteral = new AST.Literal(null)

/** `schema | null`: null is taken as it is, anything else goes to `schema`, whose issue is the field's issue. */
export const nullOr = <A, I>(schema: Schema.Schema<A, I>): Schema.Schema<A | null, I | null> =>
  register(
    Schema.declare([schema], {
      decode: (s) => {
        const decode = ParseResult.decodeUnknown(s)
        return (u, options) => (u === null ? ParseResult.succeed(null) : decode(u, options))
      },
      encode: (s) => {
        const encode = ParseResult.encodeUnknown(s)
        return (u, options) => (u === null ? ParseResult.succeed(null) : encode(u, options))
      }
    }, { title: `${String(schema.ast)} | null` }),
    ([x]) => AST.Union.make([x!, nullLiteral])
  )

/**
 * A string that passes `problem` (undefined when it is valid, else the message), as `A` (a brand).
 * Anything but a string is "Expected string", as `Schema.String` says it.
 */
export const checkedString = <A extends string>(
  problem: (s: string) => string | undefined,
  annotations: Schema.Annotations.Schema<A>
): Schema.Schema<A, string> =>
  register(
    Schema.declare([], {
      decode: () => (u, _options, ast) => {
        if (typeof u !== "string") return ParseResult.fail(new ParseResult.Type(AST.stringKeyword, u))
        const p = problem(u)
        return p === undefined ? ParseResult.succeed(u as A) : ParseResult.fail(new ParseResult.Type(ast, u, p))
      },
      encode: () => (u, _options, ast) => (typeof u === "string" ? ParseResult.succeed(u) : ParseResult.fail(new ParseResult.Type(ast, u)))
    }, { jsonSchema: { type: "string" }, ...annotations }), // a declaration has no JSON Schema of its own (the OpenAPI document needs one)
    () => AST.stringKeyword
  )

/** A number decoded by `decode` into `A` (`Left` is the problem's message) and encoded back by `encode`. */
export const fromNumber = <A>(
  decode: (n: number) => { readonly ok: true; readonly value: A } | { readonly ok: false; readonly message: string },
  encode: (a: A) => number | undefined,
  annotations: Schema.Annotations.Schema<A>
): Schema.Schema<A, number> =>
  register(
    Schema.declare([], {
      decode: () => (u, _options, ast) => {
        if (typeof u !== "number") return ParseResult.fail(new ParseResult.Type(AST.numberKeyword, u))
        const r = decode(u)
        return r.ok ? ParseResult.succeed(r.value) : ParseResult.fail(new ParseResult.Type(ast, u, r.message))
      },
      encode: () => (u, _options, ast) => {
        const n = encode(u as A)
        return n === undefined ? ParseResult.fail(new ParseResult.Type(ast, u)) : ParseResult.succeed(n)
      }
    }, { jsonSchema: { type: "number" }, ...annotations }),
    () => AST.numberKeyword
  )

/**
 * `Schema.Union(object, string)` where the members differ in JavaScript type: a string goes to the
 * string member, anything else to the object member; a value neither takes gets both issues, as
 * the union gives them.
 */
export const objectOrString = <A, I, B, J>(object: Schema.Schema<A, I>, string: Schema.Schema<B, J>): Schema.Schema<A | B, I | J> =>
  register(
    Schema.declare([object, string], {
      decode: (o, s) => {
        const union = ParseResult.decodeUnknown(Schema.Union(o, s))
        const decodeO = ParseResult.decodeUnknown(o)
        const decodeS = ParseResult.decodeUnknown(s)
        return (u, options) => (typeof u === "string" ? decodeS(u, options) : typeof u === "object" && u !== null ? decodeO(u, options) : union(u, options))
      },
      encode: (o, s) => {
        const union = ParseResult.encodeUnknown(Schema.Union(o, s))
        const encodeO = ParseResult.encodeUnknown(o)
        const encodeS = ParseResult.encodeUnknown(s)
        return (u, options) => (typeof u === "string" ? encodeS(u, options) : typeof u === "object" && u !== null ? encodeO(u, options) : union(u, options))
      }
    }, { title: `${String(object.ast)} | ${String(string.ast)}` }),
    ([o, s]) => AST.Union.make([o!, s!])
  )
