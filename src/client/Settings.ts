/**
 * Everything needed to build a client, from whatever the host gives: environment variables
 * (`settingsConfig`, Effect `Config`), a JSON config file and CLI flags (src/cli merges them), or
 * code. `layerFromSettings` turns settings into the live layers: the key is loaded and checked
 * before the first request, so a bad key fails at start-up naming its source.
 *
 * Environment variables: see docs/client.md (KRAVSYNC_ENV, KRAVSYNC_CLIENT_ID, KRAVSYNC_KEY_FILE,
 * KRAVSYNC_KEY, KRAVSYNC_KID, KRAVSYNC_P12_FILE, KRAVSYNC_P12, KRAVSYNC_P12_PASSWORD, KRAVSYNC_SCOPE,
 * KRAVSYNC_RETTIGHETSPAKKE, KRAVSYNC_SYSTEM_USER, KRAVSYNC_CONSENT_TOKEN, KRAVSYNC_CONSENT_COMMAND,
 * KRAVSYNC_ACCEPT, KRAVSYNC_API_URL, KRAVSYNC_MASKINPORTEN_URL, KRAVSYNC_TOKEN_URL,
 * KRAVSYNC_CONCURRENCY, KRAVSYNC_TIMEOUT_SECONDS, KRAVSYNC_RETRY_BUDGET_SECONDS).
 */
import type { HttpClient } from "@effect/platform"
import { Config, ConfigError, Effect, Either, Layer, Option, Redacted, Schema } from "effect"
import * as Consent from "../auth/Consent.ts"
import * as Env from "../auth/Environment.ts"
import * as Mp from "../auth/Maskinporten.ts"
import * as Key from "../auth/SigningKey.ts"
import type { Rettighetspakke } from "../domain/Dokumenter.ts"
import { ExitCategoryId } from "../ExitCategory.ts"
import type { ResilienceOptions } from "../http/Resilience.ts"
import { type ClientOptions, type Format, KravOgBetalingerClient, make } from "./KravOgBetalingerClient.ts"

export type EnvironmentSetting = "sandbox" | "test" | "prod" | "custom"

export interface Settings {
  readonly env: EnvironmentSetting
  readonly apiUrl?: string | undefined
  readonly maskinportenUrl?: string | undefined
  readonly tokenUrl?: string | undefined
  readonly clientId?: string | undefined
  readonly keyFile?: string | undefined
  /** PEM or JWK text. */
  readonly key?: Redacted.Redacted<string> | undefined
  readonly kid?: string | undefined
  readonly p12File?: string | undefined
  /** A .p12 file, base64. */
  readonly p12?: Redacted.Redacted<string> | undefined
  readonly p12Password?: Redacted.Redacted<string> | undefined
  readonly scope?: string | undefined
  readonly rettighetspakke?: Rettighetspakke | undefined
  /** "party" (default), "none" or an organisation number. */
  readonly systemUser?: string | undefined
  readonly consentToken?: Redacted.Redacted<string> | undefined
  readonly consentCommand?: string | undefined
  readonly accept?: Format | undefined
  readonly concurrency?: number | undefined
  readonly timeoutSeconds?: number | undefined
  readonly retryBudgetSeconds?: number | undefined
}

/** A setting that is missing or wrong; names the setting and the rule (`ruleNb`: the same rule in bokmål, for the CLI). */
export class SettingsError extends Schema.TaggedError<SettingsError>()("SettingsError", {
  setting: Schema.String,
  rule: Schema.String,
  ruleNb: Schema.optional(Schema.String)
}) {
  readonly [ExitCategoryId] = "input" as const
  override get message() {
    return `${this.setting}: ${this.rule}`
  }
  get messageNb() {
    return `${this.setting}: ${this.ruleNb ?? this.rule}`
  }
}

const opt = <A>(c: Config.Config<A>) => Config.option(c).pipe(Config.map(Option.getOrUndefined))

/** The settings from KRAVSYNC_* environment variables (or any ConfigProvider). */
const ENVIRONMENTS = ["sandbox", "test", "prod", "custom"] as const

export const settingsConfig: Config.Config<Settings> = Config.all({
  // An empty KRAVSYNC_ENV (`KRAVSYNC_ENV= kravsync …`) means unset: the sandbox.
  env: Config.string("KRAVSYNC_ENV").pipe(
    Config.withDefault(""),
    Config.mapOrFail((v): Either.Either<(typeof ENVIRONMENTS)[number], ConfigError.ConfigError> => {
      const name = v.trim()
      if (name === "") return Either.right("sandbox")
      const known = ENVIRONMENTS.find((n) => n === name)
      return known === undefined
        ? Either.left(ConfigError.InvalidData(["KRAVSYNC_ENV"], `Expected one of (${ENVIRONMENTS.join(", ")}) but received "${v}"`))
        : Either.right(known)
    })
  ),
  apiUrl: opt(Config.string("KRAVSYNC_API_URL")),
  maskinportenUrl: opt(Config.string("KRAVSYNC_MASKINPORTEN_URL")),
  tokenUrl: opt(Config.string("KRAVSYNC_TOKEN_URL")),
  clientId: opt(Config.string("KRAVSYNC_CLIENT_ID")),
  keyFile: opt(Config.string("KRAVSYNC_KEY_FILE")),
  key: opt(Config.redacted("KRAVSYNC_KEY")),
  kid: opt(Config.string("KRAVSYNC_KID")),
  p12File: opt(Config.string("KRAVSYNC_P12_FILE")),
  p12: opt(Config.redacted("KRAVSYNC_P12")),
  p12Password: opt(Config.redacted("KRAVSYNC_P12_PASSWORD")),
  scope: opt(Config.string("KRAVSYNC_SCOPE")),
  rettighetspakke: opt(Config.literal("regnskapssystem", "finans")("KRAVSYNC_RETTIGHETSPAKKE")),
  systemUser: opt(Config.string("KRAVSYNC_SYSTEM_USER")),
  consentToken: opt(Config.redacted("KRAVSYNC_CONSENT_TOKEN")),
  consentCommand: opt(Config.string("KRAVSYNC_CONSENT_COMMAND")),
  accept: opt(Config.literal("json", "xml")("KRAVSYNC_ACCEPT")),
  concurrency: opt(Config.integer("KRAVSYNC_CONCURRENCY")),
  timeoutSeconds: opt(Config.number("KRAVSYNC_TIMEOUT_SECONDS")),
  retryBudgetSeconds: opt(Config.number("KRAVSYNC_RETRY_BUDGET_SECONDS"))
})

/**
 * Key material where a file name belongs (KRAVSYNC_KEY_FILE set to the PEM itself): refused
 * before it is used as a name, since the name is printed in errors ("no such file").
 */
const looksLikeKeyMaterial = (name: string): boolean =>
  /-----BEGIN|[\r\n]/.test(name) || name.trimStart().startsWith("{") || (name.length > 200 && /^[A-Za-z0-9+/=\s]+$/.test(name))

/** Which key source the settings name; exactly one is required outside the sandbox. */
export const keySource = (s: Settings): Effect.Effect<Key.KeySource, SettingsError> => {
  for (const [setting, name] of [["key-file", s.keyFile], ["p12-file", s.p12File]] as const) {
    if (name !== undefined && looksLikeKeyMaterial(name)) {
      return Effect.fail(
        new SettingsError({
          setting,
          rule: "holds key material, not a file name (not shown); give the path of the file, or the key itself in KRAVSYNC_KEY / KRAVSYNC_P12",
          ruleNb: "inneholder nøkkelmateriale, ikke et filnavn (vises ikke); oppgi stien til filen, eller selve nøkkelen i KRAVSYNC_KEY / KRAVSYNC_P12"
        })
      )
    }
  }
  const given = [s.p12File && "p12 file", s.p12 && "p12", s.keyFile && "key file", s.key && "key"].filter(Boolean)
  if (given.length === 0) {
    return Effect.fail(
      new SettingsError({
        setting: "key",
        rule: "a signing key is required: KRAVSYNC_KEY_FILE / --key-file (PEM or JWK), KRAVSYNC_KEY, or KRAVSYNC_P12_FILE with KRAVSYNC_P12_PASSWORD",
        ruleNb: "en signeringsnøkkel må oppgis: KRAVSYNC_KEY_FILE / --key-file (PEM eller JWK), KRAVSYNC_KEY, eller KRAVSYNC_P12_FILE med KRAVSYNC_P12_PASSWORD"
      })
    )
  }
  if (given.length > 1) {
    const givenNb = [s.p12File && "p12-fil", s.p12 && "p12", s.keyFile && "nøkkelfil", s.key && "nøkkel"].filter(Boolean)
    return Effect.fail(
      new SettingsError({
        setting: "key",
        rule: `give one signing key, not ${given.join(" and ")}`,
        ruleNb: `oppgi én signeringsnøkkel, ikke ${givenNb.join(" og ")}`
      })
    )
  }
  if (s.p12File || s.p12) {
    if (s.p12Password === undefined) {
      return Effect.fail(
        new SettingsError({
          setting: "p12-password",
          rule: "a .p12 file needs its password (KRAVSYNC_P12_PASSWORD / --p12-password)",
          ruleNb: "en .p12-fil trenger passordet sitt (KRAVSYNC_P12_PASSWORD / --p12-password)"
        })
      )
    }
    const origin = s.p12File ? Key.fromFile(s.p12File) : { _tag: "Value" as const, value: s.p12 as Redacted.Redacted<string>, label: "KRAVSYNC_P12" }
    return Effect.succeed({ _tag: "Pkcs12", origin, password: s.p12Password })
  }
  const origin: Key.Origin = s.keyFile ? Key.fromFile(s.keyFile) : { _tag: "Value", value: s.key as Redacted.Redacted<string>, label: "KRAVSYNC_KEY" }
  // JWK or PEM: decided by the file name, or by the text for a value.
  const isJwk = s.keyFile ? /\.(jwk|json)$/i.test(s.keyFile) : Redacted.value(s.key as Redacted.Redacted<string>).trimStart().startsWith("{")
  if (isJwk) return Effect.succeed({ _tag: "Jwk", origin, kid: s.kid })
  if (s.kid === undefined) {
    return Effect.fail(
      new SettingsError({
        setting: "kid",
        rule: "a PEM key needs the kid it is registered under in Maskinporten (KRAVSYNC_KID / --kid)",
        ruleNb: "en PEM-nøkkel trenger kid-en den er registrert med i Maskinporten (KRAVSYNC_KID / --kid)"
      })
    )
  }
  return Effect.succeed({ _tag: "Pem", origin, kid: s.kid })
}

export const endpointsFor = (s: Settings): Effect.Effect<Env.Endpoints, SettingsError> => {
  if (s.env === "test" || s.env === "prod") {
    const e = s.env === "test" ? Env.test : Env.prod
    return Effect.succeed(Env.endpoints(s.apiUrl ?? e.apiBaseUrl, s.maskinportenUrl ?? e.maskinportenIssuer, e.name, s.tokenUrl))
  }
  if (s.apiUrl === undefined) {
    return Effect.fail(
      new SettingsError({
        setting: "api-url",
        rule: "a custom environment needs the API base URL (KRAVSYNC_API_URL / --api-url)",
        ruleNb: "et eget miljø (custom) trenger API-ets basis-URL (KRAVSYNC_API_URL / --api-url)"
      })
    )
  }
  if (s.maskinportenUrl === undefined) {
    return Effect.fail(
      new SettingsError({
        setting: "maskinporten-url",
        rule: "a custom environment needs Maskinporten's issuer URL (KRAVSYNC_MASKINPORTEN_URL / --maskinporten-url)",
        ruleNb: "et eget miljø (custom) trenger Maskinportens utsteder-URL (KRAVSYNC_MASKINPORTEN_URL / --maskinporten-url)"
      })
    )
  }
  return Effect.succeed(Env.endpoints(s.apiUrl, s.maskinportenUrl, "custom", s.tokenUrl))
}

export const resilienceFor = (s: Settings): ResilienceOptions => ({
  ...(s.concurrency !== undefined ? { concurrency: s.concurrency } : {}),
  ...(s.timeoutSeconds !== undefined ? { timeout: Math.round(s.timeoutSeconds * 1000) } : {}),
  ...(s.retryBudgetSeconds !== undefined ? { retry: { budget: Math.round(s.retryBudgetSeconds * 1000) } } : {})
})

export const clientOptionsFor = (s: Settings, endpoints: Env.Endpoints): ClientOptions => ({
  apiBaseUrl: endpoints.apiBaseUrl,
  environment: endpoints.name === "custom" ? endpoints.apiBaseUrl : endpoints.name,
  rettighetspakke: s.rettighetspakke,
  accept: s.accept,
  scope: s.scope,
  systemUser: s.systemUser === undefined || s.systemUser === "party" ? "party" : s.systemUser === "none" ? "none" : { org: s.systemUser },
  resilience: resilienceFor(s)
})

export const consentFor = (s: Settings): Consent.ConsentProviderShape | undefined =>
  s.consentToken !== undefined
    ? Consent.fromTokens({ "*": s.consentToken })
    : s.consentCommand !== undefined
    ? Consent.fromCommand(s.consentCommand)
    : undefined

/**
 * A key-load error with every secret of the settings cut out of it: its messages are written
 * for that already (source and reason only); this holds whatever a reason quotes.
 */
const scrubbed = (s: Settings) => (e: Key.KeyLoadError): Key.KeyLoadError => {
  const secrets = [s.p12Password, s.key, s.p12, s.consentToken]
    .flatMap((r) => (r === undefined ? [] : [Redacted.value(r)]))
    .filter((v) => v.trim().length >= 4)
  const cut = (t: string) => secrets.reduce((acc, v) => acc.split(v).join("(secret)"), t)
  const source = cut(e.source)
  const reason = cut(e.reason)
  return source === e.source && reason === e.reason ? e : new Key.KeyLoadError({ source, reason })
}

/**
 * The live layers for test/prod/custom settings: Maskinporten and the client over undici.
 * (For `env: "sandbox"` use `layerSandbox` in sandbox/client.ts.)
 */
export const layerFromSettings = (
  s: Settings
): Layer.Layer<KravOgBetalingerClient | Mp.Maskinporten, SettingsError | Key.KeyLoadError, HttpClient.HttpClient> => {
  const build = Effect.gen(function*() {
    if (s.env === "sandbox") {
      return yield* new SettingsError({
        setting: "env",
        rule: "the sandbox is started by layerSandbox, not layerFromSettings",
        ruleNb: "sandkassen startes av layerSandbox, ikke layerFromSettings"
      })
    }
    if (s.clientId === undefined || s.clientId.trim() === "") {
      return yield* new SettingsError({
        setting: "client-id",
        rule: "the Maskinporten client id is required (KRAVSYNC_CLIENT_ID / --client-id)",
        ruleNb: "klient-ID-en i Maskinporten må oppgis (KRAVSYNC_CLIENT_ID / --client-id)"
      })
    }
    const endpoints = yield* endpointsFor(s)
    const key = yield* Key.load(yield* keySource(s)).pipe(Effect.mapError(scrubbed(s)))
    const mp = yield* Mp.make({ issuer: endpoints.maskinportenIssuer, tokenUrl: endpoints.tokenUrl, clientId: s.clientId, key, scope: s.scope })
    const consent = consentFor(s)
    const client = yield* make(clientOptionsFor(s, endpoints)).pipe(
      Effect.provideService(Mp.Maskinporten, mp),
      consent === undefined ? (x) => x : Effect.provideService(Consent.ConsentProvider, consent)
    )
    return Layer.mergeAll(Layer.succeed(KravOgBetalingerClient, client), Layer.succeed(Mp.Maskinporten, mp))
  })
  return Layer.unwrapScoped(build)
}

/** The client from KRAVSYNC_* environment variables (test/prod/custom). */
export const layerConfig: Layer.Layer<
  KravOgBetalingerClient | Mp.Maskinporten,
  SettingsError | Key.KeyLoadError | import("effect").ConfigError.ConfigError,
  HttpClient.HttpClient
> = Layer.unwrapEffect(Effect.map(settingsConfig, layerFromSettings))

/** Re-exported for hosts that bring their own HttpClient. */
export type { HttpClient }
