/**
 * SAF-T parse benchmark: generates SAF-T 1.30 files of two sizes (SAFT_BENCH_MB, default 500,
 * and a tenth of it) into bench/.out/, then parses each in fresh processes: a bare saxes pass over
 * the same bytes with the same 64 KiB chunks (the baseline) and the kravsync SAF-T reader keeping
 * the tax-account lines. Runs alternate (bare, reader, bare, reader, …; SAFT_BENCH_RUNS, default
 * 3) and the medians are reported: CPU time (user + system of the parse, from the child's
 * process.cpuUsage), its ratio to the baseline, wall time and peak RSS of both (flat RSS as the
 * file grows = streaming works).
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, statSync } from "node:fs"
import { loadavg } from "node:os"
import { join } from "node:path"
import { type SaftTransaction, writeSaft } from "../sandbox/saft/SaftWriter.ts"
import * as Dato from "../src/domain/Dato.ts"
import type { Oere } from "../src/domain/Money.ts"
import { writeSection } from "./section.ts"

const OUT = join(import.meta.dirname, ".out")
/** The tax accounts the reader keeps (one line in ten is on one of them). */
export const TAX_ACCOUNTS = ["2510", "2600", "2740", "2770"]
/** The company the generated files belong to: the sandbox's party 212201782. */
export const BENCH_COMPANY = { registrationNumber: "212201782", name: "Bench AS" }

const transactions = (count: number) =>
  function*(): Generator<SaftTransaction> {
    for (let i = 0; i < count; i++) {
      const amount = (((i * 7919) % 9_999_999) + 100) as Oere
      const tax = i % 10 === 0
      yield {
        id: String(100000 + i),
        date: Dato.addDays("2023-01-01" as Dato.Dato, i % 365),
        description: `Bilag ${i} varekjøp leverandør`,
        lines: [
          { account: tax ? (TAX_ACCOUNTS[i % 4] as string) : "4000", amount, description: "Kostnad/avgift", reference: `REF${i}` },
          { account: "1920", amount: -amount as Oere, description: "Bank" }
        ]
      }
    }
  }

/** Writes bench/.out/saft-<mb>mb.xml (about `mb` MiB, two-line vouchers over 2023) for 212201782. */
export const generate = async (mb: number): Promise<{ path: string; bytes: number; lines: number }> => {
  mkdirSync(OUT, { recursive: true })
  const count = Math.round((mb * 1024 * 1024) / 760) // ≈ 760 bytes per two-line transaction
  const path = join(OUT, `saft-${mb}mb.xml`)
  await writeSaft({
    company: BENCH_COMPANY,
    periode: { fraOgMed: "2023-01-01" as Dato.Dato, tilOgMed: "2023-12-31" as Dato.Dato },
    accounts: [],
    transactions: transactions(count)
  }, path)
  return { path, bytes: statSync(path).size, lines: count * 2 }
}

export interface ChildResult {
  readonly ms: number
  readonly cpuMs: number
  readonly maxRssMb: number
  readonly kept: number
}

/** One parse in a fresh process (bench/saft-child.ts). */
export const child = (mode: "bare" | "reader", path: string): ChildResult =>
  JSON.parse(
    execFileSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, "saft-child.ts"), mode, path], { encoding: "utf8", maxBuffer: 1 << 20 }).trim()
      .split("\n").pop() as string
  ) as ChildResult

export const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`

/** The figure against the target, for the largest file (the last ratio). */
const verdict = (ratios: ReadonlyArray<number>): string => {
  const last = ratios[ratios.length - 1] as number
  return last <= 1.15
    ? `Target met: ${last.toFixed(2)}× on the largest file.`
    : `Target not met: ${last.toFixed(2)}× on the largest file, against ≤ 1.15× (see below for where the difference goes).`
}

export const run = async () => {
  const big = Number(process.env["SAFT_BENCH_MB"] ?? 500)
  const runs = Math.max(3, Number(process.env["SAFT_BENCH_RUNS"] ?? 3))
  const rows: Array<string> = []
  // Per element of the largest file (the generator writes 21 elements per two-line voucher): saxes's own CPU time and the reader's on top of it, in µs.
  let perElement = { bare: 0, extra: 0, elements: 0 }
  const medianRatios: Array<number> = []
  const load0 = loadavg()[0] as number
  for (const mb of [Math.max(1, Math.round(big / 10)), big]) {
    const f = await generate(mb)
    const bare: Array<ChildResult> = []
    const reader: Array<ChildResult> = []
    for (let i = 0; i < runs; i++) {
      bare.push(child("bare", f.path))
      reader.push(child("reader", f.path))
    }
    const m = (xs: ReadonlyArray<ChildResult>, k: keyof ChildResult) => median(xs.map((x) => x[k]))
    const ratios = bare.map((b, i) => (reader[i] as ChildResult).cpuMs / b.cpuMs)
    medianRatios.push(m(reader, "cpuMs") / m(bare, "cpuMs"))
    const elements = (f.lines / 2) * 21
    perElement = { bare: (m(bare, "cpuMs") * 1000) / elements, extra: ((m(reader, "cpuMs") - m(bare, "cpuMs")) * 1000) / elements, elements }
    rows.push(
      `| ${(f.bytes / 1048576).toFixed(0)} MB | ${f.lines.toLocaleString("en")} | ${s(m(bare, "cpuMs"))} | ${s(m(reader, "cpuMs"))} | ${
        (m(reader, "cpuMs") / m(bare, "cpuMs")).toFixed(2)
      }× | ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}× | ${s(m(bare, "ms"))} | ${s(m(reader, "ms"))} | ${
        (f.bytes / 1048576 / (m(reader, "cpuMs") / 1000)).toFixed(0)
      } MB/s | ${m(bare, "maxRssMb").toFixed(0)} MB | ${m(reader, "maxRssMb").toFixed(0)} MB | ${(reader[0] as ChildResult).kept.toLocaleString("en")} |`
    )
    console.log(rows[rows.length - 1])
  }
  const load1 = loadavg()[0] as number
  writeSection(
    "saft",
    `SAF-T Financial parse (\`SAFT_BENCH_MB=500 npx tsx bench/saft.ts\`, or \`npm run bench\`): generated SAF-T 1.30 files
(sandbox/saft/SaftWriter.ts, two-line vouchers) parsed in a fresh process each. Baseline = a bare \`saxes\` pass over the
same file with the same 64 KiB chunks (decoded by the same strict UTF-8 \`TextDecoder\` as the reader, the reader's
saxes options: position tracking on, no \`xmlns\` processing, a whole document; no-op \`opentag\`/\`text\` handlers). The
reader keeps only lines on the tax accounts (one voucher in ten has one: 5 % of the lines) and still reads every line's
amount for its voucher's balance check. Bare and reader runs alternate, ${runs} of each per size; the figures are medians. The machine has 2
cores shared with other work (1-minute load average ${load0.toFixed(1)} at the start and ${load1.toFixed(1)} at the
end of this run), so the ratio is of **CPU time** (user + system of the parse, all threads, garbage collection
included; module loading excluded), which the load moves far less than wall time. Node ${process.version}. Target
(issue #13): ≤ 1.15× bare saxes, RSS flat.

| File | Journal lines | bare saxes CPU | reader CPU | ratio (median) | ratio range | bare wall | reader wall | reader CPU throughput | peak RSS bare | peak RSS reader | lines kept |
|---|---|---|---|---|---|---|---|---|---|---|---|
${rows.join("\n")}

${verdict(medianRatios)}

Peak RSS does not grow with the document: the bare pass's is the same for both sizes, and the reader's is the bare
pass's plus Effect's modules (which the reader imports) plus the lines it keeps, which do grow with the file (5 % of
its lines here). The reader never holds the document, and no string it keeps shares memory with a parser chunk.

Where the reader's time above the bare pass goes, measured on this machine with variants of the reader alternated
with the bare pass on a 10 MB file (in fresh processes, 5 rounds, and in one process, 20 rounds; the load moves single
figures by ±15 %, so these are rough): the reader with its seven handlers registered but every tag's work taken out (texts still counted for the
1 MB limit) costs 1.02–1.03× the bare pass, so saxes's events and the decoding are not where the time goes; adding
the element dispatch (finding which element a tag is, the stack, keeping the texts read) brings it to 1.26–1.33×;
the line logic (amounts read digit by digit, the voucher balance, the account checks, the kept lines) makes up the
rest. The costliest single line in \`node --cpu-prof\` is the comparison of a tag name with the name it is expected
to be: saxes hands a name of 13 characters or more over as a slice of its input chunk, and comparing such a slice
costs about as much as saxes spends reading the name. The reader now compares each tag only with the children its
parent can have that the reader reads (found by the name's length), skips every other element with all it contains
at the cost of a counter, and routes each close tag with one switch on a code that already says where the element
is. Taking the name comparison out altogether (an inexact check of two characters, for measurement only) saved a
further 3–8 %; no exact comparison measured cheaper (\`===\`, a character loop, a Map, \`startsWith\` are within the
noise of each other). Why the target is not met: on the largest file saxes's own work is ${perElement.bare.toFixed(2)} µs per element (the
${(perElement.elements / 1e6).toFixed(1)} million elements of its vouchers, text included) and the reader adds
${perElement.extra.toFixed(2)} µs; 1.15× would leave ${(perElement.bare * 0.15).toFixed(2)} µs per element for finding which
element a tag is, keeping its text, and the line logic together. By the variants above about two thirds of the excess is
the dispatch and one third the line logic, and of the dispatch the exact name comparison is the largest single part;
no further cut we tried measured outside the noise of this loaded machine.

Before and after this change (issue #13), measured once in one session on the 510 MB file (not rerun by this
benchmark): 6 fresh-process runs of each, alternated — bare saxes, the reader as of commit ff89535 (name lookup by
length for every tag, close tags routed through a chain of tests), the reader now — with the load average between
18 and 14: bare 5.69 s, before 7.68 s (1.35×, per-run 1.16–1.45×), after 7.68 s (1.35×, per-run 1.17–1.46×). At this
size the two readers cannot be told apart on this machine. In-process variants on 10 and 50 MB files (the same
process parsing the file several times, medians) put the new dispatch 3–12 % below the old one, a difference the load
hides at 510 MB. The earlier figure in this section, 1.39× (load 13.2 → 7.3), and this run's differ by about as much
as the load moves the ratio between runs; the earlier text's "1.7–1.9× before commit 4055589" was not reproduced and
is dropped.

Note that saxes keeps its event handlers as properties added one at a time: with an eighth handler (an
\`attribute\` handler, say) the parser's property accesses turn slow and the bare pass itself costs 4.5× (measured:
10 MB, bare pass with 2, 7 and 8 no-op handlers: 1.00×, 1.00×, 4.5×) — the reader registers seven. The baseline
registers two (\`opentag\`, \`text\`); registering the reader's seven as no-ops makes no measurable difference.`
  )
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
