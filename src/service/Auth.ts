/**
 * Who is calling: API keys from the service's configuration, each stored only as its SHA-256
 * (hex), with a name and the parties (organisasjonsnumre or fødselsnumre, or "*" for all) it may
 * see. A presented key — `Authorization: Bearer <key>` or `X-Api-Key: <key>` — is hashed and
 * compared with every configured hash in constant time (crypto.timingSafeEqual, no early exit), so
 * neither the answer's timing nor its text tells which key nearly matched.
 *
 * Keys are meant to be long random strings (`kravsync serve-key` makes one), so a plain SHA-256
 * suffices; a password hash (scrypt) would only slow every request.
 */
import { Effect, Either, Layer, Redacted, Schema } from "effect"
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import * as PartIdentifikator from "../domain/PartIdentifikator.ts"
import { Authentication, type CallerShape } from "./Api.ts"
import { unauthorized } from "./Errors.ts"

export const ApiKeyConfig = Schema.Struct({
  /** Shown in logs and recorded with sign-offs; never the key. */
  name: Schema.String.pipe(Schema.minLength(1)),
  /** SHA-256 of the key, 64 hex digits. */
  sha256: Schema.String.pipe(Schema.pattern(/^[0-9a-fA-F]{64}$/)),
  /** The parties the key may see; ["*"] for every party. */
  organisations: Schema.Array(Schema.String).pipe(Schema.minItems(1))
}).annotations({ identifier: "ApiKeyConfig" })
export type ApiKeyConfig = typeof ApiKeyConfig.Type

export const hashKey = (key: string): string => createHash("sha256").update(key, "utf8").digest("hex")

/** A new random key (256 bits, base64url) and its configuration line. */
export const newKey = (name: string, organisations: ReadonlyArray<string>): { readonly key: string; readonly config: ApiKeyConfig } => {
  const key = `ks_${randomBytes(32).toString("base64url")}`
  return { key, config: { name, sha256: hashKey(key), organisations } }
}

interface Entry {
  readonly digest: Buffer
  readonly caller: CallerShape
}

/** The configured keys, their organisations parsed; an unparsable organisation names the key and the value's position. */
export const compile = (keys: ReadonlyArray<ApiKeyConfig>): Either.Either<ReadonlyArray<Entry>, string> =>
  Either.all(keys.map((k) => {
    if (k.organisations.includes("*")) {
      return Either.right({ digest: Buffer.from(k.sha256.toLowerCase(), "hex"), caller: { name: k.name, organisations: "all" as const } })
    }
    return Either.map(
      Either.all(k.organisations.map((o, i) => Either.mapLeft(PartIdentifikator.parse(o), (e) => `apiKeys "${k.name}" organisations[${i}]: ${e.message}`))),
      (parties) => ({ digest: Buffer.from(k.sha256.toLowerCase(), "hex"), caller: { name: k.name, organisations: new Set<string>(parties) } })
    )
  }))

/** The caller a presented key belongs to, compared against every entry in constant time. */
export const authenticate = (entries: ReadonlyArray<Entry>, presented: Redacted.Redacted): CallerShape | undefined => {
  const value = Redacted.value(presented)
  const digest = createHash("sha256").update(value, "utf8").digest()
  let found: CallerShape | undefined
  for (const e of entries) {
    // Every entry is compared, whatever matched before: the time taken does not depend on which one matches.
    if (timingSafeEqual(digest, e.digest) && value.length > 0) found = e.caller
  }
  return found
}

/** The Authentication middleware (src/service/Api.ts) over the configured keys. */
export const layer = (entries: ReadonlyArray<Entry>): Layer.Layer<Authentication> =>
  Layer.succeed(Authentication, {
    bearer: (token) => check(entries, token),
    apiKey: (token) => check(entries, token)
  })

const check = (entries: ReadonlyArray<Entry>, token: Redacted.Redacted) => {
  const caller = authenticate(entries, token)
  return caller === undefined
    ? Effect.fail(unauthorized("no valid API key: send Authorization: Bearer <key> or X-Api-Key: <key> with a key the service is configured with"))
    : Effect.succeed(caller)
}
