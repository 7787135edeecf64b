/**
 * What `kravsync serve` and `kravsync serve-key` do (src/cli/commands/serve.ts defines the commands):
 * loaded only when one of them runs, so the store's and the HTTP API's modules (libSQL, PostgreSQL's
 * driver, HttpApi) cost nothing at the start of every other command.
 */
import { HttpServer } from "@effect/platform"
import { Console, Context, Effect, Layer, Option, Redacted } from "effect"
import * as KravDataLive from "../../client/KravDataLive.ts"
import { KravOgBetalingerClient } from "../../client/KravOgBetalingerClient.ts"
import * as PartIdentifikator from "../../domain/PartIdentifikator.ts"
import { categoryOf } from "../../ExitCategory.ts"
import { KravData } from "../../reconcile/KravData.ts"
import { LedgerSourceRegistry } from "../../reconcile/LedgerSourceRegistry.ts"
import { ReportSinks } from "../../reconcile/ReportSink.ts"
import * as Auth from "../../service/Auth.ts"
import { ServiceHost } from "../../service/Host.ts"
import * as Server from "../../service/Server.ts"
import { readServiceFile } from "../../service/ServiceFile.ts"
import * as Database from "../../store/Database.ts"
import { clientLayerFor, resolveSettings } from "../clientSettings.ts"

const none = Option.none<never>()

export interface ServeArgs {
  readonly port: Option.Option<number>
  readonly host: Option.Option<string>
  readonly config: string
  readonly dataDir: Option.Option<string>
  readonly sandboxData: Option.Option<string>
}

export const runServe = (a: ServeArgs) =>
  Effect.gen(function*() {
    const file = yield* readServiceFile(a.config)
    const settings = yield* resolveSettings({
      env: none,
      config: Option.fromNullable(file.skatteetaten),
      clientId: none,
      keyFile: none,
      kid: none,
      p12File: none,
      scope: none,
      rettighetspakke: none,
      systemUser: none,
      consentCommand: none,
      apiUrl: none,
      maskinportenUrl: none,
      accept: none,
      sandboxData: none
    })
    const sandboxDir = Option.orElse(a.sandboxData, () => Option.fromNullable(file.sandboxData))
    const db = yield* Database.databaseConfig
    const database: Database.DatabaseOptions = {
      dataDir: Option.getOrElse(Option.orElse(a.dataDir, () => Option.fromNullable(file.dataDir)), () => db.dataDir),
      databaseUrl: Option.getOrUndefined(db.databaseUrl)
    }
    const listen = { port: Option.getOrElse(a.port, () => file.port ?? 8790), host: Option.getOrElse(a.host, () => file.host ?? "127.0.0.1") }
    const serviceHost = yield* ServiceHost
    const registry = yield* LedgerSourceRegistry
    const sinks = yield* ReportSinks
    const context = yield* Effect.context<never>()
    const service = Layer.unwrapScoped(Effect.gen(function*() {
      // One client for the whole service: every run shares its gate of 5 concurrent calls to Skatteetaten.
      const clients = yield* Layer.build(clientLayerFor(settings, sandboxDir)).pipe(
        Effect.mapError((e) =>
          categoryOf(e) === undefined ? new Server.ServiceSetupError({ setting: "skatteetaten", message: e instanceof Error ? e.message : String(e) }) : e
        )
      )
      const client = Context.get(clients, KravOgBetalingerClient)
      const ports = Layer.mergeAll(
        Layer.succeed(KravData, KravDataLive.fromClient(client)),
        Layer.succeed(LedgerSourceRegistry, registry),
        Layer.succeed(ReportSinks, sinks),
        Database.layer(database)
      )
      const announce = Layer.effectDiscard(HttpServer.addressFormattedWith((address) =>
        Console.error(
          `kravsync serve: listening on ${address} (OpenAPI at /openapi.json, docs at /docs); store ${
            Database.describe(database)
          }; Skatteetaten ${client.environment}; ${file.apiKeys.length} API key(s)`
        )
      ))
      return Layer.merge(
        Server.layer({
          apiKeys: file.apiKeys,
          ledgers: { ledgerRoot: file.ledgerRoot, allow: file.ledgers },
          maxConcurrentRuns: file.maxConcurrentRuns,
          shutdownGrace: file.shutdownGraceSeconds === undefined ? undefined : `${file.shutdownGraceSeconds} seconds`,
          requestTimeout: file.requestTimeoutSeconds === undefined ? undefined : `${file.requestTimeoutSeconds} seconds`,
          maxBodyBytes: file.maxBodyBytes,
          storeDescription: Database.describe(database)
        }),
        announce
      ).pipe(Layer.provideMerge(serviceHost.server(listen)), Layer.provide(ports))
    }))
    return yield* Layer.launch(service).pipe(Effect.provide(context))
  })

export const runServeKey = (a: { readonly keyName: string; readonly orgs: ReadonlyArray<string> }) =>
  Effect.gen(function*() {
    if (a.orgs.length === 0) return yield* new Server.ServiceSetupError({ setting: "--org", message: "give at least one --org (or --org '*' for every party)" })
    const organisations = yield* Effect.forEach(a.orgs, (o) =>
      o === "*"
        ? Effect.succeed(o)
        : Effect.mapError(PartIdentifikator.parse(o), (e) => new Server.ServiceSetupError({ setting: "--org", message: e.message })))
    const made = Auth.newKey(a.keyName, organisations)
    const key = Redacted.make(made.key)
    yield* Console.error("The key (give it to the caller; it is shown once and not stored), then its entry for apiKeys in the service's configuration:")
    yield* Console.log(Redacted.value(key))
    yield* Console.log(JSON.stringify(made.config))
  })
