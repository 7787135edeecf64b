import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { exportJWK } from "jose"
import forge from "node-forge"
import { generateKeyPairSync } from "node:crypto"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Fake from "../../sandbox/Simulator.ts"
import * as Mp from "../../src/auth/Maskinporten.ts"
import * as Key from "../../src/auth/SigningKey.ts"
import { demoKey } from "../support/clientLayer.ts"

const dir = mkdtempSync(join(tmpdir(), "kravsync-auth-"))

const provider = (h: Fake.SandboxHandle, key: Key.SigningKey, clientId = h.demoClient.clientId, extra: Partial<Mp.MaskinportenOptions> = {}) =>
  Mp.make({ issuer: h.maskinportenIssuer, clientId, key, ...extra })

/** A self-signed business certificate with an organisation number in the subject, as a .p12. */
const makeP12 = (password: string) => {
  const keys = forge.pki.rsa.generateKeyPair(2048)
  const cert = forge.pki.createCertificate()
  cert.publicKey = keys.publicKey
  cert.serialNumber = "01"
  cert.validity.notBefore = new Date(Date.now() - 86_400_000)
  cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000)
  const subject = [
    { name: "commonName", value: "KRAVSYNC TEST AS" },
    { name: "organizationName", value: "KRAVSYNC TEST AS" },
    { type: "2.5.4.5", value: "212201782" },
    { name: "countryName", value: "NO" }
  ]
  cert.setSubject(subject)
  cert.setIssuer(subject)
  cert.sign(keys.privateKey, forge.md.sha256.create())
  const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], password, { algorithm: "aes256" })
  const der = forge.asn1.toDer(p12).getBytes()
  return { bytes: Buffer.from(der, "binary"), certPem: forge.pki.certificateToPem(cert) }
}

describe("Maskinporten token provider", () => {
  it.scopedLive("1,000 concurrent calls make exactly one token request", () =>
    Effect.gen(function*() {
      const h = yield* Fake.start()
      const mp = yield* provider(h, yield* demoKey(h))
      const tokens = yield* Effect.forEach(Array.from({ length: 1000 }), () => mp.token(), { concurrency: "unbounded" })
      expect(h.stats.tokenRequests).toBe(1)
      expect(new Set(tokens.map((t) => Redacted.value(t.token))).size).toBe(1)
      // another system user is another token
      yield* mp.token({ systemUserOrg: "212201782" })
      expect(h.stats.tokenRequests).toBe(2)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("the grant: aud = issuer, iss = client id, scope, exp − iat ≤ 120, unique jti, kid header", () =>
    Effect.gen(function*() {
      const h = yield* Fake.start()
      h.registerClient({ clientId: h.demoClient.clientId, jwks: [h.demoClient.publicJwk], scopes: ["skatteetaten:kravogbetalinger", "skatteetaten:other"] })
      const mp = yield* provider(h, yield* demoKey(h), undefined, { grantLifetimeSeconds: 60 })
      yield* mp.token()
      yield* mp.invalidate()
      yield* mp.token({ scope: "skatteetaten:other" })
      const [g1, g2] = h.stats.grants as Array<
        { aud: string; iss: string; scope: string; exp: number; iat: number; jti: string; header: { kid: string; alg: string } }
      >
      expect(g1!.aud).toBe(h.maskinportenIssuer)
      expect(g1!.iss).toBe(h.demoClient.clientId)
      expect(g1!.scope).toBe("skatteetaten:kravogbetalinger")
      expect(g1!.exp - g1!.iat).toBe(60)
      expect(g1!.header).toEqual({ alg: "RS256", kid: h.demoClient.kid })
      expect(g2!.scope).toBe("skatteetaten:other")
      expect(g1!.jti).not.toBe(g2!.jti)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a short-lived token is refreshed ahead of expiry; an expired one is never handed out", () =>
    Effect.gen(function*() {
      const h = yield* Fake.start({ accessTokenTtlSeconds: 3 })
      const mp = yield* provider(h, yield* demoKey(h))
      const t1 = yield* mp.token()
      yield* Effect.sleep("2100 millis") // past staleAt (ttl − 1 s), before the margin (ttl − 0.5 s)
      const t2 = yield* mp.token()
      expect(Redacted.value(t2.token)).toBe(Redacted.value(t1.token)) // still valid: served while the successor is fetched
      yield* Effect.sleep("300 millis")
      const t3 = yield* mp.token()
      expect(Redacted.value(t3.token)).not.toBe(Redacted.value(t1.token))
      // at least the one refresh; a slow machine may pass the next staleAt too (no exact count: it is timing)
      expect(h.stats.tokenRequests).toBeGreaterThanOrEqual(2)
      expect(t3.expiresAt - Date.now()).toBeGreaterThan(2000)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("PEM (PKCS#8 and PKCS#1), JWK and PKCS#12 keys all sign grants the simulator accepts", () =>
    Effect.gen(function*() {
      const h = yield* Fake.start()
      const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 })
      const jwk = { ...(yield* Effect.promise(() => exportJWK(publicKey))), kid: "k-pem" }
      h.registerClient({ clientId: "pem-client", jwks: [jwk] })
      const pkcs8 = join(dir, "key-pkcs8.pem")
      const pkcs1 = join(dir, "key-pkcs1.pem")
      writeFileSync(pkcs8, privateKey.export({ type: "pkcs8", format: "pem" }))
      writeFileSync(pkcs1, privateKey.export({ type: "pkcs1", format: "pem" }))
      const jwkFile = join(dir, "key.jwk")
      writeFileSync(jwkFile, JSON.stringify({ ...(yield* Effect.promise(() => exportJWK(privateKey))), kid: "k-pem" }))
      for (
        const source of [
          { _tag: "Pem", origin: Key.fromFile(pkcs8), kid: "k-pem" },
          { _tag: "Pem", origin: Key.fromFile(pkcs1), kid: "k-pem" },
          { _tag: "Jwk", origin: Key.fromFile(jwkFile) }
        ] as const
      ) {
        const mp = yield* provider(h, yield* Key.load(source), "pem-client")
        const t = yield* mp.token()
        expect(t.claims?.client_id).toBe("pem-client")
      }
      const p12 = makeP12("hemmelig")
      const p12File = join(dir, "virksomhet.p12")
      writeFileSync(p12File, p12.bytes)
      h.registerClient({ clientId: "cert-client", orgnr: "212201782", trustCertificates: [p12.certPem] })
      const key = yield* Key.load({ _tag: "Pkcs12", origin: Key.fromFile(p12File), password: Redacted.make("hemmelig") })
      expect(key.certificateOrgnr).toBe("212201782")
      expect("x5c" in key.header && Array.isArray(key.header.x5c) && key.header.x5c.length).toBe(1)
      const mp = yield* provider(h, key, "cert-client")
      yield* mp.token()
      expect(h.stats.tokenRequests).toBe(4)
      // the same .p12 from an environment variable (base64)
      process.env.KRAVSYNC_TEST_P12 = p12.bytes.toString("base64")
      const fromEnv = yield* Key.load({ _tag: "Pkcs12", origin: Key.fromEnv("KRAVSYNC_TEST_P12"), password: Redacted.make("hemmelig") })
      expect(fromEnv.certificateOrgnr).toBe("212201782")
      delete process.env.KRAVSYNC_TEST_P12
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.effect("a key that cannot be read names the source and the reason, never the key", () =>
    Effect.gen(function*() {
      const missing = yield* Effect.flip(Key.load({ _tag: "Pem", origin: Key.fromFile(join(dir, "nope.pem")), kid: "k" }))
      expect(missing.message).toBe(`cannot use the signing key from file ${join(dir, "nope.pem")}: no such file`)
      const secret = "-----BEGIN PRIVATE KEY-----\nTUlJRXZRSUJBREFOQmdrcWhraUc5dzBCQVFFRkFBU0NCS2N3Z2dTakFnRUFBb0lCQVFD\n-----END PRIVATE KEY-----\n"
      const garbage = yield* Effect.flip(Key.load({ _tag: "Pem", origin: Key.fromValue(secret, "KRAVSYNC_KEY"), kid: "k" }))
      expect(garbage.message).toContain("KRAVSYNC_KEY")
      expect(garbage.message).not.toContain("TUlJRXZR")
      const p12 = makeP12("riktig")
      const wrong = yield* Effect.flip(
        Key.load({ _tag: "Pkcs12", origin: Key.fromValue(p12.bytes.toString("base64"), "KRAVSYNC_P12"), password: Redacted.make("feil") })
      )
      expect(wrong.message).toContain("wrong password")
      const publicOnly = yield* Effect.flip(Key.load({ _tag: "Jwk", origin: Key.fromValue(JSON.stringify({ kty: "RSA", n: "AQAB", e: "AQAB", kid: "x" })) }))
      expect(publicOnly.message).toContain("public JWK")
      const unset = yield* Effect.flip(Key.load({ _tag: "Jwk", origin: Key.fromEnv("KRAVSYNC_DOES_NOT_EXIST") }))
      expect(unset.message).toContain("environment variable KRAVSYNC_DOES_NOT_EXIST: not set")
    }))

  it.scopedLive("Maskinporten's refusal is a MaskinportenError with the MP code and a hint", () =>
    Effect.gen(function*() {
      const h = yield* Fake.start()
      const mp = yield* provider(h, yield* demoKey(h), "unknown-client")
      const e = yield* Effect.flip(mp.token())
      expect(e.status).toBe(400)
      expect(e.message).toContain("MP-100")
      expect(e.message).toContain("client not found")
      expect(h.stats.tokenRequests).toBe(1) // 4xx is not retried
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})
