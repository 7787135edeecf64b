/**
 * The databases the store's tests run against: a fresh libSQL file per test, and a fresh PostgreSQL
 * database per test on 127.0.0.1:5432 (trust auth, database `test`, user postgres; override with
 * KRAVSYNC_TEST_PG_URL). When PostgreSQL is unreachable its suite is skipped with a notice on stderr.
 */
import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Effect, Exit, Layer, Redacted, type Scope } from "effect"
import { randomBytes } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Database from "../../src/store/Database.ts"

export const PG_ADMIN_URL = process.env.KRAVSYNC_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"

const admin = PgClient.layer({ url: Redacted.make(PG_ADMIN_URL), connectTimeout: "3 seconds", maxConnections: 1 })

/** Whether PostgreSQL answers (checked once per test file). */
export const pgReachable = async (): Promise<boolean> => {
  const exit = await Effect.runPromiseExit(
    Effect.scoped(
      Effect.flatMap(
        Layer.build(admin),
        (ctx) => Effect.flatMap(Effect.succeed(ctx), () => Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT 1`).pipe(Effect.provide(ctx)))
      )
    ).pipe(Effect.timeout("5 seconds"))
  )
  if (Exit.isFailure(exit)) process.stderr.write(`NOTICE: PostgreSQL at ${PG_ADMIN_URL} is unreachable: the PostgreSQL store tests are skipped\n`)
  return Exit.isSuccess(exit)
}

export interface Backend {
  readonly name: "libsql" | "postgres"
  /** Options for a fresh, empty database that is removed with the scope. */
  readonly fresh: Effect.Effect<Database.DatabaseOptions, never, Scope.Scope>
}

export const libsql: Backend = {
  name: "libsql",
  fresh: Effect.acquireRelease(
    Effect.sync(() => ({ dataDir: mkdtempSync(join(tmpdir(), "kravsync-store-")) })),
    (o) => Effect.sync(() => rmSync(o.dataDir, { recursive: true, force: true }))
  )
}

const onAdmin = (f: (sql: SqlClient.SqlClient) => Effect.Effect<unknown, unknown>) =>
  Effect.scoped(Effect.flatMap(SqlClient.SqlClient, f).pipe(Effect.provide(admin))).pipe(Effect.orDie)

/** A database of its own per test, dropped afterwards (FORCE: the store's pool may still hold a connection). */
export const postgres: Backend = {
  name: "postgres",
  fresh: Effect.acquireRelease(
    Effect.gen(function*() {
      const name = `kravsync_t_${randomBytes(6).toString("hex")}`
      yield* onAdmin((sql) => sql.unsafe(`CREATE DATABASE ${name}`))
      const url = new URL(PG_ADMIN_URL)
      url.pathname = `/${name}`
      return { dataDir: tmpdir(), databaseUrl: Redacted.make(url.toString()), name }
    }),
    (o) => onAdmin((sql) => sql.unsafe(`DROP DATABASE IF EXISTS ${o.name} WITH (FORCE)`))
  )
}
