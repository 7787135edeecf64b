/**
 * The composition root: the only place that wires connectors (connectors/*) and the sandbox
 * (sandbox/) into the CLI. src/ imports neither; commands reach them through ports
 * (LedgerSourceRegistry, ReportSinks, KravData, SandboxEnvironment) provided here.
 */
import { Command } from "@effect/cli"
import { NodeContext, NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { ExcelReportSink } from "../connectors/excel/index.ts"
import * as Fiken from "../connectors/fiken/index.ts"
import * as Saft from "../connectors/saft/index.ts"
import * as Tripletex from "../connectors/tripletex/index.ts"
import * as Sandbox from "../sandbox/client.ts"
import { sandboxCommand } from "../sandbox/command.ts"
import { reconcileCommand } from "../src/cli/commands/reconcile.ts"
import { coreCommands, program, rootCommand } from "../src/cli/main.ts"
import { JsonReportSink } from "../src/reconcile/JsonReportSink.ts"
import * as LedgerSourceRegistry from "../src/reconcile/LedgerSourceRegistry.ts"
import * as ReportSink from "../src/reconcile/ReportSink.ts"
import { demoCommand } from "./commands/demo.ts"
import { firmCommands } from "./commands/firm.ts"
import { serviceCommands } from "./commands/service.ts"
import { trekkCommands } from "./commands/trekk.ts"

const ledgers = LedgerSourceRegistry.layerEffect([Saft.factory, Tripletex.tripletexLedger, Fiken.fikenLedger])
const sinks = ReportSink.layer([JsonReportSink, ExcelReportSink])

const kravsync = rootCommand.pipe(
  Command.withSubcommands([
    ...coreCommands,
    reconcileCommand,
    demoCommand,
    sandboxCommand,
    Fiken.fikenLoginCommand,
    ...firmCommands,
    ...serviceCommands,
    ...trekkCommands
  ])
)
// The sandbox is the default environment: injected here, never imported by src/. The platform —
// Node's file system and one HTTP client for every connection — is provided once, here.
const services = Layer.mergeAll(ledgers, sinks, Sandbox.environment).pipe(
  Layer.provideMerge(Layer.mergeAll(NodeContext.layer, NodeHttpClient.layerUndici))
)
let exitCode = 0
NodeRuntime.runMain(
  Effect.flatMap(program(process.argv, kravsync), (code) => Effect.sync(() => void (exitCode = code))).pipe(Effect.provide(services)),
  { disableErrorReporting: true, teardown: (_exit, onExit) => onExit(exitCode) }
)
