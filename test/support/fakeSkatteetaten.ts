/**
 * A small stand-in for src/sandbox (same handle shape as its contract) used by the client tests
 * until/unless the sandbox is available: Maskinporten's JWT-bearer grant (signature checked
 * against registered JWKs or trusted certificates, aud, iss, exp − iat ≤ 120, jti reuse), the
 * four endpoints serving the seed documents, Skatteetaten's error format, and fault injection.
 */
import { randomUUID, X509Certificate } from "node:crypto"
import { readFileSync } from "node:fs"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { Effect } from "effect"
import { decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, importX509, type JWK, jwtVerify } from "jose"

export interface Faults {
  kb002Share: number
  dropShare: number
  /** The next n API requests answer 429 with Retry-After: retryAfterSeconds. */
  tooManyRequests: number
  retryAfterSeconds: number
  /** Every API request answers this code. */
  forceKode: string | undefined
  latencyMs: number
}

const status: Record<string, number> = { "KB-001": 500, "KB-002": 500, "KB-003": 404, "KB-004": 401, "KB-005": 403, "KB-006": 400, "KB-007": 404, "KB-008": 406, "KB-009": 404 }

export const start = (options: { accessTokenTtlSeconds?: number } = {}) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true })
      const kid = "demo-key-1"
      const privateJwk = { ...(await exportJWK(privateKey)), kid }
      const publicJwk = { ...(await exportJWK(publicKey)), kid }
      const clients = new Map<string, { jwks: Array<JWK>; certs: Array<string> }>()
      clients.set("demo-client", { jwks: [publicJwk], certs: [] })
      const tokens = new Map<string, number>()
      const jtis = new Set<string>()
      const stats = { tokenRequests: 0, apiRequests: 0, grants: [] as Array<Record<string, unknown>>, headers: [] as Array<Record<string, string | string[] | undefined>> }
      let faults: Faults = { kb002Share: 0, dropShare: 0, tooManyRequests: 0, retryAfterSeconds: 1, forceKode: undefined, latencyMs: 0 }
      const seed = (name: string) => readFileSync(new URL(`../../src/sandbox/seed/${name}`, import.meta.url), "utf8")
      const aapnekrav = seed("aapnekrav-212201782.json")
      const krav = seed("krav-212201782-2023-01-01_2023-09-01.json")
      let issuer = ""
      const send = (res: ServerResponse, code: number, body: unknown, korr = randomUUID(), extra: Record<string, string> = {}) => {
        res.writeHead(code, { "content-type": "application/json", korrelasjonsid: korr, ...extra })
        res.end(typeof body === "string" ? body : JSON.stringify(body))
      }
      const feil = (res: ServerResponse, kode: string, xml: boolean) => {
        const korr = randomUUID()
        if (xml) {
          res.writeHead(status[kode] ?? 500, { "content-type": "application/xml", korrelasjonsid: korr })
          return res.end(`<feil xmlns="urn:no:skatteetaten:datasamarbeid:feil:v1"><kode>${kode}</kode><melding>sandbox ${kode}</melding><korrelasjonsid>${korr}</korrelasjonsid></feil>`)
        }
        send(res, status[kode] ?? 500, { kode, melding: `sandbox ${kode}`, korrelasjonsid: korr }, korr)
      }
      const body = (req: IncomingMessage) =>
        new Promise<string>((resolve) => {
          let s = ""
          req.on("data", (c) => (s += c))
          req.on("end", () => resolve(s))
        })
      const grant = async (req: IncomingMessage, res: ServerResponse) => {
        stats.tokenRequests++
        const form = new URLSearchParams(await body(req))
        const bad = (d: string) => send(res, 400, { error: "invalid_grant", error_description: d })
        if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") return bad("unsupported grant_type")
        const assertion = form.get("assertion") ?? ""
        try {
          const header = decodeProtectedHeader(assertion)
          const payloadIss = JSON.parse(Buffer.from(assertion.split(".")[1] ?? "", "base64url").toString()).iss as string
          const client = clients.get(payloadIss)
          if (client === undefined) return bad("MP-100 client not found")
          let key
          if (header.x5c !== undefined) {
            if (!Array.isArray(header.x5c)) return bad("MP-123 x5c must be an array")
            const pem = `-----BEGIN CERTIFICATE-----\n${header.x5c[0]}\n-----END CERTIFICATE-----`
            const cert = new X509Certificate(pem)
            if (!client.certs.some((c) => new X509Certificate(c).fingerprint256 === cert.fingerprint256)) return bad("MP-120 certificate not trusted")
            key = await importX509(pem, "RS256")
          } else {
            const jwk = client.jwks.find((k) => k.kid === header.kid)
            if (jwk === undefined) return bad("MP-100 unknown kid")
            key = await importJWK(jwk, "RS256")
          }
          const { payload } = await jwtVerify(assertion, key, { audience: issuer, issuer: payloadIss, algorithms: ["RS256"] })
          if ((payload.exp ?? 0) - (payload.iat ?? 0) > 120) return bad("MP-130 exp more than 120 s after iat")
          if (typeof payload.jti !== "string" || jtis.has(payload.jti)) return bad("MP-012 grant reused")
          jtis.add(payload.jti)
          stats.grants.push({ ...payload, header })
          const ttl = options.accessTokenTtlSeconds ?? 120
          const token = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${Buffer.from(JSON.stringify({ iss: issuer, client_id: payloadIss, scope: payload.scope, exp: Math.floor(Date.now() / 1000) + ttl, authorization_details: payload.authorization_details })).toString("base64url")}.${randomUUID()}`
          tokens.set(token, Date.now() + ttl * 1000)
          send(res, 200, { access_token: token, token_type: "Bearer", expires_in: ttl, scope: payload.scope })
        } catch (e) {
          bad(`MP-120 ${(e as Error).message}`)
        }
      }
      const api = async (req: IncomingMessage, res: ServerResponse, path: string) => {
        stats.apiRequests++
        stats.headers.push(req.headers)
        if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs))
        const xml = (req.headers.accept ?? "").includes("xml")
        const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1]
        const exp = bearer === undefined ? undefined : tokens.get(bearer)
        if (exp === undefined || exp < Date.now()) return feil(res, "KB-004", xml)
        if (faults.dropShare > 0 && Math.random() < faults.dropShare) return req.socket.destroy()
        if (faults.tooManyRequests > 0) {
          faults.tooManyRequests--
          return send(res, 429, "", randomUUID(), { "retry-after": String(faults.retryAfterSeconds) })
        }
        if (faults.forceKode !== undefined) return feil(res, faults.forceKode, xml)
        if (faults.kb002Share > 0 && Math.random() < faults.kb002Share) return feil(res, "KB-002", xml)
        const m = /^\/v1\/(regnskapssystem|finans)\/(\d+)\/(aapnekrav|krav|innbetalinger|utbetalinger)$/.exec(path)
        if (m === null) return feil(res, "KB-003", xml)
        if (m[1] === "finans" && req.headers["altinnsamtykke"] === undefined) return feil(res, "KB-005", xml)
        if (m[2] !== "212201782") return feil(res, "KB-009", xml)
        if (m[3] === "aapnekrav") return send(res, 200, aapnekrav)
        if (m[3] === "krav") return send(res, 200, krav)
        return feil(res, "KB-007", xml)
      }
      const server = createServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://x")
        if (req.method === "POST" && url.pathname === "/maskinporten/token") return void grant(req, res)
        if (req.method === "GET" && url.pathname.startsWith("/v1/")) return void api(req, res, url.pathname)
        send(res, 404, { error: "not found" })
      })
      server.keepAliveTimeout = 60_000
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()))
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      issuer = `${url}/maskinporten/`
      return {
        server,
        url,
        apiBaseUrl: `${url}/v1`,
        maskinportenIssuer: issuer,
        demoClient: { clientId: "demo-client", orgnr: "212201782", kid, privateJwk, publicJwk, scopes: ["skatteetaten:kravogbetalinger"] },
        registerClient: (c: { clientId: string; jwks?: Array<JWK>; trustCertificates?: Array<string> }) =>
          void clients.set(c.clientId, { jwks: c.jwks ?? [], certs: c.trustCertificates ?? [] }),
        setFaults: (f: Partial<Faults>) => void (faults = { ...faults, ...f }),
        /** Makes every issued access token invalid (the API answers 401 KB-004). */
        revokeTokens: () => tokens.clear(),
        stats,
        resetStats: () => {
          stats.tokenRequests = 0
          stats.apiRequests = 0
          stats.grants.length = 0
          stats.headers.length = 0
        }
      }
    }),
    (h) => Effect.promise(() => new Promise<void>((r) => { h.server.closeAllConnections(); h.server.close(() => r()) }))
  )

export type FakeHandle = Effect.Effect.Success<ReturnType<typeof start>>
