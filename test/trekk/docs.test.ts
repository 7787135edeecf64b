/**
 * docs/trekkpaalegg.md keeps up with the model: every field of the Trekkpaalegg schema (and of its
 * periods and payment information) has a row in "The model, field by field" naming its source,
 * every finding kind of the section is explained, and the guesses have their section.
 */
import { describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Betalingsinformasjon, Trekkpaalegg, TrekkstoerrelseForPeriode } from "../../src/domain/trekkpaalegg/Trekkpaalegg.ts"
import { FindingKind } from "../../src/trekk/Section.ts"

const doc = readFileSync(join(import.meta.dirname, "..", "..", "docs", "trekkpaalegg.md"), "utf8")
const section = (heading: string) => {
  const start = doc.indexOf(`\n## ${heading}`)
  expect(start).toBeGreaterThan(-1)
  const end = doc.indexOf("\n## ", start + 1)
  return doc.slice(start, end === -1 ? undefined : end)
}

describe("docs/trekkpaalegg.md", () => {
  it("has a row naming its source for every field of the model", () => {
    const model = section("The model, field by field")
    const rows = model.split("\n").filter((l) => l.startsWith("| `"))
    const rowFor = (name: string) => rows.find((r) => r.split("|")[1]?.includes(name))
    const fields = [
      ...Object.keys(Trekkpaalegg.fields),
      ...Object.keys(TrekkstoerrelseForPeriode.from.fields).map((f) => `[].${f}`),
      ...Object.keys(Betalingsinformasjon.fields).map((f) => `betalingsinformasjon.${f}`)
    ]
    for (const f of fields) {
      const row = rowFor(f)
      expect(row, `no row for ${f}`).toBeDefined()
      const source = row?.split("|").at(-2)?.trim() ?? ""
      expect(source.length, `no source for ${f}`).toBeGreaterThan(5)
    }
  })

  it("explains every finding kind, and says what is a guess", () => {
    const reconciliation = section("The reconciliation against 2610")
    for (const kind of FindingKind.literals) expect(reconciliation).toContain(`\`${kind}\``)
    expect(section("Guesses, where the published material is silent").split("\n").filter((l) => l.trim().length > 0).length).toBeGreaterThan(3)
  })
})
