/** `kravsync token`: fetches a Maskinporten token and shows its claims and expiry; the token itself stays redacted. */
import { Command, Options } from "@effect/cli"
import { Clock, Console, Effect, Either, Option, ParseResult, Schema } from "effect"
import { redactedPreview } from "../../auth/AccessToken.ts"
import { Maskinporten, secondsLeft } from "../../auth/Maskinporten.ts"
import { InvalidInputError } from "../../client/errors.ts"
import * as PartIdentifikator from "../../domain/PartIdentifikator.ts"
import { clientLayerFor, clientOptions, resolveSettings } from "../clientSettings.ts"
import { partIdentifikatorNb } from "../errorText.ts"
import { commandHelp } from "../format.ts"

const forOrg = Options.text("for").pipe(
  Options.optional,
  Options.withDescription(
    "organisasjonsnummer of the customer whose Altinn system user the token is for (regnskapssystem). Default: none, a token without a system user"
  )
)

const lang = Options.choice("lang", ["nb", "en"]).pipe(
  Options.withDefault("nb" as const),
  Options.withDescription("language of error messages: nb (bokmål) or en (English); also KRAVSYNC_LANG. Default: nb")
)

/** `--for` parsed once into an organisasjonsnummer; a bad one names the argument and the rule. */
const parseSystemUserOrg = (value: Option.Option<string>): Effect.Effect<PartIdentifikator.Organisasjonsnummer | undefined, InvalidInputError> =>
  Option.match(value, {
    onNone: () => Effect.succeed(undefined),
    onSome: (s) =>
      Either.match(Schema.decodeEither(PartIdentifikator.Organisasjonsnummer)(s.trim()), {
        onLeft: (e) => {
          const rule = ParseResult.ArrayFormatter.formatErrorSync(e)[0]?.message ?? e.message
          const refused = PartIdentifikator.classify(s.trim())
          const ruleNb = Either.isLeft(refused)
            ? partIdentifikatorNb(refused.left)
            : `partIdentifikator ${PartIdentifikator.mask(s.trim())}: ikke et organisasjonsnummer (9 sifre, mod11)`
          return Effect.fail(new InvalidInputError({ argument: "--for", rule, ruleNb }))
        },
        onRight: Effect.succeed
      })
  })

export const tokenCommand = Command.make("token", { forOrg, lang, ...clientOptions }, (a) =>
  Effect.gen(function*() {
    // Input is checked before anything starts (sandbox, key loading, network).
    const systemUserOrg = yield* parseSystemUserOrg(a.forOrg)
    const settings = yield* resolveSettings(a)
    const program = Effect.gen(function*() {
      const mp = yield* Maskinporten
      const t = yield* mp.token({ systemUserOrg, scope: settings.scope })
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
  })).pipe(Command.withDescription(commandHelp({
    purpose: "Fetch a Maskinporten token and show its claims and expiry, to check a client's setup (the token itself is not shown)",
    details: [
      "Prints JSON: the client, the key, the scope, when the token expires and its claims. Connects to the built-in sandbox unless --env, --config or KRAVSYNC_ENV say otherwise (docs/client.md)."
    ],
    examples: [
      ["kravsync token", "a token from the sandbox's Maskinporten, with the demo client"],
      ["kravsync token --env test --client-id … --key-file key.pem --kid …", "check a client registered in Maskinporten's test environment"],
      ["kravsync token --env prod --config settings.json --for 313367002", "a production token for a customer's system user"]
    ]
  })))
