/**
 * Decoding a large åpne-krav response as the client does (src/client/decode.ts: strict and lenient,
 * through src/domain/FastDecode.ts) and with Effect's decoder alone, against `JSON.parse` alone on
 * the same bytes, in the same run. Run: `npx tsx bench/decode.ts` (or `npm run bench`).
 */
import { Either } from "effect"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import { largeAapneKrav } from "../sandbox/Generate.ts"
import { decodeLenient, decodeStrict } from "../src/client/decode.ts"
import { AapneKrav } from "../src/domain/Dokumenter.ts"
import { effectDecoderFor } from "../src/domain/FastDecode.ts"
import { writeSection } from "./section.ts"

// A full collection before each timed run, outside the timing: each run pays for its own garbage,
// not for the previous run's (JSON.parse alone otherwise varied 2× with what ran before it).
setFlagsFromString("--expose-gc")
const gc = runInNewContext("gc") as () => void

/** CPU time (user + system) of one call, in ms: the machine is shared, so wall time says less. */
const cpu = (f: () => void): number => {
  gc()
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

const ms = (x: number) => `${x.toFixed(0)} ms`
const ratio = (x: number, base: number) => `${(x / base).toFixed(1)}×`

export const run = async () => {
  const rows: Array<string> = []
  const effectOnly = effectDecoderFor(AapneKrav)
  for (const n of [10_000, 50_000]) {
    const bytes = JSON.stringify(largeAapneKrav("313367002", n))
    const strict = decodeStrict("aapnekrav", JSON.parse(bytes))
    const lenient = decodeLenient("aapnekrav", JSON.parse(bytes))
    const effect = effectOnly(JSON.parse(bytes))
    if (Either.isLeft(strict) || Either.isLeft(lenient) || Either.isLeft(effect)) throw new Error("the generated response did not decode")
    if ((strict.right.aapentKravMedGjenstaaendeBeloep?.length ?? 0) !== n) throw new Error("decoded the wrong number of krav")
    if (JSON.stringify(strict.right) !== JSON.stringify(effect.right) || JSON.stringify(lenient.right.document) !== JSON.stringify(effect.right)) {
      throw new Error("the client's decode and Effect's differ")
    }
    const repeat = n <= 10_000 ? 11 : 5
    const [parse = 0, viaEffect = 0, viaStrict = 0, viaLenient = 0] = measure([
      () => void JSON.parse(bytes),
      () => void effectOnly(JSON.parse(bytes)),
      () => void decodeStrict("aapnekrav", JSON.parse(bytes)),
      () => void decodeLenient("aapnekrav", JSON.parse(bytes))
    ], repeat)
    rows.push(
      `| ${n.toLocaleString("en")} | ${(bytes.length / 1e6).toFixed(1)} MB | ${ms(parse)} | ${ms(viaEffect)} (${ratio(viaEffect, parse)}) | ${ms(viaStrict)} (${
        ratio(viaStrict, parse)
      }) | ${ms(viaLenient)} (${ratio(viaLenient, parse)}) | ${((viaStrict * 1000) / n).toFixed(1)} µs |`
    )
  }
  const peak = process.resourceUsage().maxRSS / 1024
  const body = `Decoding an åpne-krav response of N generated krav (one kravforfall each; sandbox/Generate.ts \`largeAapneKrav\`)
into the model (identifiers checked, dates validated, every amount turned into exact øre) after \`JSON.parse\`,
against \`JSON.parse\` alone on the same bytes, in the same run: Effect's decoder alone
(\`Schema.decodeUnknownEither(AapneKrav)\`, what the client ran before), and the client's strict and lenient decode
(src/client/decode.ts: src/domain/FastDecode.ts's fast path over the same schemas, Effect's decoder behind it for
every failure, so errors and paths are Effect's). The three decoders' results are checked equal before timing.
CPU time (process.cpuUsage, user + system, the garbage collector's threads included) per run, a full
collection before each run and outside its timing, medians of 11 runs at 10k and 5 at 50k, the four alternating;
the machine is shared with other work, so CPU time rather than wall time. Ratios are to \`JSON.parse\`.
Peak RSS of the whole benchmark: ${peak.toFixed(0)} MB. Command: \`npx tsx bench/decode.ts\`.

| krav | body | JSON.parse | parse + Effect's decoder | parse + client strict | parse + client lenient | per krav (strict) |
|---|---|---|---|---|---|---|
${rows.join("\n")}

Target (issue "Performance", row "decode åpne krav"): the client's decode ≤ 3× \`JSON.parse\`. Before the fast path
(commit e3e561f, the client's decode was Effect's decoder, amounts through their text, dates by regular expression;
the same command, load 14–19 on 2 cores): 10,000 krav 47 ms / 270 ms strict (5.7×) / 300 ms lenient (6.3×);
50,000 krav 387 ms / 1665 ms (4.3×) / 1544 ms (4.0×). What is left is mostly the garbage collector's work on the
output tree beside the parsed input (a CPU profile of parse + strict decode at 10k: GC 27 %, \`JSON.parse\` 18 %,
the fast path's own code under 10 %).
Runs of this command vary with the machine's load: on this change's day (load 12–21 on 2 cores) the strict ratio
at 10,000 krav was 2.6×, 3.5× and 2.2× in three runs, at 50,000 1.7×, 1.8× and 1.9×; the 10k figure sits near
the target, the 50k one well inside it.`
  console.log(body)
  writeSection("decode", body)
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
