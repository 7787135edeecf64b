/**
 * Issue #14, item 4: the SAF-T reader under random damage to the shipped demo files (byte flips,
 * truncation, elements removed or duplicated). It never fails untyped: every failure is a
 * SaftError. Every line it sees is accounted for: an entry, a rejected line, or skipped for a
 * stated reason (SaftRead.linesSkipped). When whole Lines or Transactions are removed or
 * duplicated, the øre total of the entries is exactly the total of the Lines in the damaged file.
 */
import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseXsDecimal } from "../../src/domain/Money.ts"
import { readSaftFile, SaftError, type SaftRead } from "./SaftReader.ts"

const root = join(import.meta.dirname, "..", "..", "sandbox", "demo")
const demos = [
  join(root, "212201782-2023.xml"),
  join(root, "ledgers", "310478717.xml"),
  join(root, "ledgers", "311851381.xml"),
  join(root, "ledgers", "313367002.xml"),
  join(root, "ledgers", "314055403.xml")
].map((path) => ({ path, bytes: readFileSync(path) }))

const dir = mkdtempSync(join(tmpdir(), "kravsync-saft-fuzz-"))
let n = 0
const write = (bytes: Buffer): string => {
  const p = join(dir, `m${n++}.xml`)
  writeFileSync(p, bytes)
  return p
}

const ELEMENTS = ["Line", "Transaction", "Account", "DebitAmount", "CreditAmount", "Amount", "AccountID", "TransactionDate", "TransactionID", "Header"]

/** The [start, end) of every `<n1:name>…</n1:name>` in the text (none of these nest in themselves). */
const spans = (text: string, name: string): Array<[number, number]> => {
  const out: Array<[number, number]> = []
  const re = new RegExp(`<n1:${name}>[\\s\\S]*?</n1:${name}>`, "g")
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push([m.index, m.index + m[0].length])
  return out
}

type Mutation =
  | { readonly _tag: "flip"; readonly at: number; readonly byte: number }
  | { readonly _tag: "truncate"; readonly at: number }
  | { readonly _tag: "remove" | "duplicate"; readonly element: string; readonly pick: number }

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ _tag: fc.constant("flip" as const), at: fc.double({ min: 0, max: 1, noNaN: true }), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ _tag: fc.constant("truncate" as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ _tag: fc.constantFrom("remove" as const, "duplicate" as const), element: fc.constantFrom(...ELEMENTS), pick: fc.nat() })
)
const structural: fc.Arbitrary<Mutation> = fc.record({
  _tag: fc.constantFrom("remove" as const, "duplicate" as const),
  element: fc.constantFrom("Line", "Transaction"),
  pick: fc.nat()
})

const apply = (bytes: Buffer, m: Mutation): Buffer => {
  if (m._tag === "flip") {
    const copy = Buffer.from(bytes)
    if (copy.length > 0) copy[Math.min(copy.length - 1, Math.floor(m.at * copy.length))] = m.byte
    return copy
  }
  if (m._tag === "truncate") return bytes.subarray(0, Math.floor(m.at * bytes.length))
  const text = bytes.toString("utf8")
  const found = spans(text, m.element)
  const span = found[m.pick % Math.max(1, found.length)]
  if (span === undefined) return bytes
  const [s, e] = span
  return Buffer.from(m._tag === "remove" ? text.slice(0, s) + text.slice(e) : text.slice(0, e) + text.slice(s, e) + text.slice(e), "utf8")
}

/** Reads the damaged file: a SaftRead, or the reader's typed error; anything else fails the property. */
const readTyped = async (bytes: Buffer, chunkSize: number): Promise<SaftRead | SaftError> => {
  try {
    return await readSaftFile({ path: write(bytes), accounts: [], chunkSize })
  } catch (e) {
    if (e instanceof SaftError) {
      expect(e.kind).toBe("invalid-data")
      expect(e.message.length).toBeGreaterThan(0)
      return e
    }
    throw new Error(`untyped failure: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`)
  }
}

const accountsForEveryLine = (r: SaftRead) => {
  const skipped = r.linesSkipped.otherAccount + r.linesSkipped.beforePeriod + r.linesSkipped.afterPeriod
  expect(r.entries.length + r.rejected.length + skipped).toBe(r.linesSeen)
  for (const x of r.rejected) {
    expect(x.location).toMatch(/^line \d+, column \d+$/)
    expect(x.reason.length).toBeGreaterThan(0)
    expect(x.reasonNb?.length ?? 0, `no bokmål for "${x.reason}"`).toBeGreaterThan(0)
  }
  for (const x of r.notes) expect(x.messageNb?.length ?? 0, `no bokmål for "${x.message}"`).toBeGreaterThan(0)
  // Double entry: the demo books balance, so entries that do not sum to zero must be explained by a
  // rejected or skipped line or a voucher that does not balance or could not be checked.
  const total = r.entries.reduce((s, e) => s + e.amount, 0)
  if (total !== 0) {
    const said = r.rejected.length > 0 || skipped > 0 ||
      (r.notes ?? []).some((x) => x.kind === "unbalanced-voucher" || x.kind === "unchecked-voucher")
    expect(said, `entries sum to ${total} øre and nothing says why`).toBe(true)
  }
}

/** Σ (debit − credit) over the Lines of the text, by a reading independent of the reader. */
const linesTotal = (text: string): number => {
  let total = 0
  for (const [s, e] of spans(text, "Line")) {
    const line = text.slice(s, e)
    const amount = (side: string) => {
      const m = new RegExp(`<n1:${side}><n1:Amount>([^<]*)</n1:Amount>`).exec(line)
      if (m === null) return 0
      const v = parseXsDecimal(m[1] ?? "")
      if (v._tag === "Left") throw new Error(`demo amount ${m[1]} does not parse`)
      return v.right
    }
    total += amount("DebitAmount") - amount("CreditAmount")
  }
  return total
}

describe("SAF-T reader under random damage (issue #14, item 4)", () => {
  it("every failure is typed, and every line seen is an entry, a rejected line or skipped for a reason", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...demos),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(1 << 16, 4096, 97),
        async (demo, ms, chunkSize) => {
          const damaged = ms.reduce(apply, demo.bytes)
          const r = await readTyped(damaged, chunkSize)
          if (!(r instanceof SaftError)) accountsForEveryLine(r)
        }
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 60) }
    )
  })

  it("removing or duplicating whole Lines and Transactions never changes the øre total without saying so", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...demos), fc.array(structural, { minLength: 1, maxLength: 3 }), async (demo, ms) => {
        const damaged = ms.reduce(apply, demo.bytes)
        const r = await readTyped(damaged, 1 << 16)
        expect(r).not.toBeInstanceOf(SaftError)
        const read = r as SaftRead
        accountsForEveryLine(read)
        expect(read.rejected).toEqual([])
        expect(read.linesSkipped).toEqual({ otherAccount: 0, beforePeriod: 0, afterPeriod: 0 })
        const expected = linesTotal(damaged.toString("utf8"))
        expect(read.entries.reduce((s, e) => s + e.amount, 0)).toBe(expected)
        // A removed or duplicated Line unbalances its voucher (unless the Line is zero): the notes say so.
        if (expected !== linesTotal(demo.bytes.toString("utf8"))) {
          expect((read.notes ?? []).some((x) => x.kind === "unbalanced-voucher")).toBe(true)
        }
      }),
      { numRuns: 25 }
    )
  })

  it("the undamaged demo files read without a rejected line", async () => {
    for (const demo of demos) {
      const r = await readTyped(demo.bytes, 1 << 16)
      expect(r).not.toBeInstanceOf(SaftError)
      accountsForEveryLine(r as SaftRead)
      expect((r as SaftRead).rejected).toEqual([])
      expect((r as SaftRead).entries.reduce((s, e) => s + e.amount, 0)).toBe(linesTotal(demo.bytes.toString("utf8")))
    }
  })
})
