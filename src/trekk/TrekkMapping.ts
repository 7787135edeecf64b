/**
 * Which ledger accounts carry utleggstrekk: NS 4102's 2610 *Utleggstrekk* unless the company's
 * file says otherwise. The file is JSON with the field `utleggstrekk` (an account list), so the
 * same file as `--mapping` can carry it once the main mapping accepts the field; other fields
 * are ignored here.
 */
import { Either, ParseResult, Schema } from "effect"
import { ExitCategoryId } from "../ExitCategory.ts"

export const DEFAULT_ACCOUNTS: ReadonlyArray<string> = ["2610"]

const AccountNumber = Schema.String.pipe(Schema.filter((s) => /^[0-9A-Za-z][0-9A-Za-z:._-]*$/.test(s) || `"${s}" is not an account number`))

export const TrekkMappingFile = Schema.Struct({
  utleggstrekk: Schema.optional(Schema.Array(AccountNumber).pipe(Schema.minItems(1, { message: () => "at least one account" })))
})

export class TrekkMappingError extends Schema.TaggedError<TrekkMappingError>()("TrekkMappingError", {
  field: Schema.String,
  message: Schema.String
}) {
  readonly [ExitCategoryId] = "input" as const
}

export interface TrekkMapping {
  readonly source: string
  readonly accounts: ReadonlyArray<string>
}

export const standard: TrekkMapping = { source: "standard (NS 4102 2610 Utleggstrekk)", accounts: DEFAULT_ACCOUNTS }

const decode = Schema.decodeUnknownEither(Schema.parseJson(TrekkMappingFile), { errors: "first", onExcessProperty: "ignore" })

export const parseMapping = (text: string, name: string): Either.Either<TrekkMapping, TrekkMappingError> =>
  Either.mapBoth(decode(text), {
    onLeft: (e) => {
      const issue = ParseResult.ArrayFormatter.formatErrorSync(e)[0]
      const field = issue === undefined || issue.path.length === 0 ? "(file)" : issue.path.map(String).join(".")
      return new TrekkMappingError({ field, message: `${name}: ${issue?.message ?? "not a valid mapping file"}` })
    },
    onRight: (f) => (f.utleggstrekk === undefined
      ? { ...standard, source: `${name} (no utleggstrekk field: standard 2610)` }
      : { source: name, accounts: [...f.utleggstrekk] })
  })
