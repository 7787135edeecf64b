/**
 * The service over real HTTP (test/service/harness.ts: the sandbox, the SAF-T connector, a fresh
 * libSQL store, Node's server on a loopback port). Every call goes through `Contract`
 * (test/service/contract.ts), which checks the answer against the service's own OpenAPI document;
 * the last test requires that every operation in the document was exercised.
 */
import { FetchHttpClient, HttpApiClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { KravsyncApi } from "../../src/service/Api.ts"
import { Contract, newAjv, type OpenApiDocument, operations } from "./contract.ts"
import { call, demoData, KEYS, settle, start, type Started } from "./harness.ts"

const REGNSKAP = "313367002"
const HANDEL = "310478717"
const BYGG = "311851381"

type Item = { kind: string; id: string; amount: number; disposition: string; signOff?: Record<string, unknown>; reopened?: Record<string, unknown> }
type FollowUp = { carryForward: { items: Array<Item>; known: number; followUp: number; reopened: number } }

let service: Started
let contract: Contract
let doc: OpenApiDocument
const ledgerRoot = mkdtempSync(join(tmpdir(), "kravsync-ledgers-"))

beforeAll(async () => {
  mkdirSync(join(ledgerRoot, "ledgers"))
  for (const p of [REGNSKAP, HANDEL, BYGG]) copyFileSync(join(demoData, "ledgers", `${p}.xml`), join(ledgerRoot, "ledgers", `${p}.xml`))
  // December's books with one line changed: voucher 2025-00112 (a stray VAT correction on 2740) booked 100 kr higher on both sides.
  const lines = readFileSync(join(demoData, "ledgers", `${REGNSKAP}.xml`), "utf8").split("\n")
  const changed = lines.map((l) => (l.includes("<n1:TransactionID>2025-00112</n1:TransactionID>") ? l.replaceAll("1409.47", "1509.47") : l))
  expect(changed.join("\n")).not.toBe(lines.join("\n"))
  writeFileSync(join(ledgerRoot, "ledgers", `${REGNSKAP}-desember.xml`), changed.join("\n"))
  service = await start(mkdtempSync(join(tmpdir(), "kravsync-service-")), { ledgerRoot, service: { maxBodyBytes: 64 * 1024 } })
  doc = (await call(service.url, "GET", "/openapi.json")).body as OpenApiDocument
  contract = new Contract(doc, service.url)
})
afterAll(async () => {
  await service?.close()
})

const startRun = async (key: string, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
  const r = await contract.call("POST", "/runs", { key, body, headers })
  expect(r.status, r.text).toBe(202)
  return (r.body as { run: { id: string }; created: boolean })
}

const followUp = async (key: string, id: string) => {
  const r = await contract.call("GET", "/runs/{id}/follow-up", { key, params: { id } })
  expect(r.status, r.text).toBe(200)
  return (r.body as FollowUp).carryForward
}

describe("kravsync serve", () => {
  it("publishes an OpenAPI 3.1 document that validates, and a /docs page that loads nothing from elsewhere", async () => {
    expect(doc.openapi).toBe("3.1.0")
    expect(doc.info.title).toBe("kravsync")
    const ajv = newAjv(doc)
    // every component schema compiles under JSON Schema 2020-12 (OpenAPI 3.1's dialect)
    for (const name of Object.keys(doc.components.schemas)) {
      expect(() => ajv.getSchema(`https://kravsync.invalid/openapi.json#/components/schemas/${name}`)).not.toThrow()
    }
    const ids = new Set<string>()
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1] ?? "")
    for (const r of refs) expect(doc.components.schemas, `$ref ${r}`).toHaveProperty([r])
    for (const { method, op, path } of operations(doc)) {
      expect(ids.has(op.operationId), `operationId ${op.operationId} twice`).toBe(false)
      ids.add(op.operationId)
      // every {param} of the path is a declared, required path parameter
      for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
        expect(op.parameters?.find((p) => p.in === "path" && p.name === name)?.required, `${method} ${path} {${name}}`).toBe(true)
      }
      for (const s of op.security ?? []) for (const scheme of Object.keys(s)) expect(doc.components.securitySchemes).toHaveProperty([scheme])
      for (const [status, res] of Object.entries(op.responses)) {
        expect(status).toMatch(/^[1-5]\d\d$/)
        for (const c of Object.values(res.content ?? {})) expect(() => contract.validator(c.schema)).not.toThrow()
      }
      for (const c of Object.values(op.requestBody?.content ?? {})) expect(() => contract.validator(c.schema)).not.toThrow()
    }
    expect(ids.size).toBeGreaterThanOrEqual(11)
    const page = await fetch(`${service.url}/docs`)
    expect(page.status).toBe(200)
    expect(page.headers.get("content-type")).toContain("text/html")
    const html = await page.text()
    expect(html).toContain("swagger-ui")
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="(https?:)?\/\//)
  })

  it("answers health and readiness without a key, and nothing else", async () => {
    expect((await contract.call("GET", "/health")).body).toMatchObject({ status: "ok" })
    expect((await contract.call("GET", "/ready")).body).toMatchObject({ status: "ready", store: expect.stringContaining("libSQL") })
    const none = await contract.call("GET", "/follow-up")
    expect(none.status).toBe(401)
    expect(none.body).toMatchObject({ _tag: "Unauthorized", category: "auth", exitCode: 4 })
    expect((await contract.call("GET", "/follow-up", { key: "ks_not_a_key" })).status).toBe(401)
    const viaHeader = await call(service.url, "GET", "/follow-up", undefined, undefined, { "x-api-key": KEYS.firm })
    expect(viaHeader.status).toBe(200)
  })

  let november = ""
  it("starts a reconciliation, reports its status, and serves the report with carry-forward and the workbook", async () => {
    const started = await startRun(KEYS.firm, { party: "313 367 002", ledger: "saft:ledgers/313367002.xml", asOf: "2025-11-30" })
    expect(started.created).toBe(true)
    november = started.run.id
    const done = await settle(service.url, KEYS.firm, november)
    expect(done).toMatchObject({
      state: "done",
      party: REGNSKAP,
      periode: { fraOgMed: "2025-01-01", tilOgMed: "2025-12-31" },
      summary: { conserved: true, needsAttention: true }
    })
    const status = await contract.call("GET", "/runs/{id}", { key: KEYS.firm, params: { id: november } })
    expect(status.status).toBe(200)
    const report = await contract.call("GET", "/runs/{id}/report", { key: KEYS.firm, params: { id: november } })
    expect(report.status).toBe(200)
    const r = report.body as { metadata: { party: string; asOf: string }; totals: { conserved: boolean }; carryForward: { followUp: number; known: number } }
    expect(r.metadata).toMatchObject({ party: REGNSKAP, asOf: "2025-11-30" })
    expect(r.carryForward.followUp).toBeGreaterThan(0)
    expect(r.carryForward.known).toBe(0)
    const wb = await contract.call("GET", "/runs/{id}/workbook", { key: KEYS.firm, params: { id: november } })
    expect(wb.status).toBe(200)
    expect(wb.headers.get("content-type")).toContain("spreadsheetml")
    expect((wb.body as Buffer).subarray(0, 2).toString("latin1")).toBe("PK")
  })

  it("a reconciliation started twice at once runs once; an Idempotency-Key answers with the same run", async () => {
    const body = { party: HANDEL, ledger: "saft:ledgers/310478717.xml", asOf: "2025-12-31" }
    const [a, b] = await Promise.all([startRun(KEYS.firm, body), startRun(KEYS.firm, body)])
    expect(a.run.id).toBe(b.run.id)
    expect([a.created, b.created].sort()).toEqual([false, true])
    await settle(service.url, KEYS.firm, a.run.id)
    const first = await startRun(KEYS.firm, body, { "idempotency-key": "handel-desember-1" })
    expect(first.created).toBe(true)
    await settle(service.url, KEYS.firm, first.run.id)
    const again = await startRun(KEYS.firm, body, { "idempotency-key": "handel-desember-1" })
    expect(again).toMatchObject({ created: false, run: { id: first.run.id, state: "done" } })
  })

  it("every run shares the one client's gate: never more than 5 calls to Skatteetaten in flight", async () => {
    const started = await Promise.all(
      [REGNSKAP, HANDEL].flatMap((party) =>
        ["2025-08-31", "2025-09-30", "2025-10-31"].map((asOf) => startRun(KEYS.firm, { party, ledger: `saft:ledgers/${party}.xml`, asOf }))
      )
    )
    for (const s of started) expect(await settle(service.url, KEYS.firm, s.run.id)).toMatchObject({ state: "done" })
    expect(service.peakInFlight()).toBeGreaterThan(0)
    expect(service.peakInFlight()).toBeLessThanOrEqual(5)
  })

  it("a sign-off carries forward to the next month's run, and a changed amount reopens the item", async () => {
    const before = await followUp(KEYS.firm, november)
    const signed = await contract.call("POST", "/runs/{id}/sign-offs", {
      key: KEYS.firm,
      params: { id: november },
      body: { signedBy: "Kari Regnskapsfører", comment: "Forklart i november: bokføres i desember" }
    })
    expect(signed.status, signed.text).toBe(201)
    expect(signed.body).toMatchObject({ scope: "run" })
    expect((signed.body as { signOffs: Array<unknown> }).signOffs).toHaveLength(before.items.length)
    const noted = await contract.call("POST", "/runs/{id}/comments", {
      key: KEYS.firm,
      params: { id: november },
      body: { author: "Kari", text: "Klage sendt Skatteetaten" }
    })
    expect(noted.status).toBe(201)
    expect((await contract.call("GET", "/runs/{id}", { key: KEYS.firm, params: { id: november } })).body).toMatchObject({
      comments: [{ text: "Klage sendt Skatteetaten" }]
    })

    // December, same books: what was signed off in November at the same amount is a known difference
    const dec = await startRun(KEYS.firm, { party: REGNSKAP, ledger: "saft:ledgers/313367002.xml", asOf: "2025-12-31" })
    await settle(service.url, KEYS.firm, dec.run.id)
    const december = await followUp(KEYS.firm, dec.run.id)
    const signedBefore = new Map(before.items.map((i) => [`${i.kind} ${i.id}`, i.amount]))
    let known = 0
    for (const i of december.items) {
      const same = signedBefore.get(`${i.kind} ${i.id}`) === i.amount
      expect(i.disposition, `${i.kind} ${i.id}`).toBe(same ? "kjent-avvik" : "folg-opp")
      if (same) {
        known++
        expect(i.signOff).toMatchObject({ signedBy: "Kari Regnskapsfører", comment: "Forklart i november: bokføres i desember", runId: november })
      }
    }
    expect(known).toBeGreaterThan(0)
    expect(december.known).toBe(known)
    const stray = december.items.find((i) => i.kind === "bilagslinje" && i.id === "2025-00112-2")
    expect(stray?.disposition).toBe("kjent-avvik")

    // December with the stray line booked 100 kr higher: that item reopens, the rest stay known
    const changed = await startRun(KEYS.firm, { party: REGNSKAP, ledger: "saft:ledgers/313367002-desember.xml", asOf: "2025-12-31" })
    await settle(service.url, KEYS.firm, changed.run.id)
    const reopened = await followUp(KEYS.firm, changed.run.id)
    const line = reopened.items.find((i) => i.kind === "bilagslinje" && i.id === "2025-00112-2")
    expect(line).toMatchObject({
      disposition: "folg-opp",
      amount: -150947,
      reopened: { signedOffAmount: -140947, signOff: { signedBy: "Kari Regnskapsfører" } }
    })
    expect(reopened.reopened).toBe(1)
    expect(reopened.known).toBe(known - 1)

    // one item signed off by itself; the portfolio list shows what is still open
    const one = await contract.call("POST", "/runs/{id}/sign-offs", {
      key: KEYS.firm,
      params: { id: changed.run.id },
      body: { signedBy: "Ola", comment: "Ny korrigering, avklart", items: [{ kind: "bilagslinje", id: "2025-00112-2" }] }
    })
    expect(one.status).toBe(201)
    expect(one.body).toMatchObject({ scope: "item", signOffs: [{ itemId: "2025-00112-2", amount: -150947, signedBy: "Ola" }] })
    const history = await contract.call("GET", "/parties/{party}/runs", { key: KEYS.firm, params: { party: REGNSKAP } })
    expect(history.status).toBe(200)
    const h = history.body as { runs: Array<{ id: string }>; signOffs: Array<unknown> }
    expect(h.runs.map((x) => x.id).slice(0, 2)).toEqual([changed.run.id, dec.run.id])
    expect(h.runs.map((x) => x.id)).toContain(november)
    expect(h.signOffs).toHaveLength(before.items.length + 1)
    const open = await contract.call("GET", "/follow-up", { key: KEYS.firm })
    const all = await contract.call("GET", "/follow-up", { key: KEYS.firm, query: "?include=all" })
    const regnskap = (x: unknown) => (x as { parties: Array<{ party: string; items: Array<Item> }> }).parties.find((p) => p.party === REGNSKAP)
    expect(regnskap(open.body)?.items.every((i) => i.disposition === "folg-opp")).toBe(true)
    expect(regnskap(all.body)?.items.filter((i) => i.disposition === "kjent-avvik")).toHaveLength(known)
  })

  it("a key not scoped to a party gets 403 or 404 for its data and never sees it in a list", async () => {
    const bygg = await startRun(KEYS.other, { party: BYGG, ledger: "saft:ledgers/311851381.xml", asOf: "2025-12-31" })
    await settle(service.url, KEYS.other, bygg.run.id)
    const id = bygg.run.id
    for (const path of ["/runs/{id}", "/runs/{id}/report", "/runs/{id}/workbook", "/runs/{id}/follow-up"]) {
      const r = await contract.call("GET", path, { key: KEYS.firm, params: { id } })
      expect(r.status, path).toBe(404)
      expect(r.body).toMatchObject({ _tag: "NotFound", category: "input", exitCode: 2 })
      expect(r.text).not.toContain(BYGG)
    }
    expect((await contract.call("POST", "/runs/{id}/sign-offs", { key: KEYS.firm, params: { id }, body: { signedBy: "x", comment: "y" } })).status).toBe(404)
    expect((await contract.call("POST", "/runs/{id}/comments", { key: KEYS.firm, params: { id }, body: { author: "x", text: "y" } })).status).toBe(404)
    const refused = await contract.call("POST", "/runs", { key: KEYS.firm, body: { party: BYGG, ledger: "saft:ledgers/311851381.xml" } })
    expect(refused.status).toBe(403)
    expect(refused.body).toMatchObject({ _tag: "Forbidden", field: "party", exitCode: 4 })
    expect((await contract.call("GET", "/parties/{party}/runs", { key: KEYS.firm, params: { party: BYGG } })).status).toBe(403)
    const firmList = await contract.call("GET", "/follow-up", { key: KEYS.firm, query: "?include=all" })
    expect(firmList.text).not.toContain(BYGG)
    const otherList = await contract.call("GET", "/follow-up", { key: KEYS.other, query: "?include=all" })
    expect(otherList.text).not.toContain(REGNSKAP)
    expect(otherList.text).not.toContain(HANDEL)
    expect((await contract.call("GET", "/runs/{id}", { key: KEYS.other, params: { id: november } })).status).toBe(404)
    // a key for every party sees both
    const admin = await contract.call("GET", "/follow-up", { key: KEYS.admin, query: "?include=all" })
    expect(admin.text).toContain(REGNSKAP)
    expect(admin.text).toContain(BYGG)
  })

  it("errors are JSON with the CLI's category and exit code, naming the field", async () => {
    const bad = async (body: unknown, field: string) => {
      const r = await contract.call("POST", "/runs", { key: KEYS.firm, body })
      expect(r.status, r.text).toBe(400)
      expect(r.body).toMatchObject({ _tag: "InvalidInput", category: "input", exitCode: 2, field })
      return r.body as { message: string }
    }
    expect((await bad({ party: "123", ledger: "saft:ledgers/313367002.xml" }, "party")).message).toMatch(/9|11/)
    await bad({ party: REGNSKAP, ledger: "saft:ledgers/313367002.xml", asOf: "31.02.2025" }, "asOf")
    await bad({ party: REGNSKAP, ledger: "saft:ledgers/313367002.xml", fra: "2024-01-01" }, "fra")
    await bad({ party: REGNSKAP, ledger: "saft:../ledgers/313367002.xml" }, "ledger")
    await bad({ party: REGNSKAP, ledger: "saft:/etc/passwd" }, "ledger")
    await bad({ party: REGNSKAP, ledger: "tripletex" }, "ledger")
    await bad({ party: REGNSKAP, ledger: "saft:ledgers/missing.xml" }, "ledger")
    await bad({ party: 313367002, ledger: "saft:x.xml" }, "party")
    await bad({ party: REGNSKAP, ledger: "saft:ledgers/313367002.xml", mapping: { kravgrupper: 5 } }, expect.stringMatching(/^mapping/) as unknown as string)
    const big = await contract.call("POST", "/runs", { key: KEYS.firm, body: { party: REGNSKAP, ledger: "x".repeat(70_000) } })
    expect(big.status).toBe(413)
    expect(big.body).toMatchObject({ _tag: "PayloadTooLarge", exitCode: 2 })
    const nowhere = await call(service.url, "GET", "/no/such/path", KEYS.firm)
    expect(nowhere.status).toBe(404)
    expect(nowhere.body).toMatchObject({ _tag: "NotFound", category: "input", exitCode: 2 })
    // another company's books: the run fails as invalid input, and has no report
    const wrong = await startRun(KEYS.firm, { party: HANDEL, ledger: "saft:ledgers/313367002.xml", asOf: "2025-06-30" })
    const failed = await settle(service.url, KEYS.firm, wrong.run.id)
    expect(failed).toMatchObject({ state: "failed", error: { category: "input", exitCode: 2 } })
    const none = await contract.call("GET", "/runs/{id}/report", { key: KEYS.firm, params: { id: wrong.run.id } })
    expect(none.status).toBe(409)
    expect(none.body).toMatchObject({ _tag: "NotReady" })
    const unsigned = await contract.call("POST", "/runs/{id}/sign-offs", {
      key: KEYS.firm,
      params: { id: november },
      body: { signedBy: "Kari", comment: "x", items: [{ kind: "kravforfall", id: "no-such-item" }] }
    })
    expect(unsigned.status).toBe(400)
    expect(unsigned.body).toMatchObject({ field: "items[0]" })
  })

  it("a client derived from the same HttpApi definition calls it", async () => {
    const result = await Effect.runPromise(
      Effect.gen(function*() {
        const client = yield* HttpApiClient.make(KravsyncApi, {
          baseUrl: service.url,
          transformClient: HttpClient.mapRequest(HttpClientRequest.bearerToken(KEYS.firm))
        })
        const health = yield* client.system.health()
        const run = yield* client.runs.getRun({ path: { id: november } })
        const history = yield* client.parties.history({ path: { party: REGNSKAP }, urlParams: {} })
        const denied = yield* Effect.flip(client.parties.history({ path: { party: BYGG }, urlParams: {} }))
        return { health, run, history, denied }
      }).pipe(Effect.provide(FetchHttpClient.layer))
    )
    expect(result.health.status).toBe("ok")
    expect(result.run).toMatchObject({ id: november, state: "done" })
    expect(result.history.runs.length).toBeGreaterThanOrEqual(3)
    expect(result.denied).toMatchObject({ _tag: "Forbidden", exitCode: 4 })
  })

  it("exercised every operation in the document, and no answer carried a credential", () => {
    expect([...contract.exercised].sort()).toEqual(operations(doc).map((o) => o.op.operationId).sort())
    for (const text of contract.seen) for (const s of service.secrets) expect(text.includes(s)).toBe(false)
  })
})
