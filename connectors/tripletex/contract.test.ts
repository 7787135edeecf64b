/**
 * The contract check itself: it must catch drift (a test that cannot fail is a defect), and every
 * operation the fake serves must have been held against the spec.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import type { Dato } from "../../src/domain/Dato.ts"
import { generateBooks } from "../../test/support/tripletex/books.ts"
import type { Exchange } from "../../test/support/tripletex/contract.ts"
import { contract, query, sourceFor, startChecked } from "../../test/support/tripletex/harness.ts"
import { fields } from "./index.ts"

const posting = { id: 1, date: "2023-01-02", amount: -100.5, account: { id: 2, number: 2740 }, voucher: { id: 3, number: 1, year: 2023 } }
const ok: Exchange = {
  method: "GET",
  path: "/ledger/posting",
  query: [["dateFrom", "2023-01-01"], ["dateTo", "2024-01-01"], ["accountId", "2"], ["from", "0"], ["count", "1000"], ["fields", fields.posting]],
  status: 200,
  responseBody: { fullResultSize: 1, from: 0, count: 1, versionDigest: "x", values: [posting] }
}
const problems = (x: Partial<Exchange>) => contract().check({ ...ok, ...x }).map((v) => v.problem)

describe("contract check against Tripletex's OpenAPI spec (v2.74)", () => {
  it("accepts a conforming exchange", () => {
    expect(contract().specVersion).toBe("2.74.00")
    expect(problems({})).toEqual([])
  })

  it("catches a wrong type, an unknown property and a bad envelope", () => {
    expect(problems({ responseBody: { ...(ok.responseBody as object), values: [{ ...posting, amount: "-100.50" }] } }).join()).toMatch(/amount.*must be number/)
    expect(problems({ responseBody: { ...(ok.responseBody as object), values: [{ ...posting, kid: "123" }] } }).join()).toMatch(
      /must NOT have additional properties/
    )
    expect(problems({ responseBody: { value: posting } }).join()).toMatch(/must NOT have additional properties/)
    expect(problems({ responseBody: { ...(ok.responseBody as object), values: [{ ...posting, id: 1.5 }] } }).join()).toMatch(
      /id.*must pass "int64"|must be integer/
    )
  })

  it("catches undeclared or missing query parameters, bad values and unknown fields", () => {
    expect(problems({ query: ok.query.filter(([k]) => k !== "dateTo") })).toEqual(["required query parameter dateTo is missing"])
    expect(problems({ query: [...ok.query, ["accountNumber", "2740"]] })).toEqual(["query parameter accountNumber is not declared"])
    expect(problems({ query: ok.query.map(([k, v]) => (k === "accountId" ? [k, "2740a"] : [k, v])) })).toEqual([
      "query parameter accountId=\"2740a\" is not an integer"
    ])
    expect(problems({ query: ok.query.map(([k, v]) => (k === "fields" ? [k, "id,kid,voucher(number,bilag)"] : [k, v])) })).toEqual([
      "fields: \"kid\" is not a property of Posting",
      "fields: \"voucher.bilag\" is not a property of Voucher"
    ])
  })

  it("holds error bodies to ApiError and rejects operations the spec does not have", () => {
    expect(problems({ status: 401, responseBody: { status: 401, code: 3000, message: "x", requestId: "r" } })).toEqual([])
    expect(problems({ status: 401, responseBody: { status: "401", error: "x" } }).join()).toMatch(/status.*must be integer|must NOT have additional/)
    expect(problems({ path: "/ledger/postings" })).toEqual(["no such operation in the spec"])
    expect(problems({ method: "DELETE" })).toEqual(["no such operation in the spec"])
  })

  it("the POST session body is checked too", () => {
    const session: Exchange = {
      method: "POST",
      path: "/token/session/:create",
      query: [],
      requestBody: { consumerToken: "c", employeeToken: "e", expirationDate: "2030-01-01" },
      status: 201,
      responseBody: { value: { token: "t", expirationDate: "2030-01-01" } }
    }
    expect(contract().check(session)).toEqual([])
    expect(contract().check({ ...session, requestBody: { consumer: "c" } }).map((v) => v.problem).join()).toMatch(/request body: .*additional properties/)
  })

  it.scopedLive("every operation the connector uses was exercised against the fake and conforms", () =>
    Effect.gen(function*() {
      const seen = new Set<string>()
      const { fake, contract: c } = yield* startChecked({
        companies: [
          { id: 1, name: "Byrå AS", organizationNumber: "910000001" },
          { id: 2, name: "Klient AS", organizationNumber: "212201782" }
        ],
        employees: [{ token: "acc", employeeId: 5, companyId: 1, clients: [2] }],
        onExchange: (x) => void seen.add(`${x.method} ${x.path.replace(/^\/company\/\d+$/, "/company/{id}")} ${x.status}`)
      })
      const periode = { fraOgMed: "2023-01-01" as Dato, tilOgMed: "2023-12-31" as Dato }
      fake.loadBooks(1, generateBooks({ seed: 1, vouchers: 10, periode, company: { registrationNumber: "910000001", name: "Byrå AS" } }))
      fake.loadBooks(2, generateBooks({ seed: 2, vouchers: 10, periode }))
      const own = yield* sourceFor(fake, { employeeToken: Redacted.make("acc") }).read(query(["2740", "1920"], "2023-01-01", "2023-12-31", "910000001"))
      const client = yield* sourceFor(fake, { employeeToken: Redacted.make("acc"), companyId: 2 }).read(query([]))
      expect(own.entries.length + client.entries.length).toBeGreaterThan(0)
      yield* Effect.flip(sourceFor(fake, { employeeToken: Redacted.make("acc"), companyId: 3 }).read(query(["2740"])))
      expect([...seen].sort()).toEqual([
        "GET /balanceSheet 200",
        "GET /company/>withLoginAccess 200",
        "GET /company/{id} 200",
        "GET /company/{id} 403",
        "GET /ledger/account 200",
        "GET /ledger/posting 200",
        "GET /token/session/>whoAmI 200",
        "POST /token/session/:create 201"
      ])
      expect(c.violations).toEqual([])
    }))
})
