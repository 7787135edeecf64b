/**
 * Decoding a large åpne-krav response with the model (effect/Schema, amounts to exact øre)
 * against `JSON.parse` alone on the same bytes. Run: `npx tsx bench/decode.ts` (or `npm run bench`).
 */
import { Schema } from "effect"
import { largeAapneKrav } from "../sandbox/Generate.ts"
import { AapneKrav } from "../src/domain/Dokumenter.ts"
import { writeSection } from "./section.ts"

/** CPU time (user + system) of one call, in ms: the machine is shared, so wall time says less. */
const cpu = (f: () => void): number => {
  const start = process.cpuUsage()
  f()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000
}

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[s.length >> 1]!
}

/** Medians of `repeat` alternating runs of each, after warm-up runs that let the JIT settle. */
const measure = (fs: ReadonlyArray<() => void>, repeat: number): Array<number> => {
  for (let i = 0; i < 3; i++) for (const f of fs) f()
  const times: Array<Array<number>> = fs.map(() => [])
  for (let i = 0; i < repeat; i++) fs.forEach((f, j) => times[j]!.push(cpu(f)))
  return times.map(median)
}

export const run = async () => {
  const rows: Array<string> = []
  const decode = Schema.decodeUnknownSync(AapneKrav)
  for (const n of [10_000, 50_000]) {
    const bytes = JSON.stringify(largeAapneKrav("313367002", n))
    const repeat = n <= 10_000 ? 11 : 5
    const [parseOnly = 0, parseAndDecode = 0] = measure([() => void JSON.parse(bytes), () => void decode(JSON.parse(bytes))], repeat)
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
CPU time (process.cpuUsage, user + system) per run, medians of 11 runs at 10k and 5 at 50k, the two alternating;
the machine is shared with other work, so CPU time rather than wall time. Command: \`npx tsx bench/decode.ts\`.

| krav | body | JSON.parse | parse + decode | ratio | per krav |
|---|---|---|---|---|---|
${rows.join("\n")}`
  console.log(body)
  writeSection("decode", body)
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
