/**
 * Indexes over the candidate ledger entries so that matching stays roughly linear:
 * - reference tokens (words of reference/description) → entries;
 * - (row, amount) → entries sorted by date, with "next unused" skip pointers so a lookup never
 *   rescans entries already taken;
 * - row → entries sorted by date, for the bounded combination search.
 */
export interface Candidate {
  /** Index into the engine's entry array. */
  readonly index: number
  readonly row: string
  /** The voucher (bilag) the entry belongs to: lines of one voucher may explain a target together. */
  readonly voucher: string
  readonly amount: number
  readonly day: number
  readonly text: string
}

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

/** A sorted run of entries with skip pointers: `next(i)` is the first unused position ≥ i. */
export class Bucket {
  readonly items: Array<Candidate> = []
  private skip: Int32Array | undefined
  add(c: Candidate): void {
    this.items.push(c)
  }
  seal(): void {
    this.items.sort((a, b) => a.day - b.day || a.index - b.index)
    this.skip = new Int32Array(this.items.length + 1)
    for (let i = 0; i <= this.items.length; i++) this.skip[i] = i
  }
  /** First position whose day is ≥ day (binary search). */
  lowerBound(day: number): number {
    let lo = 0
    let hi = this.items.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.items[mid] as Candidate).day < day) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  /** First unused position ≥ i; positions found used point past themselves (path compression). */
  next(i: number, used: Uint8Array): number {
    const skip = this.skip as Int32Array
    const n = this.items.length
    let j = i
    while (j < n && used[(this.items[j] as Candidate).index] === 1) {
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

export class EntryIndex {
  readonly byToken = new Map<string, Array<Candidate>>()
  readonly byRowAmount = new Map<string, Bucket>()
  readonly byAmount = new Map<number, Bucket>()
  readonly byRow = new Map<string, Bucket>()
  /** Every candidate on any row, by date (payments may be booked on any tax account). */
  readonly allRows = new Bucket()
  readonly all: Array<Candidate> = []
  private readonly tokenAmount = new Map<string, Map<number, Array<Candidate>>>()

  /** Candidates carrying `token` with exactly `amount` (sub-indexed lazily for common tokens). */
  sameAmount(token: string, amount: number): ReadonlyArray<Candidate> {
    const list = this.byToken.get(token)
    if (list === undefined) return []
    if (list.length <= 32) return list.filter((c) => c.amount === amount)
    let m = this.tokenAmount.get(token)
    if (m === undefined) {
      m = new Map()
      for (const c of list) {
        const l = m.get(c.amount)
        if (l === undefined) m.set(c.amount, [c])
        else l.push(c)
      }
      this.tokenAmount.set(token, m)
    }
    return m.get(amount) ?? []
  }

  constructor(candidates: Iterable<Candidate>) {
    for (const c of candidates) {
      this.all.push(c)
      for (const t of new Set(tokens(c.text))) {
        const list = this.byToken.get(t)
        if (list === undefined) this.byToken.set(t, [c])
        else list.push(c)
      }
      const ra = `${c.row}|${c.amount}`
      let b = this.byRowAmount.get(ra)
      if (b === undefined) this.byRowAmount.set(ra, b = new Bucket())
      b.add(c)
      let a = this.byAmount.get(c.amount)
      if (a === undefined) this.byAmount.set(c.amount, a = new Bucket())
      a.add(c)
      let r = this.byRow.get(c.row)
      if (r === undefined) this.byRow.set(c.row, r = new Bucket())
      r.add(c)
      this.allRows.add(c)
    }
    this.allRows.seal()
    for (const b of this.byRowAmount.values()) b.seal()
    for (const b of this.byAmount.values()) b.seal()
    for (const b of this.byRow.values()) b.seal()
  }
}
