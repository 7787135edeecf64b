/**
 * The store's schema, as migrations in code (@effect/sql's Migrator with `fromRecord`): the same
 * SQL runs on libSQL (SQLite) and PostgreSQL — TEXT, BIGINT and partial unique indexes mean the
 * same on both. A migration never changes once released; a change is a new numbered one.
 *
 * - kravsync_runs: one row per reconciliation (queued → running → done | failed | abandoned).
 *   The partial unique index on idem_key admits one queued-or-running run per party, period,
 *   as-of date, ledger and mapping: a second start of the same reconciliation finds the first.
 * - kravsync_reports: the finished report's JSON, written in the same transaction that marks the
 *   run done, with its SHA-256 so a read can tell a damaged row from a good one.
 * - kravsync_signoffs, kravsync_comments: who signed off or remarked on what, and when.
 */
import { Migrator, SqlClient } from "@effect/sql"
import { Effect } from "effect"

const m0001 = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE kravsync_runs (
    id TEXT PRIMARY KEY,
    party TEXT NOT NULL,
    fra TEXT NOT NULL,
    til TEXT NOT NULL,
    as_of TEXT NOT NULL,
    ledger TEXT NOT NULL,
    language TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    client_key TEXT,
    origin TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    error TEXT,
    summary TEXT
  )`
  yield* sql`CREATE UNIQUE INDEX kravsync_runs_active ON kravsync_runs (idem_key) WHERE status IN ('queued', 'running')`
  yield* sql`CREATE UNIQUE INDEX kravsync_runs_client_key ON kravsync_runs (client_key)`
  yield* sql`CREATE INDEX kravsync_runs_party ON kravsync_runs (party, created_at)`
  yield* sql`CREATE TABLE kravsync_reports (
    run_id TEXT PRIMARY KEY REFERENCES kravsync_runs (id),
    body TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BIGINT NOT NULL
  )`
  yield* sql`CREATE TABLE kravsync_signoffs (
    id TEXT PRIMARY KEY,
    party TEXT NOT NULL,
    run_id TEXT NOT NULL REFERENCES kravsync_runs (id),
    scope TEXT NOT NULL,
    kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    amount BIGINT NOT NULL,
    signed_by TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    comment TEXT NOT NULL,
    api_key TEXT
  )`
  yield* sql`CREATE INDEX kravsync_signoffs_party ON kravsync_signoffs (party, signed_at)`
  yield* sql`CREATE TABLE kravsync_comments (
    id TEXT PRIMARY KEY,
    party TEXT NOT NULL,
    run_id TEXT NOT NULL REFERENCES kravsync_runs (id),
    kind TEXT,
    item_id TEXT,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    body TEXT NOT NULL
  )`
  yield* sql`CREATE INDEX kravsync_comments_run ON kravsync_comments (run_id, created_at)`
})

/** Every migration, by `<number>_<name>`. */
export const migrations = { "0001_runs_reports_signoffs": m0001 }

/** Runs the migrations not yet applied (recorded in kravsync_migrations); safe to run at every start. */
export const migrate = Migrator.make({})({ loader: Migrator.fromRecord(migrations), table: "kravsync_migrations" })
