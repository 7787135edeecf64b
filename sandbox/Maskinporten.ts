/**
 * Maskinporten simulator: the JWT-bearer grant as maskinporten/README.md summarises Digdir's
 * protocol pages (jwtgrant, token, feilsoking, func_systembruker), and Altinn's consent tokens
 * (om/samtykke.md) for the `finans` rettighetspakke.
 *
 * Every refusal is Maskinporten's OAuth error body `{ error, error_description }` with the MP
 * code in the description, so a client can be tested against each one.
 */
import { randomUUID, X509Certificate } from "node:crypto"
type KeyLike = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"]
import { decodeJwt, decodeProtectedHeader, type generateKeyPair, importJWK, importX509, type JWK, type JWTPayload, jwtVerify, SignJWT } from "jose"

export const SCOPE = "skatteetaten:kravogbetalinger"
/** The Trekkpålegg API's scope (beta-apier/docs/trekkpaalegg/tilgang.md). */
export const TREKK_SCOPE = "skatteetaten:trekkpaalegg"
const ALGORITHMS = ["RS256", "RS384", "RS512"]
/** Claims the grant documentation allows (maskinporten/README.md); others are refused. */
const KNOWN_CLAIMS = new Set(["aud", "iss", "scope", "iat", "exp", "nbf", "jti", "resource", "consumer_org", "authorization_details"])

export interface RegisteredClient {
  readonly clientId: string
  readonly orgnr: string
  readonly jwks: ReadonlyArray<JWK>
  /** PEM certificates registered for the client (business certificates it may sign with via x5c). */
  readonly certificates: ReadonlyArray<string>
  readonly scopes: ReadonlyArray<string>
  /** Customers (organisation numbers) that have created an Altinn system user for this client's system. */
  readonly systemUserFor: ReadonlySet<string>
}

export interface SigningKeys {
  readonly privateKey: KeyLike
  readonly publicKey: KeyLike
}

export interface GrantState {
  readonly issuer: () => string
  readonly clients: Map<string, RegisteredClient>
  readonly usedJti: Set<string>
  /** jti of every access token still valid; `revokeTokens` empties it. */
  readonly liveTokens: Set<string>
  readonly keys: SigningKeys
  readonly accessTokenTtlSeconds: number
  /** Decoded grants, for tests. */
  readonly grants: Array<Record<string, unknown>>
  readonly now: () => number
}

export interface OAuthAnswer {
  readonly status: number
  readonly body: Record<string, unknown>
}

const refuse = (error: string, description: string, status = 400): OAuthAnswer => ({ status, body: { error, error_description: description } })

/** The organisation number in a business certificate's subject (serialNumber, or organizationIdentifier NTRNO-…). */
export const certificateOrgnr = (cert: X509Certificate): string | undefined => {
  const subject = cert.subject
  const serial = /serialNumber=(\d{9})/.exec(subject)?.[1]
  const orgId = /(?:organizationIdentifier|2\.5\.4\.97)=(?:NTRNO-)?(\d{9})/.exec(subject)?.[1]
  return serial ?? orgId
}

type SystemUser = { readonly orgnr: string } | { readonly problem: string }

const systemUser = (details: unknown): SystemUser | undefined => {
  if (details === undefined) return undefined
  if (!Array.isArray(details) || details.length !== 1) return { problem: "MP-302 authorization_details must hold exactly one system user" }
  const d = details[0] as Record<string, unknown>
  const org = d["systemuser_org"] as Record<string, unknown> | undefined
  const id = typeof org?.["ID"] === "string" ? (org["ID"] as string) : ""
  if (d["type"] !== "urn:altinn:systemuser" || org?.["authority"] !== "iso6523-actorid-upis" || !/^0192:\d{9}$/.test(id)) {
    return { problem: "MP-302 authorization_details is not an urn:altinn:systemuser with systemuser_org 0192:<orgnr>" }
  }
  return { orgnr: id.slice(5) }
}

/** POST {issuer}token with a JWT-bearer grant. */
export const grant = async (state: GrantState, form: URLSearchParams): Promise<OAuthAnswer> => {
  if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") {
    return refuse("unsupported_grant_type", "grant_type must be urn:ietf:params:oauth:grant-type:jwt-bearer")
  }
  const assertion = form.get("assertion")
  if (!assertion) return refuse("invalid_request", "assertion is missing")
  let header: ReturnType<typeof decodeProtectedHeader>
  let claims: JWTPayload
  try {
    header = decodeProtectedHeader(assertion)
    claims = decodeJwt(assertion)
  } catch {
    return refuse("invalid_grant", "Invalid assertion. The JWT could not be parsed")
  }
  state.grants.push({ ...claims, header })
  if (!ALGORITHMS.includes(String(header.alg))) return refuse("invalid_grant", `MP-120 unsupported algorithm ${String(header.alg)}`)
  const client = typeof claims.iss === "string" ? state.clients.get(claims.iss) : undefined
  if (client === undefined) return refuse("invalid_grant", `MP-100 Invalid assertion. Client not found: ${String(claims.iss)}`)
  if ((header.x5c === undefined) === (header.kid === undefined)) {
    return refuse("invalid_grant", "MP-120 the JWT header must carry exactly one of x5c and kid")
  }
  let key: Parameters<typeof jwtVerify>[1]
  try {
    if (header.x5c !== undefined) {
      const x5c: unknown = header.x5c
      if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((c) => typeof c === "string")) {
        return refuse("invalid_grant", "MP-123 x5c must be an array of base64 DER certificates")
      }
      const pem = `-----BEGIN CERTIFICATE-----\n${x5c[0]}\n-----END CERTIFICATE-----`
      const cert = new X509Certificate(pem)
      if (new Date(cert.validTo).getTime() < state.now()) return refuse("invalid_grant", "MP-121 the certificate has expired")
      if (certificateOrgnr(cert) !== client.orgnr) return refuse("invalid_grant", "MP-122 the certificate's organisation number does not match the client")
      if (!client.certificates.some((c) => new X509Certificate(c).fingerprint256 === cert.fingerprint256)) {
        return refuse("invalid_grant", "MP-120 the certificate is not registered for this client")
      }
      key = await importX509(pem, String(header.alg))
    } else {
      const jwk = client.jwks.find((k) => k.kid === header.kid)
      if (jwk === undefined) return refuse("invalid_grant", `MP-100 no key with kid ${String(header.kid)} is registered for the client`)
      key = await importJWK(jwk, String(header.alg))
    }
  } catch (e) {
    return refuse("invalid_grant", `MP-120 the key or certificate could not be read: ${(e as Error).message}`)
  }
  const nowSeconds = Math.floor(state.now() / 1000)
  try {
    await jwtVerify(assertion, key, { algorithms: ALGORITHMS, currentDate: new Date(state.now()), clockTolerance: 10 })
  } catch (e) {
    const code = (e as { code?: string }).code
    if (code === "ERR_JWT_EXPIRED") return refuse("invalid_grant", "MP-130 the JWT has expired")
    return refuse("invalid_grant", "MP-120 Invalid assertion. Signature not valid")
  }
  const unknown = Object.keys(claims).filter((c) => !KNOWN_CLAIMS.has(c))
  if (unknown.length > 0) return refuse("invalid_grant", `Invalid assertion. Unknown claims: ${unknown.join(", ")}`)
  if (claims.aud !== state.issuer()) return refuse("invalid_grant", `MP-110 Invalid assertion. aud must be ${state.issuer()}`)
  if (typeof claims.iat !== "number" || typeof claims.exp !== "number") return refuse("invalid_grant", "Invalid assertion. iat and exp are required")
  if (claims.iat > nowSeconds + 10) return refuse("invalid_grant", "Invalid assertion. Issue time is after now")
  if (claims.exp - claims.iat > 120) return refuse("invalid_grant", "MP-130 Invalid assertion. exp must be at most 120 seconds after iat")
  if (typeof claims.jti !== "string" || claims.jti === "") return refuse("invalid_grant", "Invalid assertion. jti is required")
  if (state.usedJti.has(claims.jti)) return refuse("invalid_grant", "MP-012 Invalid assertion. The JWT grant has been used before (jti)")
  state.usedJti.add(claims.jti)
  const scopes = typeof claims["scope"] === "string" ? (claims["scope"] as string).split(/\s+/).filter((s) => s !== "") : []
  if (scopes.length === 0) return refuse("invalid_scope", "MP-200 no scope requested")
  const missing = scopes.filter((s) => !client.scopes.includes(s))
  if (missing.length > 0) return refuse("invalid_scope", `MP-200 scope not registered on the client: ${missing.join(" ")}`)
  const su = systemUser(claims["authorization_details"])
  if (su !== undefined && "problem" in su) return refuse("invalid_request", su.problem)
  if (su !== undefined && !client.systemUserFor.has(su.orgnr)) {
    return refuse("invalid_request", `MP-301 no system user for customer ${su.orgnr} is registered for this client's system`)
  }
  const jti = randomUUID()
  const ttl = state.accessTokenTtlSeconds
  const resource = claims["resource"]
  const token = await new SignJWT({
    client_id: client.clientId,
    client_amr: header.x5c === undefined ? "private_key_jwt" : "virksomhetssertifikat",
    consumer: { authority: "iso6523-actorid-upis", ID: `0192:${client.orgnr}` },
    scope: scopes.join(" "),
    ...(su === undefined
      ? {}
      : {
        authorization_details: [
          {
            type: "urn:altinn:systemuser",
            systemuser_id: [`su-${su.orgnr}-${client.clientId}`],
            systemuser_org: { authority: "iso6523-actorid-upis", ID: `0192:${su.orgnr}` },
            system_id: `${client.clientId}_system`
          }
        ]
      })
  })
    .setProtectedHeader({ alg: "RS256", kid: "sandbox-maskinporten" })
    .setIssuer(state.issuer())
    .setAudience(Array.isArray(resource) ? (resource as Array<string>) : typeof resource === "string" ? resource : "unspecified")
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + ttl)
    .setJti(jti)
    .sign(state.keys.privateKey)
  state.liveTokens.add(jti)
  return { status: 200, body: { access_token: token, token_type: "Bearer", expires_in: ttl, scope: scopes.join(" ") } }
}

export interface AccessClaims {
  readonly orgnr: string
  readonly systemUserOrg: string | undefined
  readonly scopes: ReadonlyArray<string>
}

/** Validates an access token the sandbox issued; a reason when it is not valid. */
export const verifyAccessToken = async (state: GrantState, token: string): Promise<AccessClaims | { readonly problem: string }> => {
  try {
    const { payload } = await jwtVerify(token, state.keys.publicKey, { issuer: state.issuer(), currentDate: new Date(state.now()) })
    if (typeof payload.jti !== "string" || !state.liveTokens.has(payload.jti)) return { problem: "tokenet er trukket tilbake" }
    const consumer = payload["consumer"] as { ID?: string } | undefined
    const details = payload["authorization_details"] as Array<{ systemuser_org?: { ID?: string } }> | undefined
    return {
      orgnr: (consumer?.ID ?? "").replace(/^0192:/, ""),
      systemUserOrg: details?.[0]?.systemuser_org?.ID?.replace(/^0192:/, ""),
      scopes: String(payload["scope"] ?? "").split(" ")
    }
  } catch (e) {
    return { problem: (e as { code?: string }).code === "ERR_JWT_EXPIRED" ? "tokenet er utløpt" : "tokenet er ugyldig" }
  }
}

// ---------------------------------------------------------------------------------------------
// Altinn consent (samtykke): service 5928, edition 202301 (api/kravogbetalinger.md "Samtykke")

export interface ConsentState {
  readonly issuer: () => string
  readonly keys: SigningKeys
  readonly ttlSeconds: number
  /** Parties that have not given (or have withdrawn) consent. */
  readonly withoutConsent: Set<string>
  readonly now: () => number
}

/** Issues a consent token in which `part` (OfferedBy) lets `consumerOrg` (CoveredBy) read its data. */
export const issueConsent = async (state: ConsentState, part: string, consumerOrg: string): Promise<OAuthAnswer> => {
  if (state.withoutConsent.has(part)) {
    return { status: 403, body: { error: "consent_missing", error_description: `no active consent from ${part} for service 5928/202301` } }
  }
  const now = Math.floor(state.now() / 1000)
  const token = await new SignJWT({ OfferedBy: part, CoveredBy: consumerOrg, Services: [{ ServiceCode: "5928", ServiceEditionCode: "202301" }] })
    .setProtectedHeader({ alg: "RS256", kid: "sandbox-altinn" })
    .setIssuer(state.issuer())
    .setIssuedAt(now)
    .setExpirationTime(now + state.ttlSeconds)
    .setJti(randomUUID())
    .sign(state.keys.privateKey)
  return { status: 200, body: { token, expires_in: state.ttlSeconds } }
}

/** Checks an `AltinnSamtykke` header for a party and consumer; the KB-005 reason when it fails. */
export const checkConsent = async (state: ConsentState, token: string | undefined, part: string, consumerOrg: string): Promise<string | undefined> => {
  if (token === undefined || token === "") return "Samtykketoken mangler (header AltinnSamtykke)"
  try {
    const { payload } = await jwtVerify(token, state.keys.publicKey, { issuer: state.issuer(), currentDate: new Date(state.now()) })
    if (payload["OfferedBy"] !== part) return "Samtykketokenet gjelder en annen part"
    if (payload["CoveredBy"] !== consumerOrg) return "Samtykketokenet er gitt til en annen virksomhet"
    if (state.withoutConsent.has(part)) return "Samtykket er trukket tilbake"
    return undefined
  } catch (e) {
    return (e as { code?: string }).code === "ERR_JWT_EXPIRED" ? "Samtykketokenet er utløpt" : "Samtykketokenet er ugyldig"
  }
}
