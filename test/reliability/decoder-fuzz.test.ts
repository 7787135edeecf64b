/**
 * Fuzz test of the API decoders (issue #14, item 5): the seed responses (Skatteetaten's examples in
 * sandbox/seed/) in JSON and in the sandbox's XML form, damaged by fast-check — fields dropped or
 * duplicated, types changed, digits flipped in amounts, unknown fields inserted, list elements
 * duplicated or dropped, the text truncated — and decoded as the client decodes a body
 * (src/client/internal/response.ts `decodeBody`, strictly and leniently):
 * - never an untyped throw: the result is a decoded document or a DecodeProblem;
 * - when it decodes, nothing is lost without saying so: every input list element is either in the
 *   document or in `rejected`, and the øre total of the accepted elements' amounts equals the total of
 *   the amounts in the input's elements less those set aside (strict mode: equal to the input's).
 * `FUZZ_RUNS=2000` runs more.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import fc from "fast-check"
import { readFileSync } from "node:fs"
import { listsOf } from "../../src/client/decode.ts"
import { encodeJson } from "../../src/client/decode.ts"
import { decodeBody } from "../../src/client/internal/response.ts"
import { documentFor, type Endepunkt } from "../../src/domain/Dokumenter.ts"
import * as Money from "../../src/domain/Money.ts"
import { encodeXml } from "../../src/domain/xml.ts"

const RUNS = Number(process.env["FUZZ_RUNS"] ?? 150)
const seeds: ReadonlyArray<{ readonly endpoint: Endepunkt; readonly json: unknown }> = [
  { endpoint: "aapnekrav", json: JSON.parse(readFileSync("sandbox/seed/aapnekrav-212201782.json", "utf8")) },
  { endpoint: "krav", json: JSON.parse(readFileSync("sandbox/seed/krav-212201782-2023-01-01_2023-09-01.json", "utf8")) }
]

/** The amount fields of the model (every `Beloep`). */
const AMOUNTS = new Set([
  "opprinneligBeloep",
  "gjenstaaendeBeloep",
  "innbetaltBeloep",
  "uplassertBeloep",
  "plassertBeloep",
  "utbetaltBeloep",
  "stipulerteRenter",
  "opprinneligKravforfallsbeloep",
  "gjenstaaendeKravforfallsbeloep"
])

/** Fields the mutations insert: unknown to the model, so ignored by design (om/versjoner.md), amounts inside them too. */
const inserted = (k: string) => k === "ukjentFelt" || k.endsWith("Kopi")

/**
 * Øre total of the valid amounts at amount fields anywhere in `v` (not inside inserted fields), as
 * the body holds them. In JSON an amount is a number. XML text has no types: a value the mutations
 * made the string "1" is written `<opprinneligBeloep>1</opprinneligBeloep>`, which is the amount
 * 1 krone, so in the XML form a string that is an xs:decimal (XML whitespace around it allowed)
 * counts as the amount it spells.
 */
const total = (v: unknown, format: "json" | "xml" = "json"): number => {
  if (Array.isArray(v)) return v.reduce((s: number, x) => s + total(x, format), 0)
  if (typeof v !== "object" || v === null) return 0
  let s = 0
  for (const [k, x] of Object.entries(v)) {
    if (inserted(k)) continue
    if (AMOUNTS.has(k) && (typeof x === "number" || typeof x === "string")) {
      const o = typeof x === "number"
        ? Money.fromKronerNumber(x)
        : format === "xml" && /^[ \t\r\n]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)[ \t\r\n]*$/.test(x)
        ? Money.parseXsDecimal(x)
        : Either.left("not an amount here")
      if (Either.isRight(o)) s += o.right
    } else s += total(x, format)
  }
  return s
}

type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [k: string]: Json }

/** Every path to a value inside `v` (objects' keys and arrays' indexes). */
const paths = (v: Json, prefix: ReadonlyArray<string | number> = []): Array<ReadonlyArray<string | number>> => {
  const out: Array<ReadonlyArray<string | number>> = [prefix]
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])))
  else if (typeof v === "object" && v !== null) { for (const [k, x] of Object.entries(v)) out.push(...paths(x as Json, [...prefix, k])) }
  return out
}

/** `v` with the value at `path` replaced by `f(old)` (undefined drops it). */
const update = (v: Json, path: ReadonlyArray<string | number>, f: (old: Json) => Json | undefined): Json | undefined => {
  if (path.length === 0) return f(v)
  const [head, ...rest] = path
  if (Array.isArray(v)) {
    const copy = [...v]
    const r = update(copy[head as number] as Json, rest, f)
    if (r === undefined) copy.splice(head as number, 1)
    else copy[head as number] = r
    return copy
  }
  if (typeof v === "object" && v !== null) {
    const copy: Record<string, Json> = { ...(v as Record<string, Json>) }
    const r = update(copy[head as string] as Json, rest, f)
    if (r === undefined) delete copy[head as string]
    else copy[head as string] = r
    return copy
  }
  return v
}

const flipDigit = (n: number, at: number, to: number): number => {
  const t = String(n)
  const digits = [...t].map((c, i) => (/\d/.test(c) ? i : -1)).filter((i) => i >= 0)
  if (digits.length === 0) return n
  const i = digits[at % digits.length]!
  const r = Number(`${t.slice(0, i)}${to}${t.slice(i + 1)}`)
  return Number.isFinite(r) ? r : n
}

type Mutation =
  | { readonly kind: "drop"; readonly at: number }
  | { readonly kind: "duplicate"; readonly at: number }
  | { readonly kind: "retype"; readonly at: number; readonly value: Json }
  | { readonly kind: "flip"; readonly at: number; readonly digit: number; readonly to: number }
  | { readonly kind: "unknown"; readonly at: number; readonly value: Json }
  | { readonly kind: "decimals"; readonly at: number; readonly extra: number }

const scalar: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  // texts that look like numbers: amounts in the XML form, a type error in JSON
  fc.constantFrom("1", "+1", ".5", " 2.50 ", "0x10", "0b1", "0o7", "1e3", "Infinity", "1,5", "10.0000000000000001"),
  fc.boolean(),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 12 }),
  fc.constant({}),
  fc.constant([])
)
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("drop" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("retype" as const), at: fc.nat(), value: scalar }),
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), digit: fc.nat(), to: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant("unknown" as const), at: fc.nat(), value: fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean()) }),
  fc.record({ kind: fc.constant("decimals" as const), at: fc.nat(), extra: fc.integer({ min: 1, max: 999 }) })
)

const apply = (doc: Json, m: Mutation): Json => {
  const all = paths(doc).filter((p) => p.length > 0)
  const amounts = all.filter((p) => AMOUNTS.has(String(p[p.length - 1])))
  const objects = paths(doc).filter((p) => {
    let v: unknown = doc
    for (const k of p) v = (v as Record<string | number, unknown>)[k]
    return typeof v === "object" && v !== null && !Array.isArray(v)
  })
  const pick = <T>(xs: ReadonlyArray<T>, at: number): T | undefined => xs[at % Math.max(1, xs.length)]
  switch (m.kind) {
    case "drop": {
      const p = pick(all, m.at)
      return p === undefined ? doc : update(doc, p, () => undefined) ?? doc
    }
    case "duplicate": {
      // a list element twice, or a field copied under a second (unknown) name
      const p = pick(all, m.at)
      if (p === undefined) return doc
      const parent = p.slice(0, -1)
      const last = p[p.length - 1]!
      return update(doc, parent, (v) => {
        if (Array.isArray(v)) return [...v, v[last as number] as Json]
        if (typeof v === "object" && v !== null) {
          return { ...(v as Record<string, Json>), [`${String(last)}Kopi`]: (v as Record<string, Json>)[last as string]! }
        }
        return v
      }) ?? doc
    }
    case "retype": {
      const p = pick(all, m.at)
      return p === undefined ? doc : update(doc, p, () => m.value) ?? doc
    }
    case "flip": {
      const p = pick(amounts, m.at)
      return p === undefined ? doc : update(doc, p, (v) => (typeof v === "number" ? flipDigit(v, m.digit, m.to) : v)) ?? doc
    }
    case "decimals": {
      const p = pick(amounts, m.at)
      return p === undefined ? doc : update(doc, p, (v) => (typeof v === "number" ? v + m.extra / 1000 : v)) ?? doc
    }
    case "unknown": {
      const p = pick(objects, m.at)
      return p === undefined ? doc : update(doc, p, (v) => ({ ...(v as Record<string, Json>), ukjentFelt: m.value })) ?? doc
    }
  }
}

/**
 * What the XML form of `v` holds: XML repeats an element for each list item, so a list inside a
 * list is written as its items (an empty one as nothing), and the oracle counts those.
 */
const asXml = (v: Json): Json => {
  if (Array.isArray(v)) return v.flatMap((x: Json) => (Array.isArray(x) ? (asXml(x) as ReadonlyArray<Json>) : [asXml(x)]))
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asXml(x as Json)]))
  return v
}

/** The checks of one damaged body. */
const check = (endpoint: Endepunkt, format: "json" | "xml", input: Json, text: string) => {
  for (const lenient of [false, true]) {
    let r: ReturnType<typeof decodeBody>
    try {
      r = decodeBody(endpoint, format, text, lenient)
    } catch (e) {
      throw new Error(`untyped throw (${format}, ${lenient ? "lenient" : "strict"}): ${String(e)}`)
    }
    if (Either.isLeft(r)) {
      expect(typeof r.left.path).toBe("string")
      expect(r.left.message.length).toBeGreaterThan(0)
      continue
    }
    const encoded = encodeJson(endpoint, r.right.document) as Record<string, unknown>
    const rejectedRaw = r.right.rejected.map((x) => JSON.parse(x.raw) as unknown)
    for (const { field } of listsOf[endpoint]) {
      const inList = (input as Record<string, unknown> | null)?.[field]
      if (!Array.isArray(inList)) continue
      const out = encoded[field]
      const kept = Array.isArray(out) ? out : []
      const rejectedHere = r.right.rejected.filter((x) => x.path.startsWith(`${field}[`))
      // every element is kept or reported
      expect(kept.length + rejectedHere.length).toBe(inList.length)
      // a rejected element's raw is the wire value the reader made of the body (numbers from XML text)
      const rejectedTotal = rejectedHere.reduce((s, x) => s + total(JSON.parse(x.raw), format), 0)
      expect(total(kept)).toBe(total(inList, format) - rejectedTotal)
    }
    if (!lenient) expect(rejectedRaw).toEqual([])
  }
}

describe("API decoders under damage (fast-check)", () => {
  for (const { endpoint, json } of seeds) {
    const schema = documentFor[endpoint].schema as unknown as Parameters<typeof encodeXml>[0]
    it(`${endpoint}: JSON and XML bodies with damaged values never throw untyped and never lose øre silently`, () => {
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), (ms, xml) => {
          const damaged = ms.reduce<Json>((d, m) => apply(d, m), json as Json)
          const text = xml ? encodeXml(schema, documentFor[endpoint].xmlRoot, damaged) : JSON.stringify(damaged)
          check(endpoint, xml ? "xml" : "json", xml ? asXml(damaged) : damaged, text)
        }),
        { numRuns: RUNS }
      )
    })
    it(`${endpoint}: truncated and byte-flipped texts fail typed or decode`, () => {
      const bodies = [JSON.stringify(json), encodeXml(schema, documentFor[endpoint].xmlRoot, json)]
      fc.assert(
        fc.property(fc.nat(), fc.boolean(), fc.nat(), fc.integer({ min: 32, max: 126 }), (cut, xml, at, byte) => {
          const body = bodies[xml ? 1 : 0]!
          const truncated = body.slice(0, cut % body.length)
          const flipped = `${body.slice(0, at % body.length)}${String.fromCharCode(byte)}${body.slice((at % body.length) + 1)}`
          for (const text of [truncated, flipped]) {
            for (const lenient of [false, true]) {
              const r = decodeBody(endpoint, xml ? "xml" : "json", text, lenient)
              expect(Either.isLeft(r) || Either.isRight(r)).toBe(true)
            }
          }
        }),
        { numRuns: RUNS }
      )
    })
  }
})
