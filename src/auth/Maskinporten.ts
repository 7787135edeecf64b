/**
 * Maskinporten token provider (maskinporten/README.md): a JWT-bearer grant signed RS256 with the
 * client's key, posted form-encoded to `{issuer}token`; the access token is cached per
 * (client, key, scope, resource, system user) and reused until shortly before it expires.
 *
 * - Single-flight: concurrent callers for the same cache key share one token request.
 * - Refresh ahead: a token close to expiry is still handed out while one background request
 *   fetches its successor; a token past the safety margin is never handed out.
 * - `invalidate` drops a token the API refused (401), so the next call fetches a new one.
 * - A failed grant is retried with a fresh JWT (new jti; Maskinporten refuses a reused grant,
 *   MP-012) on transport errors and 5xx, never on 4xx.
 */
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Clock, Context, Deferred, Duration, Effect, Exit, Layer, Option, Redacted, Schema } from "effect"
import { SignJWT } from "jose"
import { randomUUID } from "node:crypto"
import { ExitCategoryId } from "../ExitCategory.ts"
import { retryPolicy, type RetryPolicyOptions } from "../http/RetryPolicy.ts"
import { type AccessToken, peekClaims } from "./AccessToken.ts"
import type { SigningKey } from "./SigningKey.ts"

export const defaultScope = "skatteetaten:kravogbetalinger"

export interface MaskinportenOptions {
  /** Issuer identifier with trailing slash (the grant's `aud`), e.g. https://test.maskinporten.no/. */
  readonly issuer: string
  /** Default `${issuer}token`. */
  readonly tokenUrl?: string | undefined
  readonly clientId: string
  readonly key: SigningKey
  /** Default scope; a TokenRequest may ask for another. Default `skatteetaten:kravogbetalinger`. */
  readonly scope?: string | undefined
  /** Default `resource` claim (Skatteetaten wants none: om/sikkerhet.md). */
  readonly resource?: ReadonlyArray<string> | undefined
  /** exp − iat of the grant, at most 120 (Maskinporten's documented maximum). Default 120. */
  readonly grantLifetimeSeconds?: number | undefined
  /** Start fetching a successor this long before expiry (capped at a third of the lifetime). Default 30. */
  readonly refreshAheadSeconds?: number | undefined
  /** Never hand out a token with less than this left (capped at a sixth of the lifetime). Default 10. */
  readonly expiryMarginSeconds?: number | undefined
  /** Retries of the grant itself. Default 3 attempts within 10 s. */
  readonly retry?: Omit<RetryPolicyOptions<MaskinportenError>, "isRetryable"> | undefined
  /** Per token request timeout. Default 15 s. */
  readonly timeout?: Duration.DurationInput | undefined
}

/** What a token is for; everything here changes the token's identity and is part of the cache key. */
export interface TokenRequest {
  readonly scope?: string | undefined
  readonly resource?: ReadonlyArray<string> | undefined
  /** The customer's organisation number for an Altinn system-user token (`0192:<orgnr>`). */
  readonly systemUserOrg?: string | undefined
}

export class MaskinportenError extends Schema.TaggedError<MaskinportenError>()("MaskinportenError", {
  tokenUrl: Schema.String,
  status: Schema.optional(Schema.Number),
  /** The OAuth error ("invalid_grant", "invalid_scope", ...) or "transport"/"response". */
  error: Schema.String,
  /** Maskinporten's error_description, often an MP code. */
  description: Schema.String
}) {
  readonly [ExitCategoryId] = "auth" as const
  get hint(): string | undefined {
    const code = /MP-\d{3}/.exec(this.description)?.[0]
    return code === undefined ? undefined : mpHints[code]
  }
  override get message() {
    const hint = this.hint
    return `Maskinporten refused the token request (${this.status ?? "no response"} ${this.error}): ${this.description}${hint ? ` — ${hint}` : ""}`
  }
  /** The same in bokmål; Maskinporten's own error_description (an MP code and its text) is quoted as it came. */
  get messageNb() {
    const code = /MP-\d{3}/.exec(this.description)?.[0]
    const hint = code === undefined ? undefined : mpHintsNb[code]
    return `Maskinporten avviste forespørselen om token (${this.status ?? "intet svar"} ${this.error}): ${descriptionNb(this.description)}${
      hint ? ` — ${hint}` : ""
    }`
  }
}

/**
 * A MaskinportenError's English `message` in bokmål, for an error that carries only that text (the
 * client's AuthError quotes it as its reason); undefined for a text that is not one.
 */
export const maskinportenMessageNb = (message: string): string | undefined => {
  const m = /^Maskinporten refused the token request \((.+?) (\S+)\): (.*)$/.exec(message)
  if (m === null) return undefined
  const [, status = "", error = "", rest = ""] = m
  const hintEntry = Object.entries(mpHints).find(([, h]) => rest.endsWith(` — ${h}`))
  const description = hintEntry === undefined ? rest : rest.slice(0, rest.length - hintEntry[1].length - 3)
  const hint = hintEntry === undefined ? undefined : mpHintsNb[hintEntry[0]]
  return `Maskinporten avviste forespørselen om token (${status === "no response" ? "intet svar" : status} ${error}): ${descriptionNb(description)}${
    hint ? ` — ${hint}` : ""
  }`
}

/** The descriptions this module writes itself, in bokmål. */
const descriptionNb = (d: string): string =>
  d
    .replace(/^could not sign the grant with (.*)$/, "kunne ikke signere forespørselen med $1")
    .replace(/^connection failed$/, "tilkoblingen feilet")
    .replace(/^no response in time$/, "intet svar i tide")
    .replace(/^the token response lacks access_token or expires_in$/, "svaret med token mangler access_token eller expires_in")

/** mpHints in bokmål. */
const mpHintsNb: Record<string, string> = {
  "MP-100": "klienten finnes ikke eller autentiseringen feilet: kontroller klient-ID-en og at nøkkelen/sertifikatet er registrert på den",
  "MP-110": "feil audience: forespørselens aud må være miljøets utsteder (issuer)",
  "MP-120": "ugyldig sertifikat eller signatur",
  "MP-121": "nøkkelen er utløpt",
  "MP-122": "organisasjonsnummeret stemmer ikke med sertifikatet",
  "MP-123": "x5c må være en liste med base64-sertifikater",
  "MP-124": "ugyldig sertifikat eller signatur",
  "MP-130": "forespørselen er utløpt: kontroller maskinens klokke",
  "MP-012": "forespørselen ble brukt på nytt (samme jti)",
  "MP-200": "scopet er ikke lagt til denne klienten",
  "MP-201": "feil integrasjonstype for dette scopet",
  "MP-250": "ingen tilgang til scopet",
  "MP-251": "ingen delegering for scopet",
  "MP-301": "systembruker: finnes ikke for denne kunden",
  "MP-302": "systembruker: finnes ikke for denne kunden eller dette systemet",
  "MP-303": "systembruker: rettighetene dekker ikke dette scopet"
}

/** maskinporten/README.md, "Errors". */
const mpHints: Record<string, string> = {
  "MP-100": "client not found or authentication failed: check the client id and that the key/certificate is registered on it",
  "MP-110": "wrong audience: the grant's aud must be the environment's issuer",
  "MP-120": "bad certificate or signature",
  "MP-121": "the key has expired",
  "MP-122": "the organisation number does not match the certificate",
  "MP-123": "x5c must be an array of base64 certificates",
  "MP-124": "bad certificate or signature",
  "MP-130": "the grant has expired: check the machine's clock",
  "MP-012": "the grant was reused (same jti)",
  "MP-200": "the scope is not on this client",
  "MP-201": "wrong integration type for this scope",
  "MP-250": "no access to the scope",
  "MP-251": "no delegation for the scope",
  "MP-301": "system user: not found for this customer",
  "MP-302": "system user: not found for this customer or system",
  "MP-303": "system user: the rights do not cover this scope"
}

export interface MaskinportenShape {
  readonly clientId: string
  readonly description: string
  readonly token: (request?: TokenRequest) => Effect.Effect<AccessToken, MaskinportenError>
  /** Drops the cached token for the request (only if it is still `token`, when given). */
  readonly invalidate: (request?: TokenRequest, token?: AccessToken) => Effect.Effect<void>
}

export class Maskinporten extends Context.Tag("kravsync/Maskinporten")<Maskinporten, MaskinportenShape>() {}

const TokenResponse = Schema.Struct({
  access_token: Schema.String,
  token_type: Schema.optional(Schema.String),
  expires_in: Schema.Number,
  scope: Schema.optional(Schema.String)
})

const ErrorResponse = Schema.Struct({ error: Schema.optional(Schema.String), error_description: Schema.optional(Schema.String) })

type Entry =
  | { readonly _tag: "Ready"; readonly token: AccessToken; readonly staleAt: number; readonly expiresAt: number; refreshing: boolean }
  | { readonly _tag: "Pending"; readonly deferred: Deferred.Deferred<AccessToken, MaskinportenError> }

export const make = (options: MaskinportenOptions): Effect.Effect<MaskinportenShape, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const http = yield* HttpClient.HttpClient
    const tokenUrl = options.tokenUrl ?? `${options.issuer.endsWith("/") ? options.issuer : `${options.issuer}/`}token`
    const lifetime = Math.min(120, Math.max(1, options.grantLifetimeSeconds ?? 120))
    const cache = new Map<string, Entry>()
    const keyId = "kid" in options.key.header ? `kid:${options.key.header.kid}` : `x5c:${options.key.header.x5c[0]?.slice(-32)}`

    const normalise = (r: TokenRequest = {}) => ({
      scope: r.scope ?? options.scope ?? defaultScope,
      resource: r.resource ?? options.resource,
      systemUserOrg: r.systemUserOrg
    })
    const cacheKey = (r: ReturnType<typeof normalise>) => JSON.stringify([options.clientId, keyId, r.scope, r.resource ?? null, r.systemUserOrg ?? null])

    const sign = (r: ReturnType<typeof normalise>, nowMs: number) => {
      const iat = Math.floor(nowMs / 1000)
      const claims: Record<string, unknown> = { scope: r.scope }
      if (r.resource !== undefined && r.resource.length > 0) claims.resource = [...r.resource]
      if (r.systemUserOrg !== undefined) {
        claims.authorization_details = [{ type: "urn:altinn:systemuser", systemuser_org: { authority: "iso6523-actorid-upis", ID: `0192:${r.systemUserOrg}` } }]
      }
      const header = "kid" in options.key.header ? { alg: "RS256", kid: options.key.header.kid } : { alg: "RS256", x5c: [...options.key.header.x5c] }
      return Effect.tryPromise({
        try: () =>
          new SignJWT(claims)
            .setProtectedHeader(header)
            .setAudience(options.issuer)
            .setIssuer(options.clientId)
            .setIssuedAt(iat)
            .setExpirationTime(iat + lifetime)
            .setJti(randomUUID())
            .sign(options.key.privateKey),
        catch: () => new MaskinportenError({ tokenUrl, error: "signing", description: `could not sign the grant with ${options.key.description}` })
      })
    }

    const requestOnce = (r: ReturnType<typeof normalise>) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const assertion = yield* sign(r, now)
        const response = yield* http
          .execute(
            HttpClientRequest.post(tokenUrl).pipe(
              HttpClientRequest.acceptJson,
              HttpClientRequest.bodyUrlParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion })
            )
          )
          .pipe(
            Effect.mapError((e) =>
              new MaskinportenError({
                tokenUrl,
                error: "transport",
                description: e._tag === "RequestError" && e.reason === "Transport" ? "connection failed" : e.message
              })
            ),
            Effect.timeoutFail({
              duration: options.timeout ?? "15 seconds",
              onTimeout: () => new MaskinportenError({ tokenUrl, error: "transport", description: "no response in time" })
            })
          )
        const body = yield* response.json.pipe(Effect.orElseSucceed(() => undefined as unknown))
        if (response.status !== 200) {
          const e = Option.getOrUndefined(Schema.decodeUnknownOption(ErrorResponse)(body))
          return yield* new MaskinportenError({
            tokenUrl,
            status: response.status,
            error: e?.error ?? "response",
            description: e?.error_description ?? `HTTP ${response.status}`
          })
        }
        const t = yield* Schema.decodeUnknown(TokenResponse)(body).pipe(
          Effect.mapError(() =>
            new MaskinportenError({ tokenUrl, status: 200, error: "response", description: "the token response lacks access_token or expires_in" })
          )
        )
        const received = yield* Clock.currentTimeMillis
        return {
          token: Redacted.make(t.access_token),
          issuedAt: received,
          expiresAt: received + t.expires_in * 1000,
          scope: t.scope ?? r.scope,
          claims: peekClaims(t.access_token)
        } satisfies AccessToken
      })

    const retryOptions = options.retry ?? { maxAttempts: 3, baseDelay: "200 millis", budget: "10 seconds" }
    const request = (r: ReturnType<typeof normalise>) =>
      requestOnce(r).pipe(
        Effect.retry(
          retryPolicy<MaskinportenError>({ ...retryOptions, isRetryable: (e) => e.status === undefined ? e.error === "transport" : e.status >= 500 })
        )
      )

    const ready = (token: AccessToken): Entry => {
      const ttl = token.expiresAt - token.issuedAt
      const margin = Math.min((options.expiryMarginSeconds ?? 10) * 1000, ttl / 6)
      const ahead = Math.min((options.refreshAheadSeconds ?? 30) * 1000, ttl / 3)
      return { _tag: "Ready", token, expiresAt: token.expiresAt - margin, staleAt: token.expiresAt - Math.max(margin, ahead), refreshing: false }
    }

    /** Starts one fetch for `key` in the background; every caller waits on the same Deferred. */
    const startFetch = (key: string, r: ReturnType<typeof normalise>, keepCurrent: boolean) =>
      Effect.gen(function*() {
        const deferred = yield* Deferred.make<AccessToken, MaskinportenError>()
        if (!keepCurrent) cache.set(key, { _tag: "Pending", deferred })
        yield* Effect.forkDaemon(
          Effect.flatMap(Effect.exit(request(r)), (exit) =>
            Effect.sync(() => {
              if (Exit.isSuccess(exit)) cache.set(key, ready(exit.value))
              else if (!keepCurrent || cache.get(key)?._tag !== "Ready") cache.delete(key)
              else {
                const current = cache.get(key)
                if (current?._tag === "Ready") current.refreshing = false
              }
            }).pipe(Effect.zipRight(Deferred.done(deferred, exit))))
        )
        return deferred
      }).pipe(Effect.uninterruptible)

    const token = (req?: TokenRequest): Effect.Effect<AccessToken, MaskinportenError> =>
      Effect.gen(function*() {
        const r = normalise(req)
        const key = cacheKey(r)
        const now = yield* Clock.currentTimeMillis
        const entry = cache.get(key)
        if (entry?._tag === "Pending") return yield* Deferred.await(entry.deferred)
        if (entry?._tag === "Ready" && now < entry.expiresAt) {
          if (now >= entry.staleAt && !entry.refreshing) {
            entry.refreshing = true
            yield* startFetch(key, r, true)
          }
          return entry.token
        }
        return yield* Deferred.await(yield* startFetch(key, r, false))
      })

    const invalidate = (req?: TokenRequest, t?: AccessToken) =>
      Effect.sync(() => {
        const key = cacheKey(normalise(req))
        const entry = cache.get(key)
        if (entry?._tag === "Ready" && (t === undefined || Redacted.value(entry.token.token) === Redacted.value(t.token))) cache.delete(key)
      })

    return { clientId: options.clientId, description: options.key.description, token, invalidate } satisfies MaskinportenShape
  })

export const layer = (options: MaskinportenOptions): Layer.Layer<Maskinporten, never, HttpClient.HttpClient> => Layer.effect(Maskinporten, make(options))

/** For display: seconds left on a token. */
export const secondsLeft = (t: AccessToken, nowMs: number) => Math.max(0, Math.round((t.expiresAt - nowMs) / 1000))
export const lifetime = (t: AccessToken) => Duration.millis(t.expiresAt - t.issuedAt)
