/**
 * The service commands, wired into the CLI by bin/main.ts: `kravsync serve` on Node's HTTP server
 * (the ServiceHost port, src/service/Host.ts) and `kravsync serve-key`. The ledgers and report
 * sinks (.json, .xlsx) come from bin/main.ts's services, as for `reconcile`.
 */
import { Command } from "@effect/cli"
import { NodeHttpServer } from "@effect/platform-node"
import { Layer } from "effect"
import { createServer } from "node:http"
import { serveCommand, serveKeyCommand } from "../../src/cli/commands/serve.ts"
import { ServiceHost } from "../../src/service/Host.ts"

const nodeHost = Layer.succeed(ServiceHost, {
  server: (o) => NodeHttpServer.layer(() => createServer({ requestTimeout: 60_000, headersTimeout: 30_000 }), { port: o.port, host: o.host })
})

export const serviceCommands = [serveCommand.pipe(Command.provide(nodeHost)), serveKeyCommand] as const
