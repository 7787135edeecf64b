/** Raw HTTP helpers for the sandbox tests: grants signed with jose, requests with fetch (undici). */
import { importJWK, type JWK, SignJWT } from "jose"
import { randomUUID } from "node:crypto"
import type { SandboxHandle } from "../../sandbox/Simulator.ts"

export interface GrantOverrides {
  readonly claims?: Record<string, unknown>
  readonly header?: Record<string, unknown>
  readonly key?: JWK
  readonly omit?: ReadonlyArray<string>
  readonly systemUser?: string
}

/** A JWT-bearer grant for the demo client, with any claim or header overridden. */
export const grantFor = async (h: SandboxHandle, o: GrantOverrides = {}): Promise<string> => {
  const now = Math.floor(Date.now() / 1000)
  const claims: Record<string, unknown> = {
    aud: h.maskinportenIssuer,
    iss: h.demoClient.clientId,
    scope: "skatteetaten:kravogbetalinger",
    iat: now,
    exp: now + 100,
    jti: randomUUID(),
    ...(o.systemUser === undefined
      ? {}
      : { authorization_details: [{ type: "urn:altinn:systemuser", systemuser_org: { authority: "iso6523-actorid-upis", ID: `0192:${o.systemUser}` } }] }),
    ...o.claims
  }
  for (const k of o.omit ?? []) delete claims[k]
  const key = await importJWK(o.key ?? h.demoClient.privateJwk, "RS256")
  return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: h.demoClient.kid, ...o.header }).sign(key)
}

export const postGrant = async (h: SandboxHandle, assertion: string) => {
  const r = await fetch(`${h.maskinportenIssuer}token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion })
  })
  return { status: r.status, body: (await r.json()) as Record<string, unknown> }
}

/** An access token for the demo client, with the party's system user by default. */
export const accessToken = async (h: SandboxHandle, systemUser: string | undefined = "212201782"): Promise<string> => {
  const r = await postGrant(h, await grantFor(h, systemUser === undefined ? {} : { systemUser }))
  if (r.status !== 200) throw new Error(`grant refused: ${JSON.stringify(r.body)}`)
  return String(r.body["access_token"])
}

export const get = async (url: string, headers: Record<string, string> = {}) => {
  const r = await fetch(url, { headers })
  const text = await r.text()
  return {
    status: r.status,
    korrelasjonsid: r.headers.get("korrelasjonsid"),
    contentType: r.headers.get("content-type") ?? "",
    text,
    json: () => JSON.parse(text) as Record<string, unknown>
  }
}
