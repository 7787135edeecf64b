import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Redacted } from "effect"
import { Schema } from "effect"
import { mkdtempSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Data from "../../sandbox/Data.ts"
import { demoPeriode, mirrorBooks } from "../../sandbox/demo/mirror.ts"
import { generateParty, profiles } from "../../sandbox/Generate.ts"
import * as SaftWriter from "../../sandbox/saft/SaftWriter.ts"
import { DEFAULT_TODAY } from "../../sandbox/Simulator.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import { AapneKrav, Innbetalinger, KravListe } from "../../src/domain/Dokumenter.ts"
import type { LedgerQuery, LedgerSnapshot } from "../../src/reconcile/LedgerSource.ts"
import * as Mapping from "../../src/reconcile/mapping/AccountMapping.ts"
import { reconcile } from "../../src/reconcile/reconcile.ts"
import { makeContract } from "../../test/support/fiken/contract.ts"
import * as FakeFiken from "../../test/support/fiken/FakeFiken.ts"
import { testHttp } from "../../test/support/http.ts"
import { generateBooks } from "../../test/support/tripletex/books.ts"
import * as Saft from "../saft/index.ts"
import { type FikenAuth, fileStore, login, make, oauth2, personal } from "./index.ts"

const periode = { fraOgMed: "2023-01-01" as Dato, tilOgMed: "2023-12-31" as Dato }
const company = { registrationNumber: "212201782", name: "Fiken Test AS" }
const query = (accounts: ReadonlyArray<string>, p = periode, part = "212201782"): LedgerQuery => ({
  company: part as LedgerQuery["company"],
  periode: p,
  accounts
})
const fast = { baseDelay: "10 millis", maxDelay: "200 millis", budget: "20 seconds" } as const

/** A fake with the contract check on every body, and a source for it. */
const setup = (books: FakeFiken.FakeFikenOptions["books"], o: Partial<FakeFiken.FakeFikenOptions> = {}) =>
  Effect.gen(function*() {
    const contract = makeContract()
    const fake = yield* FakeFiken.start({ books, personalTokens: ["personal-1"], onBody: contract.check, ...o })
    return { fake, contract }
  })

const source = (fake: FakeFiken.FakeFiken, auth: Effect.Effect<FikenAuth, never, never> = Effect.succeed(personal(Redacted.make("personal-1"))), rps = 4) =>
  make({ baseUrl: fake.apiUrl, company: fake.slug, requestsPerSecond: rps, retry: fast }, auth, testHttp)

describe("Fiken ledger source against the fake Fiken", () => {
  it.scopedLive("reads 25,000 lines over 125 pages, each exactly once, with no request refused for concurrency or rate", () =>
    Effect.gen(function*() {
      const books = generateBooks({ seed: 7, vouchers: 12_500, periode, company, taxAccounts: ["2740", "2600"], bankAccount: "2770" })
      const { fake, contract } = yield* setup(books, { maxPerSecond: 60 })
      const snap = yield* source(fake, undefined, 50).read(query(["2740", "2600", "2770"]))
      expect(snap.entries).toHaveLength(25_000)
      expect(new Set(snap.entries.map((e) => e.id)).size).toBe(25_000)
      expect(fake.stats.rejectedConcurrency + fake.stats.rejectedRate).toBe(0)
      expect(fake.stats.requestIds.size).toBe(fake.stats.requests) // an X-Request-ID on every request
      expect(contract.violations).toEqual([])
    }))

  it.scopedLive("keeps to Fiken's default of about 4 requests a second and one at a time", () =>
    Effect.gen(function*() {
      const books = generateBooks({ seed: 3, vouchers: 600, periode, company })
      const { fake, contract } = yield* setup(books)
      const snap = yield* source(fake).read(query(["2740", "2600", "2500"]))
      expect(snap.entries).toHaveLength(600)
      // companies, accounts, balances, 6 pages of journal entries: twice Fiken's per-second allowance. A slow
      // answer on a loaded machine may be retried, so the count is a floor, not an exact number; the rule
      // itself — never two in flight, never over the rate — is what the fake counts as rejections.
      expect(fake.stats.requests).toBeGreaterThanOrEqual(9)
      expect(fake.stats.rejectedConcurrency + fake.stats.rejectedRate).toBe(0)
      expect(contract.violations).toEqual([])
    }))

  it.scopedLive("an OAuth2 access token that expires mid-run is refreshed, and the new refresh token is stored (0600)", () =>
    Effect.gen(function*() {
      const books = generateBooks({ seed: 5, vouchers: 1_500, periode, company })
      const { fake } = yield* setup(books, { oauthClient: { id: "app", secret: "s3cret" }, accessTokenTtlMs: 1_500 })
      const dir = mkdtempSync(join(tmpdir(), "kravsync-fiken-"))
      const store = fileStore(join(dir, "fiken.json"))
      const client = { clientId: "app", clientSecret: Redacted.make("s3cret"), tokenUrl: fake.tokenUrl }
      // the user's login: Fiken's consent page redirects to our loopback URI with a code
      yield* login({
        client,
        authorizeUrl: "http://consent.invalid/authorize",
        store,
        onAuthorizeUrl: (url) =>
          Effect.promise(() =>
            fetch(`${new URL(url).searchParams.get("redirect_uri")}?code=${fake.authorizationCode()}&state=${new URL(url).searchParams.get("state")}`).then(
              () => undefined
            )
          )
      })
      expect(statSync(join(dir, "fiken.json")).mode & 0o777).toBe(0o600)
      const snap = yield* make({ baseUrl: fake.apiUrl, company: fake.slug, requestsPerSecond: 8, retry: fast }, oauth2(client, store), testHttp).read(
        query(["2740", "2600", "2500"])
      )
      expect(snap.entries).toHaveLength(1_500)
      expect(fake.stats.refreshes).toBeGreaterThanOrEqual(2) // the first token from the stored login, then at least one mid-run
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("token problems are errors that say what to do, and never show the token", () =>
    Effect.gen(function*() {
      const { fake } = yield* setup(generateBooks({ seed: 1, vouchers: 10, periode, company }), { oauthClient: { id: "app", secret: "s3cret" } })
      const wrong = yield* Effect.flip(source(fake, Effect.succeed(personal(Redacted.make("not-my-token")))).read(query(["2740"])))
      expect([wrong.kind, wrong.message]).toEqual(["auth", expect.stringContaining("Fiken refused the token")])
      expect(wrong.message).not.toContain("not-my-token")
      const dir = mkdtempSync(join(tmpdir(), "kravsync-fiken-"))
      const client = { clientId: "app", clientSecret: Redacted.make("s3cret"), tokenUrl: fake.tokenUrl }
      const none = yield* Effect.flip(
        make({ baseUrl: fake.apiUrl, company: fake.slug, retry: fast }, oauth2(client, fileStore(join(dir, "none.json"))), testHttp).read(query(["2740"]))
      )
      expect(none.message).toContain("run `kravsync fiken login`")
      const stale = fileStore(join(dir, "stale.json"))
      yield* stale.save(Redacted.make("rt-revoked"))
      const revoked = yield* Effect.flip(make({ baseUrl: fake.apiUrl, company: fake.slug, retry: fast }, oauth2(client, stale), testHttp).read(query(["2740"])))
      expect(revoked.message).toContain("refresh token has expired or was revoked")
    }))

  it.scopedLive("the company is found by organisation number; another company's books are refused", () =>
    Effect.gen(function*() {
      const { fake } = yield* setup(generateBooks({ seed: 2, vouchers: 20, periode, company }))
      const byOrgnr = yield* make({ baseUrl: fake.apiUrl, company: "212201782", retry: fast }, Effect.succeed(personal(Redacted.make("personal-1"))), testHttp)
        .read(query(["2740"]))
      expect(byOrgnr.company.registrationNumber).toBe("212201782")
      const other = yield* Effect.flip(source(fake).read(query(["2740"], periode, "313367002")))
      expect(other.kind).toBe("wrong-company")
    }))

  it.scopedLive("5xx answers are retried; a line without a whole-øre amount is set aside, not dropped", () =>
    Effect.gen(function*() {
      const { fake } = yield* setup(generateBooks({ seed: 4, vouchers: 30, periode, company }))
      fake.failNext(3)
      const snap = yield* source(fake, undefined, 20).read(query(["2740", "2600", "2500"]))
      expect(snap.entries).toHaveLength(30)
    }))

  it.scopedLive("a line with no account is rejected with its place and reason (in English and bokmål), never dropped", () =>
    Effect.gen(function*() {
      const books = generateBooks({ seed: 5, vouchers: 10, periode, company })
      // The third voucher's first line loses its account, as a hand-edited import might send it.
      const broken: typeof books = {
        ...books,
        transactions: function*() {
          let i = 0
          for (const tx of books.transactions()) {
            yield i++ === 2 ? { ...tx, lines: tx.lines.map((l, j) => (j === 0 ? { ...l, account: "" } : l)) } : tx
          }
        }
      }
      const { fake } = yield* setup(broken)
      const snap = yield* source(fake, undefined, 20).read(query(["2740", "2600", "2500"]))
      expect(snap.rejected).toHaveLength(1)
      expect(snap.rejected[0]).toMatchObject({ location: "journal entry 1002 line 1", reasonNb: "linjen har ingen konto" })
      expect(snap.rejected[0]?.reason).toContain("no account")
      expect(snap.entries).toHaveLength(9)
    }))

  it("the contract check catches a response that drifts from Fiken's spec", () => {
    const contract = makeContract()
    contract.check("/companies/{companySlug}/journalEntries", [{
      journalEntryId: 1,
      description: "x",
      date: "2023-01-01",
      lines: [{ amount: 1.5, account: "2740" }]
    }])
    contract.check("/companies", [{ slug: "a", organisationNumber: "misspelt" }])
    expect(contract.violations).toHaveLength(2)
  })
})

describe("the same books through Fiken and through a SAF-T file", () => {
  it.scopedLive("give the same ledger and the same reconciliation", () =>
    Effect.gen(function*() {
      const part = "313367002"
      const party = generateParty(part, profiles[part]!, { seed: 1, today: DEFAULT_TODAY })
      const books = mirrorBooks(party, { perturb: true })
      const path = join(mkdtempSync(join(tmpdir(), "kravsync-fiken-saft-")), "books.xml")
      yield* Effect.promise(() => SaftWriter.writeSaft(books, path))
      const { fake, contract } = yield* setup(books, { maxPerSecond: 60 })
      const p = demoPeriode()
      const q = query(Mapping.accounts(Mapping.standard), p, part)
      const viaFiken = yield* source(fake, undefined, 50).read(q)
      const viaSaft = yield* Saft.make({ path }).read(q)
      const comparable = (s: LedgerSnapshot) => ({
        accounts: s.accounts.map((a) => [a.number, a.openingBalance]),
        entries: s.entries.map((e) => [e.date, e.account, e.amount]).sort()
      })
      expect(comparable(viaFiken)).toEqual(comparable(viaSaft))
      // the reconciliations agree item for item
      const src = Data.builtIn({ seed: 1, today: DEFAULT_TODAY }).get(part)!
      const doc = <A, I>(schema: Schema.Schema<A, I>, body: unknown) => Schema.decodeUnknownSync(schema)(body)
      const innbetalinger = Data.answer(src, "innbetalinger", { fraOgMed: "2026-01-01", tilOgMed: p.tilOgMed } as never, DEFAULT_TODAY)
      const input = {
        party: part,
        periode: p,
        asOf: p.tilOgMed,
        aapneKrav: doc(AapneKrav, Data.computeAapneKrav(src, DEFAULT_TODAY)),
        krav: doc(KravListe, { partIdentifikator: part, krav: src.krav }),
        innbetalinger: innbetalinger._tag === "Document" ? doc(Innbetalinger, { partIdentifikator: part, innbetaling: src.innbetalinger }) : undefined,
        mapping: Mapping.standard,
        generatedAt: "test",
        kravsyncVersion: "test"
      }
      const a = reconcile({ ...input, ledger: viaFiken })
      const b = reconcile({ ...input, ledger: viaSaft })
      expect(a.totals).toEqual(b.totals)
      expect(a.claims.map((c) => c.forfall.map((f) => f.status))).toEqual(b.claims.map((c) => c.forfall.map((f) => f.status)))
      expect(contract.violations).toEqual([])
      expect(Either.isRight(Either.right(a))).toBe(true)
    }))
})
