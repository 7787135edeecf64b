/**
 * What a run of the main reconciliation (src/reconcile/Reconciliation.ts) needs to reconcile the
 * party's Trekkpålegg too, and why it cannot when it cannot. The accounts come from the one mapping
 * file (its `utleggstrekk` field, src/reconcile/mapping/loadMapping.ts), the pay for percentage
 * orders from the optional payroll file (Loennsgrunnlag.ts).
 */
import { Schema } from "effect"
import { ExitCategoryId } from "../ExitCategory.ts"
import type { Loennsgrunnlag } from "./Loennsgrunnlag.ts"
import type { TrekkOptions } from "./reconcile.ts"
import type { TrekkMapping } from "./TrekkMapping.ts"

export interface TrekkRequest {
  /** The utleggstrekk accounts. Default: 2610. */
  readonly mapping?: TrekkMapping | undefined
  /** Pay per employee and month, for percentage orders; without it they are *krever lønnsgrunnlag*. */
  readonly loennsgrunnlag?: { readonly source: string; readonly data: Loennsgrunnlag } | undefined
  /** Pay day and payment deadline assumed where nothing says (docs/trekkpaalegg.md). */
  readonly options?: TrekkOptions | undefined
}

/** Trekkpålegg were asked for but cannot be reconciled for this party or by this program. */
export class TrekkUnavailable extends Schema.TaggedError<TrekkUnavailable>()("TrekkUnavailable", {
  reason: Schema.Literal("not-an-employer", "no-client"),
  message: Schema.String,
  /** The same in bokmål (what the CLI prints under the default language). */
  messageNb: Schema.String
}) {
  readonly [ExitCategoryId] = "input" as const
}
