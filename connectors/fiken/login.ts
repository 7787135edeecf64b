/**
 * `kravsync fiken login`: Fiken's OAuth2 authorization-code flow for a user. Prints the address
 * of Fiken's consent page, listens on a loopback redirect URI for the code, exchanges it for
 * tokens and stores the refresh token (owner-only file). Nothing secret is printed.
 */
import { Command, Options } from "@effect/cli"
import { Console, Effect, Option, Redacted } from "effect"
import { randomUUID } from "node:crypto"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { commandHelp } from "../../src/cli/format.ts"
import { LedgerSourceError } from "../../src/reconcile/LedgerSource.ts"
import { withNb } from "./bokmal.ts"
import { exchange, fileStore, type OAuthClient, type RefreshTokenStore } from "./FikenAuth.ts"
import { config } from "./FikenLedgerSource.ts"

export interface LoginOptions {
  readonly client: OAuthClient
  readonly authorizeUrl: string
  readonly store: RefreshTokenStore
  readonly port?: number
  /** Shown to the user: the consent page to open. */
  readonly onAuthorizeUrl: (url: string) => Effect.Effect<void>
}

/** Waits for Fiken's redirect with `code` (and our `state`) on a loopback port, then exchanges it. */
export const login = (o: LoginOptions) =>
  Effect.gen(function*() {
    const state = randomUUID()
    const { code, redirectUri } = yield* Effect.async<{ code: string; redirectUri: string }, LedgerSourceError>((resume) => {
      const server = createServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1")
        if (url.pathname !== "/callback") return void res.writeHead(404).end()
        const ok = url.searchParams.get("state") === state && url.searchParams.get("code")
        res.writeHead(ok ? 200 : 400, { "content-type": "text/plain; charset=utf-8" }).end(
          ok ? "kravsync er koblet til Fiken. Du kan lukke vinduet." : "Innloggingen ble avbrutt."
        )
        server.close()
        resume(
          ok
            ? Effect.succeed({ code: ok, redirectUri })
            : Effect.fail(
              new LedgerSourceError({
                system: "fiken",
                kind: "auth",
                message: `Fiken's redirect carried no code (${url.searchParams.get("error") ?? "state did not match"})`
              })
            )
        )
      })
      let redirectUri = ""
      // A port already taken (or not ours to take) is the user's to change, not a crash.
      server.on("error", (e: NodeJS.ErrnoException) => {
        const port = o.port ?? 0
        resume(Effect.fail(
          new LedgerSourceError({
            system: "fiken",
            kind: "config",
            message: e.code === "EADDRINUSE"
              ? `--port ${port}: the port is in use on 127.0.0.1; stop what listens there or give another --port (and register its redirect URI with Fiken)`
              : e.code === "EACCES"
              ? `--port ${port}: not allowed to listen on this port; give another --port`
              : `--port ${port}: cannot listen on 127.0.0.1 (${e.code ?? e.message})`
          })
        ))
      })
      server.listen(o.port ?? 0, "127.0.0.1", () => {
        redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`
        const url = `${o.authorizeUrl}?${new URLSearchParams({ response_type: "code", client_id: o.client.clientId, redirect_uri: redirectUri, state })}`
        Effect.runFork(o.onAuthorizeUrl(url))
      })
      return Effect.sync(() => server.close())
    })
    const tokens = yield* exchange(o.client, { grant_type: "authorization_code", code, redirect_uri: redirectUri })
    if (tokens.refresh_token === undefined) return yield* new LedgerSourceError({ system: "fiken", kind: "auth", message: "Fiken gave no refresh token" })
    yield* o.store.save(Redacted.make(tokens.refresh_token))
  })

const port = Options.integer("port").pipe(
  Options.withDefault(8781),
  Options.withDescription("loopback port of the redirect URI registered with Fiken (http://127.0.0.1:PORT/callback). Default: 8781")
)
const authorizeUrl = Options.text("authorize-url").pipe(
  Options.withDefault("https://fiken.no/oauth/authorize"),
  Options.withDescription("Fiken's OAuth2 authorization page. Default: https://fiken.no/oauth/authorize")
)

export const fikenLoginCommand = Command.make("fiken", {}).pipe(
  Command.withDescription("Fiken: connect kravsync to a Fiken account (OAuth2)"),
  Command.withSubcommands([
    Command.make("login", { port, authorizeUrl }, (a) =>
      Effect.gen(function*() {
        const c = yield* Effect.mapError(config, (e) => new LedgerSourceError({ system: "fiken", kind: "config", message: e.message }))
        if (Option.isNone(c.clientId) || Option.isNone(c.clientSecret)) {
          return yield* new LedgerSourceError({
            system: "fiken",
            kind: "config",
            message: "set KRAVSYNC_FIKEN_CLIENT_ID and KRAVSYNC_FIKEN_CLIENT_SECRET (your application's OAuth2 client at Fiken)"
          })
        }
        yield* login({
          client: { clientId: c.clientId.value, clientSecret: c.clientSecret.value, tokenUrl: c.tokenUrl },
          authorizeUrl: a.authorizeUrl,
          store: fileStore(c.tokenFile),
          port: a.port,
          onAuthorizeUrl: (url) => Console.error(`Open this page, log in to Fiken and approve kravsync:\n  ${url}\nWaiting for Fiken …`)
        })
        yield* Console.log(`Logged in. The refresh token is stored in ${c.tokenFile} (readable by you only).`)
      }).pipe(Effect.mapError(withNb))).pipe(Command.withDescription(commandHelp({
        purpose: "Run Fiken's OAuth2 login in the browser and store the refresh token (readable by you only)",
        details: [
          "Needs your application's OAuth2 client at Fiken in KRAVSYNC_FIKEN_CLIENT_ID and KRAVSYNC_FIKEN_CLIENT_SECRET. Prints the page to open; after you approve, Fiken redirects to this computer and the refresh token is stored for `--ledger fiken` (docs/connectors.md, «Fiken»)."
        ],
        examples: [
          ["KRAVSYNC_FIKEN_CLIENT_ID=… KRAVSYNC_FIKEN_CLIENT_SECRET=… kravsync fiken login", "log in and store the refresh token"],
          ["kravsync fiken login --port 8790", "when port 8781 is taken (the redirect URI registered with Fiken must use the same port)"]
        ]
      })))
  ])
)
