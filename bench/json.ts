/**
 * The JSON report sink against `JSON.stringify` of the same elements, measured in the same run:
 * a report of N kravforfall against 10·N ledger entries (bench/reconcile.ts's data), reconciled
 * first, then written by `writeJson` (atomically, to a temporary file renamed into place) and, as
 * the baseline, every element stringified with no schema and no file. Run: `npx tsx bench/json.ts`.
 */
import { Effect } from "effect"
import { mkdtempSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Dato } from "../src/domain/Dato.ts"
import { writeJson } from "../src/reconcile/JsonReportSink.ts"
import * as Mapping from "../src/reconcile/mapping/AccountMapping.ts"
import { reconcile } from "../src/reconcile/reconcile.ts"
import { build } from "./reconcile.ts"
import { writeSection } from "./section.ts"

const N = 100_000

export const run = async () => {
  const data = build(N)
  const report = reconcile({
    party: "212201782",
    periode: data.ledger.periode,
    asOf: "2023-12-31" as Dato,
    krav: data.krav,
    innbetalinger: data.innbetalinger,
    ledger: data.ledger,
    mapping: Mapping.standard,
    generatedAt: "bench",
    kravsyncVersion: "bench"
  })
  const median = (xs: Array<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
  const base: Array<number> = []
  const ours: Array<number> = []
  const dir = mkdtempSync(join(tmpdir(), "kravsync-bench-json-"))
  let bytes = 0
  for (let i = 0; i < 3; i++) {
    let t0 = performance.now()
    let n = 0
    for (const key of ["accounts", "claims", "payments", "ledgerEntries"] as const) for (const x of report[key]) n += JSON.stringify(x).length
    base.push(performance.now() - t0)
    t0 = performance.now()
    await Effect.runPromise(writeJson(report, join(dir, "r.json")))
    ours.push(performance.now() - t0)
    bytes = statSync(join(dir, "r.json")).size
    if (n === 0) throw new Error("nothing stringified")
  }
  rmSync(dir, { recursive: true, force: true })
  const body = `The JSON report sink (\`npx tsx bench/json.ts\`): a report of ${N.toLocaleString("en")} kravforfall against ${
    (10 * N).toLocaleString("en")
  } ledger entries (bench/reconcile.ts's data, reconciled first; ${(bytes / 1e6).toFixed(0)} MB of JSON), written by \`writeJson\`
(to a temporary file, flushed, renamed), against \`JSON.stringify\` of the same elements with no file, measured in the same run;
medians of 3.

| writer | time | ratio |
|---|---|---|
| \`JSON.stringify\` of the elements | ${(median(base) / 1000).toFixed(2)} s | 1.00× |
| the JSON sink | ${(median(ours) / 1000).toFixed(2)} s | ${(median(ours) / median(base)).toFixed(2)}× |

The elements are stringified as they are (the report's encoded form is its type); only the head goes through the Report
schema, and test/reconcile/digest.test.ts holds the output to the byte. Before, every element went through
\`Schema.encodeSync\`: 3.9× the baseline (issue "Performance").`
  console.log(body)
  writeSection("json", body)
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
