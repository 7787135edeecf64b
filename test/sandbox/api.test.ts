import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { exportJWK, generateKeyPair } from "jose"
import { readFileSync } from "node:fs"
import * as Sandbox from "../../sandbox/Simulator.ts"
import { accessToken, get, grantFor, postGrant } from "./support.ts"

const seed = (name: string) => JSON.parse(readFileSync(new URL(`../../sandbox/seed/${name}`, import.meta.url), "utf8")) as unknown

/** Runs `f` against a fresh sandbox. */
const withSandbox = (f: (h: Sandbox.SandboxHandle) => Promise<void>, options?: Sandbox.SandboxOptions) =>
  Effect.gen(function*() {
    const h = yield* Sandbox.start(options)
    yield* Effect.promise(() => f(h))
  })

const periode = "fraOgMed=2023-01-01&tilOgMed=2023-09-01"

describe("sandbox: Krav og betalinger API", () => {
  it.scopedLive("serves the seed examples verbatim for 212201782, with a korrelasjonsid", () =>
    withSandbox(async (h) => {
      const auth = { authorization: `Bearer ${await accessToken(h)}` }
      const a = await get(`${h.apiBaseUrl}/regnskapssystem/212201782/aapnekrav`, auth)
      expect(a.status).toBe(200)
      expect(a.korrelasjonsid).toMatch(/^[0-9a-f-]{36}$/)
      expect(a.json()).toStrictEqual(seed("aapnekrav-212201782.json"))
      const k = await get(`${h.apiBaseUrl}/regnskapssystem/212201782/krav?${periode}`, auth)
      expect(k.text).toBe(readFileSync(new URL("../../sandbox/seed/krav-212201782-2023-01-01_2023-09-01.json", import.meta.url), "utf8"))
      // the seed page's older prefix still answers
      const legacy = await get(`${h.legacyApiBaseUrl}/regnskapssystem/212201782/aapnekrav`, auth)
      expect(legacy.json()).toStrictEqual(seed("aapnekrav-212201782.json"))
    }))

  it.scopedLive("every KB code, with Skatteetaten's error body and a korrelasjonsid", () =>
    withSandbox(async (h) => {
      const token = await accessToken(h)
      const auth = { authorization: `Bearer ${token}` }
      const api = h.apiBaseUrl
      const expectKode = async (
        p: Promise<{ status: number; korrelasjonsid: string | null; json: () => Record<string, unknown> }>,
        kode: string,
        status: number
      ) => {
        const r = await p
        expect([r.status, r.json()["kode"]]).toEqual([status, kode])
        expect(r.json()["korrelasjonsid"]).toBe(r.korrelasjonsid)
        expect(String(r.json()["melding"]).length).toBeGreaterThan(10)
        return r.json()
      }
      h.setFaults({ forceKode: "KB-001" })
      await expectKode(get(`${api}/regnskapssystem/212201782/aapnekrav`, auth), "KB-001", 500)
      h.setFaults({ forceKode: undefined, kb002Share: 1 })
      await expectKode(get(`${api}/regnskapssystem/212201782/aapnekrav`, auth), "KB-002", 500)
      h.setFaults({ kb002Share: 0 })
      await expectKode(get(`${api}/regnskapssystem/212201782/ukjent`, auth), "KB-003", 404)
      await expectKode(get(`${api}/bank/212201782/aapnekrav`, auth), "KB-003", 404)
      await expectKode(get(`${api}/regnskapssystem/212201782/aapnekrav`), "KB-004", 401)
      await expectKode(get(`${api}/regnskapssystem/212201782/aapnekrav`, { authorization: "Bearer not-a-token" }), "KB-004", 401)
      // a system user for another party may not read this one
      await expectKode(get(`${api}/regnskapssystem/313367002/aapnekrav`, auth), "KB-004", 401)
      await expectKode(get(`${api}/finans/212201782/aapnekrav`, auth), "KB-005", 403)
      const bad = await expectKode(get(`${api}/regnskapssystem/212201783/aapnekrav`, auth), "KB-006", 400)
      expect(bad["melding"]).toContain("mod11")
      await expectKode(get(`${api}/regnskapssystem/212201782/krav?fraOgMed=2023-09-01&tilOgMed=2023-01-01`, auth), "KB-006", 400)
      await expectKode(get(`${api}/regnskapssystem/212201782/krav?fraOgMed=2023-02-30&tilOgMed=2023-03-01`, auth), "KB-006", 400)
      await expectKode(get(`${api}/regnskapssystem/212201782/krav?fraOgMed=2022-01-01&tilOgMed=2023-01-01`, auth), "KB-006", 400)
      await expectKode(get(`${api}/regnskapssystem/212201782/krav?fraOgMed=2023-01-01`, auth), "KB-006", 400)
      await expectKode(get(`${api}/regnskapssystem/212201782/krav?fraOgMed=2019-01-01&tilOgMed=2019-12-31`, auth), "KB-007", 404)
      await expectKode(get(`${api}/regnskapssystem/212201782/aapnekrav`, { ...auth, accept: "text/html" }), "KB-008", 406)
      h.registerClient({ clientId: h.demoClient.clientId, jwks: [h.demoClient.publicJwk], systemUserFor: [...h.parties, "974760673"] })
      const other = { authorization: `Bearer ${await accessToken(h, "974760673")}` }
      await expectKode(get(`${api}/regnskapssystem/974760673/aapnekrav`, other), "KB-009", 404)
    }))

  it.scopedLive("XML by Accept: documents decode to the same model, errors use the feil namespace", () =>
    withSandbox(async (h) => {
      const auth = { authorization: `Bearer ${await accessToken(h)}` }
      const ok = await get(`${h.apiBaseUrl}/regnskapssystem/212201782/aapnekrav`, { ...auth, accept: "application/xml" })
      expect(ok.contentType).toContain("application/xml")
      expect(ok.text).toContain("<aapneKrav>")
      const err = await get(`${h.apiBaseUrl}/regnskapssystem/212201782/ukjent`, { ...auth, accept: "application/xml" })
      expect(err.status).toBe(404)
      expect(err.text).toContain("<feil xmlns=\"urn:no:skatteetaten:datasamarbeid:feil:v1\">")
      expect(err.text).toContain("<kode>KB-003</kode>")
      expect(err.text).toContain(`<korrelasjonsid>${err.korrelasjonsid}</korrelasjonsid>`)
    }))

  it.scopedLive("finans: a consent token from the Altinn simulator opens the party; others get KB-005", () => {
    // The sandbox's clock, moved past the consent's lifetime instead of sleeping through it.
    let now = Date.now()
    return withSandbox(
      async (h) => {
        const token = await accessToken(h, undefined)
        const auth = { authorization: `Bearer ${token}` }
        const consent = await get(`${h.altinnUrl}/consent/313367002`, auth)
        expect(consent.status).toBe(200)
        const samtykke = String(consent.json()["token"])
        const ok = await get(`${h.apiBaseUrl}/finans/313367002/aapnekrav`, { ...auth, altinnsamtykke: samtykke })
        expect(ok.status).toBe(200)
        // consent from one party does not open another
        const wrong = await get(`${h.apiBaseUrl}/finans/310478717/aapnekrav`, { ...auth, altinnsamtykke: samtykke })
        expect([wrong.status, wrong.json()["kode"]]).toEqual([403, "KB-005"])
        expect(wrong.json()["melding"]).toContain("annen part")
        // a party that never consented
        expect((await get(`${h.altinnUrl}/consent/311851381`, auth)).status).toBe(403)
        // an expired consent token (the access token, 120 s, still valid)
        now += 31_000
        const expired = await get(`${h.apiBaseUrl}/finans/313367002/aapnekrav`, { ...auth, altinnsamtykke: samtykke })
        expect(expired.json()["melding"]).toContain("utløpt")
      },
      { consentTtlSeconds: 30, now: () => now }
    )
  })

  it.scopedLive("Skatteetaten's 5-concurrent-calls rule is enforced with 429 when asked", () =>
    withSandbox(
      async (h) => {
        const auth = { authorization: `Bearer ${await accessToken(h)}` }
        const all = await Promise.all(Array.from({ length: 12 }, () => get(`${h.apiBaseUrl}/regnskapssystem/212201782/aapnekrav`, auth)))
        const statuses = all.map((r) => r.status)
        // never more than 5 in flight, whatever the timing; with 2 s of latency all 12 arrive while the first 5 are held
        expect(h.stats.peakInFlight).toBe(5)
        expect(statuses.filter((s) => s === 200).length).toBe(5)
        expect(statuses.filter((s) => s === 429).length).toBe(7)
      },
      { faults: { enforceConcurrency: true, latencyMs: 2000 } }
    ))
})

describe("sandbox: Maskinporten simulator", () => {
  const refused = async (h: Sandbox.SandboxHandle, assertion: string | Promise<string>) => {
    const r = await postGrant(h, await assertion)
    expect(r.status).toBe(400)
    return `${String(r.body["error"])} ${String(r.body["error_description"])}`
  }

  it.scopedLive("issues a signed access token for a valid grant, with the system user", () =>
    withSandbox(async (h) => {
      const r = await postGrant(h, await grantFor(h, { systemUser: "313367002" }))
      expect(r.status).toBe(200)
      expect(r.body).toMatchObject({ token_type: "Bearer", expires_in: 120, scope: "skatteetaten:kravogbetalinger" })
      const claims = JSON.parse(Buffer.from(String(r.body["access_token"]).split(".")[1] ?? "", "base64url").toString()) as Record<string, unknown>
      expect(claims["consumer"]).toEqual({ authority: "iso6523-actorid-upis", ID: `0192:${h.demoClient.orgnr}` })
      expect(JSON.stringify(claims["authorization_details"])).toContain("0192:313367002")
      const metadata = await get(`${h.maskinportenIssuer}.well-known/oauth-authorization-server`)
      expect(metadata.json()["issuer"]).toBe(h.maskinportenIssuer)
    }))

  it.scopedLive("refuses each documented error with Maskinporten's error body", () =>
    withSandbox(async (h) => {
      const now = Math.floor(Date.now() / 1000)
      const stranger = await generateKeyPair("RS256", { extractable: true })
      expect(await refused(h, grantFor(h, { claims: { iss: "nobody" } }))).toContain("MP-100")
      expect(await refused(h, grantFor(h, { header: { kid: "unknown-kid" } }))).toContain("MP-100")
      expect(await refused(h, grantFor(h, { claims: { aud: `${h.maskinportenIssuer}token` } }))).toContain("MP-110")
      expect(await refused(h, grantFor(h, { key: { ...(await exportJWK(stranger.privateKey)), kid: h.demoClient.kid } }))).toContain("MP-120")
      expect(await refused(h, grantFor(h, { header: { x5c: "MIIB" } }))).toMatch(/MP-12[03]/)
      expect(await refused(h, grantFor(h, { claims: { iat: now - 300, exp: now - 200 } }))).toContain("MP-130")
      expect(await refused(h, grantFor(h, { claims: { exp: now + 150 } }))).toContain("MP-130")
      expect(await refused(h, grantFor(h, { claims: { iat: now + 60, exp: now + 100 } }))).toContain("Issue time is after now")
      expect(await refused(h, grantFor(h, { claims: { scope: "skatteetaten:annet" } }))).toContain("invalid_scope MP-200")
      expect(await refused(h, grantFor(h, { claims: { favourite_colour: "blue" } }))).toContain("Unknown claims")
      expect(await refused(h, grantFor(h, { systemUser: "974760673" }))).toContain("MP-301")
      expect(await refused(h, grantFor(h, { claims: { authorization_details: [{ type: "urn:altinn:systemuser" }] } }))).toContain("MP-302")
      const once = await grantFor(h)
      expect((await postGrant(h, once)).status).toBe(200)
      expect(await refused(h, once)).toContain("MP-012")
    }))
})
