/**
 * The `kravsync` root command and the runner that turns failures into exit codes
 * (0 ok, 2 invalid input, 3 API error, 4 authentication/consent, 5 output not written, 1 anything
 * else — each error class declares its category, src/ExitCategory.ts) with a one-line
 * message on stderr and never a stack trace. bin/main.ts (the composition root) adds the
 * commands and services that need connectors.
 */
import { type CliApp, CliConfig, Command, HelpDoc, Usage, ValidationError } from "@effect/cli"
import * as Descriptor from "@effect/cli/CommandDescriptor"
import * as Span from "@effect/cli/HelpDoc/Span"
import { Cause, ConfigError, Console, Effect, Logger, Option } from "effect"
import { categoryOf, type ExitCategory } from "../ExitCategory.ts"
import { KRAVSYNC_VERSION } from "../version.ts"
import { aapnekravCommand, innbetalingerCommand, kravCommand, utbetalingerCommand } from "./commands/fetch.ts"
import { tokenCommand } from "./commands/token.ts"
import { commandLineProblem, errorLine, languageOf, messageFor, prefixFor } from "./errorText.ts"
import { commandHelp } from "./format.ts"

export const coreCommands = [aapnekravCommand, kravCommand, innbetalingerCommand, utbetalingerCommand, tokenCommand] as const

const CODES: Readonly<Record<ExitCategory, number>> = { input: 2, api: 3, auth: 4, output: 5, attention: 6 }

/** The exit code for a failure value: its declared category (src/ExitCategory.ts), else 1. */
export const exitCodeFor = (e: unknown): number => {
  if (ValidationError.isValidationError(e) || ConfigError.isConfigError(e)) return 2
  const category = categoryOf(e)
  return category === undefined ? 1 : CODES[category]
}

/** The root command; bin/main.ts adds the subcommands with `Command.withSubcommands`. */
export const rootCommand = Command.make("kravsync").pipe(
  Command.withDescription(commandHelp({
    purpose: "Skatteetaten's Krav og betalinger: fetch claims and payments, reconcile them against the books",
    details: [
      "Every command talks to the built-in sandbox (test data, offline) unless --env test or --env prod is given. stdout carries only the document or table; notes go to stderr. Exit codes: 0 ok, 2 invalid input, 3 API error, 4 authentication or consent, 5 a report could not be written, 6 follow-up needed (reconcile --fail-on-attention), 1 anything else."
    ],
    examples: [
      ["kravsync demo", "reconcile the sandbox's test companies and write a workbook for each to ./kravsync-demo/"],
      [
        "kravsync reconcile --part 313367002 --ledger saft:regnskap.xml --out avstemming.xlsx",
        "reconcile a company's SAF-T export against what Skatteetaten says, and write the workbook"
      ],
      ["kravsync reconcile --help", "every option of a command, with examples"]
    ]
  }))
)

// ---------------------------------------------------------------------------------------------
// Help. @effect/cli's own help names a subcommand without the program (`$ reconcile …`) and
// adds a generic line to every option ("A user-defined piece of text.", "This setting is
// optional."); kravsync prints its own help from the same descriptors instead: the usage line
// starts with `kravsync`, each option keeps its own description (and its default), the global
// options are described once, and a command's EXAMPLES (src/cli/format.ts, commandHelp) come last.
// ---------------------------------------------------------------------------------------------

type Descr = Descriptor.Command<unknown>

/**
 * The subcommands directly below a command. @effect/cli's public `getSubcommands` stops one
 * level down (it returns `fiken` without `login`), so this reads the descriptor's own shape:
 * "Map" (a command with a handler) wraps a command, "Subcommands" holds a parent and children.
 */
const childrenOf = (d: Descr): ReadonlyArray<Descr> => {
  const n = d as unknown as { readonly _tag: string; readonly command?: Descr; readonly children?: ReadonlyArray<Descr> }
  if (n._tag === "Map" && n.command !== undefined) return childrenOf(n.command)
  return n._tag === "Subcommands" ? (n.children ?? []) : []
}
const nameOf = (d: Descr): string => [...Descriptor.getNames(d)][0] ?? ""

const spanText = (s: Span.Span): string => {
  const x = s as unknown as { readonly _tag: string; readonly value?: unknown; readonly left?: Span.Span; readonly right?: Span.Span }
  if (x._tag === "Sequence" && x.left !== undefined && x.right !== undefined) return spanText(x.left) + spanText(x.right)
  if (typeof x.value === "string") return x.value
  return typeof x.value === "object" && x.value !== null ? spanText(x.value as Span.Span) : ""
}

const flatten = (d: HelpDoc.HelpDoc): Array<HelpDoc.HelpDoc> =>
  HelpDoc.isSequence(d) ? [...flatten(d.left), ...flatten(d.right)] : HelpDoc.isEmpty(d) ? [] : [d]

/** The generic lines @effect/cli adds to an option or argument: they say nothing the option's own line does not. */
const GENERIC = [
  /^A user-defined piece of text/,
  /^A true or false value\.$/,
  /^One of the following: /,
  /^An integer\.$/,
  /^A floating point number\.$/,
  /^A date without a time-zone/,
  /^(An existing )?(A )?(file|directory|file or directory)( that must not exist)?\.$/i,
  /^This setting is optional\.$/,
  /^This (option|argument) may be repeated zero or more times\.$/
]

/** An option's or argument's help without the generic lines; "Defaults to: X" kept as "Default: X." */
const cleanItem = (block: HelpDoc.HelpDoc): HelpDoc.HelpDoc => {
  const kept = flatten(block).flatMap((b) => {
    if (!HelpDoc.isParagraph(b)) return [b]
    const t = spanText(b.value).trim()
    const withDefault = /^This setting is optional\. Defaults to: (.*)$/.exec(t)
    if (withDefault !== null) return [HelpDoc.p(`Default: ${withDefault[1]}.`)]
    return GENERIC.some((g) => g.test(t)) ? [] : [b]
  })
  // An option without a description of its own keeps the blank line after it.
  return kept.length > 0 ? HelpDoc.blocks(kept) : HelpDoc.p("")
}

const clean = (d: HelpDoc.HelpDoc): HelpDoc.HelpDoc =>
  HelpDoc.isDescriptionList(d)
    ? HelpDoc.descriptionList(d.definitions.map(([span, block]) => [span, cleanItem(block)] as [Span.Span, HelpDoc.HelpDoc]) as [
      [Span.Span, HelpDoc.HelpDoc],
      ...Array<[Span.Span, HelpDoc.HelpDoc]>
    ])
    : d

/** Two columns, one line per row: the name, then what it is (the list of commands, the global options). */
const columns = (rows: ReadonlyArray<readonly [string, string]>): HelpDoc.HelpDoc => {
  const width = Math.max(...rows.map(([name]) => name.length))
  return HelpDoc.p(rows.map(([name, what]) => `  ${name.padEnd(width)}  ${what}`).join("\n"))
}

const globalOptions = columns([
  ["-h, --help", "show this help; after a command (kravsync reconcile --help), that command's help"],
  ["--version", "show kravsync's version"],
  [
    "--log-level LEVEL",
    "log lines (retries, set-aside elements) on stderr from LEVEL up: all, trace, debug, info, warning, error, fatal, none (default: info)"
  ],
  ["--completions SHELL", "print a completion script for sh, bash, fish or zsh"],
  ["--wizard", "build the command line by answering prompts"]
])

/** The command the words of `args` name below `root` (`fiken login --help` → fiken login), and the names on the way. */
const helpTarget = (root: Descr, args: ReadonlyArray<string>): { readonly path: ReadonlyArray<string>; readonly command: Descr } => {
  let command = root
  const path = [nameOf(root)]
  for (const a of args) {
    if (a.startsWith("-")) continue
    const child = childrenOf(command).find((c) => nameOf(c) === a)
    if (child === undefined) break
    command = child
    path.push(a)
  }
  return { path, command }
}

/** The commands below `d` that do something, with their first description line (`fiken login`, not `fiken`). */
const leaves = (d: Descr, prefix: ReadonlyArray<string>): Array<readonly [string, string]> =>
  childrenOf(d).flatMap((c) => {
    const path = [...prefix, nameOf(c)]
    const below = leaves(c, path)
    return below.length > 0 ? below : [[path.slice(1).join(" "), purposeOf(c)] as const]
  })

/** The first paragraph of a command's DESCRIPTION. */
const purposeOf = (d: Descr): string => {
  const blocks = flatten(Descriptor.getHelp(d, CliConfig.make({ showBuiltIns: false })))
  const first = blocks.find(HelpDoc.isParagraph)
  return first === undefined ? "" : spanText(first.value)
}

const headerText = (d: HelpDoc.HelpDoc): string | undefined => (HelpDoc.isHeader(d) ? spanText(d.value) : undefined)

/** The help of the command `args` name (the words before --help), as kravsync prints it. */
export const helpText = (root: Descr, args: ReadonlyArray<string>): string => {
  const { command, path } = helpTarget(root, args)
  const config = CliConfig.make({ showBuiltIns: false })
  const children = childrenOf(command)
  // The sections of @effect/cli's help, by header; COMMANDS is rebuilt below (one line per command).
  const sections = new Map<string, Array<HelpDoc.HelpDoc>>()
  let current = "DESCRIPTION"
  for (const b of flatten(Descriptor.getHelp(command, config))) {
    const h = headerText(b)
    if (h !== undefined) {
      current = h
      continue
    }
    sections.set(current, [...(sections.get(current) ?? []), clean(b)])
  }
  const usage = children.length > 0
    ? [`${path.join(" ")} <command> [options]`]
    : Usage.enumerate(Descriptor.getUsage(command), config).map((s) => [...path.slice(0, -1), spanText(s)].join(" "))
  const section = (title: string, body: ReadonlyArray<HelpDoc.HelpDoc> | undefined) =>
    body === undefined || body.length === 0 ? [] : [HelpDoc.h1(title), ...body]
  const commands = leaves(command, path)
  const doc = HelpDoc.blocks([
    HelpDoc.p(`kravsync ${KRAVSYNC_VERSION}`),
    ...section("USAGE", usage.map((u) => HelpDoc.p(Span.code(`$ ${u}`)))),
    ...section("DESCRIPTION", sections.get("DESCRIPTION")),
    ...section(
      "COMMANDS",
      commands.length > 0 ? [columns(commands), HelpDoc.p(`kravsync <command> --help shows a command's options and examples.`)] : undefined
    ),
    ...section("ARGUMENTS", sections.get("ARGUMENTS")),
    ...section("OPTIONS", sections.get("OPTIONS")),
    ...section("GLOBAL OPTIONS", [globalOptions]),
    ...[...sections].filter(([title]) => !["DESCRIPTION", "COMMANDS", "ARGUMENTS", "OPTIONS", "EXAMPLES"].includes(title)).flatMap(([title, body]) =>
      section(title, body)
    ),
    ...section("EXAMPLES", sections.get("EXAMPLES"))
  ])
  const text = HelpDoc.toAnsiText(doc)
  // Colour only on a terminal: piped into a file or `less`, the help is plain text.
  return process.stdout.isTTY ? text : text.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"), "")
}

const wantsHelp = (args: ReadonlyArray<string>) => args.includes("--help") || args.includes("-h")

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
  const args = argv.slice(2)
  const language = languageOf(args)
  if (wantsHelp(args)) return Console.log(helpText(root.descriptor as Descr, args)).pipe(Effect.as(0))
  const cli = Command.run(root, { name: "kravsync", version: KRAVSYNC_VERSION })
  // Logs (retries, set-aside elements) go to stderr: stdout carries only the document.
  const logs = Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger))
  return cli(argv).pipe(
    // @effect/cli prints a refused command line itself, through Console.error: in the user's language.
    (run) =>
      Effect.flatMap(Effect.console, (console) =>
        Effect.withConsole(run, {
          ...console,
          error: (...texts: ReadonlyArray<unknown>) => console.error(...texts.map((t) => (typeof t === "string" ? commandLineProblem(t, language) : t)))
        })),
    Effect.provide(logs),
    Effect.as(0),
    Effect.catchAllCause((cause) =>
      Effect.sync(() => {
        const failure = Cause.failureOption(cause)
        if (Option.isSome(failure)) {
          const code = exitCodeFor(failure.value)
          // @effect/cli has already printed its own validation message and usage.
          if (!ValidationError.isValidationError(failure.value)) process.stderr.write(`${errorLine(failure.value, code, language)}\n`)
          return code
        }
        if (Cause.isInterruptedOnly(cause)) return 130
        process.stderr.write(
          `${prefixFor(1, language)}: ${language === "en" ? "unexpected failure" : "uventet feil"}: ${messageFor(Cause.squash(cause), "en")}\n`
        )
        return 1
      })
    )
  )
}
