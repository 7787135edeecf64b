/**
 * The service's configuration file (`kravsync serve --config service.yaml`, JSON or YAML): where
 * it listens, which ledgers callers may name, its limits, and the API keys — as SHA-256 hashes only,
 * never the keys. Skatteetaten's connection settings are the CLI's (KRAVSYNC_* variables, or the
 * settings file `skatteetaten` names; docs/client.md); the database is KRAVSYNC_DATABASE_URL's.
 * Every error names the file and the setting, never a value.
 */
import { Effect, Either, ParseResult, Schema } from "effect"
import { readFileSync } from "node:fs"
import { dirname, isAbsolute, resolve } from "node:path"
import { parse as parseYaml } from "yaml"
import { ApiKeyConfig } from "./Auth.ts"
import { ServiceSetupError } from "./Server.ts"

export const ServiceFile = Schema.Struct({
  port: Schema.optional(Schema.Int.pipe(Schema.between(0, 65535))),
  host: Schema.optional(Schema.String),
  /** Folder of the embedded database (kravsync.db). Default .kravsync, or KRAVSYNC_DATA_DIR. */
  dataDir: Schema.optional(Schema.String),
  /** Folder callers' saft:FILE paths are relative to. */
  ledgerRoot: Schema.optional(Schema.String),
  /** Ledger kinds callers may use. Default ["saft"]. */
  ledgers: Schema.optional(Schema.Array(Schema.Literal("saft", "tripletex", "fiken"))),
  maxConcurrentRuns: Schema.optional(Schema.Int.pipe(Schema.between(1, 64))),
  requestTimeoutSeconds: Schema.optional(Schema.Number.pipe(Schema.positive())),
  maxBodyBytes: Schema.optional(Schema.Int.pipe(Schema.positive())),
  shutdownGraceSeconds: Schema.optional(Schema.Number.pipe(Schema.nonNegative())),
  /** A settings file for Skatteetaten's API (the other commands' --config: docs/client.md). */
  skatteetaten: Schema.optional(Schema.String),
  /** The built-in sandbox serves the scenarios in this folder (as --sandbox-data). */
  sandboxData: Schema.optional(Schema.String),
  apiKeys: Schema.Array(ApiKeyConfig)
})
export type ServiceFile = typeof ServiceFile.Type

const PATHS = ["dataDir", "ledgerRoot", "skatteetaten", "sandboxData"] as const

/** Reads and checks the file; relative paths in it are relative to the file's folder. */
export const readServiceFile = (path: string): Effect.Effect<ServiceFile, ServiceSetupError> =>
  Effect.gen(function*() {
    const fail = (message: string, setting = "--config") => new ServiceSetupError({ setting, message: `${path}: ${message}` })
    const text = yield* Effect.try({ try: () => readFileSync(path, "utf8").replace(/^\uFEFF/, ""), catch: () => fail("cannot read the file") })
    const data = yield* Effect.try({
      try: () => (/\.ya?ml$/i.test(path) ? parseYaml(text) as unknown : JSON.parse(text) as unknown),
      catch: () => fail(/\.ya?ml$/i.test(path) ? "not valid YAML" : "not valid JSON (name the file .yaml for YAML)")
    })
    const decoded = Schema.decodeUnknownEither(ServiceFile, { onExcessProperty: "error" })(data)
    if (Either.isLeft(decoded)) {
      const issue = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)[0]
      // The issue's message may quote a value; only the path and the kind of problem are shown.
      const where = issue?.path.join(".") || "(the file)"
      return yield* Effect.fail(
        fail(
          `${where}: ${issue?._tag === "Unexpected" ? "is not a setting" : issue?._tag === "Missing" ? "is missing" : "has the wrong form (docs/service.md)"}`,
          where
        )
      )
    }
    const dir = dirname(resolve(path))
    const f = decoded.right
    const absolute = Object.fromEntries(PATHS.flatMap((k) => (f[k] === undefined ? [] : [[k, isAbsolute(f[k]) ? f[k] : resolve(dir, f[k])]])))
    return { ...f, ...absolute }
  })
