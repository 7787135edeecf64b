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
import { join, relative } from "node:path"
import { layerSandbox } from "../../sandbox/client.ts"
import { demoBooksAsOf, demoBooksPeriode, demoCompanies, demoDir, demoLedgerFile } from "../../sandbox/demo/books.ts"
import { fromClient } from "../../src/client/KravDataLive.ts"
import { KravOgBetalingerClient } from "../../src/client/KravOgBetalingerClient.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import { formatNok } from "../../src/domain/Money.ts"
import type { PartIdentifikator } from "../../src/domain/PartIdentifikator.ts"
import { KravData } from "../../src/reconcile/KravData.ts"
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

const quiet = Options.boolean("quiet").pipe(Options.withDescription("print only where the files are"))
const outDir = Options.directory("out-dir", { exists: "either" }).pipe(
  Options.withDefault("kravsync-demo"),
  Options.withDescription("where to write the reports")
)
const lang = Options.choice("lang", ["nb", "en"]).pipe(Options.withDefault("nb" as const))

export const demoCommand = Command.make("demo", { quiet, outDir, lang }, (a) =>
  Effect.gen(function*() {
    mkdirSync(a.outDir, { recursive: true })
    // One client for every party: the sandbox starts once.
    const client = yield* KravOgBetalingerClient
    const reconciliation = yield* Effect.provide(Reconciliation, Reconciliation.layer.pipe(Layer.provide(Layer.succeed(KravData, fromClient(client)))))
    // Progress goes to stderr, and only where someone watches it.
    const progress = (line: string) => (a.quiet || !process.stderr.isTTY ? Effect.void : Console.error(line))
    const lines: Array<string> = []
    for (const c of cases()) {
      yield* progress(`Avstemmer ${c.party} (${c.what}) …`)
      const base = join(a.outDir, c.party)
      const report = yield* reconciliation.runAndWrite(
        { party: c.party as PartIdentifikator, periode: c.periode, asOf: c.asOf, ledger: `saft:${c.ledger}`, language: a.lang },
        [`${base}.xlsx`, `${base}.json`]
      )
      const t = report.totals
      const flagged = report.accounts.filter((x) => x.needsAttention).map((x) => x.key)
      lines.push(
        `  ${relative(process.cwd(), base)}.xlsx  ${report.metadata.partyName ?? c.party}: differanse ${
          formatNok(t.difference, { grouping: " " })
        }, uforklart ${formatNok(t.unexplained, { grouping: " " })}${flagged.length > 0 ? `, følg opp ${flagged.join(", ")}` : ""}${
          report.metadata.skjermet ? " (skjermet part)" : ""
        }`
      )
    }
    yield* Console.log(
      [
        `kravsync demo: ${lines.length} avstemminger mot sandkassen (testdata, ikke Skatteetaten), skrevet til ${a.outDir}/`,
        ...lines,
        "",
        "Åpne en arbeidsbok: Sammendrag viser saldo per konto hos Skatteetaten og i regnskapet og hva som ikke er forklart;",
        "Avvik lister det som må følges opp, største først; Krav, Innbetalinger og Hovedbok viser hver post med status og forklaring.",
        "JSON-filene er den fullstendige rapporten (docs/report.md)."
      ].join("\n")
    )
  }).pipe(Effect.provide(Layer.orDie(layerSandbox({ sandbox: { dataDir: join(demoDir, "full") } }))))).pipe(
    Command.withDescription("Reconcile the sandbox's test parties against shipped demo ledgers and write workbooks to ./kravsync-demo/ (offline)")
  )
