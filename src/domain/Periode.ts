/**
 * A requested period (`fraOgMed`..`tilOgMed`, both inclusive).
 *
 * The API accepts at most one year per call (api/kravogbetalinger.md: "innen et gitt tidsrom på
 * maks ett år"); we read that as tilOgMed earlier than the same date one year after fraOgMed.
 * Longer periods are split into yearly pieces by `splitIntoYears`.
 */
import { Either, Schema } from "effect"
import * as Dato from "./Dato.ts"

export const Periode = Schema.Struct({
  fraOgMed: Dato.Dato,
  tilOgMed: Dato.Dato
}).annotations({ identifier: "Periode" })
export type Periode = typeof Periode.Type

export type PeriodeProblem =
  | { readonly field: "fraOgMed" | "tilOgMed"; readonly message: string }
  | { readonly field: "periode"; readonly message: string }

export const make = (fraOgMed: string, tilOgMed: string): Either.Either<Periode, PeriodeProblem> => {
  const fra = Dato.parse(fraOgMed)
  if (Either.isLeft(fra)) return Either.left({ field: "fraOgMed", message: fra.left })
  const til = Dato.parse(tilOgMed)
  if (Either.isLeft(til)) return Either.left({ field: "tilOgMed", message: til.left })
  if (til.right < fra.right) {
    return Either.left({ field: "periode", message: `tilOgMed ${til.right} is before fraOgMed ${fra.right}` })
  }
  return Either.right({ fraOgMed: fra.right, tilOgMed: til.right })
}

/** True when the API accepts the period in one call. */
export const withinOneYear = (p: Periode): boolean => p.tilOgMed < Dato.addYears(p.fraOgMed, 1)

/** Splits a period into consecutive pieces of at most one year each, in order, covering it exactly. */
export const splitIntoYears = (p: Periode): ReadonlyArray<Periode> => {
  const out: Array<Periode> = []
  let fra = p.fraOgMed
  while (fra <= p.tilOgMed) {
    const lastOfYear = Dato.addDays(Dato.addYears(fra, 1), -1)
    const til = Dato.min(lastOfYear, p.tilOgMed)
    out.push({ fraOgMed: fra, tilOgMed: til })
    fra = Dato.addDays(til, 1)
  }
  return out
}

export const contains = (p: Periode, d: Dato.Dato): boolean => p.fraOgMed <= d && d <= p.tilOgMed
