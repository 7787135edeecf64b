/** `kravsync token`: fetches a Maskinporten token and shows its claims and expiry; the token itself stays redacted. */
import { Command, Options } from "@effect/cli"
import { Clock, Console, Effect, Option } from "effect"
import { redactedPreview } from "../../auth/AccessToken.ts"
import { Maskinporten, secondsLeft } from "../../auth/Maskinporten.ts"
import { clientLayerFor, clientOptions, resolveSettings } from "../clientSettings.ts"

const forOrg = Options.text("for").pipe(Options.optional, Options.withDescription("organisation number of the customer's system user (default: none)"))

export const tokenCommand = Command.make("token", { forOrg, ...clientOptions }, (a) =>
  Effect.gen(function*() {
    const settings = yield* resolveSettings(a)
    const program = Effect.gen(function*() {
      const mp = yield* Maskinporten
      const t = yield* mp.token({ systemUserOrg: Option.getOrUndefined(a.forOrg), scope: settings.scope })
      const now = yield* Clock.currentTimeMillis
      yield* Console.log(
        JSON.stringify(
          {
            client: mp.clientId,
            key: mp.description,
            scope: t.scope,
            expiresAt: new Date(t.expiresAt).toISOString(),
            expiresInSeconds: secondsLeft(t, now),
            token: redactedPreview(t.token),
            claims: t.claims ?? "(opaque token)"
          },
          null,
          2
        )
      )
    })
    return yield* Effect.provide(program, clientLayerFor(settings, a.sandboxData))
  })).pipe(Command.withDescription("Fetch a Maskinporten token and show its claims and expiry (the token is not shown)"))
