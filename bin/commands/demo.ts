/**
 * `kravsync demo`: the whole product offline. Starts the in-process sandbox with the demo's
 * scenarios (sandbox/demo/full/), reconciles each demo party against its SAF-T ledger
 * shipped in sandbox/demo/, and writes a workbook and a JSON report per party into
 * ./kravsync-demo/. No network, no credentials, no flags needed. The generated companies keep their
 * books the way Norwegian accountants do and close a full year (sandbox/demo/books.ts).
 */
import { Command, Options } from "@effect/cli"
import { Console, Effect, Layer } from "effect"
import { mkdirSync } from "node:fs"
import { isAbsolute, join, relative } from "node:path"
import { layerSandbox } from "../../sandbox/client.ts"
import { demoBooksAsOf, demoBooksPeriode, demoCompanies, demoDir, demoLedgerFile } from "../../sandbox/demo/books.ts"
import { commandHelp } from "../../src/cli/format.ts"
import { withProgress } from "../../src/cli/ProgressRenderer.ts"
import { fromClient } from "../../src/client/KravDataLive.ts"
import { KravOgBetalingerClient } from "../../src/client/KravOgBetalingerClient.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import { formatNok, type Oere } from "../../src/domain/Money.ts"
import type { PartIdentifikator } from "../../src/domain/PartIdentifikator.ts"
import { Progress } from "../../src/Progress.ts"
import { KravData } from "../../src/reconcile/KravData.ts"
import { UNMAPPED_ROW } from "../../src/reconcile/mapping/AccountMapping.ts"
import { Reconciliation } from "../../src/reconcile/Reconciliation.ts"

interface DemoCase {
  readonly party: string
  readonly what: string
  readonly ledger: string
  readonly periode: { readonly fraOgMed: Dato; readonly tilOgMed: Dato }
  readonly asOf: Dato
}

const cases = (): ReadonlyArray<DemoCase> => [
  {
    party: "212201782",
    what: "Skatteetatens eget eksempel, utvidet med alle statusene",
    ledger: join(demoDir, "full", "212201782-2023-full.xml"),
    periode: { fraOgMed: "2023-01-01" as Dato, tilOgMed: "2023-12-31" as Dato },
    asOf: "2023-09-30" as Dato
  },
  ...demoCompanies.map((c) => ({
    party: c.options.part,
    what: c.what,
    ledger: demoLedgerFile(c.options.part),
    periode: demoBooksPeriode,
    asOf: demoBooksAsOf
  }))
]

const quiet = Options.boolean("quiet").pipe(
  Options.withDescription(
    "print only the paths of the files written, one a line (for scripts). Default: off (a line per party with its result, and what to open)"
  )
)
const outDir = Options.directory("out-dir", { exists: "either" }).pipe(
  Options.withDefault("kravsync-demo"),
  Options.withDescription("directory to write the workbooks and JSON reports to (made if missing). Default: kravsync-demo")
)
const lang = Options.choice("lang", ["nb", "en"]).pipe(
  Options.withDefault("nb" as const),
  Options.withDescription("language of the terminal output and the reports' explanations: nb (bokmål) or en (English). Default: nb")
)

const nok = (o: Oere) => formatNok(o, { grouping: " " })

export const demoCommand = Command.make("demo", { quiet, outDir, lang }, (a) =>
  Effect.gen(function*() {
    const en = a.lang === "en"
    mkdirSync(a.outDir, { recursive: true })
    // One client for every party: the sandbox starts once.
    const client = yield* KravOgBetalingerClient
    const reconciliation = yield* Effect.provide(Reconciliation, Reconciliation.layer.pipe(Layer.provide(Layer.succeed(KravData, fromClient(client)))))
    // Progress goes to stderr (src/cli/ProgressRenderer.ts): a bar on a terminal, nothing with --quiet.
    const progress = yield* Progress
    const all = cases()
    const lines: Array<string> = []
    const files: Array<string> = []
    for (const [i, c] of all.entries()) {
      progress.update({ step: "clients", done: i, total: all.length, subject: c.party })
      const base = join(a.outDir, c.party)
      const report = yield* reconciliation.runAndWrite(
        { party: c.party as PartIdentifikator, periode: c.periode, asOf: c.asOf, ledger: `saft:${c.ledger}`, language: a.lang },
        [`${base}.xlsx`, `${base}.json`]
      )
      const t = report.totals
      const flagged = report.accounts.filter((x) => x.needsAttention).map((x) => (en && x.key === UNMAPPED_ROW ? "(no account)" : x.key))
      const shown = isAbsolute(a.outDir) ? base : relative(process.cwd(), base)
      files.push(`${shown}.xlsx`, `${shown}.json`)
      lines.push(
        `  ${shown}.xlsx  ${report.metadata.partyName ?? c.party}: ${en ? "difference" : "differanse"} ${nok(t.difference)}, ${
          en ? "unexplained" : "uforklart"
        } ${nok(t.unexplained)}${flagged.length > 0 ? `, ${en ? "follow up" : "følg opp"} ${flagged.join(", ")}` : ""}${
          report.metadata.skjermet ? (en ? " (skjermet party)" : " (skjermet part)") : ""
        }`
      )
    }
    progress.update({ step: "clients", done: all.length, total: all.length })
    progress.end("clients")
    if (a.quiet) return yield* Console.log(files.join("\n"))
    yield* Console.log(
      (en
        ? [
          `kravsync demo: ${lines.length} reconciliations against the sandbox (test data, not Skatteetaten), written to ${a.outDir}/`,
          ...lines,
          "",
          "Open a workbook: Sammendrag shows the balance per account at Skatteetaten and in the books and what is not explained;",
          "Avvik lists what needs follow-up, largest first; Krav, Innbetalinger and Hovedbok show every item with its status and explanation.",
          "The JSON files are the complete report (docs/report.md)."
        ]
        : [
          `kravsync demo: ${lines.length} avstemminger mot sandkassen (testdata, ikke Skatteetaten), skrevet til ${a.outDir}/`,
          ...lines,
          "",
          "Åpne en arbeidsbok: Sammendrag viser saldo per konto hos Skatteetaten og i regnskapet og hva som ikke er forklart;",
          "Avvik lister det som må følges opp, største først; Krav, Innbetalinger og Hovedbok viser hver post med status og forklaring.",
          "JSON-filene er den fullstendige rapporten (docs/report.md)."
        ]).join("\n")
    )
  }).pipe(Effect.provide(Layer.orDie(layerSandbox({ sandbox: { dataDir: join(demoDir, "full") } }))), withProgress(a.lang, a.quiet))).pipe(
    Command.withDescription(commandHelp({
      purpose: "The whole product offline: reconcile the sandbox's test companies against their shipped books and write a workbook and a JSON report for each",
      details: [
        "Starts the built-in sandbox (test data, not Skatteetaten) with the demo's scenarios, fetches each party's claims, payments and refunds through the real client, reads its SAF-T ledger from sandbox/demo/, reconciles and writes <out-dir>/<party>.xlsx and .json. No network, no credentials."
      ],
      examples: [
        ["kravsync demo", "write kravsync-demo/<party>.xlsx and .json for the five demo parties, with a line per party"],
        ["kravsync demo --lang en --out-dir /tmp/demo", "the same in English, into /tmp/demo"],
        ["kravsync demo --quiet", "print only the paths of the files written"]
      ]
    }))
  )
