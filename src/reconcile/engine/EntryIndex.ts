/**
 * Indexes over the candidate ledger entries so that matching stays roughly linear, in flat typed
 * arrays of entry positions rather than an object per entry (issue #13: a million lines must fit):
 * - reference tokens → entries, only for the tokens some target's reference (a kravforfalls-,
 *   krav-, innbetalings- or utbetalingsidentifikator, a KID) can match — nothing else is ever looked up;
 * - (row, amount) and amount → entries sorted by date, with "next unused" skip pointers so a lookup
 *   never rescans entries already taken; numeric keys, no composite strings;
 * - row → entries sorted by date, for the bounded combination search.
 * A candidate is named by its index into the engine's line array; its amount, day and row are read
 * from the index's arrays.
 */
import type { LedgerLine } from "./lines.ts"

/** Lowercased words of a reference/description; separators inside ids ("-", "_", ".") are kept. */
export const tokens = (text: string | undefined): ReadonlyArray<string> => {
  if (text === undefined || text === "") return []
  const out: Array<string> = []
  for (const t of text.toLowerCase().split(/[^0-9a-zæøå_.-]+/)) {
    const w = t.replace(/^[.-]+|[.-]+$/g, "")
    if (w.length >= 3) out.push(w)
  }
  return out
}

export const normaliseRef = (ref: string): string => ref.trim().toLowerCase()

/** The text a line's references are read from: its reference and description. */
export const lineText = (l: LedgerLine): string => `${l.entry.reference ?? ""} ${l.entry.description ?? ""}`

/**
 * A date-sorted run of entries (positions [start, end) of a shared array) with skip pointers:
 * `next(p)` is the first unused position ≥ p.
 */
export class Bucket {
  constructor(
    /** Entry indexes, sorted by (day, index) within each run. */
    readonly items: Int32Array,
    private readonly skip: Int32Array,
    private readonly day: Int32Array,
    readonly start: number,
    readonly end: number
  ) {}
  get length(): number {
    return this.end - this.start
  }
  /** The entry index at position p. */
  at(p: number): number {
    return this.items[p] as number
  }
  /** First position whose day is ≥ day (binary search). */
  lowerBound(day: number): number {
    let lo = this.start
    let hi = this.end
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.day[this.items[mid] as number] as number) < day) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  /** First unused position ≥ i; positions found used point past themselves (path compression). */
  next(i: number, used: Uint8Array): number {
    const skip = this.skip
    const items = this.items
    const n = this.end
    let j = i
    while (j < n && used[items[j] as number] === 1) {
      const s = skip[j] as number
      j = s > j ? s : j + 1
    }
    let k = i
    while (k < j) {
      const s = skip[k] as number
      skip[k] = j
      k = s > k ? s : k + 1
    }
    return j
  }
}

/** Runs of candidates grouped by a numeric key, each sorted by (day, index): one flat array for all runs. */
class Runs {
  private readonly items: Int32Array
  private readonly skip: Int32Array
  private readonly starts: Int32Array
  constructor(sorted: Int32Array, groupOf: (i: number) => number, groups: number, private readonly day: Int32Array) {
    const starts = new Int32Array(groups + 1)
    for (let p = 0; p < sorted.length; p++) {
      const g = groupOf(sorted[p] as number) + 1
      starts[g] = (starts[g] as number) + 1
    }
    for (let g = 0; g < groups; g++) starts[g + 1] = (starts[g + 1] as number) + (starts[g] as number)
    const fill = starts.slice(0, groups)
    const items = new Int32Array(sorted.length)
    for (let p = 0; p < sorted.length; p++) {
      const i = sorted[p] as number
      const g = groupOf(i)
      items[fill[g] as number] = i
      fill[g] = (fill[g] as number) + 1
    }
    const skip = new Int32Array(sorted.length + 1)
    for (let p = 0; p <= sorted.length; p++) skip[p] = p
    this.items = items
    this.skip = skip
    this.starts = starts
  }
  bucket(g: number): Bucket {
    return new Bucket(this.items, this.skip, this.day, this.starts[g] as number, this.starts[g + 1] as number)
  }
}

export class EntryIndex {
  /** Candidate entry indexes in ledger order. */
  readonly all: Int32Array
  /** Per entry index (candidates only): amount, epoch day, row id. */
  readonly amount: Float64Array
  readonly day: Int32Array
  readonly rowId: Int32Array
  /** Row id → row key. */
  readonly rows: Array<string> = []
  private readonly rowIds = new Map<string, number>()
  /** Reference token → candidate entry indexes (only tokens in `wanted`). */
  readonly byToken = new Map<string, Array<number>>()
  private readonly tokenAmount = new Map<string, Map<number, Array<number>>>()
  private readonly rowAmountKey: Array<Map<number, number>> = []
  private readonly amountKey = new Map<number, number>()
  private readonly rowAmountRuns: Runs
  private readonly amountRuns: Runs
  private readonly rowRuns: Runs
  private readonly allRuns: Runs
  /** Every candidate on any row, by date (payments may be booked on any tax account). */
  readonly allRows: Bucket

  constructor(readonly lines: ReadonlyArray<LedgerLine>, wanted: ReadonlySet<string>) {
    const n = lines.length
    this.amount = new Float64Array(n)
    this.day = new Int32Array(n)
    this.rowId = new Int32Array(n).fill(-1)
    let count = 0
    for (let i = 0; i < n; i++) if ((lines[i] as LedgerLine).phase === "in") count++
    const all = new Int32Array(count)
    let minDay = Infinity
    let maxDay = -Infinity
    const rowAmountGroup = new Int32Array(n)
    const amountGroup = new Int32Array(n)
    let rowAmountGroups = 0
    for (let i = 0, k = 0; i < n; i++) {
      const l = lines[i] as LedgerLine
      if (l.phase !== "in") continue
      all[k++] = i
      const amount = l.entry.amount
      this.amount[i] = amount
      this.day[i] = l.day
      if (l.day < minDay) minDay = l.day
      if (l.day > maxDay) maxDay = l.day
      let r = this.rowIds.get(l.row)
      if (r === undefined) {
        r = this.rows.length
        this.rows.push(l.row)
        this.rowIds.set(l.row, r)
        this.rowAmountKey.push(new Map())
      }
      this.rowId[i] = r
      const ra = this.rowAmountKey[r] as Map<number, number>
      let g = ra.get(amount)
      if (g === undefined) ra.set(amount, g = rowAmountGroups++)
      rowAmountGroup[i] = g
      let a = this.amountKey.get(amount)
      if (a === undefined) this.amountKey.set(amount, a = this.amountKey.size)
      amountGroup[i] = a
      if (wanted.size > 0) this.indexTokens(i, l, wanted)
    }
    this.all = all
    const sorted = byDay(all, this.day, minDay, maxDay)
    this.rowAmountRuns = new Runs(sorted, (i) => rowAmountGroup[i] as number, rowAmountGroups, this.day)
    this.amountRuns = new Runs(sorted, (i) => amountGroup[i] as number, this.amountKey.size, this.day)
    this.rowRuns = new Runs(sorted, (i) => this.rowId[i] as number, this.rows.length, this.day)
    this.allRuns = new Runs(sorted, () => 0, 1, this.day)
    this.allRows = this.allRuns.bucket(0)
  }

  private indexTokens(i: number, l: LedgerLine, wanted: ReadonlySet<string>): void {
    const { reference, description } = l.entry
    // The reference and the description are tokenised apart: a space separates them either way.
    const ts = [...tokens(reference), ...tokens(description)]
    for (let k = 0; k < ts.length; k++) {
      const t = ts[k] as string
      if (!wanted.has(t) || ts.indexOf(t) < k) continue
      const list = this.byToken.get(t)
      if (list === undefined) this.byToken.set(t, [i])
      else list.push(i)
    }
  }

  rowOf(i: number): string {
    return this.rows[this.rowId[i] as number] ?? ""
  }
  /** The row id of a row key; -2 (no candidate) for a row without candidates. */
  idOfRow(row: string): number {
    return this.rowIds.get(row) ?? -2
  }
  text(i: number): string {
    return lineText(this.lines[i] as LedgerLine)
  }
  voucher(i: number): string {
    return (this.lines[i] as LedgerLine).entry.voucher
  }

  byRowAmount(row: string, amount: number): Bucket | undefined {
    const r = this.rowIds.get(row)
    const g = r === undefined ? undefined : this.rowAmountKey[r]?.get(amount)
    return g === undefined ? undefined : this.rowAmountRuns.bucket(g)
  }
  byAmount(amount: number): Bucket | undefined {
    const g = this.amountKey.get(amount)
    return g === undefined ? undefined : this.amountRuns.bucket(g)
  }
  byRow(row: string): Bucket | undefined {
    const r = this.rowIds.get(row)
    return r === undefined ? undefined : this.rowRuns.bucket(r)
  }

  /** Candidates carrying `token` with exactly `amount` (sub-indexed lazily for common tokens). */
  sameAmount(token: string, amount: number): ReadonlyArray<number> {
    const list = this.byToken.get(token)
    if (list === undefined) return []
    if (list.length <= 32) return list.filter((i) => this.amount[i] === amount)
    let m = this.tokenAmount.get(token)
    if (m === undefined) {
      m = new Map()
      for (const i of list) {
        const a = this.amount[i] as number
        const l = m.get(a)
        if (l === undefined) m.set(a, [i])
        else l.push(i)
      }
      this.tokenAmount.set(token, m)
    }
    return m.get(amount) ?? []
  }
}

/** The candidates sorted by (day, index): a counting sort over the days (the input is in index order). */
const byDay = (all: Int32Array, day: Int32Array, minDay: number, maxDay: number): Int32Array => {
  if (all.length === 0) return all
  const span = maxDay - minDay + 1
  if (span > 4 * all.length + 1024) return Int32Array.from([...all].sort((a, b) => (day[a] as number) - (day[b] as number) || a - b))
  const starts = new Int32Array(span + 1)
  for (let p = 0; p < all.length; p++) {
    const d = (day[all[p] as number] as number) - minDay + 1
    starts[d] = (starts[d] as number) + 1
  }
  for (let d = 0; d < span; d++) starts[d + 1] = (starts[d + 1] as number) + (starts[d] as number)
  const out = new Int32Array(all.length)
  for (let p = 0; p < all.length; p++) {
    const i = all[p] as number
    const d = (day[i] as number) - minDay
    out[starts[d] as number] = i
    starts[d] = (starts[d] as number) + 1
  }
  return out
}
