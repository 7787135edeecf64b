/**
 * The options every API command shares (--env, credentials, --accept, --sandbox-data, ...) and how
 * they become client layers. Precedence: flags, then `--config FILE` (JSON with the same names
 * in camelCase, e.g. {"env":"test","clientId":"…","keyFile":"…","kid":"…"}), then KRAVSYNC_*
 * environment variables, then defaults (env sandbox).
 */
import { Options } from "@effect/cli"
import { Effect, Layer, Option, Redacted, Schema } from "effect"
import { readFileSync } from "node:fs"
import type * as Mp from "../auth/Maskinporten.ts"
import type { KravOgBetalingerClient } from "../client/KravOgBetalingerClient.ts"
import * as SandboxEnvironment from "../client/SandboxEnvironment.ts"
import { layerFromSettings, type Settings, settingsConfig, SettingsError } from "../client/Settings.ts"

const text = (name: string, description: string) => Options.text(name).pipe(Options.optional, Options.withDescription(description))

export const clientOptions = {
  env: Options.choice("env", ["sandbox", "test", "prod", "custom"]).pipe(
    Options.optional,
    Options.withDescription("sandbox (default, offline), test, prod, or custom with --api-url and --maskinporten-url")
  ),
  config: Options.file("config").pipe(Options.optional, Options.withDescription("JSON settings file (see docs/client.md)")),
  clientId: text("client-id", "Maskinporten client id (KRAVSYNC_CLIENT_ID)"),
  keyFile: text("key-file", "signing key: PEM (PKCS#8/PKCS#1) or .jwk/.json (KRAVSYNC_KEY_FILE)"),
  kid: text("kid", "key id registered in Maskinporten (KRAVSYNC_KID)"),
  p12File: text("p12-file", "business certificate .p12 (KRAVSYNC_P12_FILE); password in KRAVSYNC_P12_PASSWORD"),
  scope: text("scope", "Maskinporten scope (default skatteetaten:kravogbetalinger)"),
  rettighetspakke: Options.choice("rettighetspakke", ["regnskapssystem", "finans"]).pipe(
    Options.optional,
    Options.withDescription("regnskapssystem (default; system user) or finans (Altinn consent)")
  ),
  systemUser: text("system-user", "Altinn system user: party (default), none, or an organisation number"),
  consentCommand: text("consent-command", "command printing an AltinnSamtykke token for {part} (finans)"),
  apiUrl: text("api-url", "API base URL up to /v1 (custom environment)"),
  maskinportenUrl: text("maskinporten-url", "Maskinporten issuer URL (custom environment)"),
  accept: Options.choice("accept", ["json", "xml"]).pipe(Options.optional, Options.withDescription("response format asked of the API (default json)")),
  sandboxData: Options.directory("sandbox-data").pipe(Options.optional, Options.withDescription("sandbox: serve the documents in DIR"))
}

export type ClientArgs = {
  readonly [K in keyof typeof clientOptions]: (typeof clientOptions)[K] extends Options.Options<infer A> ? A : never
}

const FileSettings = Schema.Struct({
  env: Schema.optional(Schema.Literal("sandbox", "test", "prod", "custom")),
  apiUrl: Schema.optional(Schema.String),
  maskinportenUrl: Schema.optional(Schema.String),
  tokenUrl: Schema.optional(Schema.String),
  clientId: Schema.optional(Schema.String),
  keyFile: Schema.optional(Schema.String),
  kid: Schema.optional(Schema.String),
  p12File: Schema.optional(Schema.String),
  p12Password: Schema.optional(Schema.Redacted(Schema.String)),
  scope: Schema.optional(Schema.String),
  rettighetspakke: Schema.optional(Schema.Literal("regnskapssystem", "finans")),
  systemUser: Schema.optional(Schema.String),
  consentCommand: Schema.optional(Schema.String),
  accept: Schema.optional(Schema.Literal("json", "xml")),
  concurrency: Schema.optional(Schema.Int.pipe(Schema.positive())),
  timeoutSeconds: Schema.optional(Schema.Number.pipe(Schema.positive())),
  retryBudgetSeconds: Schema.optional(Schema.Number.pipe(Schema.positive()))
})

const readConfigFile = (path: string) =>
  Effect.try({
    try: () => readFileSync(path, "utf8"),
    catch: () => new SettingsError({ setting: "--config", rule: `cannot read ${path}` })
  }).pipe(
    Effect.flatMap((t) =>
      Schema.decodeUnknown(Schema.parseJson(FileSettings), { onExcessProperty: "error" })(t).pipe(
        Effect.mapError((e) => new SettingsError({ setting: "--config", rule: `${path}: ${e.message.split("\n").slice(-1)[0] ?? "invalid"}` }))
      )
    )
  )

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>

/** Flags over config file over environment. */
export const resolveSettings = (a: ClientArgs): Effect.Effect<Settings, SettingsError | import("effect").ConfigError.ConfigError> =>
  Effect.gen(function*() {
    const fromEnv = yield* settingsConfig
    const fromFile = Option.isSome(a.config) ? yield* readConfigFile(a.config.value) : {}
    const flags = defined({
      env: Option.getOrUndefined(a.env),
      clientId: Option.getOrUndefined(a.clientId),
      keyFile: Option.getOrUndefined(a.keyFile),
      kid: Option.getOrUndefined(a.kid),
      p12File: Option.getOrUndefined(a.p12File),
      scope: Option.getOrUndefined(a.scope),
      rettighetspakke: Option.getOrUndefined(a.rettighetspakke),
      systemUser: Option.getOrUndefined(a.systemUser),
      consentCommand: Option.getOrUndefined(a.consentCommand),
      apiUrl: Option.getOrUndefined(a.apiUrl),
      maskinportenUrl: Option.getOrUndefined(a.maskinportenUrl),
      accept: Option.getOrUndefined(a.accept)
    })
    // A key given by flag or file replaces the environment's key of any kind.
    const keyOverride = flags.keyFile || flags.p12File || fromFile.keyFile || fromFile.p12File
    const env: Settings = keyOverride ? { ...fromEnv, key: undefined, keyFile: undefined, p12File: undefined, p12: undefined } : fromEnv
    return { ...env, ...defined(fromFile), ...flags } as Settings
  })

export type ClientServices = KravOgBetalingerClient | Mp.Maskinporten

/** The layers for the resolved settings; the sandbox (from the SandboxEnvironment port) also provides RunningSandbox. */
export const clientLayerFor = (s: Settings, sandboxData: Option.Option<string>) =>
  s.env === "sandbox"
    ? (SandboxEnvironment.layer({
      dataDir: Option.getOrUndefined(sandboxData),
      client: { rettighetspakke: s.rettighetspakke, accept: s.accept, ...(s.scope ? { scope: s.scope } : {}) }
    }) as Layer.Layer<ClientServices | SandboxEnvironment.RunningSandbox, unknown>)
    : (layerFromSettings(s) as Layer.Layer<ClientServices, unknown>)

export const redactedOrUndefined = (v: string | undefined) => (v === undefined ? undefined : Redacted.make(v))
