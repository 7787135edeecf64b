/**
 * Fiken credentials. Fiken's terms: third-party applications use OAuth2 (authorization code,
 * refresh tokens, revoke); a personal API token is for a company's own use. Both are supported:
 * - `personal(token)`: the token as Bearer, nothing to refresh;
 * - `oauth2(...)`: an access token refreshed with the stored refresh token when it expires (or
 *   when the API answers 401), the new refresh token saved back to the store. Tokens are
 *   `Redacted`; the store is a file with owner-only permissions (0600) or the host's own.
 */
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Effect, Redacted, Ref, Schema } from "effect"
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs"
import { LedgerSourceError } from "../../src/reconcile/LedgerSource.ts"

/** Where a refresh token lives between runs. */
export interface RefreshTokenStore {
  readonly load: Effect.Effect<Redacted.Redacted<string> | undefined, LedgerSourceError>
  readonly save: (token: Redacted.Redacted<string>) => Effect.Effect<void, LedgerSourceError>
}

const authError = (message: string) => new LedgerSourceError({ system: "fiken", kind: "auth", message })

/** A JSON file `{ "refresh_token": "…" }` readable by its owner only. */
export const fileStore = (path: string): RefreshTokenStore => ({
  load: Effect.try({
    try:
      () => (existsSync(path) ? Redacted.make(String((JSON.parse(readFileSync(path, "utf8")) as { refresh_token?: string }).refresh_token ?? "")) : undefined),
    catch: (e) => authError(`cannot read the Fiken token file ${path}: ${e instanceof Error ? e.message : String(e)}`)
  }),
  save: (token) =>
    Effect.try({
      try: () => {
        writeFileSync(path, JSON.stringify({ refresh_token: Redacted.value(token) }), { mode: 0o600 })
        chmodSync(path, 0o600)
      },
      catch: (e) => authError(`cannot write the Fiken token file ${path}: ${e instanceof Error ? e.message : String(e)}`)
    })
})

export interface FikenAuth {
  /** The Bearer token to send now. */
  readonly token: Effect.Effect<Redacted.Redacted<string>, LedgerSourceError>
  /** After a 401: get a new access token if that is possible; false when it is not. */
  readonly renew: Effect.Effect<boolean, LedgerSourceError>
}

export const personal = (token: Redacted.Redacted<string>): FikenAuth => ({ token: Effect.succeed(token), renew: Effect.succeed(false) })

const TokenResponse = Schema.Struct({ access_token: Schema.String, expires_in: Schema.optional(Schema.Number), refresh_token: Schema.optional(Schema.String) })

export interface OAuthClient {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
  /** https://fiken.no/oauth/token */
  readonly tokenUrl: string
}

/** Exchanges a grant (authorization code or refresh token) at Fiken's token endpoint. */
export const exchange = (client: OAuthClient, form: Record<string, string>) =>
  Effect.gen(function*() {
    const http = yield* HttpClient.HttpClient
    const basic = Buffer.from(`${client.clientId}:${Redacted.value(client.clientSecret)}`).toString("base64")
    const response = yield* http.execute(
      HttpClientRequest.post(client.tokenUrl).pipe(HttpClientRequest.setHeader("authorization", `Basic ${basic}`), HttpClientRequest.bodyUrlParams(form))
    )
    const body = yield* response.json
    if (response.status !== 200) {
      const error = typeof body === "object" && body !== null && "error" in body ? String((body as { error: unknown }).error) : `HTTP ${response.status}`
      return yield* authError(
        error === "invalid_grant"
          ? "Fiken refused the stored login (the refresh token has expired or was revoked): run `kravsync fiken login` again"
          : error === "invalid_client"
          ? "Fiken does not recognise the OAuth2 client: check KRAVSYNC_FIKEN_CLIENT_ID and KRAVSYNC_FIKEN_CLIENT_SECRET"
          : `Fiken's token endpoint answered ${error}`
      )
    }
    return yield* Schema.decodeUnknown(TokenResponse)(body)
  }).pipe(
    Effect.catchTags({
      RequestError: (e) =>
        Effect.fail(new LedgerSourceError({ system: "fiken", kind: "transport", message: `cannot reach Fiken's token endpoint: ${e.message}` })),
      ResponseError: (e) => Effect.fail(new LedgerSourceError({ system: "fiken", kind: "transport", message: `Fiken's token endpoint: ${e.message}` })),
      ParseError: () => Effect.fail(authError("Fiken's token endpoint answered something that is not a token"))
    })
  )

/** OAuth2 with refresh: the access token is kept in memory until shortly before it expires. */
export const oauth2 = (client: OAuthClient, store: RefreshTokenStore) =>
  Effect.gen(function*() {
    const http = yield* HttpClient.HttpClient
    const current = yield* Ref.make<{ token: Redacted.Redacted<string>; expiresAt: number } | undefined>(undefined)
    const lock = yield* Effect.makeSemaphore(1)
    const refresh = Effect.gen(function*() {
      const rt = yield* store.load
      if (rt === undefined || Redacted.value(rt) === "") return yield* authError("no Fiken login is stored: run `kravsync fiken login` first")
      const t = yield* exchange(client, { grant_type: "refresh_token", refresh_token: Redacted.value(rt) }).pipe(
        Effect.provideService(HttpClient.HttpClient, http)
      )
      if (t.refresh_token !== undefined) yield* store.save(Redacted.make(t.refresh_token))
      // Refresh ahead: 30 s before expiry, or a tenth of the lifetime for short-lived tokens.
      const life = t.expires_in ?? 3600
      const next = { token: Redacted.make(t.access_token), expiresAt: Date.now() + (life - Math.min(30, life / 10)) * 1000 }
      yield* Ref.set(current, next)
      return next.token
    })
    const auth: FikenAuth = {
      // one refresh at a time; later callers reuse its result
      token: lock.withPermits(1)(
        Effect.flatMap(Ref.get(current), (c) => (c !== undefined && c.expiresAt > Date.now() ? Effect.succeed(c.token) : refresh))
      ),
      renew: lock.withPermits(1)(Effect.as(refresh, true))
    }
    return auth
  })
