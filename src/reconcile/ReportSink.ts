/**
 * Where a report goes: a sink per file extension (".json" here in core, ".xlsx" from
 * connectors/excel). `--out FILE` may be repeated; each file goes to the sink for its extension.
 */
import { Context, Effect, Layer, Schema } from "effect"
import { ExitCategoryId } from "../ExitCategory.ts"
import type { Report } from "./Report.ts"

export class ReportSinkError extends Schema.TaggedError<ReportSinkError>()("ReportSinkError", {
  path: Schema.String,
  message: Schema.String
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
    return sink === undefined
      ? Effect.fail(
        new ReportSinkError({
          path,
          message: `no report writer for "${ext || "(no extension)"}"; known: ${sinks.flatMap((s) => s.extensions).join(", ")}`
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
