/**
 * Matching Skatteetaten's items (targets) to ledger entries, in three passes:
 * 1. by reference (ids and KID found in the entry's reference or description);
 * 2. by exact amount within a date window around the target's dates;
 * 3. small combinations (one target as 2–4 entries, or 2–4 targets as one entry), bounded by
 *    a window, at most COMBO_CANDIDATES candidates per search and a global work budget.
 * Every lookup goes through an index, so the work grows with the data, not with its square.
 */
import type { EntryIndex } from "./EntryIndex.ts"
import type { Target } from "./model.ts"

export const COMBO_CANDIDATES = 12
export const COMBO_MAX_ITEMS = 4
/** Scanned positions per combination search. */
const COMBO_SCAN = 200
/** Unique refs with more hits than this are treated as shared (a KID-like code), not as an id. */
const UNIQUE_REF_MAX_HITS = 20

export interface Budget {
  steps: number
}

const sign = (n: number): number => (n > 0 ? 1 : n < 0 ? -1 : 0)

/** The row id a target's entries must be on; undefined = any row. */
const rowIdOf = (t: Target, index: EntryIndex): number | undefined => (t.row === undefined ? undefined : index.idOfRow(t.row))

const take = (t: Target, cs: ReadonlyArray<number>, index: EntryIndex, used: Uint8Array, method: Target["method"]): void => {
  for (const c of cs) {
    used[c] = 1
    t.entries.push(c)
    t.booked += index.amount[c] as number
  }
  t.method = method
}

const closest = (t: Target, cs: ReadonlyArray<number>, index: EntryIndex): number | undefined => {
  let best: number | undefined
  for (const c of cs) {
    if (best === undefined) best = c
    else {
      const d = Math.abs((index.day[c] as number) - t.anchorDay) - Math.abs((index.day[best] as number) - t.anchorDay)
      if (d < 0 || (d === 0 && c < best)) best = c
    }
  }
  return best
}

/** Pass 1. */
export const byReference = (targets: ReadonlyArray<Target>, index: EntryIndex, used: Uint8Array): void => {
  for (const t of targets) {
    if (t.entries.length > 0 || t.expected === 0) continue
    const row = rowIdOf(t, index)
    for (const ref of t.refs) {
      const list = index.byToken.get(ref.token)
      if (list === undefined) continue
      const unique = ref.unique && list.length <= UNIQUE_REF_MAX_HITS
      if (unique) {
        const cs = list.filter(
          (c) =>
            used[c] === 0 &&
            (row === undefined || index.rowId[c] === row) &&
            sign(index.amount[c] as number) === sign(t.expected) &&
            (t.mustContain === undefined || index.text(c).toLowerCase().includes(t.mustContain))
        )
        if (cs.length === 0) continue
        take(t, cs, index, used, "reference")
        t.matchedRef = ref
        break
      }
      const hit = closest(t, index.sameAmount(ref.token, t.expected).filter((c) => used[c] === 0 && (row === undefined || index.rowId[c] === row)), index)
      if (hit !== undefined) {
        take(t, [hit], index, used, "reference")
        t.matchedRef = ref
        break
      }
    }
  }
}

/** Pass 2. */
export const byAmountAndDate = (targets: ReadonlyArray<Target>, index: EntryIndex, used: Uint8Array): void => {
  for (const t of targets) {
    if (t.entries.length > 0 || t.expected === 0) continue
    const bucket = t.row === undefined ? index.byAmount(t.expected) : index.byRowAmount(t.row, t.expected)
    if (bucket === undefined) continue
    const n = bucket.end
    const atAnchor = bucket.next(bucket.lowerBound(t.anchorDay), used)
    const early = bucket.next(bucket.lowerBound(t.lo), used)
    const a = atAnchor < n && (index.day[bucket.at(atAnchor)] as number) <= t.hi ? bucket.at(atAnchor) : undefined
    const e = early < n && (index.day[bucket.at(early)] as number) < t.anchorDay ? bucket.at(early) : undefined
    const hit = a === undefined ? e : e === undefined ? a : t.anchorDay - (index.day[e] as number) < (index.day[a] as number) - t.anchorDay ? e : a
    if (hit !== undefined) take(t, [hit], index, used, "amount-date")
  }
}

/** Finds 2..COMBO_MAX_ITEMS of `values` summing to `goal`; returns their positions. */
export const subsetSum = (values: ReadonlyArray<number>, goal: number, budget: Budget): ReadonlyArray<number> | undefined => {
  const n = values.length
  const v = values
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (--budget.steps < 0) return undefined
      const s2 = (v[i] as number) + (v[j] as number)
      if (s2 === goal) return [i, j]
      if (COMBO_MAX_ITEMS < 3) continue
      for (let k = j + 1; k < n; k++) {
        if (--budget.steps < 0) return undefined
        const s3 = s2 + (v[k] as number)
        if (s3 === goal) return [i, j, k]
        if (COMBO_MAX_ITEMS < 4) continue
        for (let l = k + 1; l < n; l++) {
          if (--budget.steps < 0) return undefined
          if (s3 + (v[l] as number) === goal) return [i, j, k, l]
        }
      }
    }
  }
  return undefined
}

/** Pass 3a: one target booked as several entries. */
export const oneToMany = (targets: ReadonlyArray<Target>, index: EntryIndex, used: Uint8Array, budget: Budget): void => {
  for (const t of targets) {
    if (budget.steps <= 0) return
    if (t.entries.length > 0 || t.expected === 0) continue
    const bucket = t.row === undefined ? index.allRows : index.byRow(t.row)
    if (bucket === undefined) continue
    const picked: Array<number> = []
    let pos = bucket.next(bucket.lowerBound(t.lo), used)
    for (let scanned = 0; pos < bucket.end && scanned < COMBO_SCAN && picked.length < COMBO_CANDIDATES; scanned++) {
      const c = bucket.at(pos)
      if ((index.day[c] as number) > t.hi) break
      const amount = index.amount[c] as number
      if (used[c] === 0 && sign(amount) === sign(t.expected) && Math.abs(amount) < Math.abs(t.expected)) picked.push(c)
      pos = bucket.next(pos + 1, used)
    }
    if (picked.length < 2) continue
    const found = subsetSum(
      picked.map((c) => index.amount[c] as number),
      t.expected,
      budget
    )
    if (found !== undefined) take(t, found.map((i) => picked[i] as number), index, used, "combination")
  }
}

/** Pass 3b: several targets booked as one entry. `open` holds the unmatched targets per row ("*" = any row), sorted by anchor day. */
export const manyToOne = (
  index: EntryIndex,
  open: ReadonlyMap<string, ReadonlyArray<Target>>,
  used: Uint8Array,
  budget: Budget,
  reach: number
): void => {
  for (const c of index.all) {
    if (budget.steps <= 0) return
    if (used[c] === 1) continue
    const day = index.day[c] as number
    const amount = index.amount[c] as number
    const cRow = index.rowOf(c)
    for (const key of [cRow, "*"]) {
      const list = open.get(key)
      if (list === undefined) continue
      // binary search for the first target with anchorDay ≥ c.day − reach
      let lo = 0
      let hi = list.length
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if ((list[mid] as Target).anchorDay < day - reach) lo = mid + 1
        else hi = mid
      }
      const picked: Array<Target> = []
      for (let i = lo, scanned = 0; i < list.length && scanned < COMBO_SCAN && picked.length < COMBO_CANDIDATES; i++, scanned++) {
        const t = list[i] as Target
        if (t.anchorDay > day + reach) break
        if (t.entries.length > 0 || t.expected === 0) continue
        if (day < t.lo || day > t.hi) continue
        if (sign(t.expected) !== sign(amount) || Math.abs(t.expected) >= Math.abs(amount)) continue
        if (t.row !== undefined && t.row !== cRow) continue
        picked.push(t)
      }
      if (picked.length < 2) continue
      const found = subsetSum(
        picked.map((t) => t.expected),
        amount,
        budget
      )
      if (found === undefined) continue
      used[c] = 1
      for (const i of found) {
        const t = picked[i] as Target
        t.entries.push(c)
        t.booked = t.expected
        t.method = "combination"
      }
      break
    }
  }
}
