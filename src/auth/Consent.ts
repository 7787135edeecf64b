/**
 * Altinn consent (samtykke) for the `finans` rettighetspakke (api/kravogbetalinger.md,
 * om/samtykke.md): each request carries `AltinnSamtykke: <samtykketoken>` for the party, next to
 * the Maskinporten token. Consent tokens are short-lived (typically 30 s) but can be fetched again
 * with the same authorization code while the consent is valid (90 days for Krav og betalinger).
 *
 * Where a token comes from is up to the host application: tokens it hands in (`fromTokens`), a
 * command that prints one (`fromCommand`), or the sandbox's Altinn simulator (`fromHttp`).
 */
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Clock, Context, Effect, Layer, Option, Redacted, Schema } from "effect"
import { execFile } from "node:child_process"
import { mask } from "../domain/PartIdentifikator.ts"
import { ExitCategoryId } from "../ExitCategory.ts"

export class ConsentError extends Schema.TaggedError<ConsentError>()("ConsentError", {
  /** The party, masked when it is a fødselsnummer. */
  part: Schema.String,
  reason: Schema.String
}) {
  readonly [ExitCategoryId] = "auth" as const
  override get message() {
    return `consent missing or expired for party ${this.part}: ${this.reason}`
  }
  get messageNb() {
    return `samtykke mangler eller er utløpt for parten ${this.part}: ${reasonNb(this.reason)}`
  }
}

/** A ConsentError's English `message` in bokmål (the client's AuthError quotes it); undefined for a text that is not one. */
export const consentMessageNb = (message: string): string | undefined => {
  const m = /^consent missing or expired for party (\S+): (.*)$/.exec(message)
  return m === null ? undefined : `samtykke mangler eller er utløpt for parten ${m[1] ?? ""}: ${reasonNb(m[2] ?? "")}`
}

/** The reasons this module writes, in bokmål. */
const reasonNb = (r: string): string =>
  r
    .replace(/^no consent token was given for this party$/, "det ble ikke gitt noe samtykketoken for denne parten")
    .replace(/^the consent command failed \((.*)\)$/, "samtykkekommandoen feilet ($1)")
    .replace(/^the consent command printed no token$/, "samtykkekommandoen skrev ikke ut noe token")
    .replace(/^no Maskinporten token to ask Altinn with$/, "ingen Maskinporten-token å spørre Altinn med")
    .replace(/^Altinn did not answer$/, "Altinn svarte ikke")
    .replace(/^Altinn's answer could not be read$/, "svaret fra Altinn kunne ikke leses")
    .replace(/^Altinn answered HTTP (\d+)$/, "Altinn svarte HTTP $1")
    .replace(/^Altinn answered without a token$/, "Altinn svarte uten token")

export interface ConsentProviderShape {
  /** A consent token for the party; fails when there is none. */
  readonly consentFor: (part: string) => Effect.Effect<Redacted.Redacted<string>, ConsentError>
  /** Forgets a cached token the API refused (KB-005), so the next call fetches a new one. */
  readonly invalidate: (part: string) => Effect.Effect<void>
}

export class ConsentProvider extends Context.Tag("kravsync/ConsentProvider")<ConsentProvider, ConsentProviderShape>() {}

/** Tokens the host application holds: one per party, or `"*"` for every party. */
export const fromTokens = (tokens: Readonly<Record<string, string | Redacted.Redacted<string>>>): ConsentProviderShape => ({
  consentFor: (part) => {
    const t = tokens[part] ?? tokens["*"]
    return t === undefined
      ? Effect.fail(new ConsentError({ part: mask(part), reason: "no consent token was given for this party" }))
      : Effect.succeed(typeof t === "string" ? Redacted.make(t) : t)
  },
  invalidate: () => Effect.void
})

/** Caches fetched tokens per party for `ttlSeconds` (consent tokens live about 30 s). */
const cached = (
  ttlSeconds: number,
  fetch: (part: string) => Effect.Effect<Redacted.Redacted<string>, ConsentError>
): ConsentProviderShape => {
  const cache = new Map<string, { token: Redacted.Redacted<string>; until: number }>()
  return {
    consentFor: (part) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const hit = cache.get(part)
        if (hit !== undefined && hit.until > now) return hit.token
        const token = yield* fetch(part)
        cache.set(part, { token, until: (yield* Clock.currentTimeMillis) + ttlSeconds * 1000 })
        return token
      }),
    invalidate: (part) => Effect.sync(() => void cache.delete(part))
  }
}

/**
 * Runs `command` (through the shell) with the party in `KRAVSYNC_PART` and `{part}` replaced;
 * its trimmed stdout is the token. A failing or silent command is a ConsentError.
 */
export const fromCommand = (command: string, options: { readonly ttlSeconds?: number; readonly timeoutMs?: number } = {}): ConsentProviderShape =>
  cached(options.ttlSeconds ?? 20, (part) =>
    Effect.async<Redacted.Redacted<string>, ConsentError>((resume) => {
      const child = execFile(
        process.platform === "win32" ? "cmd" : "/bin/sh",
        process.platform === "win32" ? ["/c", command.replaceAll("{part}", part)] : ["-c", command.replaceAll("{part}", part)],
        { env: { ...process.env, KRAVSYNC_PART: part }, timeout: options.timeoutMs ?? 30_000 },
        (error, stdout) => {
          const token = String(stdout).trim()
          if (error) resume(Effect.fail(new ConsentError({ part: mask(part), reason: `the consent command failed (${error.code ?? "error"})` })))
          else if (token === "") resume(Effect.fail(new ConsentError({ part: mask(part), reason: "the consent command printed no token" })))
          else resume(Effect.succeed(Redacted.make(token)))
        }
      )
      return Effect.sync(() => void child.kill())
    }))

const ConsentResponse = Schema.Struct({
  token: Schema.optional(Schema.String),
  samtykketoken: Schema.optional(Schema.String),
  access_token: Schema.optional(Schema.String)
})

/**
 * Fetches a consent token over HTTP: `GET {url}` with `{part}` replaced, answering JSON with
 * `token` (or `samtykketoken`/`access_token`) or the token as plain text. Used for the sandbox's
 * Altinn simulator; a 403/404 means no consent for the party.
 */
export const fromHttp = (
  url: string,
  options: { readonly ttlSeconds?: number; readonly bearer?: () => Effect.Effect<Redacted.Redacted<string>, unknown> } = {}
): Effect.Effect<ConsentProviderShape, never, HttpClient.HttpClient> =>
  Effect.map(HttpClient.HttpClient, (http) =>
    cached(options.ttlSeconds ?? 20, (part) =>
      Effect.gen(function*() {
        const fail = (reason: string) => new ConsentError({ part: mask(part), reason })
        let req = HttpClientRequest.get(url.replaceAll("{part}", encodeURIComponent(part))).pipe(HttpClientRequest.acceptJson)
        if (options.bearer) {
          req = HttpClientRequest.bearerToken(
            req,
            Redacted.value(yield* options.bearer().pipe(Effect.mapError(() => fail("no Maskinporten token to ask Altinn with"))))
          )
        }
        const res = yield* http.execute(req).pipe(Effect.mapError(() => fail("Altinn did not answer")))
        const text = yield* res.text.pipe(Effect.mapError(() => fail("Altinn's answer could not be read")))
        if (res.status !== 200) return yield* fail(`Altinn answered HTTP ${res.status}`)
        const parsed = Option.getOrUndefined(Schema.decodeUnknownOption(Schema.parseJson(ConsentResponse))(text))
        const token = parsed === undefined ? text.trim() : (parsed.token ?? parsed.samtykketoken ?? parsed.access_token ?? "")
        if (token === "") return yield* fail("Altinn answered without a token")
        return Redacted.make(token)
      })))

export const layer = (provider: ConsentProviderShape): Layer.Layer<ConsentProvider> => Layer.succeed(ConsentProvider, provider)
