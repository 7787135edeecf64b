/**
 * What kind of failure an error is, declared by the error class itself, so that a program running
 * kravsync (the CLI's exit codes, a host's own handling) never has to keep lists of error tags.
 * - `input`: the caller's input or configuration is wrong (a flag, a file, a mapping, a ledger that
 *   is not the party's);
 * - `api`: Skatteetaten's API answered with an error, or could not be reached;
 * - `auth`: authentication or consent failed (Maskinporten, a key, KB-004/KB-005);
 * - `output`: a report could not be written;
 * - `attention`: the reconciliation ran and was written, but needs follow-up (only when asked, `--fail-on-attention`);
 * - anything that declares nothing is an unexpected failure.
 */
export const ExitCategoryId: unique symbol = Symbol.for("kravsync/ExitCategory")

export type ExitCategory = "input" | "api" | "auth" | "output" | "attention"

export interface Categorised {
  readonly [ExitCategoryId]: ExitCategory
}

/** The category an error value declares, if any. */
export const categoryOf = (e: unknown): ExitCategory | undefined =>
  typeof e === "object" && e !== null && ExitCategoryId in e ? (e as Categorised)[ExitCategoryId] : undefined
