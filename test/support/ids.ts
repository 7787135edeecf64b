/** Branded values from literals in tests: `part("212201782")`, `periode("2023-01-01", "2023-09-01")`; a bad literal throws. */
import { Either } from "effect"
import * as PartIdentifikator from "../../src/domain/PartIdentifikator.ts"
import * as Periode from "../../src/domain/Periode.ts"

export const part = (value: string): PartIdentifikator.PartIdentifikator =>
  Either.getOrThrowWith(PartIdentifikator.parse(value), (e) => new Error(`test literal: ${e.message}`))

export const periode = (fraOgMed: string, tilOgMed: string): Periode.Periode =>
  Either.getOrThrowWith(Periode.make(fraOgMed, tilOgMed), (e) => new Error(`test literal: ${e.field}: ${e.message}`))
