/**
 * Equal strings among many (ledger ids, voucher numbers) without a Set or Map holding every one of
 * them: a million-line ledger would need ~40 MB of hash table for what a few typed arrays do (issue
 * #13). Strings are bucketed by a 32-bit FNV-1a hash and compared exactly within their bucket.
 */

const fnv1a = (s: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/**
 * For each position k in [0, count), the first position whose key equals key(k) (k itself when it
 * is the first); positions whose key is undefined are their own.
 */
export const firstOfEqual = (count: number, key: (k: number) => string | undefined): Int32Array => {
  const first = new Int32Array(count)
  let size = 1
  while (size < count) size <<= 1
  const mask = size - 1
  const bucketOf = new Int32Array(count)
  const starts = new Int32Array(size + 1)
  for (let k = 0; k < count; k++) {
    first[k] = k
    const s = key(k)
    const b = s === undefined ? -1 : fnv1a(s) & mask
    bucketOf[k] = b
    if (b >= 0) starts[b + 1] = (starts[b + 1] as number) + 1
  }
  for (let b = 0; b < size; b++) starts[b + 1] = (starts[b + 1] as number) + (starts[b] as number)
  const fill = starts.slice(0, size)
  const order = new Int32Array(starts[size] as number)
  for (let k = 0; k < count; k++) {
    const b = bucketOf[k] as number
    if (b < 0) continue
    order[fill[b] as number] = k
    fill[b] = (fill[b] as number) + 1
  }
  // Within a bucket (in position order), each key is compared with the bucket's distinct keys so far.
  const firsts: Array<number> = []
  for (let b = 0; b < size; b++) {
    const lo = starts[b] as number
    const hi = starts[b + 1] as number
    if (hi - lo < 2) continue
    firsts.length = 0
    for (let p = lo; p < hi; p++) {
      const k = order[p] as number
      const s = key(k)
      const same = firsts.find((f) => key(f) === s)
      if (same === undefined) firsts.push(k)
      else first[k] = same
    }
  }
  return first
}
