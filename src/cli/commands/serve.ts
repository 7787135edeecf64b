/**
 * `kravsync serve`: the service (src/service, docs/service.md) on a port — the HttpApi with its
 * OpenAPI document and /docs, API keys from `--config`, the store (libSQL under the data directory,
 * or PostgreSQL at KRAVSYNC_DATABASE_URL), and one Skatteetaten client for every run, with the same
 * connection settings as every API command (KRAVSYNC_*, or the settings file the config names; the
 * sandbox by default). SIGINT/SIGTERM shut it down gracefully (src/service/Jobs.ts).
 *
 * `kravsync serve-key`: a new API key and the line for the configuration (its hash only).
 *
 * Services it uses (from the composition root, bin/): ServiceHost (an HTTP server), the
 * LedgerSourceRegistry, ReportSinks (.json and .xlsx) and the SandboxEnvironment. The work is in
 * serveRun.ts, imported when a command runs: the other commands start without the service's modules.
 */
import { Command, Options } from "@effect/cli"
import { Effect } from "effect"
import { commandHelp } from "../format.ts"

const port = Options.integer("port").pipe(
  Options.optional,
  Options.withDescription("port to listen on (0: any free port, printed at start). Default: the configuration's port, else 8790")
)
const host = Options.text("host").pipe(
  Options.optional,
  Options.withDescription("address to listen on. Default: the configuration's host, else 127.0.0.1 (this machine only); 0.0.0.0 for every interface")
)
const config = Options.file("config").pipe(
  Options.withDescription("the service's configuration, JSON or YAML: apiKeys (hashes and the parties each may see), ledgerRoot, limits (docs/service.md)")
)
const dataDir = Options.directory("data-dir", { exists: "either" }).pipe(
  Options.optional,
  Options.withDescription("folder of the embedded database. Default: the configuration's dataDir, else KRAVSYNC_DATA_DIR, else .kravsync")
)
const sandboxData = Options.directory("sandbox-data").pipe(
  Options.optional,
  Options.withDescription("the built-in sandbox serves the scenarios in DIR (when Skatteetaten is the sandbox)")
)

export const serveCommand = Command.make(
  "serve",
  { port, host, config, dataDir, sandboxData },
  (a) => Effect.flatMap(Effect.promise(() => import("./serveRun.ts")), (m) => m.runServe(a))
).pipe(Command.withDescription(commandHelp({
  purpose: "Run kravsync as an HTTP service with a published OpenAPI contract, for accounting platforms on any language",
  details: [
    "Serves the API described at /openapi.json (browsable at /docs): start a reconciliation for a party, poll its status, fetch the JSON report or the workbook, the party's history, the items needing follow-up across all parties, and sign off items with a comment (carried forward to later runs while the amount stays the same). Callers authenticate with API keys scoped to the parties they may see. Runs, reports and sign-offs are kept in an embedded database under the data directory, or in PostgreSQL when KRAVSYNC_DATABASE_URL is set. Skatteetaten is the built-in sandbox unless KRAVSYNC_ENV or the configuration's settings file say otherwise."
  ],
  examples: [
    ["kravsync serve --config service.yaml", "serve on the configuration's port (default 8790, this machine only)"],
    [
      "KRAVSYNC_DATABASE_URL=postgres://kravsync@db/kravsync kravsync serve --config service.yaml --port 8080 --host 0.0.0.0",
      "store in PostgreSQL, listen on every interface"
    ],
    ["kravsync serve --config service.yaml --sandbox-data sandbox/demo/full", "against the sandbox with the demo's scenarios"]
  ]
})))

const keyName = Options.text("name").pipe(Options.withDescription("the key's name: shown in logs and recorded with its sign-offs"))
const orgs = Options.text("org").pipe(
  Options.repeated,
  Options.withDescription("a party (organisasjonsnummer or fødselsnummer) the key may see; repeat for several; * for every party")
)

export const serveKeyCommand = Command.make(
  "serve-key",
  { keyName, orgs },
  (a) => Effect.flatMap(Effect.promise(() => import("./serveRun.ts")), (m) => m.runServeKey(a))
).pipe(Command.withDescription(commandHelp({
  purpose: "Make a new API key for kravsync serve, and the apiKeys entry (its SHA-256 and parties) for the configuration",
  details: ["The key is printed once on stdout, then the JSON entry to add under apiKeys; the service stores only the hash."],
  examples: [
    ["kravsync serve-key --name portal --org 313367002 --org 310478717", "a key that sees two parties"],
    ["kravsync serve-key --name firm --org '*'", "a key for the firm's own portal, which sees every party"]
  ]
})))
