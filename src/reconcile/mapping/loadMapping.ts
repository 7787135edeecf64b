/**
 * Reads a `--mapping FILE` (JSON) into an AccountMapping; errors name the file and the field.
 *
 * The same file carries `utleggstrekk`, the accounts Trekkpålegg withholding is booked on (NS 4102
 * 2610 *Utleggstrekk* when absent; docs/trekkpaalegg.md), so a user keeps one mapping file for the
 * reconciliation of the tax account and of Trekkpålegg. The field is read here rather than in
 * AccountMapping's MappingFile: the tax account's own reconciliation never uses it, and a file
 * without it maps exactly as before.
 */
import { FileSystem } from "@effect/platform"
import { Effect, Either, ParseResult, Schema } from "effect"
import { type AccountMapping, accounts, make, MappingError, MappingFile, rows } from "./AccountMapping.ts"

/** NS 4102 2610 *Utleggstrekk*: the default account of Trekkpålegg withholding. */
export const DEFAULT_UTLEGGSTREKK: ReadonlyArray<string> = ["2610"]

/** Which accounts carry utleggstrekk, and where that came from (for the report). */
export interface UtleggstrekkMapping {
  readonly source: string
  readonly accounts: ReadonlyArray<string>
}

export const standardUtleggstrekk: UtleggstrekkMapping = { source: "standard (NS 4102 2610 Utleggstrekk)", accounts: DEFAULT_UTLEGGSTREKK }

/** An AccountMapping read from a file, with the file's utleggstrekk accounts (the default when it names none). */
export type AccountMappingWithTrekk = AccountMapping & { readonly utleggstrekk: UtleggstrekkMapping }

/** Same account rule as the other fields (AccountMapping.ts's AccountNumber), so the messages read alike. */
const AccountNumber = Schema.String.pipe(
  Schema.filter((s) => /^[0-9A-Za-z][0-9A-Za-z:._-]*$/.test(s) || `"${s}" is not an account number`),
  Schema.annotations({ identifier: "AccountNumber", description: "Ledger account number, e.g. 2740" })
)

/** The mapping file as `--mapping` reads it: MappingFile's fields and `utleggstrekk`. */
export const MappingFileWithTrekk = Schema.Struct({
  ...MappingFile.fields,
  /** The accounts Trekkpålegg withholding is credited to and paid from (default ["2610"]). */
  utleggstrekk: Schema.optional(Schema.Array(AccountNumber).pipe(Schema.minItems(1, { message: () => "at least one account (leave the field out for 2610)" })))
})

const decode = Schema.decodeUnknownEither(Schema.parseJson(MappingFileWithTrekk), { errors: "all", onExcessProperty: "error" })

/**
 * Why `utleggstrekk` cannot be these accounts: one of them already carries a kravgruppe or kravtype
 * (its balance would be counted in both reconciliations), or undefined when they are free.
 */
export const utleggstrekkConflict = (mapping: AccountMapping, utleggstrekk: ReadonlyArray<string>): MappingError | undefined => {
  const taken = new Set(accounts(mapping))
  const clash = utleggstrekk.find((a) => taken.has(a))
  if (clash === undefined) return undefined
  const row = rows(mapping).find((r) => r.accounts.includes(clash))
  return new MappingError({
    field: "utleggstrekk",
    message: `account ${clash} is also used by ${row === undefined ? "another field" : row.codes.join(", ")} (${
      row?.key ?? clash
    }); an account can belong to one list only${utleggstrekk === DEFAULT_UTLEGGSTREKK ? ": give the utleggstrekk accounts in the mapping file" : ""}`
  })
}

/** Decodes mapping JSON text; `name` is used in messages. */
export const parseMapping = (text: string, name: string): Either.Either<AccountMappingWithTrekk, MappingError> =>
  Either.flatMap(
    Either.mapLeft(decode(text), (e) => {
      const issue = ParseResult.ArrayFormatter.formatErrorSync(e)[0]
      const field = issue === undefined || issue.path.length === 0 ? "(file)" : issue.path.map(String).join(".")
      return new MappingError({ field, message: `${name}: ${issue?.message ?? "not a valid mapping file"}` })
    }),
    ({ utleggstrekk, ...file }) =>
      Either.flatMap(make(file, name), (mapping) => {
        if (utleggstrekk === undefined) {
          return Either.right({ ...mapping, utleggstrekk: { ...standardUtleggstrekk, source: `${name} (no utleggstrekk field: standard 2610)` } })
        }
        const conflict = utleggstrekkConflict(mapping, utleggstrekk)
        return conflict === undefined
          ? Either.right({ ...mapping, utleggstrekk: { source: name, accounts: [...utleggstrekk] } })
          : Either.left(new MappingError({ field: conflict.field, message: `${name}: ${conflict.message}` }))
      })
  )

export const loadMapping = (path: string): Effect.Effect<AccountMappingWithTrekk, MappingError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs
      .readFileString(path)
      .pipe(Effect.mapError((e) => new MappingError({ field: "(file)", message: `cannot read mapping file ${path}: ${e.message}` })))
    return yield* parseMapping(text, path)
  })
