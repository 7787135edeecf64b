/**
 * The utleggstrekk accounts in the one mapping file (`--mapping`, src/reconcile/mapping/loadMapping.ts):
 * 2610 by default, the same account rules and field-naming errors as the other accounts, no
 * account in two lists; `kravsync trekkavstemming` reads the same file with the same rules.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import * as Mapping from "../../src/reconcile/mapping/AccountMapping.ts"
import { DEFAULT_UTLEGGSTREKK, parseMapping, utleggstrekkConflict } from "../../src/reconcile/mapping/loadMapping.ts"
import * as TrekkMapping from "../../src/trekk/TrekkMapping.ts"

const parse = (file: unknown) => parseMapping(JSON.stringify(file), "firma.json")
const field = (e: Either.Either<unknown, { readonly field: string; readonly message: string }>) => (Either.isLeft(e) ? e.left.field : undefined)

describe("utleggstrekk in the mapping file", () => {
  it("is 2610 when the file leaves it out, and the file's accounts when it names them; the tax accounts are unchanged", () => {
    const without = Either.getOrThrow(parse({ kravgrupper: { merverdiavgift: ["2741"] } }))
    expect(without.utleggstrekk.accounts).toEqual(["2610"])
    expect(without.utleggstrekk.source).toContain("firma.json")
    const withIt = Either.getOrThrow(parse({ kravgrupper: { merverdiavgift: ["2741"] }, utleggstrekk: ["2611", "2612"] }))
    expect(withIt.utleggstrekk).toEqual({ source: "firma.json", accounts: ["2611", "2612"] })
    expect(Mapping.rows(withIt)).toEqual(Mapping.rows(without))
    expect(Mapping.accounts(withIt)).not.toContain("2611")
  })

  it("errors name the field as for the other accounts", () => {
    expect(field(parse({ utleggstrekk: [2610] }))).toBe("utleggstrekk.0")
    expect(field(parse({ utleggstrekk: ["26 10"] }))).toBe("utleggstrekk.0")
    expect(field(parse({ utleggstrekk: "2610" }))).toBe("utleggstrekk")
    const empty = parse({ utleggstrekk: [] })
    expect(field(empty)).toBe("utleggstrekk")
    expect(Either.isLeft(empty) && empty.left.message).toContain("at least one account")
    // A typo in the name is refused like any unknown field.
    expect(field(parse({ utleggstrek: ["2610"] }))).toBe("utleggstrek")
  })

  it("an account can belong to one list only: utleggstrekk on a tax account is refused, naming both", () => {
    const clash = parse({ utleggstrekk: ["2600"] })
    expect(field(clash)).toBe("utleggstrekk")
    expect(Either.isLeft(clash) && clash.left.message).toMatch(/firma\.json: account 2600 is also used by forskuddstrekk/)
    // The default 2610 is checked only when Trekkpålegg is asked for (a file that uses 2610 otherwise still reads).
    const taken = Either.getOrThrow(parse({ kravgrupper: { forskuddstrekk: ["2600", "2610"] } }))
    expect(utleggstrekkConflict(taken, DEFAULT_UTLEGGSTREKK)?.message).toContain("give the utleggstrekk accounts in the mapping file")
    expect(utleggstrekkConflict(Mapping.standard, DEFAULT_UTLEGGSTREKK)).toBeUndefined()
  })

  it("trekkavstemming's --mapping reads the same file with the same rules", () => {
    expect(Either.getOrThrow(TrekkMapping.parseMapping(JSON.stringify({ utleggstrekk: ["2611"] }), "f.json")).accounts).toEqual(["2611"])
    const bad = TrekkMapping.parseMapping(JSON.stringify({ kravgrupper: { moms: ["2740"] } }), "f.json")
    expect(Either.isLeft(bad) && bad.left.field).toBe("kravgrupper.moms")
    expect(Either.getOrThrow(TrekkMapping.parseMapping("{}", "f.json")).accounts).toEqual(["2610"])
  })
})
