/**
 * Voucher-aware matching. Norwegian books settle a VAT termin in one voucher of gross lines — each
 * of 2700/2701/2702 (output VAT) credited to 2740 and each of 2710…2713 (input VAT) debited to it —
 * often with the payment to Skatteetaten in the same voucher. No single line equals the claim; the
 * voucher's lines on the row do, with mixed signs. This pass lets the unused lines of one voucher on
 * one row explain one target, or two (a claim and its payment), each line ending in exactly one
 * place. Afterwards, lines of one voucher on one row that cancel out (2500 → 2510 at fastsetting,
 * a booking and its reversal) are internal moves: no effect on the balance, no difference.
 *
 * Bounded: only vouchers with 2..MAX_LINES unused lines on the row are searched, at most
 * COMBO_CANDIDATES targets per voucher, subsets of lines enumerated within the shared budget.
 */
import * as Dato from "../../domain/Dato.ts"
import * as Calendar from "./calendar.ts"
import type { EntryIndex } from "./EntryIndex.ts"
import type { Budget } from "./match.ts"
import { COMBO_CANDIDATES } from "./match.ts"
import type { Target } from "./model.ts"
import { firstOfEqual } from "./strings.ts"

/** Lines of one voucher on one row beyond which subsets are not enumerated (2^n). */
const MAX_LINES = 14

export interface VoucherGroup {
  readonly row: string
  readonly voucher: string
  /** Candidate entry indexes, in ledger order. */
  readonly lines: ReadonlyArray<number>
}

/** The vouchers that have two or more candidate lines on one row, in ledger order of their first line. */
export const voucherGroups = (index: EntryIndex): Array<VoucherGroup> => {
  // Most vouchers have one line on the tax accounts: only those with more get an array.
  const all = index.all
  const first = firstOfEqual(all.length, (k) => index.voucher(all[k] as number))
  const members = new Map<number, Array<number>>()
  for (let k = 0; k < all.length; k++) {
    const f = first[k] as number
    if (f === k) continue
    const g = members.get(f)
    if (g === undefined) members.set(f, [all[f] as number, all[k] as number])
    else g.push(all[k] as number)
  }
  const out: Array<VoucherGroup> = []
  for (const f of [...members.keys()].sort((a, b) => a - b)) {
    const g = members.get(f) as Array<number>
    const voucher = index.voucher(g[0] as number)
    const byRow = new Map<string, Array<number>>()
    for (const c of g) {
      const row = index.rowOf(c)
      ;(byRow.get(row) ?? byRow.set(row, []).get(row))?.push(c)
    }
    for (const [row, lines] of byRow) if (lines.length >= 2) out.push({ row, voucher, lines })
  }
  return out
}

const sumOf = (cs: ReadonlyArray<number>, index: EntryIndex): number => cs.reduce((s, c) => s + (index.amount[c] as number), 0)

const takeLines = (t: Target, cs: ReadonlyArray<number>, index: EntryIndex, used: Uint8Array): void => {
  for (const c of cs) {
    used[c] = 1
    t.entries.push(c)
    t.booked += index.amount[c] as number
  }
  t.method = "voucher"
}

/** Bit masks over `lines` whose amounts sum to `goal` (at least `min` lines), best first: lines naming the target's references, then fewer lines. */
const subsets = (lines: ReadonlyArray<number>, index: EntryIndex, goal: number, min: number, budget: Budget, t: Target | undefined): Array<number> => {
  const n = lines.length
  const found: Array<number> = []
  for (let mask = 1; mask < 1 << n; mask++) {
    if (--budget.steps < 0) break
    let s = 0
    let k = 0
    for (let i = 0; i < n; i++) {
      if (mask & (1 << i)) {
        s += index.amount[lines[i] as number] as number
        k++
      }
    }
    if (s === goal && k >= min) found.push(mask)
  }
  if (t === undefined || found.length <= 1) return found
  const score = (mask: number): number => {
    let hits = 0
    let k = 0
    for (let i = 0; i < n; i++) {
      if (mask & (1 << i)) {
        k++
        const text = index.text(lines[i] as number).toLowerCase()
        if (t.refs.some((r) => text.includes(r.token))) hits++
      }
    }
    return hits * 100 - k
  }
  return found.sort((a, b) => score(b) - score(a))
}

const pick = (lines: ReadonlyArray<number>, mask: number, inMask: boolean): Array<number> => lines.filter((_, i) => ((mask & (1 << i)) !== 0) === inMask)

/**
 * The voucher pass. `open` holds the unmatched targets per row ("*" = payments on any row), sorted by
 * anchor day; a target is a candidate for a voucher when the voucher's date is inside its window.
 */
export const byVoucher = (
  groups: ReadonlyArray<VoucherGroup>,
  index: EntryIndex,
  open: ReadonlyMap<string, ReadonlyArray<Target>>,
  used: Uint8Array,
  budget: Budget
): void => {
  for (const g of groups) {
    if (budget.steps <= 0) return
    const lines = g.lines.filter((c) => used[c] === 0)
    if (lines.length < 2 || lines.length > MAX_LINES) continue
    const d = index.day[lines[0] as number] as number
    const candidates: Array<Target> = []
    for (const key of [g.row, "*"]) {
      for (const t of open.get(key) ?? []) {
        if (candidates.length >= COMBO_CANDIDATES) break
        if (t.entries.length > 0 || t.expected === 0 || d < t.lo || d > t.hi) continue
        if (t.row !== undefined && t.row !== g.row) continue
        candidates.push(t)
      }
    }
    if (candidates.length === 0) continue
    const total = sumOf(lines, index)
    // 1. The voucher's lines on the row are exactly one target.
    const whole = candidates.find((t) => t.expected === total)
    if (whole !== undefined) {
      takeLines(whole, lines, index, used)
      continue
    }
    // 2. Exactly two targets (a settlement and its payment), the lines split between them.
    let done = false
    for (let i = 0; i < candidates.length && !done; i++) {
      for (let j = i + 1; j < candidates.length && !done; j++) {
        const a = candidates[i] as Target
        const b = candidates[j] as Target
        if (a.expected + b.expected !== total) continue
        const mask = subsets(lines, index, a.expected, 1, budget, a)[0]
        if (mask === undefined) continue
        takeLines(a, pick(lines, mask, true), index, used)
        takeLines(b, pick(lines, mask, false), index, used)
        done = true
      }
    }
    if (done) continue
    // 3. Some of the lines (two or more, mixed signs) are one target; the rest stay for later passes.
    let rest = lines
    for (const t of candidates) {
      if (t.entries.length > 0 || rest.length < 2) continue
      const mask = subsets(rest, index, t.expected, 2, budget, t)[0]
      if (mask === undefined) continue
      const mixed = pick(rest, mask, true)
      if (mixed.every((c) => Math.sign(index.amount[c] as number) === Math.sign(t.expected))) continue // same-sign combinations are pass 3's business
      takeLines(t, mixed, index, used)
      rest = pick(rest, mask, false)
    }
  }
}

/** Lines left unused that cancel out within their voucher and row; returns their indexes. */
export const internalMoves = (groups: ReadonlyArray<VoucherGroup>, index: EntryIndex, used: Uint8Array): Array<number> => {
  const out: Array<number> = []
  for (const g of groups) {
    const lines = g.lines.filter((c) => used[c] === 0)
    if (lines.length < 2) continue
    if (sumOf(lines, index) === 0) {
      for (const c of lines) out.push(c)
      continue
    }
    // Otherwise pair exact opposites (a move out and in, a booking and its reversal).
    const byAmount = new Map<number, Array<number>>()
    for (const c of lines) {
      const amount = index.amount[c] as number
      const opposite = byAmount.get(-amount)
      if (opposite !== undefined && opposite.length > 0 && amount !== 0) {
        out.push(opposite.pop() as number, c)
      } else {
        const l = byAmount.get(amount)
        if (l === undefined) byAmount.set(amount, [c])
        else l.push(c)
      }
    }
  }
  return out
}

/**
 * A payment Skatteetaten placed on one row but the books debited to another tax account: the exact
 * amount, in the payment's window, on any other row; a line naming the payment's KID or id first.
 */
export const onWrongRow = (targets: ReadonlyArray<Target>, index: EntryIndex, used: Uint8Array): void => {
  for (const t of targets) {
    if (t.entries.length > 0 || t.expected === 0 || t.row === undefined) continue
    const bucket = index.byAmount(t.expected)
    if (bucket === undefined) continue
    let best: number | undefined
    let bestScore = -Infinity
    for (let pos = bucket.next(bucket.lowerBound(t.lo), used); pos < bucket.end; pos = bucket.next(pos + 1, used)) {
      const c = bucket.at(pos)
      const day = index.day[c] as number
      if (day > t.hi) break
      const row = index.rowOf(c)
      if (row === t.row || row === "") continue
      const text = index.text(c).toLowerCase()
      const score = (t.refs.some((r) => text.includes(r.token)) ? 1000 : 0) - Math.abs(day - t.anchorDay)
      if (score > bestScore) {
        best = c
        bestScore = score
      }
    }
    if (best === undefined) continue
    used[best] = 1
    t.entries.push(best)
    t.booked += index.amount[best] as number
    t.method = "wrong-account"
  }
}

/** How far a booking may be from its claim and still be taken as that claim booked with the wrong amount. */
export const NEAR_SHARE = 0.1

/**
 * Last pass for claims: a claim booked with the wrong amount (100 kr off, a typo) would otherwise be
 * two follow-ups, "missing" and "only in the ledger". The nearest unused booking on the claim's row
 * in its window — a single line, or the unused lines of one voucher taken together — of the same
 * sign and within NEAR_SHARE of the amount is taken as it; the claim is then amount-differs.
 */
export const nearAmount = (targets: ReadonlyArray<Target>, index: EntryIndex, groups: ReadonlyArray<VoucherGroup>, used: Uint8Array): void => {
  const open = targets.filter((t) => t.entries.length === 0 && t.expected !== 0 && t.row !== undefined)
  if (open.length === 0) return
  // A unit is the unused lines of one voucher on the row taken together, or a line of no such voucher.
  const groupsByRow = new Map<string, Array<ReadonlyArray<number>>>()
  const grouped = new Set<number>()
  for (const g of groups) {
    for (const c of g.lines) grouped.add(c)
    ;(groupsByRow.get(g.row) ?? groupsByRow.set(g.row, []).get(g.row))?.push(g.lines)
  }
  // Every admissible (claim, booking) pair, then the closest pairs first: a booking 100 kr off its own
  // claim is not given to a neighbouring termin's missing claim 2 % away.
  const pairs: Array<{ readonly t: Target; readonly unit: ReadonlyArray<number>; readonly gap: number }> = []
  const consider = (t: Target, unit: ReadonlyArray<number>) => {
    const free = unit.filter((c) => used[c] === 0)
    if (free.length === 0) return
    const d = index.day[free[0] as number] as number
    if (d < t.lo || d > t.hi) return
    const net = sumOf(free, index)
    if (Math.sign(net) !== Math.sign(t.expected)) return
    const gap = Math.abs(net - t.expected)
    if (gap > Math.abs(t.expected) * NEAR_SHARE || !samePeriod(t, free, index)) return
    pairs.push({ t, unit: free, gap: gap / Math.abs(t.expected) })
  }
  for (const t of open) {
    const row = t.row as string
    for (const unit of groupsByRow.get(row) ?? []) consider(t, unit)
    // Single lines in the target's window, in ledger order (the order the pairs tie-break on).
    const bucket = index.byRow(row)
    if (bucket === undefined) continue
    const singles: Array<number> = []
    for (let pos = bucket.lowerBound(t.lo); pos < bucket.end && (index.day[bucket.at(pos)] as number) <= t.hi; pos++) {
      const c = bucket.at(pos)
      if (!grouped.has(c)) singles.push(c)
    }
    singles.sort((a, b) => a - b)
    for (const c of singles) consider(t, [c])
  }
  pairs.sort((a, b) => a.gap - b.gap || a.t.anchorDay - b.t.anchorDay)
  for (const { t, unit } of pairs) {
    if (t.entries.length > 0 || unit.some((c) => used[c] === 1)) continue
    for (const c of unit) {
      used[c] = 1
      t.entries.push(c)
      t.booked += index.amount[c] as number
    }
    t.method = "near-amount"
  }
}

/** False when the booking's text names a termin or income year other than the claim's own. */
const samePeriod = (t: Target, unit: ReadonlyArray<number>, index: EntryIndex): boolean => {
  if (t.kravgruppe === undefined || t.periodStart === undefined) return true
  for (const c of unit) {
    const text = index.text(c)
    if (!/termin|inntektsår|\b20\d\d\b/i.test(text)) continue
    const p = Calendar.periodOf(t.kravgruppe, Dato.fromEpochDay(index.day[c] as number), text)
    if (p !== undefined && p.start !== t.periodStart) return false
  }
  return true
}
