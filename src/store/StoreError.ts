/** The store's one error: a database that failed or a stored value that does not read back. */
import { Schema } from "effect"
import { ExitCategoryId } from "../ExitCategory.ts"

export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  /** What the store was doing: "create run", "read report", … */
  operation: Schema.String,
  message: Schema.String
}) {
  // A store that cannot keep a report is an output failure, as for a report file (exit 5).
  readonly [ExitCategoryId] = "output" as const
}

/** Maps any database failure to a StoreError naming the operation; the driver's text is kept, never a query's parameters. */
export const storeError = (operation: string) => (e: unknown): StoreError =>
  new StoreError({ operation, message: typeof e === "object" && e !== null && "message" in e ? String(e.message) : String(e) })
