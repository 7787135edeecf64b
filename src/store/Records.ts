/**
 * What the store keeps, as schemas the service's API (src/service/Api.ts) documents too: a run
 * and its state, its summary, its failure (with the CLI's exit category and code), comments.
 */
import { Schema } from "effect"
import { Dato } from "../domain/Dato.ts"
import { OereSchema } from "../domain/Money.ts"

export const RunState = Schema.Literal("queued", "running", "done", "failed", "abandoned").annotations({ identifier: "RunState" })
export type RunState = typeof RunState.Type

/** A failure as the CLI reports it: the category of src/ExitCategory.ts and the exit code it maps to. */
export const ErrorBody = Schema.Struct({
  /** input, api, auth, output, attention, or unexpected. */
  category: Schema.String,
  /** The CLI's exit code for the category (2 input, 3 api, 4 auth, 5 output, 6 attention, 1 unexpected). */
  exitCode: Schema.Int,
  message: Schema.String,
  /** The field of the request the problem is in, when it is one. */
  field: Schema.optional(Schema.String)
}).annotations({ identifier: "ErrorBody" })
export type ErrorBody = typeof ErrorBody.Type

export const RunSummary = Schema.Struct({
  partyName: Schema.optional(Schema.String),
  difference: OereSchema,
  unexplained: OereSchema,
  needsAttention: Schema.Boolean,
  /** Items needing follow-up in the report, before carry-forward. */
  followUpItems: Schema.Int,
  conserved: Schema.Boolean
}).annotations({ identifier: "RunSummary" })
export type RunSummary = typeof RunSummary.Type

export const Run = Schema.Struct({
  id: Schema.String,
  party: Schema.String,
  periode: Schema.Struct({ fraOgMed: Dato, tilOgMed: Dato }),
  asOf: Dato,
  /** The ledger spec (`saft:FILE`, `tripletex`, `fiken`); never a credential. */
  ledger: Schema.String,
  language: Schema.Literal("nb", "en"),
  /** Who started it: the service, or the CLI's `reconcile --store`. */
  origin: Schema.Literal("service", "cli"),
  state: RunState,
  createdAt: Schema.String,
  startedAt: Schema.optional(Schema.String),
  finishedAt: Schema.optional(Schema.String),
  error: Schema.optional(ErrorBody),
  summary: Schema.optional(RunSummary)
}).annotations({ identifier: "Run" })
export type Run = typeof Run.Type

export const Comment = Schema.Struct({
  id: Schema.String,
  runId: Schema.String,
  kind: Schema.optional(Schema.String),
  itemId: Schema.optional(Schema.String),
  author: Schema.String,
  createdAt: Schema.String,
  text: Schema.String
}).annotations({ identifier: "Comment" })
export type Comment = typeof Comment.Type
