/**
 * The store's repositories over @effect/sql's SqlClient (libSQL or PostgreSQL, src/store/Database.ts):
 * runs, their reports, sign-offs and comments. The same code runs on both databases (plain SQL,
 * timestamps as ISO 8601 text, amounts as BIGINT øre).
 *
 * What it guarantees:
 * - one queued-or-running run per idempotency key (a unique partial index decides between two
 *   starts at once, in one process or several), and one run per caller-given Idempotency-Key ever;
 * - a report is stored in the same transaction that marks its run done, with its SHA-256: a run
 *   is either done with its whole report or not done, and a read that finds a damaged report fails
 *   instead of serving it;
 * - `abandonUnfinished` (at every start) marks runs a stopped process left queued or running as
 *   abandoned: nothing half-done is resumed or shown as finished.
 */
import { SqlClient } from "@effect/sql"
import { Clock, Context, Effect, Either, Layer, Option, Schema } from "effect"
import { createHash, randomBytes } from "node:crypto"
import type { Dato } from "../domain/Dato.ts"
import type { Oere } from "../domain/Money.ts"
import type { Periode } from "../domain/Periode.ts"
import { followUpItems } from "../reconcile/FollowUp.ts"
import { decodeReportJson, jsonChunks } from "../reconcile/JsonReportSink.ts"
import type { Report } from "../reconcile/Report.ts"
import type { ItemKind, Language } from "../reconcile/Status.ts"
import type { SignOff } from "./CarryForward.ts"
import { migrate } from "./Migrations.ts"
import { type Comment, ErrorBody, type Run, type RunState, RunSummary } from "./Records.ts"
import { StoreError, storeError } from "./StoreError.ts"

export interface NewRun {
  readonly party: string
  readonly periode: Periode
  readonly asOf: Dato
  readonly ledger: string
  readonly language: Language
  /** Runs with the same key are the same reconciliation: only one of them queued or running at a time. */
  readonly idempotencyKey: string
  /** The caller's own Idempotency-Key, unique for ever (scoped to the caller by whoever builds it). */
  readonly clientKey?: string | undefined
  readonly origin: "service" | "cli"
}

export interface NewSignOff {
  readonly runId: string
  readonly party: string
  /** "item" (one or more items) or "run" (every follow-up item of the run). */
  readonly scope: "item" | "run"
  readonly items: ReadonlyArray<{ readonly kind: ItemKind; readonly itemId: string; readonly amount: Oere }>
  readonly signedBy: string
  readonly comment: string
  /** The name of the API key (never the key) the sign-off came through. */
  readonly apiKey?: string | undefined
}

export interface NewComment {
  readonly runId: string
  readonly party: string
  readonly kind?: string | undefined
  readonly itemId?: string | undefined
  readonly author: string
  readonly text: string
}

export interface StoreShape {
  /** A new queued run, or the one already queued or running for the same key (`created: false`). */
  readonly createRun: (run: NewRun) => Effect.Effect<{ readonly run: Run; readonly created: boolean }, StoreError>
  readonly markRunning: (id: string) => Effect.Effect<void, StoreError>
  /** Stores the report and marks the run done, in one transaction. */
  readonly finishRun: (id: string, report: Report) => Effect.Effect<Run, StoreError>
  readonly failRun: (id: string, error: ErrorBody, state?: "failed" | "abandoned") => Effect.Effect<void, StoreError>
  /** Marks every queued or running run abandoned (a stopped process left them); returns how many. */
  readonly abandonUnfinished: (message: string) => Effect.Effect<number, StoreError>
  readonly getRun: (id: string) => Effect.Effect<Option.Option<Run>, StoreError>
  /** A party's runs, newest first. */
  readonly listRuns: (party: string, options?: { readonly limit?: number }) => Effect.Effect<ReadonlyArray<Run>, StoreError>
  /** The newest finished run of each party (of `parties`, or of all when undefined). */
  readonly latestDone: (parties: ReadonlyArray<string> | undefined) => Effect.Effect<ReadonlyArray<Run>, StoreError>
  /** The report's JSON text exactly as stored, checked against its SHA-256. */
  readonly reportJson: (runId: string) => Effect.Effect<Option.Option<string>, StoreError>
  readonly report: (runId: string) => Effect.Effect<Option.Option<Report>, StoreError>
  readonly signOff: (signOff: NewSignOff) => Effect.Effect<ReadonlyArray<SignOff>, StoreError>
  /** Every sign-off of the party's items, oldest first. */
  readonly signOffs: (party: string) => Effect.Effect<ReadonlyArray<SignOff>, StoreError>
  readonly addComment: (comment: NewComment) => Effect.Effect<Comment, StoreError>
  readonly comments: (runId: string) => Effect.Effect<ReadonlyArray<Comment>, StoreError>
  /**
   * A report made elsewhere (the CLI's `reconcile --store`) as a finished run, so the CLI and the
   * service share history and sign-offs.
   */
  readonly saveReport: (report: Report, options: { readonly ledger: string; readonly origin?: "service" | "cli" }) => Effect.Effect<Run, StoreError>
  /** A round trip to the database (readiness). */
  readonly ping: Effect.Effect<void, StoreError>
}

export class Store extends Context.Tag("kravsync/Store")<Store, StoreShape>() {
  /** The repositories over the SqlClient in the context, after running the migrations. */
  static readonly layer: Layer.Layer<Store, StoreError, SqlClient.SqlClient> = Layer.effect(
    Store,
    Effect.flatMap(Effect.mapError(migrate, storeError("migrate")), () => make)
  )
}

type Row = Record<string, unknown>

const str = (v: unknown): string => (typeof v === "string" ? v : String(v))
const optStr = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : str(v))
/** BIGINT comes back from PostgreSQL as text; from libSQL as a number. */
const int = (v: unknown): number => (typeof v === "number" ? v : Number(v))

let sequence = 0
/**
 * Ids that sort in the order they were made (time, then a counter within this process, then
 * randomness): lists order by id, so two rows made in the same millisecond keep their order.
 */
export const sortableId = (ms: number): string =>
  `${Math.max(0, ms).toString(36).padStart(9, "0")}${(sequence++ % 1679616).toString(36).padStart(4, "0")}${randomBytes(6).toString("hex")}`

const newId = Effect.map(Clock.currentTimeMillis, sortableId)

const now = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString())
const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex")

const decodeJson = <A, I>(schema: Schema.Schema<A, I>, text: string | undefined, what: string): Either.Either<A | undefined, StoreError> =>
  text === undefined
    ? Either.right(undefined)
    : Either.mapLeft(Schema.decodeUnknownEither(Schema.parseJson(schema))(text), (e) => new StoreError({ operation: `read ${what}`, message: e.message }))

const toRun = (r: Row): Either.Either<Run, StoreError> =>
  Either.gen(function*() {
    const error = yield* decodeJson(ErrorBody, optStr(r.error), "run error")
    const summary = yield* decodeJson(RunSummary, optStr(r.summary), "run summary")
    return {
      id: str(r.id),
      party: str(r.party),
      periode: { fraOgMed: str(r.fra) as Dato, tilOgMed: str(r.til) as Dato },
      asOf: str(r.as_of) as Dato,
      ledger: str(r.ledger),
      language: str(r.language) === "en" ? "en" as const : "nb" as const,
      origin: str(r.origin) === "cli" ? "cli" as const : "service" as const,
      state: str(r.status) as RunState,
      createdAt: str(r.created_at),
      ...(optStr(r.started_at) === undefined ? {} : { startedAt: str(r.started_at) }),
      ...(optStr(r.finished_at) === undefined ? {} : { finishedAt: str(r.finished_at) }),
      ...(error === undefined ? {} : { error }),
      ...(summary === undefined ? {} : { summary })
    }
  })

const toSignOff = (r: Row): SignOff => ({
  id: str(r.id),
  runId: str(r.run_id),
  kind: str(r.kind) as ItemKind,
  itemId: str(r.item_id),
  amount: int(r.amount) as Oere,
  signedBy: str(r.signed_by),
  signedAt: str(r.signed_at),
  comment: str(r.comment)
})

const toComment = (r: Row): Comment => ({
  id: str(r.id),
  runId: str(r.run_id),
  ...(optStr(r.kind) === undefined ? {} : { kind: str(r.kind) }),
  ...(optStr(r.item_id) === undefined ? {} : { itemId: str(r.item_id) }),
  author: str(r.author),
  createdAt: str(r.created_at),
  text: str(r.body)
})

/** What a run's list shows of its report, kept with the run. */
export const summaryOf = (report: Report): RunSummary => ({
  ...(report.metadata.partyName === undefined ? {} : { partyName: report.metadata.partyName }),
  difference: report.totals.difference,
  unexplained: report.totals.unexplained,
  needsAttention: report.totals.needsAttention,
  followUpItems: followUpItems(report).length,
  conserved: report.totals.conserved
})

/** The report's JSON text, as the JSON sink writes it (src/reconcile/JsonReportSink.ts). */
export const reportText = (report: Report): string => [...jsonChunks(report)].join("")

export const make: Effect.Effect<StoreShape, never, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const runs = (rows: ReadonlyArray<Row>, operation: string) =>
    Effect.mapError(
      Effect.forEach(rows, (r) => toRun(r)),
      (e) => (e instanceof StoreError ? e : storeError(operation)(e))
    )
  const one = (rows: ReadonlyArray<Row>, operation: string) => Effect.map(runs(rows.slice(0, 1), operation), (xs) => Option.fromNullable(xs[0]))

  const getRun = (id: string) =>
    sql<Row>`SELECT * FROM kravsync_runs WHERE id = ${id}`.pipe(Effect.mapError(storeError("read run")), Effect.flatMap((rows) => one(rows, "read run")))

  const existing = (n: NewRun) =>
    Effect.gen(function*() {
      if (n.clientKey !== undefined) {
        const byClient = yield* one(yield* sql<Row>`SELECT * FROM kravsync_runs WHERE client_key = ${n.clientKey}`, "read run")
        if (Option.isSome(byClient)) return byClient
      }
      return yield* one(
        yield* sql<Row>`SELECT * FROM kravsync_runs WHERE idem_key = ${n.idempotencyKey} AND status IN ('queued', 'running')`,
        "read run"
      )
    }).pipe(Effect.mapError((e) => (e instanceof StoreError ? e : storeError("read run")(e))))

  const createRun = (n: NewRun) =>
    Effect.gen(function*() {
      const found = yield* existing(n)
      if (Option.isSome(found)) return { run: found.value, created: false }
      const id = yield* newId
      const at = yield* now
      const inserted = yield* Effect.either(sql`INSERT INTO kravsync_runs
        (id, party, fra, til, as_of, ledger, language, idem_key, client_key, origin, status, created_at)
        VALUES (${id}, ${n.party}, ${n.periode.fraOgMed}, ${n.periode.tilOgMed}, ${n.asOf}, ${n.ledger}, ${n.language},
          ${n.idempotencyKey}, ${n.clientKey ?? null}, ${n.origin}, 'queued', ${at})`)
      if (Either.isLeft(inserted)) {
        // Another start won the unique index between our read and our insert: its run is ours.
        const winner = yield* existing(n)
        if (Option.isSome(winner)) return { run: winner.value, created: false }
        return yield* Effect.fail(storeError("create run")(inserted.left))
      }
      const run = yield* getRun(id)
      return yield* Option.match(run, {
        onNone: () => Effect.fail(new StoreError({ operation: "create run", message: "the new run was not found after it was written" })),
        onSome: (r) => Effect.succeed({ run: r, created: true })
      })
    })

  const finishRun = (id: string, report: Report) =>
    Effect.gen(function*() {
      const body = reportText(report)
      const at = yield* now
      const summary = JSON.stringify(Schema.encodeSync(RunSummary)(summaryOf(report)))
      yield* sql.withTransaction(Effect.gen(function*() {
        yield* sql`INSERT INTO kravsync_reports (run_id, body, sha256, bytes) VALUES (${id}, ${body}, ${sha256(body)}, ${Buffer.byteLength(body)})`
        yield* sql`UPDATE kravsync_runs SET status = 'done', finished_at = ${at}, summary = ${summary}, error = NULL WHERE id = ${id}`
      })).pipe(Effect.mapError(storeError("store report")))
      const run = yield* getRun(id)
      return yield* Option.match(run, {
        onNone: () => Effect.fail(new StoreError({ operation: "store report", message: `run ${id} does not exist` })),
        onSome: Effect.succeed
      })
    })

  const reportJson = (runId: string) =>
    Effect.gen(function*() {
      const rows = yield* sql<Row>`SELECT body, sha256 FROM kravsync_reports WHERE run_id = ${runId}`.pipe(Effect.mapError(storeError("read report")))
      const row = rows[0]
      if (row === undefined) return Option.none<string>()
      const body = str(row.body)
      if (sha256(body) !== str(row.sha256)) {
        return yield* Effect.fail(new StoreError({ operation: "read report", message: `the stored report of run ${runId} does not match its checksum` }))
      }
      return Option.some(body)
    })

  const store: StoreShape = {
    createRun,
    markRunning: (id) =>
      Effect.flatMap(now, (at) => sql`UPDATE kravsync_runs SET status = 'running', started_at = ${at} WHERE id = ${id} AND status = 'queued'`).pipe(
        Effect.asVoid,
        Effect.mapError(storeError("start run"))
      ),
    finishRun,
    failRun: (id, error, state = "failed") =>
      Effect.flatMap(
        now,
        (at) =>
          sql`UPDATE kravsync_runs SET status = ${state}, finished_at = ${at}, error = ${JSON.stringify(error)}
            WHERE id = ${id} AND status IN ('queued', 'running')`
      ).pipe(Effect.asVoid, Effect.mapError(storeError("fail run"))),
    abandonUnfinished: (message) =>
      Effect.gen(function*() {
        const at = yield* now
        const error = JSON.stringify({ category: "unexpected", exitCode: 1, message })
        const rows = yield* sql<Row>`SELECT id FROM kravsync_runs WHERE status IN ('queued', 'running')`
        yield* sql`UPDATE kravsync_runs SET status = 'abandoned', finished_at = ${at}, error = ${error} WHERE status IN ('queued', 'running')`
        return rows.length
      }).pipe(Effect.mapError(storeError("abandon runs"))),
    getRun,
    listRuns: (party, options = {}) =>
      sql<Row>`SELECT * FROM kravsync_runs WHERE party = ${party} ORDER BY id DESC LIMIT ${options.limit ?? 100}`.pipe(
        Effect.mapError(storeError("list runs")),
        Effect.flatMap((rows) => runs(rows, "list runs"))
      ),
    latestDone: (parties) =>
      (parties === undefined
        ? sql<Row>`SELECT * FROM kravsync_runs WHERE status = 'done' ORDER BY id DESC`
        : parties.length === 0
        ? Effect.succeed([] as ReadonlyArray<Row>)
        : sql<Row>`SELECT * FROM kravsync_runs WHERE status = 'done' AND ${sql.in("party", parties)} ORDER BY id DESC`).pipe(
          Effect.mapError(storeError("list runs")),
          Effect.flatMap((rows) => runs(rows, "list runs")),
          Effect.map((all) => {
            const seen = new Set<string>()
            return all.filter((r) => (seen.has(r.party) ? false : (seen.add(r.party), true)))
          })
        ),
    reportJson,
    report: (runId) =>
      Effect.flatMap(reportJson(runId), (body) =>
        Option.match(body, {
          onNone: () => Effect.succeed(Option.none<Report>()),
          onSome: (text) =>
            Either.match(decodeReportJson(text), {
              onLeft: (e) => Effect.fail(new StoreError({ operation: "read report", message: e.message })),
              onRight: (r) => Effect.succeed(Option.some(r))
            })
        })),
    signOff: (s) =>
      Effect.gen(function*() {
        const at = yield* now
        const ids = yield* Effect.forEach(s.items, () => newId)
        const made: Array<SignOff> = s.items.map((i, n) => ({
          id: ids[n] ?? "",
          runId: s.runId,
          kind: i.kind,
          itemId: i.itemId,
          amount: i.amount,
          signedBy: s.signedBy,
          signedAt: at,
          comment: s.comment
        }))
        yield* sql.withTransaction(Effect.forEach(made, (m) =>
          sql`INSERT INTO kravsync_signoffs (id, party, run_id, scope, kind, item_id, amount, signed_by, signed_at, comment, api_key)
            VALUES (${m.id}, ${s.party}, ${s.runId}, ${s.scope}, ${m.kind}, ${m.itemId}, ${m.amount}, ${m.signedBy}, ${m.signedAt}, ${m.comment},
              ${s.apiKey ?? null})`, { discard: true }))
        return made
      }).pipe(Effect.mapError(storeError("sign off"))),
    signOffs: (party) =>
      sql<Row>`SELECT * FROM kravsync_signoffs WHERE party = ${party} ORDER BY id`.pipe(
        Effect.map((rows) => rows.map(toSignOff)),
        Effect.mapError(storeError("read sign-offs"))
      ),
    addComment: (c) =>
      Effect.gen(function*() {
        const comment: Comment = {
          id: yield* newId,
          runId: c.runId,
          ...(c.kind === undefined ? {} : { kind: c.kind }),
          ...(c.itemId === undefined ? {} : { itemId: c.itemId }),
          author: c.author,
          createdAt: yield* now,
          text: c.text
        }
        yield* sql`INSERT INTO kravsync_comments (id, party, run_id, kind, item_id, author, created_at, body)
          VALUES (${comment.id}, ${c.party}, ${c.runId}, ${c.kind ?? null}, ${c.itemId ?? null}, ${c.author}, ${comment.createdAt}, ${c.text})`
        return comment
      }).pipe(Effect.mapError(storeError("add comment"))),
    comments: (runId) =>
      sql<Row>`SELECT * FROM kravsync_comments WHERE run_id = ${runId} ORDER BY id`.pipe(
        Effect.map((rows) => rows.map(toComment)),
        Effect.mapError(storeError("read comments"))
      ),
    saveReport: (report, options) =>
      Effect.gen(function*() {
        const m = report.metadata
        const { run } = yield* createRun({
          party: m.party,
          periode: m.periode,
          asOf: m.asOf,
          ledger: options.ledger,
          language: m.language,
          // A report made elsewhere is its own reconciliation: never merged with a run under way.
          idempotencyKey: `saved:${yield* newId}`,
          origin: options.origin ?? "cli"
        })
        yield* store.markRunning(run.id)
        return yield* finishRun(run.id, report)
      }),
    ping: sql`SELECT 1`.pipe(Effect.asVoid, Effect.mapError(storeError("ping")))
  }
  return store
})
