/**
 * Amounts in the XML form (src/domain/xml.ts): an amount element's text is money only when it is an
 * xs:decimal (XML Schema 1.1 Part 2, 3.3.3), the form the sandbox's encoder writes. Found while
 * explaining the XML counterexample of the decoder fuzz test (docs/reliability.md, "API decoders
 * under damage"): the reader took any text `Number()` takes, so `0x10` became 16 kroner, `1e3`
 * 1000 kroner and `0b1` 1 krone, money the body does not hold as a decimal.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { readFileSync } from "node:fs"
import { encodeJson } from "../../src/client/decode.ts"
import { decodeBody } from "../../src/client/internal/response.ts"
import { documentFor } from "../../src/domain/Dokumenter.ts"
import { encodeXml } from "../../src/domain/xml.ts"

const seed = JSON.parse(readFileSync("sandbox/seed/aapnekrav-212201782.json", "utf8")) as Record<string, unknown>
const xml = encodeXml(documentFor.aapnekrav.schema as never, documentFor.aapnekrav.xmlRoot, seed as never)

/** The seed's XML with the first krav's own opprinneligBeloep (10000 kroner) written as `text`. */
const withFirstAmount = (text: string): string => {
  const at = xml.indexOf("<opprinneligBeloep>")
  const end = xml.indexOf("</opprinneligBeloep>", at)
  return `${xml.slice(0, at)}<opprinneligBeloep>${text}${xml.slice(end)}`
}

const firstKrav = (body: string) => {
  const r = decodeBody("aapnekrav", "xml", body, false)
  if (Either.isLeft(r)) return r
  const json = encodeJson("aapnekrav", r.right.document) as { aapentKravMedGjenstaaendeBeloep: Array<{ opprinneligBeloep: number }> }
  return Either.right(json.aapentKravMedGjenstaaendeBeloep[0]!.opprinneligBeloep)
}

describe("XML amounts are xs:decimal", () => {
  it("the seed reads back as written", () => {
    expect(xml).toContain("<opprinneligBeloep>10000</opprinneligBeloep>")
    expect(firstKrav(xml)).toEqual(Either.right(10000))
  })

  it("hexadecimal, binary, octal and exponent texts are not amounts: strict fails at the field, lenient sets the krav aside", () => {
    for (
      const text of [
        "0x10",
        "0X2710",
        "0b1",
        "0o7",
        "1e3",
        "1E+2",
        "Infinity",
        "1,5",
        "1 000",
        "--1",
        ".",
        "\u00a01",
        "10.0000000000000001",
        "90071992547409.91"
      ]
    ) {
      const body = withFirstAmount(text)
      const strict = decodeBody("aapnekrav", "xml", body, false)
      expect(Either.isLeft(strict), text).toBe(true)
      if (Either.isLeft(strict)) expect(strict.left.path).toBe("aapentKravMedGjenstaaendeBeloep[0].opprinneligBeloep")
      const lenient = decodeBody("aapnekrav", "xml", body, true)
      expect(Either.isRight(lenient), text).toBe(true)
      if (Either.isRight(lenient)) {
        expect(lenient.right.rejected.map((x) => x.path)).toEqual(["aapentKravMedGjenstaaendeBeloep[0].opprinneligBeloep"])
        expect(lenient.right.document.aapentKravMedGjenstaaendeBeloep?.length).toBe(
          (seed["aapentKravMedGjenstaaendeBeloep"] as Array<unknown>).length - 1
        )
      }
    }
  })

  it("every xs:decimal form is read exactly, whitespace collapsed", () => {
    for (
      const [text, kroner] of [["1", 1], ["+1", 1], [".5", 0.5], ["5.", 5], [" 10.50 ", 10.5], ["-0.01", -0.01], ["007", 7], ["\n 1.10\t", 1.1], [
        "-0",
        0
      ]] as const
    ) {
      expect(firstKrav(withFirstAmount(text)), text).toEqual(Either.right(kroner))
    }
  })
})
