/**
 * Which database the store uses: PostgreSQL (@effect/sql-pg) when KRAVSYNC_DATABASE_URL is set, else
 * an embedded libSQL file (@effect/sql-libsql, SQLite-compatible, prebuilt: no setup) at
 * `<data directory>/kravsync.db`. Either way the migrations run when the layer is built.
 *
 * The SQLite file is opened in WAL mode with a busy timeout, so `reconcile --store` and a running
 * service can share it.
 */
import { SqlClient } from "@effect/sql"
import { LibsqlClient } from "@effect/sql-libsql"
import { PgClient } from "@effect/sql-pg"
import { Config, Effect, Layer, Option, Redacted } from "effect"
import { mkdirSync } from "node:fs"
import { join, resolve } from "node:path"
import { Store } from "./Store.ts"
import { StoreError, storeError } from "./StoreError.ts"

export interface DatabaseOptions {
  /** The folder of the embedded database (made if missing). */
  readonly dataDir: string
  /** postgres://… — PostgreSQL instead of the embedded database. */
  readonly databaseUrl?: Redacted.Redacted | undefined
}

/** The embedded database file in `dataDir`. */
export const libsqlFile = (dataDir: string) => join(resolve(dataDir), "kravsync.db")

const sqlite = (dataDir: string): Layer.Layer<SqlClient.SqlClient, StoreError> =>
  Layer.unwrapEffect(
    Effect.try({
      try: () => mkdirSync(resolve(dataDir), { recursive: true }),
      catch: (e) => new StoreError({ operation: "open database", message: `cannot make the data directory ${dataDir}: ${String(e)}` })
    }).pipe(
      Effect.as(
        Layer.effectDiscard(
          Effect.flatMap(SqlClient.SqlClient, (sql) => Effect.zipRight(sql`PRAGMA busy_timeout = 5000`, sql`PRAGMA journal_mode = WAL`)).pipe(
            Effect.mapError(storeError("open database"))
          )
        ).pipe(Layer.provideMerge(LibsqlClient.layer({ url: `file:${libsqlFile(dataDir)}` })))
      )
    )
  )

const postgres = (url: Redacted.Redacted): Layer.Layer<SqlClient.SqlClient, StoreError> =>
  Layer.catchAll(PgClient.layer({ url, applicationName: "kravsync" }), (e) => Layer.fail(storeError("open database")(e)))

/** The SqlClient for the options: PostgreSQL when a URL is given, else the embedded file. */
export const sqlLayer = (options: DatabaseOptions): Layer.Layer<SqlClient.SqlClient, StoreError> =>
  options.databaseUrl === undefined ? sqlite(options.dataDir) : postgres(options.databaseUrl)

/** The Store on the database the options name, migrated. */
export const layer = (options: DatabaseOptions): Layer.Layer<Store | SqlClient.SqlClient, StoreError> => Store.layer.pipe(Layer.provideMerge(sqlLayer(options)))

/** KRAVSYNC_DATABASE_URL (optional, secret) and KRAVSYNC_DATA_DIR (default `.kravsync`). */
export const databaseConfig = Config.all({
  databaseUrl: Config.option(Config.redacted("KRAVSYNC_DATABASE_URL")),
  dataDir: Config.withDefault(Config.string("KRAVSYNC_DATA_DIR"), ".kravsync")
})

/** The Store from the environment's settings, `dataDir` overriding KRAVSYNC_DATA_DIR when given. */
export const layerFromConfig = (dataDir?: string) =>
  Layer.unwrapEffect(
    Effect.map(databaseConfig, (c) => layer({ dataDir: dataDir ?? c.dataDir, databaseUrl: Option.getOrUndefined(c.databaseUrl) }))
  )

/** Where the store is, for a log line: the file, or PostgreSQL without its credentials. */
export const describe = (options: DatabaseOptions): string => {
  if (options.databaseUrl === undefined) return `libSQL ${libsqlFile(options.dataDir)}`
  try {
    const u = new URL(Redacted.value(options.databaseUrl))
    return `PostgreSQL ${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`
  } catch {
    return "PostgreSQL"
  }
}
