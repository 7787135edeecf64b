/**
 * Decoding a large åpne-krav response with the model (effect/Schema, amounts to exact øre)
 * against `JSON.parse` alone on the same bytes. Run: `npx tsx bench/decode.ts` (or `npm run bench`).
 */
import { Schema } from "effect"
import { largeAapneKrav } from "../sandbox/Generate.ts"
import { AapneKrav } from "../src/domain/Dokumenter.ts"
import { writeSection } from "./section.ts"

const time = (f: () => void, repeat: number): number => {
  for (let i = 0; i < 3; i++) f() // warm-up: let the JIT settle before timing
  const start = performance.now()
  for (let i = 0; i < repeat; i++) f()
  return (performance.now() - start) / repeat
}

export const run = async () => {
  const rows: Array<string> = []
  const decode = Schema.decodeUnknownSync(AapneKrav)
  for (const n of [10_000, 50_000]) {
    const bytes = JSON.stringify(largeAapneKrav("313367002", n))
    const repeat = n <= 10_000 ? 10 : 3
    const parseOnly = time(() => void JSON.parse(bytes), repeat)
    const parseAndDecode = time(() => void decode(JSON.parse(bytes)), repeat)
    const decoded = decode(JSON.parse(bytes))
    if ((decoded.aapentKravMedGjenstaaendeBeloep?.length ?? 0) !== n) throw new Error("decoded the wrong number of krav")
    rows.push(
      `| ${n.toLocaleString("en")} | ${(bytes.length / 1e6).toFixed(1)} MB | ${parseOnly.toFixed(0)} ms | ${parseAndDecode.toFixed(0)} ms | ${
        (parseAndDecode / parseOnly).toFixed(1)
      }× | ${((parseAndDecode * 1000) / n).toFixed(1)} µs |`
    )
  }
  const body = `Decoding an åpne-krav response of N generated krav (one kravforfall each; sandbox/Generate.ts \`largeAapneKrav\`)
with the model (\`Schema.decodeUnknownSync(AapneKrav)\` after \`JSON.parse\`: identifiers checked, dates validated,
every amount turned into exact øre) against \`JSON.parse\` alone on the same bytes, in the same run.
Command: \`npx tsx bench/decode.ts\`.

| krav | body | JSON.parse | parse + decode | ratio | per krav |
|---|---|---|---|---|---|
${rows.join("\n")}`
  console.log(body)
  writeSection("decode", body)
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
