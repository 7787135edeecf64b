/**
 * The key a Maskinporten grant is signed with, and where it comes from.
 *
 * maskinporten/README.md: the JWT header carries exactly one of `kid` (a key registered on the
 * client as a JWK) or `x5c` (the business certificate chain, an array of base64 DER strings, the
 * authentication certificate first). Sources: a PEM private key (PKCS#8 or PKCS#1), a JWK, or a
 * PKCS#12 (.p12) business certificate file read with node-forge (Node's crypto cannot read it).
 * Each may come from a file, an environment variable, or a value handed in. A key that cannot be
 * read fails with a `KeyLoadError` naming the source and the reason, never the key material.
 */
import { Effect, Redacted, Schema } from "effect"
import forge from "node-forge"
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto"
import { readFile } from "node:fs/promises"
import { ExitCategoryId } from "../ExitCategory.ts"

/** Where key material is read from. */
export type Origin =
  | { readonly _tag: "File"; readonly path: string }
  | { readonly _tag: "Env"; readonly name: string }
  | { readonly _tag: "Value"; readonly value: Redacted.Redacted<string | Uint8Array>; readonly label?: string | undefined }

export const fromFile = (path: string): Origin => ({ _tag: "File", path })
export const fromEnv = (name: string): Origin => ({ _tag: "Env", name })
export const fromValue = (value: string | Uint8Array, label?: string): Origin => ({ _tag: "Value", value: Redacted.make(value), label })

export type KeySource =
  /** A PEM private key, PKCS#8 ("BEGIN PRIVATE KEY") or PKCS#1 ("BEGIN RSA PRIVATE KEY"); `kid` is the registered key id. */
  | { readonly _tag: "Pem"; readonly origin: Origin; readonly kid: string }
  /** A private JWK (RSA); `kid` defaults to the JWK's own. */
  | { readonly _tag: "Jwk"; readonly origin: Origin; readonly kid?: string | undefined }
  /** A PKCS#12 business certificate; the grant carries the certificate chain in `x5c`. A .p12 in an env var is base64. */
  | { readonly _tag: "Pkcs12"; readonly origin: Origin; readonly password: Redacted.Redacted<string> }

export class KeyLoadError extends Schema.TaggedError<KeyLoadError>()("KeyLoadError", {
  /** "file /etc/kravsync/key.pem", "environment variable KRAVSYNC_KEY", ... */
  source: Schema.String,
  reason: Schema.String
}) {
  readonly [ExitCategoryId] = "auth" as const
  override get message() {
    return `cannot use the signing key from ${this.source}: ${this.reason}`
  }
  /** The same in bokmål: every reason is written in this module, so its bokmål is kept here beside it (REASONS_NB). */
  get messageNb() {
    return `kan ikke bruke signeringsnøkkelen fra ${sourceNb(this.source)}: ${reasonNb(this.reason)}`
  }
}

const sourceNb = (source: string): string =>
  source
    .replace(/^file /, "filen ")
    .replace(/^environment variable /, "miljøvariabelen ")
    .replace(/^the key value given$/, "nøkkelverdien som ble gitt")

/** The reasons below in bokmål (exact texts, then the ones with a value in them); a reason not listed (an OS error code) is kept. */
const REASONS_NB: ReadonlyArray<readonly [RegExp, string]> = [
  [/^no such file$/, "filen finnes ikke"],
  [/^unreadable$/, "kan ikke leses"],
  [/^not set$/, "er ikke satt"],
  [/^not a readable PEM private key(.*)$/, "ikke en lesbar privat PEM-nøkkel$1"],
  [/^not a readable private JWK(.*)$/, "ikke en lesbar privat JWK$1"],
  [/^not a readable private key in the PKCS#12 file(.*)$/, "ikke en lesbar privat nøkkel i PKCS#12-filen$1"],
  [
    /^an (\S+) key; Maskinporten grants here are signed RS256 and need an RSA key$/,
    "en $1-nøkkel; Maskinporten-forespørslene her signeres med RS256 og trenger en RSA-nøkkel"
  ],
  [
    /^no PEM private key found \(expected (.*) or (.*)\)$/,
    "fant ingen privat PEM-nøkkel (ventet $1 eller $2)"
  ],
  [
    /^the PEM key is encrypted; give an unencrypted key or a \.p12 file with its password$/,
    "PEM-nøkkelen er kryptert; oppgi en ukryptert nøkkel eller en .p12-fil med passordet"
  ],
  [/^a PEM key needs the kid it is registered under \((.*)\)$/, "en PEM-nøkkel trenger kid-en den er registrert med ($1)"],
  [/^not JSON$/, "ikke JSON"],
  [/^not a JWK \(no kty\)$/, "ikke en JWK (ingen kty)"],
  [/^a public JWK; signing needs the private key \(the "d" member\)$/, "en offentlig JWK; signering trenger den private nøkkelen (medlemmet «d»)"],
  [/^the JWK has no kid; give one \((.*)\)$/, "JWK-en har ingen kid; oppgi en ($1)"],
  [/^wrong password or not a PKCS#12 file$/, "feil passord, eller ikke en PKCS#12-fil"],
  [/^not a readable PKCS#12 file$/, "ikke en lesbar PKCS#12-fil"],
  [/^the PKCS#12 file holds no private key \(or it is not RSA\)$/, "PKCS#12-filen har ingen privat nøkkel (eller den er ikke RSA)"],
  [/^no certificate in the PKCS#12 file matches its private key$/, "ingen sertifikater i PKCS#12-filen passer til den private nøkkelen"]
]

const reasonNb = (reason: string): string => {
  for (const [re, nb] of REASONS_NB) if (re.test(reason)) return reason.replace(re, nb)
  return reason
}

/** A loaded key, ready to sign grants. `toString` never shows the key. */
export interface SigningKey {
  readonly privateKey: KeyObject
  readonly header: { readonly kid: string } | { readonly x5c: ReadonlyArray<string> }
  /** Where it came from and what it is, for logs and `kravsync token`. */
  readonly description: string
  /** The organisation number in a certificate subject (serialNumber / 2.5.4.97), when there is one. */
  readonly certificateOrgnr?: string | undefined
}

export const describeOrigin = (o: Origin): string =>
  o._tag === "File" ? `file ${o.path}` : o._tag === "Env" ? `environment variable ${o.name}` : (o.label ?? "the key value given")

const readOrigin = (o: Origin, binary: boolean): Effect.Effect<Uint8Array | string, KeyLoadError> => {
  const source = describeOrigin(o)
  switch (o._tag) {
    case "File":
      return Effect.tryPromise({
        try: () => (binary ? readFile(o.path).then((b) => new Uint8Array(b)) : readFile(o.path, "utf8")),
        catch: (e) =>
          new KeyLoadError({
            source,
            reason: (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as NodeJS.ErrnoException).code ?? "unreadable"
          })
      })
    case "Env": {
      const v = process.env[o.name]
      if (v === undefined || v.trim() === "") return Effect.fail(new KeyLoadError({ source, reason: "not set" }))
      if (!binary) return Effect.succeed(v.replace(/\\n/g, "\n"))
      return Effect.succeed(new Uint8Array(Buffer.from(v.trim(), "base64")))
    }
    case "Value": {
      const v = Redacted.value(o.value)
      if (typeof v === "string" && binary) return Effect.succeed(new Uint8Array(Buffer.from(v.trim(), "base64")))
      return Effect.succeed(v)
    }
  }
}

const asText = (v: Uint8Array | string) => (typeof v === "string" ? v : Buffer.from(v).toString("utf8"))

/** Short, key-free reasons for failures from node:crypto. */
const cryptoReason = (e: unknown, what: string): string => {
  const code = (e as { code?: string }).code
  return `not a readable ${what}${code ? ` (${code})` : ""}`
}

const requireRsa = (key: KeyObject, source: string): Effect.Effect<KeyObject, KeyLoadError> =>
  key.asymmetricKeyType === "rsa"
    ? Effect.succeed(key)
    : Effect.fail(
      new KeyLoadError({ source, reason: `an ${key.asymmetricKeyType ?? "unknown"} key; Maskinporten grants here are signed RS256 and need an RSA key` })
    )

const loadPem = (s: Extract<KeySource, { _tag: "Pem" }>) =>
  Effect.gen(function*() {
    const source = describeOrigin(s.origin)
    const text = asText(yield* readOrigin(s.origin, false))
    if (!/-----BEGIN (RSA |ENCRYPTED )?PRIVATE KEY-----/.test(text)) {
      return yield* new KeyLoadError({ source, reason: "no PEM private key found (expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)" })
    }
    if (text.includes("BEGIN ENCRYPTED PRIVATE KEY")) {
      return yield* new KeyLoadError({ source, reason: "the PEM key is encrypted; give an unencrypted key or a .p12 file with its password" })
    }
    const key = yield* Effect.try({
      try: () => createPrivateKey({ key: text, format: "pem" }),
      catch: (e) => new KeyLoadError({ source, reason: cryptoReason(e, "PEM private key") })
    })
    if (s.kid.trim() === "") {
      return yield* new KeyLoadError({ source, reason: "a PEM key needs the kid it is registered under (KRAVSYNC_KID / --kid)" })
    }
    return { privateKey: yield* requireRsa(key, source), header: { kid: s.kid }, description: `RSA key from ${source} (kid ${s.kid})` } satisfies SigningKey
  })

const loadJwk = (s: Extract<KeySource, { _tag: "Jwk" }>) =>
  Effect.gen(function*() {
    const source = describeOrigin(s.origin)
    const text = asText(yield* readOrigin(s.origin, false))
    const parsed = yield* Effect.try({ try: () => JSON.parse(text) as unknown, catch: () => new KeyLoadError({ source, reason: "not JSON" }) })
    // Accept a bare JWK or a JWK set with one private key.
    const jwk = (typeof parsed === "object" && parsed !== null && Array.isArray((parsed as { keys?: unknown }).keys)
      ? ((parsed as { keys: Array<unknown> }).keys.find((k) => typeof k === "object" && k !== null && "d" in k) ?? {})
      : parsed) as Record<string, unknown>
    if (typeof jwk !== "object" || jwk === null || typeof jwk.kty !== "string") return yield* new KeyLoadError({ source, reason: "not a JWK (no kty)" })
    if (jwk.d === undefined) return yield* new KeyLoadError({ source, reason: "a public JWK; signing needs the private key (the \"d\" member)" })
    const key = yield* Effect.try({
      try: () => createPrivateKey({ key: jwk as import("node:crypto").JsonWebKey, format: "jwk" }),
      catch: (e) => new KeyLoadError({ source, reason: cryptoReason(e, "private JWK") })
    })
    const kid = s.kid ?? (typeof jwk.kid === "string" ? jwk.kid : undefined)
    if (kid === undefined || kid === "") return yield* new KeyLoadError({ source, reason: "the JWK has no kid; give one (KRAVSYNC_KID / --kid)" })
    return { privateKey: yield* requireRsa(key, source), header: { kid }, description: `JWK from ${source} (kid ${kid})` } satisfies SigningKey
  })

const ORGNR_OIDS = ["2.5.4.5", "2.5.4.97"]

/** The 9-digit organisation number in a certificate subject (serialNumber or organizationIdentifier "NTRNO-…"). */
export const orgnrOf = (cert: forge.pki.Certificate): string | undefined => {
  for (const a of cert.subject.attributes) {
    if (a.type !== undefined && ORGNR_OIDS.includes(a.type) && typeof a.value === "string") {
      const m = /(\d{9})/.exec(a.value)
      if (m) return m[1]
    }
  }
  return undefined
}

const derBase64 = (cert: forge.pki.Certificate): string => forge.util.encode64(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes())

const sameKey = (cert: forge.pki.Certificate, key: forge.pki.rsa.PrivateKey): boolean => {
  const pub = cert.publicKey as forge.pki.rsa.PublicKey
  return pub.n !== undefined && pub.n.equals(key.n) && pub.e.equals(key.e)
}

/** Orders the chain from the authentication certificate up, by issuer. */
const chainFrom = (leaf: forge.pki.Certificate, all: ReadonlyArray<forge.pki.Certificate>): Array<forge.pki.Certificate> => {
  const chain = [leaf]
  let current = leaf
  for (let i = 0; i < all.length; i++) {
    if (current.isIssuer(current)) break // self-signed: top reached
    const issuer = all.find((c) => !chain.includes(c) && c.subject.hash === current.issuer.hash)
    if (issuer === undefined) break
    chain.push(issuer)
    current = issuer
  }
  return chain
}

const loadPkcs12 = (s: Extract<KeySource, { _tag: "Pkcs12" }>) =>
  Effect.gen(function*() {
    const source = describeOrigin(s.origin)
    const raw = yield* readOrigin(s.origin, true)
    const bytes = typeof raw === "string" ? new Uint8Array(Buffer.from(raw, "base64")) : raw
    const p12 = yield* Effect.try({
      try: () => {
        const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(bytes).toString("binary")))
        return forge.pkcs12.pkcs12FromAsn1(asn1, false, Redacted.value(s.password))
      },
      catch: (e) => {
        const m = String((e as Error).message ?? "")
        return new KeyLoadError({ source, reason: /mac|password|invalid/i.test(m) ? "wrong password or not a PKCS#12 file" : "not a readable PKCS#12 file" })
      }
    })
    const keyBags = [
      ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
      ...(p12.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? [])
    ]
    const certs = (p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? []).flatMap((b) => (b.cert ? [b.cert] : []))
    const keys = keyBags.flatMap((b) => (b.key ? [b.key as forge.pki.rsa.PrivateKey] : []))
    if (keys.length === 0) return yield* new KeyLoadError({ source, reason: "the PKCS#12 file holds no private key (or it is not RSA)" })
    // Buypass/Commfides files hold several certificates: use the one whose public key matches a private key.
    const pair = keys.flatMap((k) => certs.filter((c) => sameKey(c, k)).map((c) => [k, c] as const))[0]
    if (pair === undefined) return yield* new KeyLoadError({ source, reason: "no certificate in the PKCS#12 file matches its private key" })
    const [key, leaf] = pair
    const privateKey = yield* Effect.try({
      try: () => createPrivateKey({ key: forge.pki.privateKeyToPem(key), format: "pem" }),
      catch: (e) => new KeyLoadError({ source, reason: cryptoReason(e, "private key in the PKCS#12 file") })
    })
    const chain = chainFrom(leaf, certs)
    const orgnr = orgnrOf(leaf)
    const cn = leaf.subject.getField("CN")?.value as string | undefined
    return {
      privateKey,
      header: { x5c: chain.map(derBase64) },
      description: `business certificate from ${source}${cn ? ` (CN ${cn}` : " ("}${orgnr ? `, org ${orgnr}` : ""}, valid to ${
        leaf.validity.notAfter.toISOString().slice(0, 10)
      })`,
      certificateOrgnr: orgnr
    } satisfies SigningKey
  })

/** Loads and checks a key; the failure names the source and the reason only. */
export const load = (s: KeySource): Effect.Effect<SigningKey, KeyLoadError> => s._tag === "Pem" ? loadPem(s) : s._tag === "Jwk" ? loadJwk(s) : loadPkcs12(s)

/** The public JWK of a loaded key (for registering a client in the sandbox). */
export const publicJwk = (key: SigningKey): Record<string, unknown> => {
  const jwk = createPublicKey(key.privateKey).export({ format: "jwk" }) as Record<string, unknown>
  return "kid" in key.header ? { ...jwk, kid: key.header.kid, alg: "RS256", use: "sig" } : { ...jwk, alg: "RS256", use: "sig" }
}
