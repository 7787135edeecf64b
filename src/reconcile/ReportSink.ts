/**
 * Where a report goes: a sink per file extension (".json" here in core, ".xlsx" from
 * connectors/excel). `--out FILE` may be repeated; each file goes to the sink for its extension.
 */
import { Context, Effect, Layer, Schema } from "effect"
import { accessSync, closeSync, constants, fsyncSync, openSync, readdirSync, renameSync, rmSync, statSync } from "node:fs"
import { basename, dirname, join } from "node:path"
import { ExitCategoryId } from "../ExitCategory.ts"
import type { Report } from "./Report.ts"

export class ReportSinkError extends Schema.TaggedError<ReportSinkError>()("ReportSinkError", {
  path: Schema.String,
  message: Schema.String,
  /** The same in bokmål, when known (what the CLI prints under the default language). */
  messageNb: Schema.optional(Schema.String)
}) {
  readonly [ExitCategoryId] = "output" as const
}

export interface ReportSinkShape {
  /** Lowercase, with the dot: [".json"]. */
  readonly extensions: ReadonlyArray<string>
  readonly description: string
  readonly write: (report: Report, path: string) => Effect.Effect<void, ReportSinkError>
}

export interface ReportSinksShape {
  readonly sinks: ReadonlyArray<ReportSinkShape>
  /** The sink for the path's extension, once the path's folder is known to exist and be writable. */
  readonly forPath: (path: string) => Effect.Effect<ReportSinkShape, ReportSinkError>
  /** Writes the report to every path, each with the sink for its extension. */
  readonly writeAll: (report: Report, paths: ReadonlyArray<string>) => Effect.Effect<void, ReportSinkError>
}

export class ReportSinks extends Context.Tag("kravsync/ReportSinks")<ReportSinks, ReportSinksShape>() {}

const extensionOf = (path: string): string => {
  const base = path.split(/[\\/]/).pop() ?? path
  const i = base.lastIndexOf(".")
  return i <= 0 ? "" : base.slice(i).toLowerCase()
}

export const makeSinks = (sinks: ReadonlyArray<ReportSinkShape>): ReportSinksShape => {
  const forPath = (path: string) => {
    const ext = extensionOf(path)
    const sink = sinks.find((s) => s.extensions.includes(ext))
    const folder = writableFolder(path)
    if (sink !== undefined && folder !== undefined) return Effect.fail(new ReportSinkError({ path, message: folder.en, messageNb: `${path}: ${folder.nb}` }))
    return sink === undefined
      ? Effect.fail(
        new ReportSinkError({
          path,
          message: `no report writer for "${ext || "(no extension)"}"; known: ${sinks.flatMap((s) => s.extensions).join(", ")}`,
          messageNb: `${path}: ingen rapportskriver for "${ext || "(ingen filendelse)"}"; kjente: ${sinks.flatMap((s) => s.extensions).join(", ")}`
        })
      )
      : Effect.succeed(sink)
  }
  return {
    sinks,
    forPath,
    writeAll: (report, paths) =>
      Effect.gen(function*() {
        // Check every path first so a typo in the second --out does not leave half the output written.
        const chosen = yield* Effect.forEach(paths, (p) => Effect.map(forPath(p), (s) => [s, p] as const))
        yield* Effect.forEach(chosen, ([s, p]) => s.write(report, p), { discard: true })
      })
  }
}

export const layer = (sinks: ReadonlyArray<ReportSinkShape>): Layer.Layer<ReportSinks> => Layer.succeed(ReportSinks, makeSinks(sinks))

/** Why the report cannot be written into the path's folder (in English and bokmål), or undefined when it can. */
const writableFolder = (path: string): { readonly en: string; readonly nb: string } | undefined => {
  const dir = dirname(path)
  try {
    if (!statSync(dir).isDirectory()) return { en: `${dir} is not a folder`, nb: `${dir} er ikke en mappe` }
    accessSync(dir, constants.W_OK)
    return undefined
  } catch (e) {
    const code = (e as { code?: string }).code
    return code === "ENOENT"
      ? { en: `the folder ${dir} does not exist`, nb: `mappen ${dir} finnes ikke` }
      : code === "EACCES"
      ? { en: `the folder ${dir} is not writable`, nb: `mappen ${dir} kan ikke skrives til` }
      : { en: `cannot write in ${dir}: ${String(e)}`, nb: `kan ikke skrive i ${dir}: ${String(e)}` }
  }
}

/**
 * Runs `write` into a temporary file beside `path` (same folder, so the rename is atomic), flushes
 * it to disk and renames it over `path` only when the write succeeded; on failure or interruption
 * the temporary file is removed and whatever was at `path` is left as it was.
 */
export const atomically = <E>(path: string, write: (temp: string) => Effect.Effect<void, E>): Effect.Effect<void, E | ReportSinkError> => {
  removeAbandoned(path)
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`)
  const fail = (e: unknown) => new ReportSinkError({ path, message: e instanceof Error ? e.message : String(e) })
  return write(temp).pipe(
    Effect.zipRight(
      Effect.try({
        try: () => {
          const fd = openSync(temp, "r")
          try {
            fsyncSync(fd)
          } finally {
            closeSync(fd)
          }
          renameSync(temp, path)
        },
        catch: fail
      })
    ),
    Effect.onExit((exit) => (exit._tag === "Success" ? Effect.void : Effect.sync(() => rmSync(temp, { force: true }))))
  )
}

/** Whether a process with this id is running (a signal 0 probes without sending anything). */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as { code?: string }).code === "EPERM"
  }
}

/**
 * Removes the temporary files of earlier writes of `path` whose process is gone (a run killed while
 * writing leaves one behind); those of a write still running are left alone. Best effort.
 */
const removeAbandoned = (path: string): void => {
  const prefix = `.${basename(path)}.`
  try {
    for (const name of readdirSync(dirname(path))) {
      if (!name.startsWith(prefix) || !name.endsWith(".tmp")) continue
      const pid = Number(name.slice(prefix.length).split(".")[0])
      if (Number.isSafeInteger(pid) && pid > 0 && !alive(pid)) rmSync(join(dirname(path), name), { force: true })
    }
  } catch {
    // an unreadable folder is reported by the write itself
  }
}
