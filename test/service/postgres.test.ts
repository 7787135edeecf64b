/**
 * The service on PostgreSQL (KRAVSYNC_DATABASE_URL's store) over real HTTP: a reconciliation, its
 * report, a sign-off carried to the next run. Skipped with a notice when PostgreSQL is unreachable
 * (test/store/databases.ts); the store's own suite covers the rest on both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import { tmpdir } from "node:os"
import { pgReachable, postgres } from "../store/databases.ts"
import { call, KEYS, settle, start, type Started } from "./harness.ts"

const reachable = await pgReachable()
const scope = Effect.runSync(Scope.make())
let service: Started | undefined

beforeAll(async () => {
  if (!reachable) return
  const database = await Effect.runPromise(Scope.extend(postgres.fresh, scope))
  service = await start(tmpdir(), { database })
})
afterAll(async () => {
  await service?.close()
  await Effect.runPromise(Scope.close(scope, Exit.void))
})

describe.skipIf(!reachable)("kravsync serve on PostgreSQL", () => {
  it("runs, stores and serves a reconciliation, and carries a sign-off to the next run", async () => {
    const s = service!
    expect((await call(s.url, "GET", "/ready")).body).toMatchObject({ store: expect.stringContaining("PostgreSQL") })
    const run = async (asOf: string) => {
      const r = await call(s.url, "POST", "/runs", KEYS.firm, { party: "313367002", ledger: "saft:ledgers/313367002.xml", asOf })
      expect(r.status, r.text).toBe(202)
      const id = (r.body as { run: { id: string } }).run.id
      expect(await settle(s.url, KEYS.firm, id)).toMatchObject({ state: "done" })
      return id
    }
    const first = await run("2025-11-30")
    const report = await call(s.url, "GET", `/runs/${first}/report`, KEYS.firm)
    expect(report.status).toBe(200)
    expect((report.body as { metadata: { party: string } }).metadata.party).toBe("313367002")
    const signed = await call(s.url, "POST", `/runs/${first}/sign-offs`, KEYS.firm, { signedBy: "Kari", comment: "Forklart" })
    expect(signed.status).toBe(201)
    const second = await run("2025-12-31")
    const items = ((await call(s.url, "GET", `/runs/${second}/follow-up`, KEYS.firm)).body as { carryForward: { known: number } }).carryForward
    expect(items.known).toBeGreaterThan(0)
  })
})
