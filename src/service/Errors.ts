/**
 * The service's errors, one class per HTTP status, each a JSON body with the CLI's words for what
 * went wrong: `category` (src/ExitCategory.ts: input, api, auth, output, or unexpected) and
 * `exitCode` (the code the CLI would exit with: 2 input, 3 API, 4 auth/consent, 5 output, 1 other),
 * a message, and the field of the request at fault when there is one. A platform maps them the
 * same way it maps the CLI's exit codes.
 */
import { HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"
import { categoryOf } from "../ExitCategory.ts"
import type { ErrorBody } from "../store/Records.ts"

const fields = {
  category: Schema.String,
  exitCode: Schema.Int,
  message: Schema.String,
  field: Schema.optional(Schema.String)
}

export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  ...fields,
  /** Each problem the request's schema found, with its path. */
  issues: Schema.optional(Schema.Array(Schema.Struct({ path: Schema.Array(Schema.Union(Schema.String, Schema.Number)), message: Schema.String })))
}, HttpApiSchema.annotations({ status: 400, description: "The request is invalid (exit code 2): the field and the rule are named" })) {}

export class Unauthorized extends Schema.TaggedError<Unauthorized>()(
  "Unauthorized",
  fields,
  HttpApiSchema.annotations({ status: 401, description: "No API key, or one the service does not know (exit code 4)" })
) {}

export class Forbidden extends Schema.TaggedError<Forbidden>()(
  "Forbidden",
  fields,
  HttpApiSchema.annotations({ status: 403, description: "The API key is not scoped to this party (exit code 4)" })
) {}

export class NotFound extends Schema.TaggedError<NotFound>()(
  "NotFound",
  fields,
  HttpApiSchema.annotations({ status: 404, description: "No such run visible to this API key (exit code 2)" })
) {}

export class NotReady extends Schema.TaggedError<NotReady>()(
  "NotReady",
  fields,
  HttpApiSchema.annotations({ status: 409, description: "The run has no report: it is still queued or running, or it failed (see its status)" })
) {}

export class PayloadTooLarge extends Schema.TaggedError<PayloadTooLarge>()(
  "PayloadTooLarge",
  fields,
  HttpApiSchema.annotations({ status: 413, description: "The request body is larger than the service accepts (exit code 2)" })
) {}

export class ServerError extends Schema.TaggedError<ServerError>()(
  "ServerError",
  fields,
  HttpApiSchema.annotations({
    status: 500,
    description: "The service failed: the store could not be read or written (exit code 5), or something unexpected (1)"
  })
) {}

export class Unavailable extends Schema.TaggedError<Unavailable>()(
  "Unavailable",
  fields,
  HttpApiSchema.annotations({ status: 503, description: "Not ready, shutting down, or the request took longer than the service's timeout" })
) {}

const CODES: Record<string, number> = { input: 2, api: 3, auth: 4, output: 5, attention: 6 }

/** The CLI's category and exit code of any failure value (src/cli/main.ts's exitCodeFor, by category). */
export const errorBody = (e: unknown, field?: string): ErrorBody => {
  const category = categoryOf(e) ?? "unexpected"
  const message = typeof e === "object" && e !== null && "message" in e && typeof e.message === "string" ? e.message : String(e)
  return { category, exitCode: CODES[category] ?? 1, message, ...(field === undefined ? {} : { field }) }
}

export const invalidInput = (message: string, field?: string) =>
  new InvalidInput({ category: "input", exitCode: 2, message, ...(field === undefined ? {} : { field }) })
export const unauthorized = (message: string) => new Unauthorized({ category: "auth", exitCode: 4, message })
export const forbidden = (message: string, field?: string) =>
  new Forbidden({ category: "auth", exitCode: 4, message, ...(field === undefined ? {} : { field }) })
export const notFound = (message: string) => new NotFound({ category: "input", exitCode: 2, message })
export const notReady = (message: string) => new NotReady({ category: "input", exitCode: 2, message })
export const payloadTooLarge = (message: string) => new PayloadTooLarge({ category: "input", exitCode: 2, message })
export const unavailable = (message: string) => new Unavailable({ category: "unexpected", exitCode: 1, message })
/** A failure of the store or of the service itself, with its own category (a StoreError is output, 5). */
export const serverError = (e: unknown) => {
  const b = errorBody(e)
  return new ServerError({ category: b.category, exitCode: b.exitCode, message: b.message })
}
