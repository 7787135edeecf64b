/**
 * The Trekkpålegg commands, wired into the CLI by bin/main.ts: `trekkpaalegg` (poll with a stored
 * watermark, or one version), `trekkavstemming` (the reconciliation against 2610 alone, with the
 * Excel writer of connectors/excel/TrekkSheet.ts provided here) and `trekk-testdata` (the sandbox
 * employer's payroll-style books and payroll file, to try the reconciliation with).
 */
import { Command, Options } from "@effect/cli"
import { Console, Effect } from "effect"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { TrekkWorkbookLive } from "../../connectors/excel/TrekkSheet.ts"
import * as SaftWriter from "../../sandbox/saft/SaftWriter.ts"
import { DEFAULT_TODAY } from "../../sandbox/Simulator.ts"
import { ALL_TREKK_DIFFERENCES, generateTrekkBooks } from "../../sandbox/trekkpaalegg/Books.ts"
import * as TrekkData from "../../sandbox/trekkpaalegg/Generate.ts"
import { trekkavstemmingCommand, trekkpaaleggCommand } from "../../src/cli/commands/trekkpaalegg.ts"
import { commandHelp } from "../../src/cli/format.ts"
import type { Dato } from "../../src/domain/Dato.ts"

const NAMES: Readonly<Record<string, string>> = {
  "313367002": "Sandbox Regnskap AS",
  "311851381": "Sandbox Bygg AS",
  "212201782": "Lystig Klam Katt Tusj AS",
  "310478717": "Sandbox Handel AS"
}

const testdata = Command.make(
  "trekk-testdata",
  {
    trekkpliktig: Options.choice("trekkpliktig", Object.keys(TrekkData.TREKK_EMPLOYERS) as [string, ...Array<string>]).pipe(
      Options.withDefault("313367002"),
      Options.withDescription("the sandbox employer. Default: 313367002")
    ),
    outDir: Options.directory("out-dir", { exists: "either" }).pipe(
      Options.withDefault("kravsync-trekk"),
      Options.withDescription("where to write. Default: kravsync-trekk")
    ),
    avvik: Options.boolean("avvik").pipe(
      Options.withDescription(
        "put in one of each deliberate difference (not withheld, withheld but not paid, paid with another KID, withheld after the order ended). Default: off"
      )
    )
  },
  (a) =>
    Effect.gen(function*() {
      const periode = { fraOgMed: `${DEFAULT_TODAY.slice(0, 4)}-01-01` as Dato, tilOgMed: DEFAULT_TODAY }
      const books = generateTrekkBooks({
        data: TrekkData.generate({ seed: 1, today: DEFAULT_TODAY }),
        trekkpliktig: a.trekkpliktig,
        name: NAMES[a.trekkpliktig] ?? a.trekkpliktig,
        periode,
        asOf: DEFAULT_TODAY,
        differences: a.avvik ? ALL_TREKK_DIFFERENCES : []
      })
      mkdirSync(a.outDir, { recursive: true })
      const saft = join(a.outDir, `${a.trekkpliktig}-trekk.xml`)
      const lonn = join(a.outDir, `${a.trekkpliktig}-loennsgrunnlag.json`)
      writeFileSync(saft, SaftWriter.saftText(books.saft))
      writeFileSync(lonn, `${JSON.stringify({ loennsgrunnlag: books.loennsgrunnlag }, null, 2)}\n`)
      yield* Console.log([saft, lonn].join("\n"))
      yield* Console.error(
        `Testdata (sandbox, not Skatteetaten). Try: kravsync trekkavstemming --trekkpliktig ${a.trekkpliktig} --ledger saft:${saft} --fra ${periode.fraOgMed} --til ${periode.tilOgMed} --loennsgrunnlag ${lonn} --out trekk.xlsx\n` +
          `or, with the tax account in the same report: kravsync reconcile --part ${a.trekkpliktig} --ledger saft:${saft} --fra ${periode.fraOgMed} --til ${periode.tilOgMed} --trekkpaalegg --loennsgrunnlag ${lonn} --out avstemming.xlsx`
      )
    })
).pipe(
  Command.withDescription(commandHelp({
    purpose: "Write a sandbox employer's utleggstrekk books (SAF-T) and payroll file, to try kravsync trekkavstemming or reconcile --trekkpaalegg with",
    examples: [
      ["kravsync trekk-testdata", "payroll-style books that tie out, and their payroll file, into kravsync-trekk/"],
      ["kravsync trekk-testdata --avvik", "the books with one of each deliberate difference, into kravsync-trekk/"]
    ]
  }))
)

export const trekkCommands = [trekkpaaleggCommand, Command.provide(trekkavstemmingCommand, TrekkWorkbookLive), testdata] as const
