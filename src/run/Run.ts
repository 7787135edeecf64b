/**
 * The firm's run: every client of the list reconciled, several at a time, each into its own folder
 * of the run folder (RunFolder.ts), and the overview written from their status records at the end.
 *
 * - Concurrency: `concurrency` clients at once (default 4). The calls to Skatteetaten all go through
 *   the one KravOgBetalingerClient in the context, whose gate lets at most 5 requests be in flight
 *   (src/http/Resilience.ts) — om/bruk.md's limit is per organisation, and the organisation is the
 *   firm's (its system user), so the limit is shared by all its clients, never per client. Tripletex
 *   and Fiken ledgers keep the per-client limits their connectors enforce.
 * - Isolation: whatever one client's failure (a refused token, an API error after retries, a ledger
 *   that does not read, a bad mapping file, a defect), it is recorded in its status record with the
 *   error's exit category and message, and the others go on.
 * - Resuming: a client whose status record says done with the same inputs digest, and whose
 *   reports are there, is skipped; failed clients run again; `force` redoes all. Reports are written
 *   before the status record, each atomically, so `kill -9` anywhere leaves a client either done
 *   (record and reports complete) or to be done.
 * - Memory: a client's report is written and dropped; only its figures (StatusRecord) outlive it.
 */
import type { FileSystem } from "@effect/platform"
import { Cause, Clock, ConfigProvider, Effect, Either, Exit, Option, Schema } from "effect"
import { join } from "node:path"
import { choosePeriode } from "../cli/commands/reconcile.ts"
import * as Dato from "../domain/Dato.ts"
import { categoryOf, ExitCategoryId } from "../ExitCategory.ts"
import { counter, Progress } from "../Progress.ts"
import { followUpItems } from "../reconcile/FollowUp.ts"
import type { LedgerSourceShape } from "../reconcile/LedgerSource.ts"
import { LedgerSourceRegistry } from "../reconcile/LedgerSourceRegistry.ts"
import * as Mapping from "../reconcile/mapping/AccountMapping.ts"
import { loadMapping } from "../reconcile/mapping/loadMapping.ts"
import { Reconciliation } from "../reconcile/Reconciliation.ts"
import { ReportSinks } from "../reconcile/ReportSink.ts"
import type { Language } from "../reconcile/Status.ts"
import type { ClientRow, RowProblem } from "./ClientList.ts"
import { makeOverview, type Overview, rowOfProblem, rowOfStatus, writeOverview } from "./Overview.ts"
import * as Folder from "./RunFolder.ts"
import { type RunProgressView, silentView } from "./RunProgress.ts"
import type { ClientFailure, Figures, StatusRecord } from "./StatusRecord.ts"

export interface RunOptions {
  /** The client list's file name as given (the overview names it). */
  readonly clientList: string
  readonly rows: ReadonlyArray<ClientRow>
  /** Bad rows of the list: they appear in the overview as failed, with their line. */
  readonly problems?: ReadonlyArray<RowProblem>
  /** The run folder. */
  readonly outDir: string
  /** Clients reconciled at once. Default 4. */
  readonly concurrency?: number
  /** Redo every client, done or not. */
  readonly force?: boolean
  readonly language?: Language
  readonly view?: RunProgressView
  /** "Today" for the default as-of date; default today in Oslo. */
  readonly today?: Dato.Dato
}

export interface RunResult {
  readonly overview: Overview
  /** Clients reconciled (or failed) by this run. */
  readonly ran: number
  /** Clients skipped as done with the same inputs. */
  readonly skipped: number
}

/** A client's credentials reference names no settings. */
export class CredentialsError extends Schema.TaggedError<CredentialsError>()("CredentialsError", {
  reference: Schema.String,
  prefix: Schema.String
}) {
  readonly [ExitCategoryId] = "input" as const
  override get message() {
    return `credentials "${this.reference}": no ${this.prefix}* variables are set (docs/run.md, «Credentials»)`
  }
  get messageNb() {
    return `påloggingsdata «${this.reference}»: ingen ${this.prefix}*-variabler er satt (docs/run.md, «Credentials»)`
  }
}

/** `ACME` → variables `ACME_KRAVSYNC_…`: the prefix a credentials reference stands for. */
export const credentialsPrefix = (ref: string): string => ref.trim().toUpperCase().replace(/[^A-Z0-9]+/g, "_")

/**
 * Runs `self` with the client's credentials: every setting `N` a connector reads is looked up as
 * `<PREFIX>_N` first, then as `N` (settings the firm shares, such as Tripletex's consumer token).
 */
export const withCredentials = (ref: string | undefined) => <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  ref === undefined ? self : Effect.configProviderWith((current) =>
    Effect.withConfigProvider(
      self,
      ConfigProvider.orElse(ConfigProvider.mapInputPath(current, (name) => `${credentialsPrefix(ref)}_${name}`), () => current)
    )
  )

const messageOf = (e: unknown): string =>
  typeof e === "object" && e !== null && "message" in e && typeof (e as { message: unknown }).message === "string"
    ? (e as { message: string }).message
    : String(e)

/** What a failure is, for the status record: its category, tag and message (never a stack trace). */
export const failureOf = (cause: Cause.Cause<unknown>): ClientFailure => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    const e = failure.value
    const category = categoryOf(e)
    return {
      category: category === undefined || category === "attention" ? "unexpected" : category,
      tag: typeof e === "object" && e !== null && "_tag" in e ? String((e as { _tag: unknown })._tag) : "Error",
      message: messageOf(e)
    }
  }
  return { category: "unexpected", tag: "Defect", message: messageOf(Cause.squash(cause)) }
}

/** The Skatteetaten and ledger side of one client, reconciled and written; its figures. */
const reconcileClient = (
  row: ClientRow,
  o: RunOptions,
  view: RunProgressView
) =>
  Effect.gen(function*() {
    const registry = yield* LedgerSourceRegistry
    const reconciliation = yield* Reconciliation
    const sinks = yield* ReportSinks
    view.step(row.orgnr, "ledger")
    if (row.credentials !== undefined) {
      const prefix = `${credentialsPrefix(row.credentials)}_`
      // A reference that names nothing would silently fall back to the firm's own credentials.
      if (!Object.keys(process.env).some((k) => k.startsWith(prefix))) {
        return yield* new CredentialsError({ reference: row.credentials, prefix })
      }
    }
    const source = yield* registry.resolve(row.ledger, { force: false })
    const stated = source.statedPeriode === undefined ? undefined : yield* source.statedPeriode()
    const mapping = row.mapping === undefined ? Mapping.standard : yield* loadMapping(row.mapping)
    const { asOf, periode } = yield* choosePeriode({
      fra: row.fra,
      til: row.til,
      asOf: row.asOf,
      today: o.today ?? Dato.todayInOslo(),
      stated,
      ledgerName: source.system === "saft" ? "the SAF-T file" : `the ${source.system} ledger`
    })
    // The reconciliation reads the ledger, then fetches: the step moves on when the read is done.
    const watched: LedgerSourceShape = { ...source, read: (q) => Effect.tap(source.read(q), () => view.step(row.orgnr, "skatteetaten")) }
    const report = yield* reconciliation.run({ party: row.orgnr, periode, asOf, ledger: watched, mapping, language: o.language })
    view.step(row.orgnr, "reports")
    const files = Folder.reportFiles(row.orgnr)
    yield* sinks.writeAll(report, files.map((f) => join(o.outDir, f)))
    const t = report.totals
    const figures: Figures = {
      skatteetatenSaldo: t.skatteetatenSaldo,
      ledgerSaldo: t.ledgerSaldo,
      difference: t.difference,
      unexplained: t.unexplained,
      followUpItems: followUpItems(report).length,
      followUpRows: report.accounts.filter((a) => a.needsAttention).map((a) => a.key)
    }
    return {
      figures,
      periode,
      asOf,
      needsAttention: t.needsAttention,
      name: row.name ?? report.metadata.partyName ?? report.metadata.ledger.companyName,
      files
    }
  }).pipe(withCredentials(row.credentials))

/** Runs every client of `o.rows` not already done, then writes the overview. */
export const runClients = (
  o: RunOptions
): Effect.Effect<
  RunResult,
  Folder.RunFolderError | import("../reconcile/ReportSink.ts").ReportSinkError,
  Reconciliation | LedgerSourceRegistry | ReportSinks | FileSystem.FileSystem
> =>
  Effect.scoped(Effect.gen(function*() {
    const view = o.view ?? silentView
    const progress = yield* Progress
    yield* Folder.lock(o.outDir)
    const settings = { language: o.language ?? "nb" }
    const plan = o.rows.map((row) => {
      const inputs = Folder.inputsDigest(row, settings)
      const done = o.force !== true && Folder.isDone(o.outDir, Folder.readStatus(o.outDir, row.orgnr), inputs)
      return { row, inputs, done }
    })
    const todo = plan.filter((p) => !p.done)
    const skipped = plan.length - todo.length
    view.start(plan.length, skipped)
    const clients = counter(progress, "clients", { total: plan.length })
    clients.add(skipped)
    // A status record that could not be written: the client is reported failed from memory.
    const unwritten = new Map<string, StatusRecord>()
    yield* Effect.forEach(
      todo,
      ({ inputs, row }) =>
        Effect.gen(function*() {
          const exit = yield* Effect.exit(Effect.zipRight(Folder.ensureClientDir(o.outDir, row.orgnr), reconcileClient(row, o, view)))
          if (Exit.isInterrupted(exit)) return yield* Effect.interrupt
          const finishedAt = new Date(yield* Clock.currentTimeMillis).toISOString()
          const base = { schemaVersion: 1 as const, orgnr: row.orgnr, line: row.line, ledger: row.ledgerAsWritten, inputs, finishedAt }
          const record: StatusRecord = Exit.isSuccess(exit)
            ? {
              ...base,
              ...(exit.value.name === undefined ? {} : { name: exit.value.name }),
              outcome: exit.value.needsAttention ? "follow-up" : "tied-out",
              periode: exit.value.periode,
              asOf: exit.value.asOf,
              figures: exit.value.figures,
              files: exit.value.files
            }
            : { ...base, ...(row.name === undefined ? {} : { name: row.name }), outcome: "failed", failure: failureOf(exit.cause), files: [] }
          const written = yield* Effect.either(Folder.writeStatus(o.outDir, record))
          if (Either.isLeft(written)) {
            unwritten.set(row.orgnr, {
              ...record,
              outcome: "failed",
              failure: { category: "output", tag: written.left._tag, message: written.left.message }
            })
          }
          const shown = unwritten.get(row.orgnr) ?? record
          view.finished(row.orgnr, shown.outcome, shown.name ?? "")
          clients.add(1)
        }),
      { concurrency: Math.max(1, o.concurrency ?? 4), discard: true }
    )
    clients.end()
    view.end()
    const rows = o.rows.flatMap((row) => {
      const s = unwritten.get(row.orgnr) ?? Folder.readStatus(o.outDir, row.orgnr)
      return s === undefined ? [] : [rowOfStatus(s)]
    })
    const overview = makeOverview(o.clientList, o.language ?? "nb", [...rows, ...(o.problems ?? []).map(rowOfProblem)], o.rows.length - rows.length)
    yield* writeOverview(o.outDir, overview)
    return { overview, ran: todo.length, skipped }
  }))
