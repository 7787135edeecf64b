import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { readFileSync } from "node:fs"
import { AapneKrav, KravListe } from "../../src/domain/index.ts"

const seed = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../sandbox/seed/${name}`, import.meta.url), "utf8"))

describe("seed examples round trip through the model", () => {
  it.each(
    [
      ["aapnekrav-212201782.json", AapneKrav],
      ["krav-212201782-2023-01-01_2023-09-01.json", KravListe]
    ] as const
  )("%s", (name, schema) => {
    const wire = seed(name)
    const decoded = Schema.decodeUnknownEither(schema as Schema.Schema<unknown, unknown>)(wire)
    if (Either.isLeft(decoded)) throw new Error(String(decoded.left))
    const encoded = Schema.encodeSync(schema as Schema.Schema<unknown, unknown>)(decoded.right)
    expect(encoded).toStrictEqual(wire)
  })
})
