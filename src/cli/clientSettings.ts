/**
 * The options every API command shares (--env, credentials, --accept, --sandbox-data, ...) and how
 * they become client layers. Precedence: flags, then `--config FILE` (JSON with the same names
 * in camelCase, e.g. {"env":"test","clientId":"…","keyFile":"…","kid":"…"}), then KRAVSYNC_*
 * environment variables, then defaults (env sandbox).
 */
import { Options } from "@effect/cli"
import { ConfigError, Effect, Either, Layer, Option, ParseResult, Redacted, Schema } from "effect"
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

/** What each setting of the file must be: the rule an error names (never the value it got). */
const fileRules: { readonly [K in keyof typeof FileSettings.fields]: string } = {
  env: `one of "sandbox", "test", "prod", "custom"`,
  apiUrl: "a string (a URL)",
  maskinportenUrl: "a string (a URL)",
  tokenUrl: "a string (a URL)",
  clientId: "a string",
  keyFile: "a string (a file name)",
  kid: "a string",
  p12File: "a string (a file name)",
  p12Password: "a string",
  scope: "a string",
  rettighetspakke: `one of "regnskapssystem", "finans"`,
  systemUser: `a string ("party", "none" or an organisation number)`,
  consentCommand: "a string",
  accept: `one of "json", "xml"`,
  concurrency: "a positive whole number",
  timeoutSeconds: "a positive number",
  retryBudgetSeconds: "a positive number"
}

/** The same rules in bokmål. */
const fileRulesNb: { readonly [K in keyof typeof FileSettings.fields]: string } = {
  env: `en av "sandbox", "test", "prod", "custom"`,
  apiUrl: "en tekst (en URL)",
  maskinportenUrl: "en tekst (en URL)",
  tokenUrl: "en tekst (en URL)",
  clientId: "en tekst",
  keyFile: "en tekst (et filnavn)",
  kid: "en tekst",
  p12File: "en tekst (et filnavn)",
  p12Password: "en tekst",
  scope: "en tekst",
  rettighetspakke: `en av "regnskapssystem", "finans"`,
  systemUser: `en tekst ("party", "none" eller et organisasjonsnummer)`,
  consentCommand: "en tekst",
  accept: `en av "json", "xml"`,
  concurrency: "et positivt heltall",
  timeoutSeconds: "et positivt tall",
  retryBudgetSeconds: "et positivt tall"
}

/** Secrets the environment takes but the file does not: a hint instead of "not a setting". */
const notInFile: Record<string, string> = {
  key: "key material is not read from the config file; give keyFile (a file name) or KRAVSYNC_KEY",
  p12: "a .p12 file is not read from the config file; give p12File (a file name) or KRAVSYNC_P12",
  consentToken: "a consent token is not read from the config file; give consentCommand or KRAVSYNC_CONSENT_TOKEN"
}
const notInFileNb: Record<string, string> = {
  key: "nøkkelmateriale leses ikke fra innstillingsfilen; oppgi keyFile (et filnavn) eller KRAVSYNC_KEY",
  p12: "en .p12-fil leses ikke fra innstillingsfilen; oppgi p12File (et filnavn) eller KRAVSYNC_P12",
  consentToken: "et samtykketoken leses ikke fra innstillingsfilen; oppgi consentCommand eller KRAVSYNC_CONSENT_TOKEN"
}

/**
 * Where JSON text first goes wrong, as an offset (the text is known not to parse). The position
 * is all an error says about it: JSON.parse's own message quotes the text around the mistake,
 * which may be a secret (`"p12Password": hunter2`).
 */
export const jsonErrorOffset = (t: string): number => {
  let i = 0
  const fail = (): never => {
    throw i
  }
  const ws = () => {
    while (i < t.length && " \t\n\r".includes(t[i] as string)) i++
  }
  const literal = (w: string) => {
    for (const c of w) {
      if (t[i] !== c) fail()
      i++
    }
  }
  const string = () => {
    i++ // the opening quote
    for (;;) {
      if (i >= t.length) fail()
      const c = t.charCodeAt(i)
      if (c === 0x22) return void i++
      if (c < 0x20) fail()
      if (c === 0x5c) {
        i++
        const e = t[i]
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(i + 1, i + 5))) fail()
          i += 5
        } else if (e !== undefined && "\"\\/bfnrt".includes(e)) i++
        else fail()
      } else i++
    }
  }
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
  const value = (): void => {
    ws()
    const c = t[i]
    if (c === "{") {
      i++
      ws()
      if (t[i] === "}") return void i++
      for (;;) {
        ws()
        if (t[i] !== "\"") fail()
        string()
        ws()
        if (t[i] !== ":") fail()
        i++
        value()
        ws()
        if (t[i] === ",") i++
        else if (t[i] === "}") return void i++
        else fail()
      }
    }
    if (c === "[") {
      i++
      ws()
      if (t[i] === "]") return void i++
      for (;;) {
        value()
        ws()
        if (t[i] === ",") i++
        else if (t[i] === "]") return void i++
        else fail()
      }
    }
    if (c === "\"") return string()
    if (c === "t") return literal("true")
    if (c === "f") return literal("false")
    if (c === "n") return literal("null")
    NUMBER.lastIndex = i
    if (NUMBER.exec(t) === null) fail()
    i = NUMBER.lastIndex
  }
  try {
    value()
    ws()
    return i < t.length ? i : -1
  } catch (at) {
    return typeof at === "number" ? at : 0
  }
}

const lineColumn = (t: string, offset: number, nb = false): string => {
  const before = t.slice(0, offset).split("\n")
  return `${nb ? "linje" : "line"} ${before.length}, ${nb ? "kolonne" : "column"} ${(before[before.length - 1] ?? "").length + 1}`
}

/**
 * The settings of a `--config` file. Every error names the file, the setting and the rule, and
 * never the value found: a value may be a secret (p12Password, or key material under a wrong
 * name), whatever its JSON type.
 */
export const readConfigFile = (path: string): Effect.Effect<Schema.Schema.Type<typeof FileSettings>, SettingsError> =>
  Effect.gen(function*() {
    const bad = (rule: string, ruleNb: string) => new SettingsError({ setting: "--config", rule: `${path}: ${rule}`, ruleNb: `${path}: ${ruleNb}` })
    const text = yield* Effect.try({
      try: () => readFileSync(path, "utf8").replace(/^\uFEFF/, ""),
      catch: () => bad("cannot read the file", "filen kan ikke leses")
    })
    const json = yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: () => {
        const at = jsonErrorOffset(text)
        const end = at >= text.length ? text.length : at
        return at < 0
          ? bad("not valid JSON", "ikke gyldig JSON")
          : bad(
            `not valid JSON at ${lineColumn(text, end)}${at >= text.length ? " (the file ends too soon)" : ""}`,
            `ikke gyldig JSON på ${lineColumn(text, end, true)}${at >= text.length ? " (filen slutter for tidlig)" : ""}`
          )
      }
    })
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      return yield* bad("must be a JSON object of settings ({\"env\": \"test\", …})", "må være et JSON-objekt med innstillinger ({\"env\": \"test\", …})")
    }
    const problems: Array<string> = []
    const problemsNb: Array<string> = []
    for (const key of Object.keys(json)) {
      if (!(key in fileRules)) {
        problems.push(`${JSON.stringify(key)} is not a setting${notInFile[key] ? ` (${notInFile[key]})` : ""}`)
        problemsNb.push(`${JSON.stringify(key)} er ingen innstilling${notInFileNb[key] ? ` (${notInFileNb[key]})` : ""}`)
      }
    }
    const known = Object.fromEntries(Object.entries(json).filter(([k]) => k in fileRules))
    const decoded = Schema.decodeUnknownEither(FileSettings, { errors: "all" })(known)
    if (Either.isLeft(decoded)) {
      const fields = new Set(ParseResult.ArrayFormatter.formatErrorSync(decoded.left).map((i) => String(i.path[0] ?? "")))
      for (const f of fields) {
        problems.push(f in fileRules ? `${f} must be ${fileRules[f as keyof typeof fileRules]}` : "not valid settings")
        problemsNb.push(f in fileRulesNb ? `${f} må være ${fileRulesNb[f as keyof typeof fileRulesNb]}` : "ikke gyldige innstillinger")
      }
    }
    if (problems.length > 0) return yield* bad(problems.join("; "), problemsNb.join("; "))
    return (decoded as Either.Right<never, Schema.Schema.Type<typeof FileSettings>>).right
  })

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>

/** Effect's Config wording ("Expected one of (a, b) but received "x"") in bokmål. */
const configRuleNb = (m: string): string =>
  m
    .replace(/^Expected one of \((.*)\) but received (.*)$/, "må være en av ($1), fikk $2")
    .replace(/^Expected an integer value but received (.*)$/, "må være et heltall, fikk $1")
    .replace(/^Expected a number value but received (.*)$/, "må være et tall, fikk $1")

/**
 * A KRAVSYNC_* variable that does not parse, as a SettingsError naming the variable and the rule
 * (the first one when several are wrong), so that it is printed in the user's language. Only
 * non-secret variables are parsed (the secrets are read as Redacted text and cannot fail).
 */
const fromConfigError = (e: ConfigError.ConfigError): SettingsError => {
  const first = ConfigError.reduceWithContext(e, undefined, {
    andCase: (_, l: { path: string; message: string } | undefined, r) => l ?? r,
    orCase: (_, l: { path: string; message: string } | undefined, r) => l ?? r,
    invalidDataCase: (_, path, message) => ({ path: path.join("_"), message }),
    missingDataCase: (_, path, message) => ({ path: path.join("_"), message }),
    sourceUnavailableCase: (_, path, message) => ({ path: path.join("_"), message }),
    unsupportedCase: (_, path, message) => ({ path: path.join("_"), message })
  })
  return first === undefined
    ? new SettingsError({ setting: "KRAVSYNC_*", rule: String(e), ruleNb: String(e) })
    : new SettingsError({ setting: first.path || "KRAVSYNC_*", rule: first.message, ruleNb: configRuleNb(first.message) })
}

/** Flags over config file over environment. */
export const resolveSettings = (a: ClientArgs): Effect.Effect<Settings, SettingsError> =>
  Effect.gen(function*() {
    const fromEnv = yield* Effect.mapError(settingsConfig, fromConfigError)
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
