/** Reads a `--mapping FILE` (JSON) into an AccountMapping; errors name the file and the field. */
import { FileSystem } from "@effect/platform"
import { Effect, Either, ParseResult, Schema } from "effect"
import { type AccountMapping, make, MappingError, MappingFile } from "./AccountMapping.ts"

const decode = Schema.decodeUnknownEither(Schema.parseJson(MappingFile), { errors: "all", onExcessProperty: "error" })

/** Decodes mapping JSON text; `name` is used in messages. */
export const parseMapping = (text: string, name: string): Either.Either<AccountMapping, MappingError> =>
  Either.flatMap(
    Either.mapLeft(decode(text), (e) => {
      const issue = ParseResult.ArrayFormatter.formatErrorSync(e)[0]
      const field = issue === undefined || issue.path.length === 0 ? "(file)" : issue.path.map(String).join(".")
      return new MappingError({ field, message: `${name}: ${issue?.message ?? "not a valid mapping file"}` })
    }),
    (file) => make(file, name)
  )

export const loadMapping = (path: string): Effect.Effect<AccountMapping, MappingError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs
      .readFileString(path)
      .pipe(Effect.mapError((e) => new MappingError({ field: "(file)", message: `cannot read mapping file ${path}: ${e.message}` })))
    return yield* parseMapping(text, path)
  })
