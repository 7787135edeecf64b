/**
 * `kravsync run --clients clients.csv`: the accounting firm's run — every client of the list
 * reconciled into a run folder, several at a time under the firm's shared limit of 5 calls to
 * Skatteetaten, each client's failure recorded and the rest run, resumable after any interruption,
 * with progress on stderr and an overview (`oversikt.xlsx`, `oversikt.json`) at the end
 * (src/run/, docs/run.md).
 *
 * Exit codes (docs/run.md): 0 when every client is reconciled (tied out or needing follow-up);
 * 6 when some need follow-up and `--fail-on-attention` is given; when one or more clients failed
 * (bad rows included), the code of their category if they all share one (2 input, 3 API,
 * 4 authentication, 5 output), else 1. A failure of the run as a whole (an unreadable list, a run
 * folder in use, settings that give no client) exits as any command does.
 *
 * Services it uses (provided by the composition root, bin/): LedgerSourceRegistry, ReportSinks,
 * and OverviewWriters (the JSON writer when absent; bin adds the workbook).
 */
import { Command, Options } from "@effect/cli"
import { Console, Effect, Layer, Option, Schema } from "effect"
import { readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { formatNok } from "../../domain/Money.ts"
import { type ExitCategory, ExitCategoryId } from "../../ExitCategory.ts"
import { LedgerSourceRegistry } from "../../reconcile/LedgerSourceRegistry.ts"
import { Reconciliation } from "../../reconcile/Reconciliation.ts"
import { ClientListError, parseClientList } from "../../run/ClientList.ts"
import type { Overview } from "../../run/Overview.ts"
import { runClients } from "../../run/Run.ts"
import * as RunKravData from "../../run/runKravData.ts"
import { makeRenderer } from "../../run/RunProgress.ts"
import { clientLayerFor, clientOptions, resolveSettings } from "../clientSettings.ts"
import { commandHelp, count } from "../format.ts"

const text = (name: string, description: string) => Options.text(name).pipe(Options.optional, Options.withDescription(description))

const clients = Options.file("clients", { exists: "yes" }).pipe(
  Options.withDescription(
    "the client list: CSV with a header row (orgnr, navn, ledger, credentials, mapping, fra, til, as_of; `,` or `;`), or the same as .json/.yaml (docs/run.md)"
  )
)
const outDir = Options.directory("out-dir", { exists: "either" }).pipe(
  Options.withDefault("kravsync-run"),
  Options.withDescription(
    "the run folder: a workbook, a JSON report and a status record per client, and the overview. Rerun into it to resume. Default: kravsync-run"
  )
)
const concurrency = Options.integer("concurrency").pipe(
  Options.withDefault(4),
  Options.withDescription("clients reconciled at once (the calls to Skatteetaten stay at most 5 in flight for the whole run). Default: 4")
)
const force = Options.boolean("force").pipe(Options.withDescription("redo every client, also those already done with the same inputs. Default: off"))
const failOnAttention = Options.boolean("fail-on-attention").pipe(
  Options.withDescription("exit with code 6 when a client needs follow-up (for scripts). Default: off (exit 0 when no client failed)")
)
const lang = Options.choice("lang", ["nb", "en"]).pipe(
  Options.withDefault("nb" as const),
  Options.withDescription("language of the progress, the summary, the overview and the reports: nb (bokmål) or en (English). Default: nb")
)
const quiet = Options.boolean("quiet").pipe(Options.withDescription("no progress on stderr. Default: off"))
const defaults = {
  ledger: text("ledger", "the ledger of every row that names none: saft:FILE, tripletex[:COMPANY-ID], fiken[:SLUG]"),
  credentials: text("credentials", "the credentials reference of every row that names none (docs/run.md, «Credentials»)"),
  mapping: text("mapping", "the mapping file of every row that names none. Default: the standard chart"),
  fra: text("fra", "first day of the period for every row that gives none. Default: the period the ledger states"),
  til: text("til", "last day of the period for every row that gives none. Default: the period the ledger states"),
  asOf: text("as-of", "the as-of date for every row that gives none. Default: the period's last day, or today if earlier")
}

/** One or more clients failed: the exit code is their shared category's, else 1 (docs/run.md). */
export class ClientsFailed extends Schema.TaggedError<ClientsFailed>()("ClientsFailed", {
  failed: Schema.Int,
  clients: Schema.Int,
  categories: Schema.Array(Schema.String),
  overview: Schema.String
}) {
  get [ExitCategoryId](): ExitCategory {
    const [only, ...rest] = this.categories
    return (rest.length === 0 && only !== undefined && only !== "unexpected" ? only : undefined) as ExitCategory
  }
  override get message() {
    return `${this.failed} of ${this.clients} clients failed (${this.categories.join(", ")}); see ${this.overview}`
  }
}

/** Every client reconciled, some need follow-up, and --fail-on-attention asked for exit 6. */
export class ClientsNeedFollowUp extends Schema.TaggedError<ClientsNeedFollowUp>()("ClientsNeedFollowUp", {
  followUp: Schema.Int,
  overview: Schema.String
}) {
  readonly [ExitCategoryId] = "attention" as const
  override get message() {
    return `${this.followUp} clients need follow-up; see ${this.overview}`
  }
}

const nok = (o: number) => formatNok(o as never, { grouping: " " })

/** What stdout gets: one line per client needing action (the overview's first rows), then the totals. */
export const runSummary = (o: Overview, dir: string): string => {
  const en = o.language === "en"
  const t = o.totals
  const lines = [
    en
      ? `kravsync run: ${t.clients} clients — ${t.tiedOut} tied out, ${t.followUp} follow up, ${t.failed} failed${t.notRun > 0 ? `, ${t.notRun} not run` : ""}`
      : `kravsync run: ${t.clients} klienter — ${t.tiedOut} avstemt, ${t.followUp} følg opp, ${t.failed} feilet${
        t.notRun > 0 ? `, ${t.notRun} ikke kjørt` : ""
      }`
  ]
  for (const r of o.rows) {
    if (r.outcome === "tied-out") continue
    const who = `${r.orgnr || (en ? `line ${r.line}` : `linje ${r.line}`)}${r.name ? ` ${r.name}` : ""}`
    lines.push(
      r.outcome === "failed"
        ? `  ${en ? "FAILED" : "FEILET"}    ${who}: ${r.failure?.message ?? ""}`
        : `  ${en ? "FOLLOW UP" : "FØLG OPP"}  ${who}: ${en ? "unexplained" : "uforklart"} ${nok(r.unexplained ?? 0)}, ${
          count(r.followUpItems ?? 0, en ? "item" : "post", en ? "items" : "poster")
        } (${(r.followUpRows ?? []).join(", ")})`
    )
  }
  lines.push(
    `${en ? "Overview" : "Oversikt"}: ${join(dir, "oversikt.xlsx")} (${en ? "and" : "og"} oversikt.json); ${en ? "difference" : "differanse"} ${
      nok(t.difference)
    }, ${en ? "unexplained" : "uforklart"} ${nok(t.unexplained)}`
  )
  return lines.join("\n")
}

export const runCommand = Command.make(
  "run",
  { clients, outDir, concurrency, force, failOnAttention, lang, quiet, ...defaults, ...clientOptions },
  (args) =>
    Effect.gen(function*() {
      const en = args.lang === "en"
      if (args.concurrency < 1) return yield* new ClientListError({ file: args.clients, reason: "--concurrency must be 1 or more" })
      const registry = yield* LedgerSourceRegistry
      const listText = yield* Effect.try({
        try: () => readFileSync(args.clients, "utf8"),
        catch: (e) => new ClientListError({ file: args.clients, reason: `cannot read it: ${e instanceof Error ? e.message : String(e)}` })
      })
      const flag = (o: Option.Option<string>) => Option.getOrUndefined(o)
      // A file named by a flag is relative to the working folder; one in the list, to the list's folder.
      const ledgerFlag = flag(args.ledger)
      const list = yield* parseClientList(args.clients, listText, {
        ledger: ledgerFlag !== undefined && /^saft:/i.test(ledgerFlag) ? `saft:${resolve(ledgerFlag.slice(5))}` : ledgerFlag,
        credentials: flag(args.credentials),
        mapping: Option.isSome(args.mapping) ? resolve(args.mapping.value) : undefined,
        fra: flag(args.fra),
        til: flag(args.til),
        asOf: flag(args.asOf)
      }, registry.factories.map((f) => f.scheme))
      for (const p of list.problems) {
        yield* Console.error(
          en
            ? `${args.clients} line ${p.line}: ${p.field}: ${p.message} — this client is not run`
            : `${args.clients} linje ${p.line}: ${p.field}: ${p.messageNb ?? p.message} — denne klienten kjøres ikke`
        )
      }
      const settings = yield* resolveSettings(args)
      // The gate of the run's one client is the firm's limit: more than om/bruk.md's 5 would break it for every client at once.
      if (settings.concurrency !== undefined && settings.concurrency > 5) {
        return yield* new ClientListError({
          file: args.clients,
          reason:
            `the connection setting concurrency (KRAVSYNC_CONCURRENCY or --config) is ${settings.concurrency}; a run shares one limit of at most 5 calls to Skatteetaten for the firm, so it must be 5 or less`
        })
      }
      // One client for the whole run: its gate keeps the firm's calls at most 5 in flight.
      const reconciliation = Reconciliation.layer.pipe(Layer.provide(RunKravData.layer), Layer.provide(clientLayerFor(settings, args.sandboxData)))
      const live = !args.quiet && process.stderr.isTTY === true
      const view = args.quiet
        ? undefined
        : makeRenderer({ write: (s) => void process.stderr.write(s), live, language: args.lang, columns: process.stderr.columns ?? 100 })
      const result = yield* runClients({
        clientList: args.clients,
        rows: list.rows,
        problems: list.problems,
        outDir: args.outDir,
        concurrency: args.concurrency,
        force: args.force,
        language: args.lang,
        view
      }).pipe(Effect.provide(reconciliation))
      yield* Console.log(runSummary(result.overview, args.outDir))
      const t = result.overview.totals
      const overviewPath = join(args.outDir, "oversikt.xlsx")
      if (t.failed > 0) {
        const categories = [...new Set(result.overview.rows.flatMap((r) => (r.failure === undefined ? [] : [r.failure.category])))].sort()
        return yield* new ClientsFailed({ failed: t.failed, clients: t.clients, categories, overview: overviewPath })
      }
      if (args.failOnAttention && t.followUp > 0) return yield* new ClientsNeedFollowUp({ followUp: t.followUp, overview: overviewPath })
    })
).pipe(Command.withDescription(commandHelp({
  purpose: "The accounting firm's run: reconcile every client of a list, resumably, with progress and an overview of who needs action",
  details: [
    "Reads the client list, reconciles each client (its ledger against what Skatteetaten says) into the run folder — a workbook, a JSON report and a status record per client — several at a time, never more than 5 calls to Skatteetaten in flight for the firm in all. A client that fails is recorded with its error and the others go on. Rerun the same command to resume: clients done with unchanged inputs are skipped, failed ones are retried; --force redoes all. At the end oversikt.xlsx and oversikt.json list every client, those needing action first.",
    "Exit codes: 0 every client reconciled; 6 some need follow-up (only with --fail-on-attention); when clients failed, their category's code if they share one (2 input, 3 API, 4 authentication, 5 output), else 1 (docs/run.md)."
  ],
  examples: [
    ["kravsync run --clients klienter.csv", "reconcile every client of the list into ./kravsync-run/, with the overview oversikt.xlsx"],
    [
      "kravsync run --clients klienter.yaml --out-dir desember --as-of 31.12.2025 --env prod --config firma.json",
      "the firm's year-end run against production, as-of 31 December for every row that gives none"
    ],
    ["kravsync run --clients klienter.csv --out-dir desember", "the same command again: resumes, skipping clients already done"]
  ]
})))
