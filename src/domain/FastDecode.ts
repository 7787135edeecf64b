/**
 * A fast path for decoding with an effect/Schema schema, for the large documents of Krav og
 * betalinger (docs/performance.md "decode").
 *
 * Effect's decoder wraps every step in an `Either` and keeps the context an error needs, a dozen
 * allocations per field; on a 50,000-krav response that is most of the time (a fifth of it in the
 * garbage collector). The fast path walks the same schema AST and runs the same checks (every
 * refinement's own filter, every transformation's own decode function) but allocates only the
 * output. It answers "decoded, here is the value" or "not sure": on anything it does not handle,
 * and on every failure, the value is decoded again by Effect's decoder, which gives the answer and,
 * for a bad value, the exact issue with its path. So the fast path never decides that a value is
 * bad, it can only produce the value Effect would produce (test/domain/fast-decode.test.ts holds
 * the two to the same answers).
 *
 * What it walks (the rest goes to Effect for that subtree): string, number, boolean, undefined,
 * unknown and literal keywords; structs without index signatures (properties in the schema's
 * order, excess properties ignored, as `onExcessProperty: "ignore"`); arrays; unions without
 * literal-tagged members (the first member that decodes, as Effect picks when no member is
 * tagged); refinements; transformations with their own decode function, and suspensions.
 */
import { Either, Option, ParseResult, Schema, SchemaAST as AST } from "effect"

/** The options the fast path implements; the fallback decodes with the same. */
export const decodeOptions: AST.ParseOptions = { errors: "first", onExcessProperty: "ignore" }

const FAIL: unique symbol = Symbol("FastDecode.notSure")
type Step = (u: unknown) => unknown

/** This subtree decoded by Effect itself: its value, or FAIL. */
const byEffect = (ast: AST.AST): Step => {
  const decode = ParseResult.decodeUnknownEither(Schema.make(ast))
  return (u) => {
    const r = decode(u, decodeOptions)
    return Either.isRight(r) ? r.right : FAIL
  }
}

/** Whether Effect's union would look this member up by a literal tag (ParseResult `getLiterals`); such unions stay with Effect. */
const tagged = (ast: AST.AST): boolean => {
  switch (ast._tag) {
    case "Declaration":
      return true
    case "TypeLiteral":
      return ast.propertySignatures.some((ps) => !ps.isOptional && AST.isLiteral(AST.encodedAST(ps.type)))
    case "TupleType":
      return ast.elements.some((e) => !e.isOptional && AST.isLiteral(AST.encodedAST(e.type)))
    case "Refinement":
      return tagged(ast.from)
    case "Suspend":
      return tagged(ast.f())
    case "Transformation":
      return tagged(ast.from)
    default:
      return false
  }
}

const compiled = new WeakMap<AST.AST, Step>()

/** What a registered fast step returns when it is not sure: Effect then decodes the value. */
export const notSure: unique symbol = FAIL as never

/**
 * Registers a hand-written fast step for one schema (Money's `Beloep`, read four times per krav):
 * the value the schema decodes `u` to, or `notSure`. It must never return a value the schema would
 * not (test/domain/fast-decode.test.ts compares the two on every schema that holds it).
 */
export const registerFastStep = <A, I>(schema: Schema.Schema<A, I>, step: (u: unknown) => A | typeof notSure): void => {
  compiled.set(schema.ast, step)
}

const compile = (ast: AST.AST): Step => {
  const known = compiled.get(ast)
  if (known !== undefined) return known
  // Parse options or a decoding fallback on a node change what Effect does there: leave it to Effect.
  const step = Option.isSome(AST.getParseOptionsAnnotation(ast)) || Option.isSome(AST.getDecodingFallbackAnnotation(ast))
    ? byEffect(ast)
    : build(ast)
  compiled.set(ast, step)
  return step
}

const hasOwn = Object.prototype.hasOwnProperty

/**
 * A struct's step as straight-line code, one constant property name per statement: a loop storing
 * `out[names[i]]` makes every store see every name (a megamorphic keyed store, most of the time of
 * a large response), while `out["kravtype"] = v` is an ordinary property store. The text is built
 * from the schema's own property names only, each written as a JSON string literal; the values
 * are decoded by the compiled steps passed in as arguments. Absent and optional: left out; absent
 * and required: decoded as undefined (Effect without `exact`). A value other than undefined is an
 * own property unless the name is inherited from Object.prototype.
 */
const structStep = (names: ReadonlyArray<string>, optional: ReadonlyArray<boolean>, steps: ReadonlyArray<Step>): Step => {
  const lines = names.map((name, i) => {
    const key = JSON.stringify(name)
    const decode = `v = s[${i}](u[${key}]); if (v === FAIL) return FAIL; out[${key}] = v`
    if (!optional[i]) return decode
    const present = name in Object.prototype ? `hasOwn.call(u, ${key})` : `u[${key}] !== undefined || hasOwn.call(u, ${key})`
    return `if (${present}) { ${decode} }`
  })
  const body = `return function struct(u) {
  if (typeof u !== "object" || u === null || Array.isArray(u)) return FAIL
  const out = {}
  let v
  ${lines.join("\n  ")}
  return out
}`
  return new Function("FAIL", "hasOwn", "s", body)(FAIL, hasOwn, steps) as Step
}

const build = (ast: AST.AST): Step => {
  switch (ast._tag) {
    case "StringKeyword":
      return (u) => (typeof u === "string" ? u : FAIL)
    case "NumberKeyword":
      return (u) => (typeof u === "number" ? u : FAIL)
    case "BooleanKeyword":
      return (u) => (typeof u === "boolean" ? u : FAIL)
    case "UndefinedKeyword":
      return (u) => (u === undefined ? u : FAIL)
    case "UnknownKeyword":
    case "AnyKeyword":
      return (u) => u
    case "Literal": {
      const literal = ast.literal
      return (u) => (u === literal ? u : FAIL)
    }
    case "Refinement": {
      const from = compile(ast.from)
      return (u) => {
        const a = from(u)
        return a === FAIL || Option.isSome(ast.filter(a, decodeOptions, ast)) ? FAIL : a
      }
    }
    case "Transformation": {
      const t = ast.transformation
      if (t._tag === "TypeLiteralTransformation") return byEffect(ast)
      const from = compile(ast.from)
      const to = compile(ast.to)
      if (t._tag === "ComposeTransformation") {
        return (u) => {
          const a = from(u)
          return a === FAIL ? FAIL : to(a)
        }
      }
      return (u) => {
        const a = from(u)
        if (a === FAIL) return FAIL
        const r: unknown = t.decode(a, decodeOptions, ast, u)
        // a decode that needs an effect run is left to Effect
        return Either.isEither(r) && Either.isRight(r) ? to(r.right) : FAIL
      }
    }
    case "Suspend": {
      let inner: Step | undefined
      return (u) => (inner ??= compile(ast.f()))(u)
    }
    case "TupleType": {
      const rest = ast.rest[0]
      if (ast.elements.length > 0 || ast.rest.length !== 1 || rest === undefined) return byEffect(ast)
      const item = compile(rest.type)
      return (u) => {
        if (!Array.isArray(u)) return FAIL
        const out: Array<unknown> = []
        for (let i = 0; i < u.length; i++) {
          const v = item(u[i])
          if (v === FAIL) return FAIL
          out.push(v)
        }
        return out
      }
    }
    case "TypeLiteral": {
      if (ast.indexSignatures.length > 0) return byEffect(ast)
      if (ast.propertySignatures.length === 0) return (u) => (u === null || u === undefined ? FAIL : u)
      const names = ast.propertySignatures.map((ps) => ps.name)
      const steps = ast.propertySignatures.map((ps) => compile(ps.type))
      if (names.every((name) => typeof name === "string")) return structStep(names as Array<string>, ast.propertySignatures.map((ps) => ps.isOptional), steps)
      const optional = ast.propertySignatures.map((ps) => ps.isOptional)
      const n = names.length
      return (u) => {
        if (typeof u !== "object" || u === null || Array.isArray(u)) return FAIL
        const input = u as Record<PropertyKey, unknown>
        const out: Record<PropertyKey, unknown> = {}
        for (let i = 0; i < n; i++) {
          const name = names[i]!
          // absent and optional: left out; absent and required: decoded as undefined (Effect without `exact`)
          if (optional[i] === true && !hasOwn.call(input, name)) continue
          const v = steps[i]!(input[name])
          if (v === FAIL) return FAIL
          out[name] = v
        }
        return out
      }
    }
    case "Union": {
      if (ast.types.some(tagged)) return byEffect(ast)
      const members = ast.types.map(compile)
      return (u) => {
        for (const m of members) {
          const v = m(u)
          if (v !== FAIL) return v
        }
        return FAIL
      }
    }
    default:
      return byEffect(ast)
  }
}

/**
 * A decoder for `schema` with `decodeOptions`: the fast path's value when it has one, else Effect's
 * answer (the value, or the ParseError with the issue and its path). Build it once and keep it.
 */
export const decoderFor = <A, I>(schema: Schema.Schema<A, I>): (u: unknown) => Either.Either<A, ParseResult.ParseError> => {
  const fast = compile(schema.ast)
  const slow = Schema.decodeUnknownEither(schema, decodeOptions)
  return (u) => {
    const v = fast(u)
    return v === FAIL ? slow(u) : Either.right(v as A)
  }
}

/** The fast path alone: its value, or none where `decoderFor` asks Effect (tests hold the two to the same answers). */
export const fastPathFor = <A, I>(schema: Schema.Schema<A, I>): (u: unknown) => Option.Option<A> => {
  const fast = compile(schema.ast)
  return (u) => {
    const v = fast(u)
    return v === FAIL ? Option.none() : Option.some(v as A)
  }
}

/** Only Effect's decoder with the same options: what the fast path is measured and tested against. */
export const effectDecoderFor = <A, I>(schema: Schema.Schema<A, I>): (u: unknown) => Either.Either<A, ParseResult.ParseError> =>
  Schema.decodeUnknownEither(schema, decodeOptions)
