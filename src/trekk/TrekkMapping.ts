/**
 * Which ledger accounts carry utleggstrekk: NS 4102's 2610 *Utleggstrekk* unless the company's
 * mapping file says otherwise in its `utleggstrekk` field. The file is the one `kravsync reconcile
 * --mapping` reads (src/reconcile/mapping/loadMapping.ts owns the field), so a user keeps one
 * mapping file: `kravsync trekkavstemming --mapping` reads the same file with the same rules and
 * messages (a typo in another field is refused here too, as it is by `reconcile`).
 */
import { Either, Schema } from "effect"
import { ExitCategoryId } from "../ExitCategory.ts"
import * as Main from "../reconcile/mapping/loadMapping.ts"

export const DEFAULT_ACCOUNTS: ReadonlyArray<string> = Main.DEFAULT_UTLEGGSTREKK

export class TrekkMappingError extends Schema.TaggedError<TrekkMappingError>()("TrekkMappingError", {
  field: Schema.String,
  message: Schema.String
}) {
  readonly [ExitCategoryId] = "input" as const
}

export type TrekkMapping = Main.UtleggstrekkMapping

export const standard: TrekkMapping = Main.standardUtleggstrekk

/** The utleggstrekk accounts of a mapping file's text; `name` is used in messages. */
export const parseMapping = (text: string, name: string): Either.Either<TrekkMapping, TrekkMappingError> =>
  Either.mapBoth(Main.parseMapping(text, name), {
    onLeft: (e) => new TrekkMappingError({ field: e.field, message: e.message }),
    onRight: (m) => m.utleggstrekk
  })
