/**
 * A fake Fiken API v2 for tests: a real HTTP server on 127.0.0.1 (port 0) with the operations the
 * connector uses, in the spec's shapes (testing/openapi-subset.json):
 * `GET /api/v2/companies`, `/companies/{slug}/accounts`, `/accountBalances?date`,
 * `/journalEntries?dateGe&dateLe`, paged with `page`/`pageSize` (max 100) and the
 * `Fiken-Api-Page`, `-Page-Size`, `-Page-Count`, `-Result-Count` headers; OAuth2
 * (`POST /oauth/token` with authorization_code and refresh_token grants, `POST /oauth/revoke`)
 * with short-lived access tokens; personal API tokens; Fiken's rules — one concurrent request per
 * token and about 4 requests a second — enforced with 429 (and counted); 5xx on demand.
 * Every 200 body goes through `onBody` (the contract check).
 */
import { Effect, type Scope } from "effect"
import { randomUUID } from "node:crypto"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import type { SaftDescription } from "../../../sandbox/saft/SaftWriter.ts"

export interface FakeFikenOptions {
  readonly books: SaftDescription
  readonly slug?: string
  readonly personalTokens?: ReadonlyArray<string>
  readonly oauthClient?: { readonly id: string; readonly secret: string }
  readonly accessTokenTtlMs?: number
  /** Requests per second per token before 429 (Fiken: about 4). */
  readonly maxPerSecond?: number
  readonly onBody?: (pathTemplate: string, body: unknown) => void
}

export interface FakeFikenStats {
  requests: number
  rejectedConcurrency: number
  rejectedRate: number
  refreshes: number
  requestIds: Set<string>
}

export interface FakeFiken {
  readonly apiUrl: string
  readonly tokenUrl: string
  readonly revokeUrl: string
  readonly slug: string
  readonly stats: FakeFikenStats
  /** An authorization code as Fiken's consent page would hand to the redirect URI. */
  readonly authorizationCode: () => string
  /** The next n API requests answer 503. */
  readonly failNext: (n: number) => void
}

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers })
  res.end(body === undefined ? "" : JSON.stringify(body))
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let s = ""
    req.on("data", (c: Buffer) => (s += c.toString()))
    req.on("end", () => resolve(s))
  })

export const start = (options: FakeFikenOptions): Effect.Effect<FakeFiken, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const slug = options.slug ?? "sandbox-fiken-as"
      const books = options.books
      const personal = new Set(options.personalTokens ?? [])
      const access = new Map<string, number>() // token → expiry (ms)
      const refresh = new Set<string>()
      const codes = new Set<string>()
      const inFlight = new Map<string, number>()
      const recent = new Map<string, Array<number>>()
      const stats: FakeFikenStats = { requests: 0, rejectedConcurrency: 0, rejectedRate: 0, refreshes: 0, requestIds: new Set() }
      let fail = 0
      const ttl = options.accessTokenTtlMs ?? 3_600_000
      const issue = () => {
        const token = `at-${randomUUID()}`
        const rt = `rt-${randomUUID()}`
        access.set(token, Date.now() + ttl)
        refresh.add(rt)
        return { access_token: token, token_type: "bearer", expires_in: Math.floor(ttl / 1000), refresh_token: rt }
      }
      const oauthClientOk = (req: IncomingMessage) => {
        const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? "")?.[1]
        const [id, secret] = Buffer.from(basic ?? "", "base64").toString().split(":")
        return options.oauthClient !== undefined && id === options.oauthClient.id && secret === options.oauthClient.secret
      }
      // Journal entries and balances from the books (amounts in øre, debit positive).
      const entries = [...books.transactions()].map((tx, i) => ({
        journalEntryId: 1000 + i,
        transactionId: 5000 + i,
        journalEntryNumber: i + 1,
        description: [tx.description ?? tx.id, ...tx.lines.flatMap((l) => (l.reference ? [l.reference] : []))].join(" "),
        date: tx.date,
        createdDate: tx.date,
        lastModifiedDate: tx.date,
        lines: tx.lines.map((l) => ({ amount: l.amount as number, account: l.account }))
      }))
      const balanceAt = (code: string, date: string) => {
        const opening = (books.accounts.find((a) => a.id === code)?.opening ?? 0) as number
        if (date < books.periode.fraOgMed) return opening
        return entries.filter((e) => e.date <= date).reduce((s, e) => s + e.lines.filter((l) => l.account === code).reduce((a, l) => a + l.amount, 0), opening)
      }
      const page = (res: ServerResponse, template: string, url: URL, all: ReadonlyArray<unknown>) => {
        const size = Math.min(100, Math.max(1, Number(url.searchParams.get("pageSize") ?? 25)))
        const p = Math.max(0, Number(url.searchParams.get("page") ?? 0))
        const body = all.slice(p * size, (p + 1) * size)
        options.onBody?.(template, body)
        send(res, 200, body, {
          "Fiken-Api-Page": String(p),
          "Fiken-Api-Page-Size": String(size),
          "Fiken-Api-Page-Count": String(Math.max(1, Math.ceil(all.length / size))),
          "Fiken-Api-Result-Count": String(all.length)
        })
      }
      const api = (req: IncomingMessage, res: ServerResponse, url: URL, token: string) => {
        const path = url.pathname.replace(/^\/api\/v2/, "")
        if (path === "/companies") {
          return page(res, "/companies", url, [{
            name: books.company.name,
            slug,
            organizationNumber: books.company.registrationNumber,
            vatType: "bi-monthly",
            hasApiAccess: true,
            testCompany: true
          }])
        }
        const m = /^\/companies\/([^/]+)\/(accounts|accountBalances|journalEntries)$/.exec(path)
        if (m === null || m[1] !== slug) return send(res, 404, { error: "not_found", error_description: `no such resource ${path}` })
        const from = url.searchParams.get("fromAccount")
        const to = url.searchParams.get("toAccount")
        const accounts = books.accounts.filter((a) => (from === null || a.id >= from) && (to === null || a.id <= to))
        if (m[2] === "accounts") return page(res, "/companies/{companySlug}/accounts", url, accounts.map((a) => ({ code: a.id, name: a.description })))
        if (m[2] === "accountBalances") {
          const date = url.searchParams.get("date")
          if (date === null) return send(res, 400, { error: "invalid_request", error_description: "date is required" })
          return page(
            res,
            "/companies/{companySlug}/accountBalances",
            url,
            accounts.map((a) => ({ code: a.id, name: a.description, balance: balanceAt(a.id, date) }))
          )
        }
        const ge = url.searchParams.get("dateGe")
        const le = url.searchParams.get("dateLe")
        void token
        return page(res, "/companies/{companySlug}/journalEntries", url, entries.filter((e) => (ge === null || e.date >= ge) && (le === null || e.date <= le)))
      }
      const server = createServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://fiken")
        if (req.method === "POST" && url.pathname === "/oauth/token") {
          return void readBody(req).then((text) => {
            const form = new URLSearchParams(text)
            if (!oauthClientOk(req)) return send(res, 401, { error: "invalid_client" })
            if (form.get("grant_type") === "authorization_code" && codes.delete(form.get("code") ?? "")) return send(res, 200, issue())
            if (form.get("grant_type") === "refresh_token" && refresh.delete(form.get("refresh_token") ?? "")) {
              stats.refreshes++
              return send(res, 200, issue())
            }
            return send(res, 400, { error: "invalid_grant", error_description: "the code or refresh token is not valid" })
          })
        }
        if (req.method === "POST" && url.pathname === "/oauth/revoke") {
          return void readBody(req).then((text) => {
            const t = new URLSearchParams(text).get("token") ?? ""
            refresh.delete(t)
            access.delete(t)
            send(res, 200, {})
          })
        }
        stats.requests++
        const requestId = req.headers["x-request-id"]
        if (typeof requestId === "string") stats.requestIds.add(requestId)
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? ""
        const expiry = access.get(token)
        if (!personal.has(token) && (expiry === undefined || expiry < Date.now())) {
          return send(res, 401, { error: "invalid_token", error_description: "The access token is invalid or has expired" })
        }
        // Fiken's rules: one request at a time per token, and not much more than 4 a second.
        const now = Date.now()
        const window = (recent.get(token) ?? []).filter((t) => t > now - 1000)
        window.push(now)
        recent.set(token, window)
        if ((inFlight.get(token) ?? 0) > 0) {
          stats.rejectedConcurrency++
          return send(res, 429, { error: "too_many_requests", error_description: "only one concurrent request per token" })
        }
        if (window.length > (options.maxPerSecond ?? 4)) {
          stats.rejectedRate++
          return send(res, 429, { error: "too_many_requests", error_description: "rate limit" }, { "Retry-After": "1" })
        }
        if (fail > 0) {
          fail--
          return send(res, 503, { error: "unavailable" })
        }
        inFlight.set(token, 1)
        const end = res.end.bind(res)
        // the request is done when its answer is written, not when the socket has flushed it
        res.end = ((...args: Parameters<typeof res.end>) => {
          inFlight.set(token, 0)
          return end(...args)
        }) as typeof res.end
        // a little service time, so that overlapping requests would be seen
        setTimeout(() => api(req, res, url, token), 2)
      })
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()))
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const fake: FakeFiken = {
        apiUrl: `${base}/api/v2`,
        tokenUrl: `${base}/oauth/token`,
        revokeUrl: `${base}/oauth/revoke`,
        slug,
        stats,
        authorizationCode: () => {
          const c = `code-${randomUUID()}`
          codes.add(c)
          return c
        },
        failNext: (n) => {
          fail = n
        }
      }
      return { fake, server }
    }),
    ({ server }) =>
      Effect.promise(() =>
        new Promise<void>((r) => {
          server.closeAllConnections()
          server.close(() => r())
        })
      )
  ).pipe(Effect.map(({ fake }) => fake))
