/**
 * The decoders' fast path (src/domain/FastDecode.ts) against Effect's own decoder, and amounts decoded
 * to exact øre wherever they sit (docs/performance.md "decode"):
 * - on the seed responses, generated large ones and fast-check damaged copies of them, whatever the fast
 *   path decodes Effect decodes to the same value (deeply, with the same key order), whatever Effect
 *   refuses the fast path refuses, and `decoderFor` gives exactly Effect's answer (the issue and path too);
 * - the fast path handles the documents the API sends (no fallback on a valid response);
 * - a wire amount decodes to its exact øre, by arithmetic or by text, and an amount inside an optional,
 *   nullable or `optionalWith(…, { nullable: true })` field survives encode∘decode unchanged (the
 *   reverted one-step decoders decoded it twice: 100× the øre).
 */
import { describe, expect, it } from "@effect/vitest"
import { Either, Option, ParseResult, Schema } from "effect"
import * as fc from "fast-check"
import { readFileSync } from "node:fs"
import { largeAapneKrav } from "../../sandbox/Generate.ts"
import { generate, wire } from "../../sandbox/trekkpaalegg/Generate.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import { documentFor, type Endepunkt } from "../../src/domain/Dokumenter.ts"
import { decoderFor, effectDecoderFor, fastPathFor } from "../../src/domain/FastDecode.ts"
import { opt } from "../../src/domain/Felles.ts"
import { Innbetaling } from "../../src/domain/Innbetaling.ts"
import { Krav } from "../../src/domain/Krav.ts"
import * as Money from "../../src/domain/Money.ts"
import { Trekkpaalegg } from "../../src/domain/trekkpaalegg/Trekkpaalegg.ts"

const seeds: ReadonlyArray<readonly [Endepunkt, unknown]> = [
  ["aapnekrav", JSON.parse(readFileSync("sandbox/seed/aapnekrav-212201782.json", "utf8"))],
  ["krav", JSON.parse(readFileSync("sandbox/seed/krav-212201782-2023-01-01_2023-09-01.json", "utf8"))],
  ["aapnekrav", largeAapneKrav("313367002", 20)]
]

const schemas: ReadonlyArray<Schema.Schema<unknown, unknown>> = [
  ...Object.values(documentFor).map((d) => d.schema as unknown as Schema.Schema<unknown, unknown>),
  Krav as unknown as Schema.Schema<unknown, unknown>,
  Innbetaling as unknown as Schema.Schema<unknown, unknown>
]

/** The two decoders agree on `u`: values deeply equal with the same key order, refusals with the same issue. */
const agree = (schema: Schema.Schema<unknown, unknown>, u: unknown) => {
  const effect = effectDecoderFor(schema)(u)
  const fast = fastPathFor(schema)(u)
  if (Option.isSome(fast)) {
    expect(Either.isRight(effect)).toBe(true)
    if (Either.isRight(effect)) {
      expect(fast.value).toStrictEqual(effect.right)
      expect(JSON.stringify(fast.value)).toBe(JSON.stringify(effect.right))
    }
  }
  const both = decoderFor(schema)(u)
  if (Either.isRight(effect)) expect(both).toStrictEqual(effect)
  else {
    expect(Option.isNone(fast)).toBe(true)
    expect(Either.isLeft(both) && ParseResult.ArrayFormatter.formatErrorSync(both.left)).toStrictEqual(
      ParseResult.ArrayFormatter.formatErrorSync(effect.left)
    )
  }
}

type Json = null | boolean | number | string | Array<Json> | { [k: string]: Json }

/** Every path inside `v`. */
const paths = (v: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> => {
  const out = [prefix]
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])))
  else if (typeof v === "object" && v !== null) { for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k])) }
  return out
}

/** A copy of `v` with the value at `path` replaced (or removed when `value` is undefined). */
const setAt = (v: unknown, path: ReadonlyArray<string | number>, value: unknown): unknown => {
  if (path.length === 0) return value
  const [head, ...rest] = path
  if (Array.isArray(v)) {
    const copy = [...v]
    const r = setAt(copy[head as number], rest, value)
    if (r === undefined) copy.splice(head as number, 1)
    else copy[head as number] = r
    return copy
  }
  if (typeof v === "object" && v !== null) {
    const copy: Record<string, unknown> = { ...(v as Record<string, unknown>) }
    const r = setAt(copy[head as string], rest, value)
    if (r === undefined) delete copy[head as string]
    else copy[head as string] = r
    return copy
  }
  return v
}

const damage = fc.array(
  fc.record({
    at: fc.nat(),
    value: fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.boolean(),
      fc.double(),
      fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 100),
      fc.string({ maxLength: 10 }),
      fc.constantFrom("2023-02-30", "2023-02-28", "212201782", "212201783", "toString", "1e3"),
      fc.constant({}),
      fc.constant([]),
      fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>
    )
  }),
  { minLength: 1, maxLength: 3 }
)

describe("the fast path decodes what Effect decodes, to the same value", () => {
  it("seed and generated responses: decoded by the fast path itself, the same as Effect", () => {
    for (const [endpoint, doc] of seeds) {
      const schema = documentFor[endpoint].schema as unknown as Schema.Schema<unknown, unknown>
      expect(Option.isSome(fastPathFor(schema)(doc))).toBe(true)
      agree(schema, doc)
      // an optional field present as undefined is kept as undefined, as Effect keeps it
      const withUndefined = { ...(doc as Record<string, unknown>), skjermet: undefined }
      agree(schema, withUndefined)
      expect(Option.map(fastPathFor(schema)(withUndefined), (d) => Object.keys(d as object).includes("skjermet"))).toStrictEqual(Option.some(true))
    }
  })

  it("damaged responses (values replaced, dropped or retyped anywhere): the same answer as Effect", () => {
    fc.assert(
      fc.property(fc.nat(seeds.length - 1), damage, (which, ms) => {
        const [endpoint, doc] = seeds[which]!
        const damaged = ms.reduce<unknown>((d, m) => {
          const all = paths(d)
          return setAt(d, all[m.at % all.length]!, m.value)
        }, doc)
        agree(documentFor[endpoint].schema as unknown as Schema.Schema<unknown, unknown>, damaged)
      }),
      { numRuns: 300 }
    )
  })

  it("any JSON value against every schema: the same answer as Effect", () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 3 }), (v) => schemas.forEach((s) => agree(s, v))), { numRuns: 300 })
  })

  it("Trekkpålegg (optionalWith nullable, a property transformation left to Effect): generated orders and damaged copies agree, amounts decoded once", () => {
    const schema = Trekkpaalegg as unknown as Schema.Schema<unknown, unknown>
    const orders = generate({ seed: 7, today: "2024-06-30" as Dato }).versions.map((v) => wire(v) as unknown)
    expect(orders.length).toBeGreaterThan(10)
    const decode = decoderFor(Trekkpaalegg)
    for (const o of orders) {
      agree(schema, o)
      expect(Schema.encodeSync(Trekkpaalegg)(Either.getOrThrow(decode(o)))).toStrictEqual(o)
    }
    fc.assert(
      fc.property(fc.nat(orders.length - 1), damage, (which, ms) => {
        const damaged = ms.reduce<unknown>((d, m) => {
          const all = paths(d)
          return setAt(d, all[m.at % all.length]!, m.value)
        }, orders[which])
        agree(schema, damaged)
      }),
      { numRuns: 200 }
    )
  })
})

describe("amounts decode to exact øre", () => {
  const oere = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER })

  it("the arithmetic path gives what the text path gives, or leaves it to the text path", () => {
    const textPath = (n: number) => (Number.isFinite(n) ? Money.parseKroner(String(n)) : Either.left("not a finite number"))
    const check = (n: number) => {
      const fast = Money.fromKronerNumberFast(n)
      const text = textPath(n)
      if (fast !== undefined) expect(Either.right(fast)).toStrictEqual(text)
      expect(Money.fromKronerNumber(n)).toStrictEqual(text)
    }
    fc.assert(fc.property(fc.double(), check), { numRuns: 2000 })
    fc.assert(fc.property(fc.integer({ min: -1e15, max: 1e15 }), fc.integer({ min: -3, max: 3 }), (o, nudge) => check(o / 100 + nudge * 1e-9)), {
      numRuns: 2000
    })
    fc.assert(fc.property(oere, (o) => check(Money.toKronerNumber(o as Money.Oere))), { numRuns: 2000 })
    for (const n of [0, -0, 0.1, 0.2, 0.1 + 0.2, 1.005, 999999999999.99, -999999999999.99, 1e12, 1e-7, 5e-324, Number.MAX_VALUE]) check(n)
    expect(Object.is(Money.fromKronerNumberFast(-0), -0)).toBe(false) // −0 kroner is 0 øre, not −0
  })

  it("a wire amount's decoded øre is its exact value: the amount as decimal text, parsed from JSON, decoded", () => {
    const decode = decoderFor(Money.Beloep)
    // up to 15 significant digits: what a double holds exactly, so JSON.parse keeps the decimal
    fc.assert(
      fc.property(fc.integer({ min: -99_999_999_999_999, max: 99_999_999_999_999 }), (o) => {
        const text = Money.toKronerText(o as Money.Oere)
        expect(decode(JSON.parse(text))).toStrictEqual(Either.right(o === 0 ? 0 : o))
        expect(Either.getOrThrow(Money.parseKroner(text))).toBe(o === 0 ? 0 : o)
      }),
      { numRuns: 3000 }
    )
  })

  it("amounts inside optional, nullable and optionalWith-nullable fields: encode∘decode is the identity, decoded once", () => {
    const Holder = Schema.Struct({
      a: opt(Money.Beloep),
      b: Schema.optionalWith(Money.Beloep, { nullable: true }),
      c: Schema.NullOr(Money.Beloep),
      d: Schema.optional(Schema.Array(Schema.NullOr(Money.Beloep)))
    })
    const decode = decoderFor(Holder)
    const encode = Schema.encodeSync(Holder)
    const amount = fc.integer({ min: -99_999_999_999_999, max: 99_999_999_999_999 })
    const wire = (o: number) => Money.toKronerNumber(o as Money.Oere)
    fc.assert(
      fc.property(
        fc.option(amount, { nil: undefined }),
        fc.option(amount),
        fc.option(amount),
        fc.option(fc.array(fc.option(amount)), { nil: undefined }),
        (a, b, c, d) => {
          const input: Record<string, unknown> = { c: c === null ? null : wire(c) }
          if (a !== undefined) input["a"] = wire(a)
          input["b"] = b === null ? null : wire(b)
          if (d !== undefined) input["d"] = d.map((x) => (x === null ? null : wire(x)))
          const decoded = Either.getOrThrow(decode(input))
          // the øre are the wire amounts' exact value, once (never 100×)
          expect(decoded.a).toBe(a === undefined ? undefined : a === 0 ? 0 : a)
          expect(decoded.b).toBe(b === null ? undefined : b === 0 ? 0 : b)
          expect(decoded.c).toBe(c === null ? null : c === 0 ? 0 : c)
          // encode∘decode: the same model again, and the wire it came from (a null optionalWith field is left out)
          const encoded = encode(decoded)
          expect(Either.getOrThrow(decode(encoded))).toStrictEqual(decoded)
          const expected = { ...input }
          if (b === null) delete expected["b"]
          expect(encoded).toStrictEqual(expected)
        }
      ),
      { numRuns: 1000 }
    )
  })
})
