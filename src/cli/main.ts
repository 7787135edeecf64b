/**
 * The `kravsync` root command and the runner that turns failures into exit codes
 * (0 ok, 2 invalid input, 3 API error, 4 authentication/consent, 5 output not written, 1 anything
 * else — each error class declares its category, src/ExitCategory.ts) with a one-line
 * message on stderr and never a stack trace. bin/main.ts (the composition root) adds the
 * commands and services that need connectors.
 */
import { type CliApp, Command, ValidationError } from "@effect/cli"
import { Cause, ConfigError, Effect, Logger, Option } from "effect"
import { categoryOf, type ExitCategory } from "../ExitCategory.ts"
import { KRAVSYNC_VERSION } from "../version.ts"
import { aapnekravCommand, innbetalingerCommand, kravCommand, utbetalingerCommand } from "./commands/fetch.ts"
import { tokenCommand } from "./commands/token.ts"

export const coreCommands = [aapnekravCommand, kravCommand, innbetalingerCommand, utbetalingerCommand, tokenCommand] as const

const CODES: Readonly<Record<ExitCategory, number>> = { input: 2, api: 3, auth: 4, output: 5, attention: 6 }

/** The exit code for a failure value: its declared category (src/ExitCategory.ts), else 1. */
export const exitCodeFor = (e: unknown): number => {
  if (ValidationError.isValidationError(e) || ConfigError.isConfigError(e)) return 2
  const category = categoryOf(e)
  return category === undefined ? 1 : CODES[category]
}

const messageOf = (e: unknown): string => {
  if (typeof e === "object" && e !== null && "message" in e && typeof (e as { message: unknown }).message === "string") {
    return (e as { message: string }).message
  }
  return String(e)
}

/** The KB code's meaning is part of the message; say which kind of failure it is, too. */
const prefix = (code: number) =>
  code === 2
    ? "Invalid input"
    : code === 3
    ? "API error"
    : code === 4
    ? "Authentication error"
    : code === 5
    ? "Could not write"
    : code === 6
    ? "Needs follow-up"
    : "Error"

/** The root command; bin/main.ts adds the subcommands with `Command.withSubcommands`. */
export const rootCommand = Command.make("kravsync").pipe(
  Command.withDescription("Skatteetaten's Krav og betalinger: fetch claims and payments, reconcile them against the books")
)

/**
 * The CLI for `argv` (process.argv) as one effect that never fails: a failure is printed as one
 * line on stderr (never a stack trace) and becomes the exit code it returns. The platform
 * (NodeContext, an HttpClient) and the services the commands need come from the caller —
 * bin/main.ts provides them once and runs this with NodeRuntime.runMain.
 */
export const program = <R, E, A>(
  argv: ReadonlyArray<string>,
  root: Command.Command<"kravsync", R, E, A>
): Effect.Effect<number, never, R | CliApp.CliApp.Environment> => {
  const cli = Command.run(root, { name: "kravsync", version: KRAVSYNC_VERSION })
  // Logs (retries, set-aside elements) go to stderr: stdout carries only the document.
  const logs = Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger))
  return cli(argv).pipe(
    Effect.provide(logs),
    Effect.as(0),
    Effect.catchAllCause((cause) =>
      Effect.sync(() => {
        const failure = Cause.failureOption(cause)
        if (Option.isSome(failure)) {
          const code = exitCodeFor(failure.value)
          // @effect/cli has already printed its own validation message and usage.
          if (!ValidationError.isValidationError(failure.value)) process.stderr.write(`${prefix(code)}: ${messageOf(failure.value)}\n`)
          return code
        }
        if (Cause.isInterruptedOnly(cause)) return 130
        process.stderr.write(`Error: unexpected failure: ${messageOf(Cause.squash(cause))}\n`)
        return 1
      })
    )
  )
}
