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
import type { Candidate, EntryIndex } from "./EntryIndex.ts"
import type { Budget } from "./match.ts"
import { COMBO_CANDIDATES } from "./match.ts"
import type { Target } from "./model.ts"

/** Lines of one voucher on one row beyond which subsets are not enumerated (2^n). */
const MAX_LINES = 14

export interface VoucherGroup {
  readonly row: string
  readonly voucher: string
  readonly lines: ReadonlyArray<Candidate>
}

/** The vouchers that have two or more candidate lines on one row, in ledger order of their first line. */
export const voucherGroups = (index: EntryIndex): Array<VoucherGroup> => {
  // Most vouchers have one line on the tax accounts: keep the first line bare, allocate only for the rest.
  const byVoucher = new Map<string, Candidate | Array<Candidate>>()
  for (const c of index.all) {
    const g = byVoucher.get(c.voucher)
    if (g === undefined) byVoucher.set(c.voucher, c)
    else if (Array.isArray(g)) g.push(c)
    else byVoucher.set(c.voucher, [g, c])
  }
  const out: Array<VoucherGroup> = []
  for (const [voucher, g] of byVoucher) {
    if (!Array.isArray(g)) continue
    const byRow = new Map<string, Array<Candidate>>()
    for (const c of g) (byRow.get(c.row) ?? byRow.set(c.row, []).get(c.row))?.push(c)
    for (const [row, lines] of byRow) if (lines.length >= 2) out.push({ row, voucher, lines })
  }
  return out
}

const sumOf = (cs: ReadonlyArray<Candidate>): number => cs.reduce((s, c) => s + c.amount, 0)

const takeLines = (t: Target, cs: ReadonlyArray<Candidate>, used: Uint8Array): void => {
  for (const c of cs) {
    used[c.index] = 1
    t.entries.push(c.index)
    t.booked += c.amount
  }
  t.method = "voucher"
}

/** Bit masks over `lines` whose amounts sum to `goal` (at least `min` lines), best first: lines naming the target's references, then fewer lines. */
const subsets = (lines: ReadonlyArray<Candidate>, goal: number, min: number, budget: Budget, t: Target | undefined): Array<number> => {
  const n = lines.length
  const found: Array<number> = []
  for (let mask = 1; mask < 1 << n; mask++) {
    if (--budget.steps < 0) break
    let s = 0
    let k = 0
    for (let i = 0; i < n; i++) {
      if (mask & (1 << i)) {
        s += (lines[i] as Candidate).amount
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
        const text = (lines[i] as Candidate).text.toLowerCase()
        if (t.refs.some((r) => text.includes(r.token))) hits++
      }
    }
    return hits * 100 - k
  }
  return found.sort((a, b) => score(b) - score(a))
}

const pick = (lines: ReadonlyArray<Candidate>, mask: number, inMask: boolean): Array<Candidate> => lines.filter((_, i) => ((mask & (1 << i)) !== 0) === inMask)

/**
 * The voucher pass. `open` holds the unmatched targets per row ("*" = payments on any row), sorted by
 * anchor day; a target is a candidate for a voucher when the voucher's date is inside its window.
 */
export const byVoucher = (groups: ReadonlyArray<VoucherGroup>, open: ReadonlyMap<string, ReadonlyArray<Target>>, used: Uint8Array, budget: Budget): void => {
  for (const g of groups) {
    if (budget.steps <= 0) return
    const lines = g.lines.filter((c) => used[c.index] === 0)
    if (lines.length < 2 || lines.length > MAX_LINES) continue
    const d = (lines[0] as Candidate).day
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
    const total = sumOf(lines)
    // 1. The voucher's lines on the row are exactly one target.
    const whole = candidates.find((t) => t.expected === total)
    if (whole !== undefined) {
      takeLines(whole, lines, used)
      continue
    }
    // 2. Exactly two targets (a settlement and its payment), the lines split between them.
    let done = false
    for (let i = 0; i < candidates.length && !done; i++) {
      for (let j = i + 1; j < candidates.length && !done; j++) {
        const a = candidates[i] as Target
        const b = candidates[j] as Target
        if (a.expected + b.expected !== total) continue
        const mask = subsets(lines, a.expected, 1, budget, a)[0]
        if (mask === undefined) continue
        takeLines(a, pick(lines, mask, true), used)
        takeLines(b, pick(lines, mask, false), used)
        done = true
      }
    }
    if (done) continue
    // 3. Some of the lines (two or more, mixed signs) are one target; the rest stay for later passes.
    let rest = lines
    for (const t of candidates) {
      if (t.entries.length > 0 || rest.length < 2) continue
      const mask = subsets(rest, t.expected, 2, budget, t)[0]
      if (mask === undefined) continue
      const mixed = pick(rest, mask, true)
      if (mixed.every((c) => Math.sign(c.amount) === Math.sign(t.expected))) continue // same-sign combinations are pass 3's business
      takeLines(t, mixed, used)
      rest = pick(rest, mask, false)
    }
  }
}

/** Lines left unused that cancel out within their voucher and row; returns their indexes. */
export const internalMoves = (groups: ReadonlyArray<VoucherGroup>, used: Uint8Array): Array<number> => {
  const out: Array<number> = []
  for (const g of groups) {
    const lines = g.lines.filter((c) => used[c.index] === 0)
    if (lines.length < 2) continue
    if (sumOf(lines) === 0) {
      for (const c of lines) out.push(c.index)
      continue
    }
    // Otherwise pair exact opposites (a move out and in, a booking and its reversal).
    const byAmount = new Map<number, Array<Candidate>>()
    for (const c of lines) {
      const opposite = byAmount.get(-c.amount)
      if (opposite !== undefined && opposite.length > 0 && c.amount !== 0) {
        out.push((opposite.pop() as Candidate).index, c.index)
      } else {
        const l = byAmount.get(c.amount)
        if (l === undefined) byAmount.set(c.amount, [c])
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
    const bucket = index.byAmount.get(t.expected)
    if (bucket === undefined) continue
    let best: Candidate | undefined
    let bestScore = -Infinity
    for (let pos = bucket.next(bucket.lowerBound(t.lo), used); pos < bucket.items.length; pos = bucket.next(pos + 1, used)) {
      const c = bucket.items[pos] as Candidate
      if (c.day > t.hi) break
      if (c.row === t.row || c.row === "") continue
      const text = c.text.toLowerCase()
      const score = (t.refs.some((r) => text.includes(r.token)) ? 1000 : 0) - Math.abs(c.day - t.anchorDay)
      if (score > bestScore) {
        best = c
        bestScore = score
      }
    }
    if (best === undefined) continue
    used[best.index] = 1
    t.entries.push(best.index)
    t.booked += best.amount
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
  const unitsByRow = new Map<string, Array<ReadonlyArray<Candidate>>>()
  const grouped = new Set<number>()
  for (const g of groups) for (const c of g.lines) grouped.add(c.index)
  for (const g of groups) (unitsByRow.get(g.row) ?? unitsByRow.set(g.row, []).get(g.row))?.push(g.lines)
  for (const c of index.all) if (!grouped.has(c.index)) (unitsByRow.get(c.row) ?? unitsByRow.set(c.row, []).get(c.row))?.push([c])
  // Every admissible (claim, booking) pair, then the closest pairs first: a booking 100 kr off its own
  // claim is not given to a neighbouring termin's missing claim 2 % away.
  const pairs: Array<{ readonly t: Target; readonly unit: ReadonlyArray<Candidate>; readonly gap: number }> = []
  for (const t of targets) {
    if (t.entries.length > 0 || t.expected === 0 || t.row === undefined) continue
    for (const unit of unitsByRow.get(t.row) ?? []) {
      const free = unit.filter((c) => used[c.index] === 0)
      if (free.length === 0) continue
      const d = (free[0] as Candidate).day
      if (d < t.lo || d > t.hi) continue
      const net = sumOf(free)
      if (Math.sign(net) !== Math.sign(t.expected)) continue
      const gap = Math.abs(net - t.expected)
      if (gap > Math.abs(t.expected) * NEAR_SHARE || !samePeriod(t, free)) continue
      pairs.push({ t, unit: free, gap: gap / Math.abs(t.expected) })
    }
  }
  pairs.sort((a, b) => a.gap - b.gap || a.t.anchorDay - b.t.anchorDay)
  for (const { t, unit } of pairs) {
    if (t.entries.length > 0 || unit.some((c) => used[c.index] === 1)) continue
    for (const c of unit) {
      used[c.index] = 1
      t.entries.push(c.index)
      t.booked += c.amount
    }
    t.method = "near-amount"
  }
}

/** False when the booking's text names a termin or income year other than the claim's own. */
const samePeriod = (t: Target, unit: ReadonlyArray<Candidate>): boolean => {
  if (t.kravgruppe === undefined || t.periodStart === undefined) return true
  for (const c of unit) {
    if (!/termin|inntektsår|\b20\d\d\b/i.test(c.text)) continue
    const p = Calendar.periodOf(t.kravgruppe, Dato.fromEpochDay(c.day), c.text)
    if (p !== undefined && p.start !== t.periodStart) return false
  }
  return true
}
