/** A small seeded PRNG (mulberry32): the sandbox's data and faults are reproducible from a seed. */
export interface Prng {
  /** Uniform in [0, 1). */
  readonly next: () => number
  /** Integer in [min, max]. */
  readonly int: (min: number, max: number) => number
  readonly pick: <A>(xs: ReadonlyArray<A>) => A
}

export const make = (seed: number): Prng => {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  return { next, int, pick: (xs) => xs[int(0, xs.length - 1)] as (typeof xs)[number] }
}

/** A stable 32-bit hash of a string, to derive per-party seeds. */
export const hash = (s: string): number => {
  let h = 2166136261
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619)
  return h >>> 0
}
