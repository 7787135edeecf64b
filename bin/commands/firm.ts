/**
 * The firm commands, wired into the CLI by bin/main.ts: `kravsync run` (src/cli/commands/run.ts)
 * with the overview workbook writer (connectors/excel/OverviewSink.ts) beside the JSON one, and
 * `kravsync portfolio`, which writes a sandbox portfolio of N test clients to run it against
 * (sandbox/portfolio/, docs/run.md).
 */
import { Command, Options } from "@effect/cli"
import { Console, Effect, Layer } from "effect"
import { join } from "node:path"
import { OverviewExcelWriter } from "../../connectors/excel/OverviewSink.ts"
import { runCommand } from "../../src/cli/commands/run.ts"
import { commandHelp } from "../../src/cli/format.ts"
import { JsonOverviewWriter, OverviewWriters } from "../../src/run/Overview.ts"

const run = runCommand.pipe(Command.provide(Layer.succeed(OverviewWriters, [JsonOverviewWriter, OverviewExcelWriter])))

const portfolio = Command.make(
  "portfolio",
  {
    clients: Options.integer("clients").pipe(Options.withDefault(50), Options.withDescription("how many clients. Default: 50")),
    seed: Options.integer("seed").pipe(Options.withDefault(1), Options.withDescription("the seed every client is drawn from. Default: 1")),
    outDir: Options.directory("out-dir", { exists: "either" }).pipe(
      Options.withDefault("kravsync-portfolio"),
      Options.withDescription("where to write it (made if missing). Default: kravsync-portfolio")
    )
  },
  (a) =>
    Effect.gen(function*() {
      // Loaded when asked for: the books generator is no part of any other command's start-up.
      const { writePortfolio } = yield* Effect.promise(() => import("../../sandbox/portfolio/generate.ts"))
      const p = yield* Effect.sync(() => writePortfolio(a.outDir, { clients: a.clients, seed: a.seed }))
      const count = (k: string) => p.clients.filter((c) => c.kind === k).length
      yield* Console.log(
        [
          `${p.clients.length} sandbox clients in ${a.outDir}/: ${count("clean")} clean, ${count("difference")} with deliberate differences, ${
            count("dormant")
          } dormant (KB-007), ${count("corrupt-saft")} with a corrupt SAF-T file, ${count("no-system-user")} without a system user for the firm`,
          `kravsync run --clients ${join(a.outDir, "clients.csv")} --sandbox-data ${join(a.outDir, "scenarios")}`
        ].join("\n")
      )
    })
).pipe(Command.withDescription(commandHelp({
  purpose: "Write a sandbox portfolio of N test clients (books, SAF-T files, scenario files, a client list) to try `kravsync run` on",
  details: [
    "Deterministic from --seed: most clients tie out, some carry deliberate differences, and a few fail (a corrupt SAF-T file; no system user for the firm, which only a test's own firm client honours; a dormant client whose periods answer KB-007). manifest.json says what each client is."
  ],
  examples: [
    ["kravsync portfolio --clients 50 --out-dir /tmp/p", "then: kravsync run --clients /tmp/p/clients.csv --sandbox-data /tmp/p/scenarios"],
    ["kravsync portfolio --clients 500 --seed 7", "another 500 clients into ./kravsync-portfolio/, the same for the same seed"]
  ]
})))

export const firmCommands = [run, portfolio] as const
