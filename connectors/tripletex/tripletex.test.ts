import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Redacted } from "effect"
import type { Dato } from "../../src/domain/Dato.ts"
import type { LedgerSourceError } from "../../src/reconcile/LedgerSource.ts"
import { parseSpec } from "../../src/reconcile/LedgerSourceRegistry.ts"
import { testHttp } from "../../test/support/http.ts"
import { type Books, generateBooks } from "../../test/support/tripletex/books.ts"
import { query, settingsFor, sourceFor, startChecked } from "../../test/support/tripletex/harness.ts"
import * as Tripletex from "./index.ts"

const periode = { fraOgMed: "2023-01-01" as Dato, tilOgMed: "2023-12-31" as Dato }

/** What the books say about one account: opening balance and the lines, in øre. */
const expected = (books: Books, account: string) => {
  const lines = [...books.transactions()].flatMap((t) =>
    t.lines.filter((l) => l.account === account).map((l) => ({ date: t.date, amount: l.amount as number, description: l.description ?? t.description }))
  )
  const opening = books.accounts.find((a) => a.id === account)?.opening ?? 0
  return { opening, lines, closing: lines.reduce((s, l) => s + l.amount, opening) }
}
const key = (e: { date: string; amount: number; description?: string | undefined }) => `${e.date}|${e.amount}|${e.description ?? ""}`

const failure = <A>(e: Effect.Effect<A, LedgerSourceError>) => Effect.flip(e)

describe("Tripletex ledger source against the fake", () => {
  it.scopedLive("reads accounts, opening balances and postings exactly, with one session", () =>
    Effect.gen(function*() {
      const { fake, contract } = yield* startChecked()
      const books = generateBooks({ seed: 7, vouchers: 120, periode })
      fake.loadBooks(1, books)
      const snap = yield* sourceFor(fake).read(query(["1920", "2740", "2600"]))
      expect(snap.system).toBe("tripletex")
      expect(snap.company).toEqual({ registrationNumber: "212201782", name: "Testbedrift AS" })
      expect(snap.rejected).toEqual([])
      for (const n of ["1920", "2740", "2600"]) {
        const want = expected(books, n)
        const acc = snap.accounts.find((a) => a.number === n)
        expect(acc).toMatchObject({ openingBalance: want.opening, closingBalance: want.closing })
        const got = snap.entries.filter((e) => e.account === n)
        expect(got.map(key).sort()).toEqual(want.lines.map(key).sort())
      }
      const e = snap.entries.find((x) => x.reference !== undefined)
      expect(e?.reference).toMatch(/^\d{10}$/)
      expect(snap.entries.find((x) => x.counterparty !== undefined)?.counterparty).toBe("Skatteetaten")
      expect(e?.voucher).toMatch(/^\d+-2023$/)
      expect(e?.link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/execute/voucher\\?voucherId=\\d+&contextId=1$`))
      expect(fake.stats.sessionsCreated).toBe(1)
      expect(contract.checked()).toBeGreaterThan(5)
      expect(contract.violations).toEqual([])
    }))

  it.scopedLive("pages through 25 000 postings; every one arrives exactly once", () =>
    Effect.gen(function*() {
      const { fake, contract } = yield* startChecked()
      const books = generateBooks({ seed: 42, vouchers: 25_000, periode })
      fake.loadBooks(1, books)
      const snap = yield* sourceFor(fake).read(query(["1920"]))
      expect(snap.entries.length).toBe(25_000)
      expect(new Set(snap.entries.map((e) => e.id)).size).toBe(25_000)
      const want = expected(books, "1920")
      expect(snap.entries.map(key).sort()).toEqual(want.lines.map(key).sort())
      expect(snap.accounts[0]?.closingBalance).toBe(want.closing)
      expect(snap.rejected).toEqual([])
      // 25 pages, then one more: fullResultSize is documented as not exact, so a full last page is followed up.
      expect(fake.stats.byPath["/ledger/posting"]).toBe(26)
      expect(contract.violations).toEqual([])
    }))

  it.scopedLive("keeps under the rate limit by reading X-Rate-Limit-*: no request is answered 429", () =>
    Effect.gen(function*() {
      const { fake, contract } = yield* startChecked({ rateLimit: { limit: 6, windowMillis: 1000 } })
      const books = generateBooks({ seed: 3, vouchers: 60, periode })
      fake.loadBooks(1, books)
      const snap = yield* sourceFor(fake, { pageSize: 10, concurrency: 3 }).read(query(["1920", "2740", "2600", "2500"]))
      expect(snap.entries.filter((e) => e.account === "1920").length).toBe(60)
      expect(snap.entries.length).toBe(120)
      expect(fake.stats.requests).toBeGreaterThan(12) // more than two windows' worth
      expect(fake.stats.byStatus[429]).toBeUndefined()
      expect(contract.violations).toEqual([])
    }))

  it.scopedLive("waits out a 429 and retries 5xx and dropped connections", () =>
    Effect.gen(function*() {
      const { fake, contract } = yield* startChecked()
      fake.loadBooks(1, generateBooks({ seed: 5, vouchers: 30, periode }))
      fake.setFaults({ tooManyRequests: 1, serverErrors: 2, unavailable: 1, dropConnections: 1 })
      const snap = yield* sourceFor(fake, { pageSize: 10 }).read(query(["1920"]))
      expect(snap.entries.length).toBe(30)
      expect(fake.stats.byStatus[429]).toBe(1)
      expect(fake.stats.byStatus[500]).toBe(2)
      expect(fake.stats.byStatus[503]).toBe(1)
      expect(contract.violations).toEqual([])
    }))

  it.scopedLive("re-creates a session that expires mid-run, transparently", () =>
    Effect.gen(function*() {
      const { fake, contract } = yield* startChecked({ sessionExpiry: { afterRequests: 4 } })
      const books = generateBooks({ seed: 9, vouchers: 200, periode })
      fake.loadBooks(1, books)
      const snap = yield* sourceFor(fake, { pageSize: 25, concurrency: 2 }).read(query(["1920", "2740"]))
      expect(snap.entries.filter((e) => e.account === "1920").length).toBe(200)
      expect(fake.stats.sessionsCreated).toBeGreaterThan(2)
      expect(fake.stats.byStatus[401]).toBeGreaterThan(0)
      expect(snap.rejected).toEqual([])
      expect(contract.violations).toEqual([])
    }))

  it.scopedLive("a refused employee token is an auth error naming the settings and the request id", () =>
    Effect.gen(function*() {
      const { fake, contract } = yield* startChecked()
      const e = yield* failure(sourceFor(fake, { employeeToken: Redacted.make("wrong") }).read(query(["2740"])))
      expect(e.kind).toBe("auth")
      expect(e.message).toMatch(/^Tripletex answered 403 \(code 9000\) on POST \/token\/session\/:create: Ugyldig employee token — Invalid employee token/)
      expect(e.message).toContain("KRAVSYNC_TRIPLETEX_EMPLOYEE_TOKEN")
      expect(e.message).toMatch(/\(request id [0-9a-f-]{36}\)$/)
      expect(e.location).toMatch(/^request id /)
      expect(e.message).not.toContain("wrong")
      expect(contract.violations).toEqual([])
    }))

  it.scopedLive("a session refused with 401 on every request fails once, clearly (no endless re-login)", () =>
    Effect.gen(function*() {
      const { fake } = yield* startChecked({ sessionExpiry: { afterRequests: 0 } })
      const e = yield* failure(sourceFor(fake).read(query(["2740"])))
      expect(e.kind).toBe("auth")
      expect(e.message).toMatch(
        /^Tripletex answered 401 \(code 3000\) on GET \/token\/session\/>whoAmI: Ugyldig eller utløpt sesjon — The session token has expired — the session was refused/
      )
      expect(e.message).toContain("request id")
      expect(fake.stats.sessionsCreated).toBe(2)
    }))

  it.scopedLive("persistent 5xx ends as a transport error with Tripletex's message and request id", () =>
    Effect.gen(function*() {
      const { fake } = yield* startChecked()
      fake.setFaults({ serverErrors: 1_000 })
      const e = yield* failure(sourceFor(fake, { retryBudget: "300 millis" }).read(query(["2740"])))
      expect(e.kind).toBe("transport")
      expect(e.message).toMatch(
        /^Tripletex answered 500 \(code 1000\) on GET \/token\/session\/>whoAmI: Det oppstod en uventet feil — Injected server error \(request id /
      )
    }))

  it.scopedLive("unreachable Tripletex is a transport error naming the host", () =>
    Effect.gen(function*() {
      const e = yield* failure(
        Tripletex.make(
          { ...settingsFor({ url: "http://127.0.0.1:9/v2", consumerToken: "c", employeeToken: "e" } as never), retryBudget: "200 millis" },
          {},
          testHttp
        ).read(query(["2740"]))
      )
      expect(e.kind).toBe("transport")
      expect(e.message).toContain("could not reach Tripletex at 127.0.0.1:9")
    }))

  it.scopedLive("a posting it cannot read goes to rejected with the reason, never dropped", () =>
    Effect.gen(function*() {
      const { fake, contract } = yield* startChecked()
      fake.loadBooks(1, generateBooks({ seed: 11, vouchers: 10, periode }))
      fake.addPosting(1, { account: 2740, date: "2023-05-05", amount: 12.345, description: "tre desimaler" })
      fake.addPosting(1, { account: 2740, date: "2023-05-06", amount: undefined, description: "uten beløp" })
      const snap = yield* sourceFor(fake).read(query(["2740"]))
      expect(snap.rejected).toHaveLength(3)
      expect(snap.rejected[0]).toMatchObject({ account: "2740", reason: "amount 12.345: more than two decimals" })
      expect(snap.rejected[0]?.location).toMatch(/^posting \d+, voucher \d+-2023$/)
      expect(snap.rejected[1]?.reason).toContain("no amount")
      expect(snap.rejected[1]?.raw).toContain("uten beløp")
      // Tripletex's own balance counts the 12.345 posting (as 12.34), so the account does not add up:
      expect(snap.rejected[2]).toMatchObject({ account: "2740", location: "account 2740 (balance sheet 2023-01-01–2023-12-31)" })
      expect(snap.rejected[2]?.reason).toMatch(/Tripletex's balance sheet says -?\d+\.\d\d; some postings are missing or unreadable/)
      expect(contract.violations).toEqual([])
    }))

  it.scopedLive("refuses another company's books unless forced", () =>
    Effect.gen(function*() {
      const { fake } = yield* startChecked()
      const e = yield* failure(sourceFor(fake).read(query(["2740"], "2023-01-01", "2023-12-31", "999999999")))
      expect(e.kind).toBe("wrong-company")
      expect(e.message).toContain("212201782 (Testbedrift AS), not 999999999")
      const forced = yield* sourceFor(fake, {}, { force: true }).read(query(["2740"], "2023-01-01", "2023-12-31", "999999999"))
      expect(forced.company.registrationNumber).toBe("212201782")
    }))

  it.scopedLive("an accountant reads a client company by id; a company without access lists those with access", () =>
    Effect.gen(function*() {
      const { fake, contract } = yield* startChecked({
        companies: [
          { id: 1, name: "Regnskapsbyrå AS", organizationNumber: "910000001" },
          { id: 2, name: "Klient AS", organizationNumber: "212201782" },
          { id: 3, name: "Annen AS", organizationNumber: "910000003" }
        ],
        employees: [{ token: "acc-token", employeeId: 5, companyId: 1, clients: [2] }]
      })
      const books = generateBooks({ seed: 2, vouchers: 20, periode })
      fake.loadBooks(2, books)
      const snap = yield* sourceFor(fake, { companyId: 2, employeeToken: Redacted.make("acc-token") }).read(query(["2740"]))
      expect(snap.company.name).toBe("Klient AS")
      expect(snap.accounts[0]?.openingBalance).toBe(expected(books, "2740").opening)
      expect(snap.entries[0]?.link).toContain("contextId=2")
      const e = yield* failure(sourceFor(fake, { companyId: 3, employeeToken: Redacted.make("acc-token") }).read(query(["2740"])))
      expect(e.kind).toBe("auth")
      expect(e.message).toContain("cannot read client company 3 (KRAVSYNC_TRIPLETEX_COMPANY_ID)")
      expect(e.message).toContain("companies the employee can act for: 2 Klient AS (212201782)")
      expect(contract.violations).toEqual([])
    }))

  it.scopedLive("dateTo is exclusive: postings on the period's last day are in, the next day's are out", () =>
    Effect.gen(function*() {
      const { fake } = yield* startChecked()
      fake.addPosting(1, { account: 2740, date: "2023-06-30", amount: -100, description: "siste dag" })
      fake.addPosting(1, { account: 2740, date: "2023-07-01", amount: -200, description: "dagen etter" })
      fake.addPosting(1, { account: 2740, date: "2023-01-01", amount: -50, description: "første dag" })
      fake.addPosting(1, { account: 2740, date: "2022-12-31", amount: -25, description: "før perioden" })
      const snap = yield* sourceFor(fake).read(query(["2740"], "2023-01-01", "2023-06-30"))
      expect(snap.entries.map((e) => e.description).sort()).toEqual(["første dag", "siste dag"])
      expect(snap.accounts[0]).toMatchObject({ openingBalance: -2500, closingBalance: -17500 })
    }))

  it.scopedLive("a closing balance the postings do not explain is reported, not hidden", () =>
    Effect.gen(function*() {
      const { fake } = yield* startChecked()
      fake.addPosting(1, { account: 2740, date: "2023-03-01", amount: -100, description: "ok" })
      fake.addPosting(1, { account: 2740, date: "2023-03-02", amount: 0.001, description: "rundet bort" })
      fake.addPosting(1, { account: 2740, date: "2023-03-03", amount: 0.004, description: "rundet bort" })
      const snap = yield* sourceFor(fake, {}, { force: true }).read(query(["2740"]))
      // 0.001 and 0.004 are rejected; the fake's balance rounds each to 0, so the balance agrees.
      expect(snap.rejected.map((r) => r.reason)).toEqual(["amount 0.001: more than two decimals", "amount 0.004: more than two decimals"])
    }))
})

describe("Tripletex settings and registration", () => {
  const env = (m: Record<string, string>) => Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(m))))

  it.effect("reads KRAVSYNC_TRIPLETEX_* with tokens redacted; production by default, test on request", () =>
    Effect.gen(function*() {
      const base = { KRAVSYNC_TRIPLETEX_CONSUMER_TOKEN: "ct-secret", KRAVSYNC_TRIPLETEX_EMPLOYEE_TOKEN: "et-secret" }
      const prod = yield* Tripletex.loadSettings().pipe(Effect.provide(env(base)))
      expect(prod.baseUrl).toBe("https://tripletex.no/v2")
      expect(prod.companyId).toBe(0)
      expect(Redacted.value(prod.consumerToken)).toBe("ct-secret")
      expect(JSON.stringify(prod)).not.toContain("secret")
      expect(String(prod.employeeToken)).not.toContain("secret")
      const test = yield* Tripletex.loadSettings().pipe(Effect.provide(env({ ...base, KRAVSYNC_TRIPLETEX_ENV: "test", KRAVSYNC_TRIPLETEX_COMPANY_ID: "42" })))
      expect(test).toMatchObject({ baseUrl: "https://api-test.tripletex.tech/v2", companyId: 42 })
      const explicit = yield* Tripletex.loadSettings().pipe(Effect.provide(env({ ...base, KRAVSYNC_TRIPLETEX_BASE_URL: "http://127.0.0.1:1234/v2/" })))
      expect(explicit.baseUrl).toBe("http://127.0.0.1:1234/v2")
    }))

  it.effect("a missing token or a bad company id is a config error naming the variable", () =>
    Effect.gen(function*() {
      const missing = yield* Effect.flip(Tripletex.loadSettings().pipe(Effect.provide(env({ KRAVSYNC_TRIPLETEX_CONSUMER_TOKEN: "x" }))))
      expect(missing.kind).toBe("config")
      expect(missing.message).toContain("KRAVSYNC_TRIPLETEX_EMPLOYEE_TOKEN")
      const bad = yield* Effect.flip(
        Tripletex.loadSettings().pipe(
          Effect.provide(env({ KRAVSYNC_TRIPLETEX_CONSUMER_TOKEN: "x", KRAVSYNC_TRIPLETEX_EMPLOYEE_TOKEN: "y", KRAVSYNC_TRIPLETEX_COMPANY_ID: "abc" }))
        )
      )
      expect(bad.message).toContain("KRAVSYNC_TRIPLETEX_COMPANY_ID")
    }))

  it.scopedLive("the registry entry reads `tripletex:ID` and the environment", () =>
    Effect.gen(function*() {
      const { fake } = yield* startChecked({
        companies: [
          { id: 1, name: "Byrå AS", organizationNumber: "910000001" },
          { id: 2, name: "Klient AS", organizationNumber: "212201782" }
        ]
      })
      fake.loadBooks(2, generateBooks({ seed: 1, vouchers: 5, periode }))
      const f = Tripletex.makeFactory(testHttp, { settings: settingsFor(fake) })
      expect(f.scheme).toBe("tripletex")
      const source = yield* f.make(parseSpec("tripletex:2"), { force: false })
      const snap = yield* source.read(query(["2740", "1920"]))
      expect(snap.company.name).toBe("Klient AS")
      const bad = yield* Effect.flip(f.make(parseSpec("tripletex:abc"), { force: false }))
      expect(bad.kind).toBe("config")
      const noEnv = yield* Effect.flip(Tripletex.makeFactory(testHttp).make(parseSpec("tripletex"), { force: false }).pipe(Effect.provide(env({}))))
      expect(noEnv.kind).toBe("config")
      expect(noEnv.message).toContain("KRAVSYNC_TRIPLETEX_CONSUMER_TOKEN")
    }))

  it.scopedLive("NOK numbers from the wire become exact øre (0.29 is 29, not 28.999…)", () =>
    Effect.gen(function*() {
      const { fake } = yield* startChecked()
      for (const [d, amount] of [["2023-02-01", -0.29], ["2023-02-02", 1234567.89], ["2023-02-03", 0.1], ["2023-02-04", -4321.5]] as const) {
        fake.addPosting(1, { account: 2740, date: d, amount, description: String(amount) })
      }
      const snap = yield* sourceFor(fake).read(query(["2740"]))
      expect(snap.entries.map((e) => e.amount)).toEqual([-29, 123456789, 10, -432150])
      expect(snap.accounts[0]?.closingBalance).toBe(-29 + 123456789 + 10 - 432150)
      expect(snap.rejected).toEqual([])
    }))
})
