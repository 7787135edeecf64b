/**
 * The report is byte-for-byte stable: a fixed company's books (all booking styles, every deliberate
 * difference) reconciled at two dates, encoded as the JSON sink writes it, hashed. Refactoring the
 * engine or the sink must not change a byte; a deliberate change of output updates the digests here
 * in the same commit, with the reason.
 */
import { describe, expect, it } from "@effect/vitest"
import { createHash } from "node:crypto"
import { ALL_DIFFERENCES, ALL_STYLES, generateCompany } from "../../sandbox/books/index.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import type { Periode } from "../../src/domain/Periode.ts"
import { jsonChunks } from "../../src/reconcile/JsonReportSink.ts"
import { reconcileBooks } from "./books.ts"

const books = generateCompany({
  part: "313367002",
  name: "Sandbox Regnskap AS",
  seed: 42,
  firstYear: 2024,
  years: 2,
  styles: ALL_STYLES,
  differences: ALL_DIFFERENCES
})
const periode = { fraOgMed: "2025-01-01", tilOgMed: "2025-12-31" } as Periode
const digest = (asOf: string) => createHash("sha256").update([...jsonChunks(reconcileBooks(books, periode, asOf as Dato))].join("")).digest("hex")

describe("report digest", () => {
  it("is unchanged for a fixed company at mid-year and at year-end", () => {
    expect({ midYear: digest("2025-06-30"), yearEnd: digest("2025-12-31") }).toEqual({
      midYear: "48443d830511617d2d957bc5f60c6816c851a89fc9065a7db8aa058229b915d4",
      yearEnd: "edba100b8c42eec3bf7f6031c7785e203b00e9fa9e2a692db1e0ab9e2d5e269e"
    })
  })
})
