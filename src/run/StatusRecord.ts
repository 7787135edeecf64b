/**
 * One client's status record in the run folder (`klienter/<orgnr>/status.json`): the last outcome
 * of the client, the digest of the inputs it was reached with, and the figures the overview shows —
 * so the overview is built from the records on disk, never from reports held in memory, and a
 * rerun knows which clients are done.
 *
 * A record is written atomically (ReportSink.atomically: temporary file, fsync, rename) and only
 * after the client's reports are in place, so a record that says "done" always has finished
 * reports beside it, whenever the process was killed.
 */
import { Schema } from "effect"
import { OereSchema } from "../domain/Money.ts"
import { Periode } from "../domain/Periode.ts"

export const STATUS_SCHEMA_VERSION = 1 as const

/** tied-out: reconciled, nothing to follow up; follow-up: reconciled, something needs action; failed: not reconciled. */
export const Outcome = Schema.Literal("tied-out", "follow-up", "failed")
export type Outcome = typeof Outcome.Type

export const ClientFailure = Schema.Struct({
  /** The error's exit category (src/ExitCategory.ts): input, api, auth, output; "unexpected" when it declares none. */
  category: Schema.Literal("input", "api", "auth", "output", "unexpected"),
  /** The error's tag ("KB-002", "LedgerSourceError", …). */
  tag: Schema.String,
  message: Schema.String
})
export type ClientFailure = typeof ClientFailure.Type

export const Figures = Schema.Struct({
  skatteetatenSaldo: OereSchema,
  ledgerSaldo: OereSchema,
  difference: OereSchema,
  unexplained: OereSchema,
  followUpItems: Schema.Int,
  /** The account rows needing follow-up ("2740", "(ikke tilordnet)"). */
  followUpRows: Schema.Array(Schema.String)
})
export type Figures = typeof Figures.Type

export const StatusRecord = Schema.Struct({
  schemaVersion: Schema.Literal(STATUS_SCHEMA_VERSION),
  orgnr: Schema.String,
  /** The client list's line. */
  line: Schema.Int,
  /** The row's name, else Skatteetaten's name of the party, else the ledger's. */
  name: Schema.optional(Schema.String),
  ledger: Schema.String,
  /** sha-256 over the row and the contents of its files (docs/run.md, «Resuming»). */
  inputs: Schema.String,
  outcome: Outcome,
  periode: Schema.optional(Periode),
  asOf: Schema.optional(Schema.String),
  figures: Schema.optional(Figures),
  failure: Schema.optional(ClientFailure),
  /** The reports, relative to the run folder. */
  files: Schema.Array(Schema.String),
  /** When the outcome was reached (ISO 8601); not part of the overview. */
  finishedAt: Schema.String
}).annotations({ identifier: "StatusRecord" })
export type StatusRecord = typeof StatusRecord.Type

export const decodeStatus = Schema.decodeUnknownEither(Schema.parseJson(StatusRecord))
export const encodeStatus = (r: StatusRecord): string => `${JSON.stringify(Schema.encodeSync(StatusRecord)(r), null, 2)}\n`
