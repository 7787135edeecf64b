/**
 * A fake Tripletex API v2 for tests and demos: a real HTTP server (Effect HttpServer on node,
 * 127.0.0.1, port 0) answering the operations the connector uses with the envelopes of the
 * published spec (v2.74, testing/openapi-subset.json):
 *
 * - `POST /token/session/:create` (consumer + employee token → session token, `expirationDate`);
 * - Basic auth on everything else: user = company id (`0`/blank = the employee's own company, or
 *   a client company the employee has login access to), password = session token;
 * - `GET /token/session/>whoAmI`, `/company/>withLoginAccess`, `/company/{id}`,
 *   `/ledger/account`, `/ledger/posting` (`dateFrom` inclusive, `dateTo` exclusive), `/balanceSheet`;
 * - `from`/`count` paging with `fullResultSize` and `versionDigest`, the `fields` filter;
 * - `X-Rate-Limit-Limit/-Remaining/-Reset` on every authenticated answer and 429 once the window's
 *   quota is spent; the error envelope (`status`, `code`, `message`, `developerMessage`,
 *   `requestId`) and the `x-tlx-request-id` header on every answer;
 * - session expiry after N requests or M milliseconds (to expire sessions mid-run), and faults on
 *   demand: 5xx, 429, dropped connections, latency.
 *
 * `onExchange` sees every request and answer (the contract check in testing/contract.ts).
 * Books come from `loadBooks` (testing/books.ts), so the same books can also be written as SAF-T.
 */
import { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer, NodeHttpServerRequest } from "@effect/platform-node"
import { Effect, type Scope } from "effect"
import { createHash, randomUUID } from "node:crypto"
import { createServer } from "node:http"
import * as D from "../../../src/domain/Dato.ts"
import { type Oere, toKronerNumber } from "../../../src/domain/Money.ts"
import type { Books } from "./books.ts"
import type { Exchange } from "./contract.ts"
import { applyFields, parseFields } from "./fields.ts"

export interface FakeEmployee {
  readonly token: string
  readonly employeeId: number
  /** The employee's own company (Basic user `0`). */
  readonly companyId: number
  /** Client companies the employee may act for (accountants; `/company/>withLoginAccess`). */
  readonly clients: ReadonlyArray<number>
}

export interface FakeTripletexOptions {
  readonly consumerToken?: string
  /** Default: one employee (token `fake-employee-token`) of company 1 with access to every other company. */
  readonly employees?: ReadonlyArray<FakeEmployee>
  /** Default: company 1 "Testbedrift AS" (212201782). */
  readonly companies?: ReadonlyArray<{ readonly id: number; readonly name: string; readonly organizationNumber?: string }>
  /** A session stops working after this many API requests or milliseconds (answers 401). */
  readonly sessionExpiry?: { readonly afterRequests?: number; readonly afterMillis?: number }
  /** Requests allowed per window per employee; the window starts at its first request. */
  readonly rateLimit?: { readonly limit: number; readonly windowMillis: number }
  /** Largest `count` honoured (default 10 000). */
  readonly maxCount?: number
  readonly onExchange?: (exchange: Exchange) => void
  /** The fake's "today" for session expiration dates (default: today in Oslo). */
  readonly today?: () => string
}

export interface Faults {
  /** The next n API requests answer 500 (code 1000). */
  serverErrors: number
  /** The next n API requests answer 503. */
  unavailable: number
  /** The next n API requests answer 429 with the rate-limit headers (Remaining 0). */
  tooManyRequests: number
  /** The next n API requests have their connection destroyed without an answer. */
  dropConnections: number
  latencyMs: number
}

/** A posting as stored; `amount` is the wire number in kroner so a test can store odd values. */
export interface FakePosting {
  readonly id: number
  readonly voucherId: number
  readonly row: number
  readonly date: string
  readonly accountId: number
  readonly amount: number | undefined
  readonly description?: string | undefined
  readonly externalRef?: string | undefined
  readonly invoiceNumber?: string | undefined
  readonly supplierId?: number | undefined
  readonly customerId?: number | undefined
}

interface FakeAccount {
  readonly id: number
  readonly number: number
  readonly name: string
  /** Balance at `openingDate` (before any posting of that day), in øre. */
  opening: number
  openingDate: string
}

interface FakeVoucher {
  readonly id: number
  readonly number: number
  readonly year: number
  readonly date: string
  readonly description?: string | undefined
}

interface FakeCompany {
  readonly id: number
  readonly name: string
  readonly organizationNumber?: string | undefined
  readonly accounts: Map<number, FakeAccount>
  readonly accountsByNumber: Map<number, FakeAccount>
  readonly vouchers: Map<number, FakeVoucher>
  postings: Array<FakePosting>
  sorted: boolean
  readonly suppliers: Map<string, { id: number; name: string }>
  readonly customers: Map<string, { id: number; name: string }>
  readonly voucherNumbers: Map<number, number>
  revision: number
}

interface Session {
  readonly employee: FakeEmployee
  readonly createdAt: number
  readonly expirationDate: string
  requests: number
}

export interface FakeStats {
  requests: number
  sessionsCreated: number
  inFlight: number
  maxInFlight: number
  readonly byStatus: Record<number, number>
  readonly byPath: Record<string, number>
}

export interface FakeTripletex {
  /** API root, e.g. `http://127.0.0.1:PORT/v2`. */
  readonly url: string
  readonly consumerToken: string
  readonly employeeToken: string
  readonly stats: FakeStats
  readonly addCompany: (c: { readonly id: number; readonly name: string; readonly organizationNumber?: string }) => void
  /** Puts books into a company (accounts with their opening balance at the period start, one voucher per transaction). */
  readonly loadBooks: (companyId: number, books: Books) => void
  /** Adds a raw posting (e.g. an amount with three decimals); returns its id. */
  readonly addPosting: (
    companyId: number,
    p: Omit<FakePosting, "id" | "voucherId" | "row" | "accountId"> & { readonly account: number; readonly voucher?: number }
  ) => number
  readonly setFaults: (f: Partial<Faults>) => void
  /** Makes every session token invalid now. */
  readonly expireSessions: () => void
  readonly resetStats: () => void
}

class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {}
  ) {}
}

const fail = (status: number, code: number, message: string, developerMessage?: string, validation?: ReadonlyArray<{ field: string; message: string }>) =>
  new Reply(status, {
    status,
    code,
    message,
    link: "https://tripletex.no/v2-docs/",
    ...(developerMessage !== undefined ? { developerMessage } : {}),
    ...(validation !== undefined ? { validationMessages: validation } : {})
  })

const accountType = (n: number): string =>
  n < 2000
    ? "ASSETS"
    : n < 2100
    ? "EQUITY"
    : n < 3000
    ? "LIABILITIES"
    : n < 4000
    ? "OPERATING_REVENUES"
    : n < 8000
    ? "OPERATING_EXPENSES"
    : n < 8100
    ? "INVESTMENT_INCOME"
    : "COST_OF_CAPITAL"

export const start = (options: FakeTripletexOptions = {}): Effect.Effect<FakeTripletex, never, Scope.Scope> =>
  Effect.gen(function*() {
    const consumerToken = options.consumerToken ?? "fake-consumer-token"
    const companies = new Map<number, FakeCompany>()
    let nextId = 1000
    const id = () => ++nextId
    const addCompany = (c: { readonly id: number; readonly name: string; readonly organizationNumber?: string }) => {
      if (companies.has(c.id)) return
      companies.set(c.id, {
        id: c.id,
        name: c.name,
        organizationNumber: c.organizationNumber,
        accounts: new Map(),
        accountsByNumber: new Map(),
        vouchers: new Map(),
        postings: [],
        sorted: true,
        suppliers: new Map(),
        customers: new Map(),
        voucherNumbers: new Map(),
        revision: 0
      })
    }
    for (const c of options.companies ?? [{ id: 1, name: "Testbedrift AS", organizationNumber: "212201782" }]) addCompany(c)
    const employees: ReadonlyArray<FakeEmployee> = options.employees ?? [
      { token: "fake-employee-token", employeeId: 11, companyId: [...companies.keys()][0] ?? 1, clients: [] }
    ]
    const defaultEmployee = options.employees === undefined
    const clientsOf = (e: FakeEmployee): ReadonlyArray<number> => (defaultEmployee ? [...companies.keys()].filter((c) => c !== e.companyId) : e.clients)
    const sessions = new Map<string, Session>()
    const windows = new Map<string, { start: number; used: number }>()
    let faults: Faults = { serverErrors: 0, unavailable: 0, tooManyRequests: 0, dropConnections: 0, latencyMs: 0 }
    const stats: FakeStats = { requests: 0, sessionsCreated: 0, inFlight: 0, maxInFlight: 0, byStatus: {}, byPath: {} }
    const today = options.today ?? (() => D.todayInOslo())
    let origin = ""

    const company = (cid: number): FakeCompany => {
      const c = companies.get(cid)
      if (c === undefined) throw new Error(`fake Tripletex: no company ${cid}`)
      return c
    }
    const ensureAccount = (c: FakeCompany, number: number, name: string, openingDate: string): FakeAccount => {
      const found = c.accountsByNumber.get(number)
      if (found !== undefined) return found
      const a: FakeAccount = { id: id(), number, name, opening: 0, openingDate }
      c.accounts.set(a.id, a)
      c.accountsByNumber.set(number, a)
      return a
    }
    const party = (m: Map<string, { id: number; name: string }>, key: string) => {
      let p = m.get(key)
      if (p === undefined) m.set(key, p = { id: id(), name: key })
      return p
    }
    const newVoucher = (c: FakeCompany, date: string, description?: string): FakeVoucher => {
      const year = Number(date.slice(0, 4))
      const number = (c.voucherNumbers.get(year) ?? 0) + 1
      c.voucherNumbers.set(year, number)
      const v: FakeVoucher = { id: id(), number, year, date, description }
      c.vouchers.set(v.id, v)
      return v
    }

    const loadBooks = (cid: number, books: Books) => {
      const c = company(cid)
      const start = books.periode.fraOgMed
      for (const a of books.accounts) {
        const acc = ensureAccount(c, Number(a.id), a.description, start)
        acc.opening = a.opening
        acc.openingDate = start
      }
      for (const t of books.transactions()) {
        const v = newVoucher(c, t.date, t.description)
        t.lines.forEach((l, i) => {
          const acc = ensureAccount(c, Number(l.account), `Konto ${l.account}`, start)
          c.postings.push({
            id: id(),
            voucherId: v.id,
            row: i + 1,
            date: t.date,
            accountId: acc.id,
            amount: toKronerNumber(l.amount),
            description: l.description ?? t.description,
            externalRef: l.reference,
            invoiceNumber: l.sourceDocumentId,
            supplierId: l.supplierId === undefined ? undefined : party(c.suppliers, l.supplierId).id,
            customerId: l.customerId === undefined ? undefined : party(c.customers, l.customerId).id
          })
        })
      }
      c.sorted = false
      c.revision++
    }

    const addPosting: FakeTripletex["addPosting"] = (cid, p) => {
      const c = company(cid)
      const acc = ensureAccount(c, p.account, `Konto ${p.account}`, "0000-01-01")
      const v = p.voucher === undefined ? newVoucher(c, p.date, p.description) : c.vouchers.get(p.voucher)
      if (v === undefined) throw new Error(`fake Tripletex: no voucher ${p.voucher}`)
      const posting: FakePosting = { ...p, id: id(), voucherId: v.id, row: c.postings.filter((x) => x.voucherId === v.id).length + 1, accountId: acc.id }
      c.postings.push(posting)
      c.sorted = false
      c.revision++
      return posting.id
    }

    const postingsOf = (c: FakeCompany): ReadonlyArray<FakePosting> => {
      if (!c.sorted) {
        c.postings.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.voucherId - b.voucherId || a.row - b.row))
        c.sorted = true
      }
      return c.postings
    }

    // --- wire objects (built with every field; the `fields` filter trims them) ---
    const url = (path: string) => `${origin}/v2/${path}`
    const accountObj = (a: FakeAccount) => ({
      id: a.id,
      version: 1,
      url: url(`ledger/account/${a.id}`),
      number: a.number,
      numberPretty: String(a.number),
      name: a.name,
      description: "",
      type: accountType(a.number),
      ledgerType: "GENERAL",
      isInactive: false,
      isBankAccount: a.number >= 1900 && a.number < 2000,
      isCloseable: false,
      displayName: `${a.number} ${a.name}`
    })
    const companyObj = (c: FakeCompany) => ({
      id: c.id,
      version: 1,
      url: url(`company/${c.id}`),
      name: c.name,
      displayName: c.name,
      ...(c.organizationNumber !== undefined ? { organizationNumber: c.organizationNumber } : {}),
      type: "AS"
    })
    const voucherObj = (v: FakeVoucher) => ({
      id: v.id,
      version: 1,
      url: url(`ledger/voucher/${v.id}`),
      date: v.date,
      number: v.number,
      year: v.year,
      ...(v.description !== undefined ? { description: v.description } : {}),
      numberAsString: `${v.number}-${v.year}`,
      displayName: `${v.number}-${v.year}`
    })
    const postingObj = (c: FakeCompany, p: FakePosting) => {
      const acc = c.accounts.get(p.accountId)
      const v = c.vouchers.get(p.voucherId)
      const supplier = p.supplierId === undefined ? undefined : [...c.suppliers.values()].find((s) => s.id === p.supplierId)
      const customer = p.customerId === undefined ? undefined : [...c.customers.values()].find((s) => s.id === p.customerId)
      return {
        id: p.id,
        version: 1,
        url: url(`ledger/posting/${p.id}`),
        voucher: v === undefined ? undefined : voucherObj(v),
        date: p.date,
        description: p.description,
        account: acc === undefined ? undefined : accountObj(acc),
        supplier: supplier === undefined
          ? undefined
          : { id: supplier.id, url: url(`supplier/${supplier.id}`), name: supplier.name, displayName: supplier.name },
        customer: customer === undefined
          ? undefined
          : { id: customer.id, url: url(`customer/${customer.id}`), name: customer.name, displayName: customer.name },
        amount: p.amount,
        amountCurrency: p.amount,
        amountGross: p.amount,
        amountGrossCurrency: p.amount,
        currency: { id: 1, url: url("currency/1"), code: "NOK" },
        invoiceNumber: p.invoiceNumber,
        row: p.row,
        externalRef: p.externalRef,
        systemGenerated: false
      }
    }

    // --- request handling ---
    type Query = URLSearchParams
    const page = <T>(
      q: Query,
      all: ReadonlyArray<T>,
      digestOf: string,
      toWire: (t: T) => Record<string, unknown> = (t) => t as Record<string, unknown>
    ): Reply => {
      const tree = parseFields(q.get("fields") ?? "")
      const from = Number(q.get("from") ?? "0")
      const count = Math.min(Number(q.get("count") ?? "1000"), options.maxCount ?? 10_000)
      const values = all.slice(from, from + count).map((v) => applyFields(toWire(v), tree))
      return new Reply(200, {
        fullResultSize: all.length,
        from,
        count: values.length,
        ...(all.length > 0 ? { versionDigest: createHash("sha1").update(digestOf).digest("hex") } : {}),
        values
      })
    }
    const int = (q: Query, name: string): number | undefined | Reply => {
      const v = q.get(name)
      if (v === null || v === "") return undefined
      return /^-?\d+$/.test(v) ? Number(v) : fail(422, 21000, `Ugyldig verdi for ${name}`, `Param ${name}="${v}" is not an integer`)
    }
    const date = (q: Query, name: string): string | Reply => {
      const v = q.get(name)
      if (v === null) return fail(422, 21000, `${name} mangler`, `Required param ${name} is missing`, [{ field: name, message: "Feltet må fylles ut." }])
      return D.problem(v) === undefined ? v : fail(422, 21000, `Ugyldig dato i ${name}`, `Param ${name}="${v}" is not a date yyyy-MM-dd`)
    }
    const checkFields = (q: Query): Reply | undefined => {
      try {
        parseFields(q.get("fields") ?? "")
        return undefined
      } catch (e) {
        return fail(400, 11000, "Illegal field in fields filter", (e as Error).message)
      }
    }

    const balanceAt = (c: FakeCompany, a: FakeAccount, d: string): number => {
      let b = a.opening
      for (const p of postingsOf(c)) {
        if (p.accountId !== a.id || p.amount === undefined) continue
        const o = Math.round(p.amount * 100)
        if (p.date >= a.openingDate && p.date < d) b += o
        else if (p.date >= d && p.date < a.openingDate) b -= o
      }
      return b
    }

    const api = (method: string, path: string, q: Query, c: FakeCompany, employee: FakeEmployee): Reply => {
      const bad = checkFields(q)
      if (bad !== undefined) return bad
      if (method !== "GET") return fail(405, 4000, "Method not allowed")
      if (path === "/token/session/>whoAmI") {
        const value = {
          employeeId: employee.employeeId,
          actualEmployeeId: employee.employeeId,
          companyId: c.id,
          company: companyObj(c),
          language: "no",
          employeeIsProxy: c.id !== employee.companyId,
          loggedInWithConnect: false
        }
        return new Reply(200, { value: applyFields(value, parseFields(q.get("fields") ?? "")) })
      }
      if (path === "/company/>withLoginAccess") {
        const clients = clientsOf(employee).flatMap((cid) => {
          const x = companies.get(cid)
          return x === undefined ? [] : [{ ...companyObj(x), url: url(`company/${x.id}`), customerCompanyId: x.id }]
        })
        return page(q, clients, `clients-${employee.employeeId}-${clients.length}`)
      }
      const m = /^\/company\/(\d+)$/.exec(path)
      if (m !== null) {
        const target = companies.get(Number(m[1]))
        if (target === undefined || (target.id !== c.id && target.id !== employee.companyId)) {
          return fail(404, 6000, "Objektet finnes ikke", `Company ${m[1]} not found`)
        }
        return new Reply(200, { value: applyFields(companyObj(target), parseFields(q.get("fields") ?? "")) })
      }
      if (path === "/ledger/account") {
        const numbers = q.get("number")
        const ids = q.get("id")
        const wantedNumbers = numbers === null || numbers === "" ? undefined : new Set(
          numbers.split(",").map((s) => Number(s.trim()))
        )
        const wantedIds = ids === null || ids === "" ? undefined : new Set(
          ids.split(",").map((s) => Number(s.trim()))
        )
        const all = [...c.accounts.values()]
          .filter((a) => (wantedNumbers === undefined || wantedNumbers.has(a.number)) && (wantedIds === undefined || wantedIds.has(a.id)))
          .sort((a, b) => a.number - b.number)
          .map(accountObj)
        return page(q, all, `accounts-${c.id}-${c.revision}-${numbers}-${ids}`)
      }
      if (path === "/ledger/posting") {
        const from = date(q, "dateFrom")
        const to = date(q, "dateTo")
        const accountId = int(q, "accountId")
        const nFrom = int(q, "accountNumberFrom")
        const nTo = int(q, "accountNumberTo")
        const supplierId = int(q, "supplierId")
        for (const x of [from, to, accountId, nFrom, nTo, supplierId]) if (x instanceof Reply) return x
        if ((from as string) >= (to as string)) return fail(422, 15000, "dateTo må være etter dateFrom", "dateFrom must be before dateTo (dateTo is exclusive)")
        const all = postingsOf(c)
          .filter((p) => {
            if (p.date < (from as string) || p.date >= (to as string)) return false
            if (accountId !== undefined && p.accountId !== accountId) return false
            if (supplierId !== undefined && p.supplierId !== supplierId) return false
            const n = c.accounts.get(p.accountId)?.number ?? -1
            if (nFrom !== undefined && n < (nFrom as number)) return false
            if (nTo !== undefined && n >= (nTo as number)) return false
            return true
          })
        return page(q, all, `postings-${c.id}-${c.revision}-${q.get("dateFrom")}-${q.get("dateTo")}-${accountId}-${nFrom}-${nTo}`, (p) => postingObj(c, p))
      }
      if (path === "/balanceSheet") {
        const from = date(q, "dateFrom")
        const to = date(q, "dateTo")
        const nFrom = int(q, "accountNumberFrom")
        const nTo = int(q, "accountNumberTo")
        for (const x of [from, to, nFrom, nTo]) if (x instanceof Reply) return x
        if ((from as string) >= (to as string)) return fail(422, 15000, "dateTo må være etter dateFrom", "dateFrom must be before dateTo (dateTo is exclusive)")
        const withoutMovements = q.get("includeActiveAccountsWithoutMovements") === "true"
        const rows = [...c.accounts.values()]
          .filter((a) => (nFrom === undefined || a.number >= (nFrom as number)) && (nTo === undefined || a.number < (nTo as number)))
          .sort((a, b) => a.number - b.number)
          .flatMap((a) => {
            const bin = balanceAt(c, a, from as string)
            const bout = balanceAt(c, a, to as string)
            if (!withoutMovements && bin === 0 && bout === 0) return []
            return [
              {
                account: accountObj(a),
                balanceIn: toKronerNumber(bin as Oere),
                balanceChange: toKronerNumber((bout - bin) as Oere),
                balanceOut: toKronerNumber(bout as Oere),
                startDate: from,
                endDate: to
              }
            ]
          })
        return page(q, rows, `balance-${c.id}-${c.revision}-${q.get("dateFrom")}-${q.get("dateTo")}-${nFrom}-${nTo}`)
      }
      return fail(404, 6000, "Objektet finnes ikke", `No endpoint ${method} ${path}`)
    }

    const createSession = (body: unknown): Reply => {
      const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>
      if (b.consumerToken !== consumerToken) return fail(403, 9000, "Ugyldig consumer token", "Invalid consumer token")
      const employee = employees.find((e) => e.token === b.employeeToken)
      if (employee === undefined) return fail(403, 9000, "Ugyldig employee token", "Invalid employee token")
      const exp = typeof b.expirationDate === "string" ? b.expirationDate : ""
      if (D.problem(exp) !== undefined || exp <= today()) {
        return fail(422, 18000, "Validering feilet", "expirationDate must be a date after today", [{
          field: "expirationDate",
          message: "Må være en dato etter dagens dato."
        }])
      }
      const token = `fake-session-${randomUUID()}`
      sessions.set(token, { employee, createdAt: Date.now(), expirationDate: exp, requests: 0 })
      stats.sessionsCreated++
      return new Reply(201, {
        value: {
          id: id(),
          version: 1,
          url: url("token/session/0"),
          consumerToken: { id: 1, url: url("token/consumer/1") },
          employeeToken: { id: employee.employeeId, url: url(`token/employee/${employee.employeeId}`) },
          expirationDate: exp,
          token
        }
      })
    }

    const rateHeaders = (employee: FakeEmployee, now: number): { headers: Record<string, string>; over: boolean } => {
      const rl = options.rateLimit
      if (rl === undefined) return { headers: {}, over: false }
      let w = windows.get(employee.token)
      if (w === undefined || now >= w.start + rl.windowMillis) windows.set(employee.token, w = { start: now, used: 0 })
      w.used++
      const reset = Math.max(1, Math.ceil((w.start + rl.windowMillis - now) / 1000))
      return {
        headers: {
          "x-rate-limit-limit": String(rl.limit),
          "x-rate-limit-remaining": String(Math.max(0, rl.limit - w.used)),
          "x-rate-limit-reset": String(reset)
        },
        over: w.used > rl.limit
      }
    }

    const authenticate = (authorization: string | undefined): { company: FakeCompany; employee: FakeEmployee } | Reply => {
      const m = /^Basic (.+)$/i.exec(authorization ?? "")
      if (m === null) return fail(401, 3000, "Du må logge inn", "No Basic authorization header")
      const decoded = Buffer.from(m[1] ?? "", "base64").toString("utf8")
      const colon = decoded.indexOf(":")
      const user = colon < 0 ? "" : decoded.slice(0, colon)
      const token = colon < 0 ? decoded : decoded.slice(colon + 1)
      const s = sessions.get(token)
      if (s === undefined) return fail(401, 3000, "Ugyldig eller utløpt sesjon", "The session token is unknown or has expired")
      s.requests++
      const exp = options.sessionExpiry
      const expired = today() >= s.expirationDate ||
        (exp?.afterRequests !== undefined && s.requests > exp.afterRequests) ||
        (exp?.afterMillis !== undefined && Date.now() - s.createdAt > exp.afterMillis)
      if (expired) {
        sessions.delete(token)
        return fail(401, 3000, "Ugyldig eller utløpt sesjon", "The session token has expired")
      }
      const cid = user === "" || user === "0" ? s.employee.companyId : Number(user)
      if (!Number.isInteger(cid)) return fail(401, 3000, "Ugyldig brukernavn", `Basic user "${user}" is not a company id`)
      if (cid !== s.employee.companyId && !clientsOf(s.employee).includes(cid)) {
        return fail(403, 9000, "Du har ikke tilgang til denne klienten", `The employee has no login access to company ${cid}`)
      }
      const c = companies.get(cid)
      if (c === undefined) return fail(403, 9000, "Du har ikke tilgang til denne klienten", `No company ${cid}`)
      return { company: c, employee: s.employee }
    }

    const handle = (request: HttpServerRequest.HttpServerRequest, method: string, path: string, q: Query, body: unknown): Effect.Effect<Reply | "drop"> =>
      Effect.gen(function*() {
        if (faults.latencyMs > 0) yield* Effect.sleep(faults.latencyMs)
        if (method === "POST" && path === "/token/session/:create") return createSession(body)
        const who = authenticate(request.headers.authorization)
        if (who instanceof Reply) return who
        const rate = rateHeaders(who.employee, Date.now())
        const withRate = (r: Reply) => new Reply(r.status, r.body, { ...r.headers, ...rate.headers })
        if (rate.over) return withRate(fail(429, 429, "For mange forespørsler", "Request rate limit hit"))
        if (faults.dropConnections > 0) {
          faults.dropConnections--
          return "drop" as const
        }
        if (faults.tooManyRequests > 0) {
          faults.tooManyRequests--
          return new Reply(429, fail(429, 429, "For mange forespørsler", "Request rate limit hit").body, {
            "x-rate-limit-limit": "1",
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": "1"
          })
        }
        if (faults.serverErrors > 0) {
          faults.serverErrors--
          return withRate(fail(500, 1000, "Det oppstod en uventet feil", "Injected server error"))
        }
        if (faults.unavailable > 0) {
          faults.unavailable--
          return withRate(fail(503, 1000, "Tjenesten er midlertidig utilgjengelig", "Injected 503"))
        }
        return withRate(api(method, path, q, who.company, who.employee))
      })

    const app = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      stats.requests++
      stats.inFlight++
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight)
      const u = new URL(request.url, "http://fake")
      const path = decodeURIComponent(u.pathname).replace(/^\/v2(?=\/)/, "")
      stats.byPath[path] = (stats.byPath[path] ?? 0) + 1
      const text = request.method === "POST" ? yield* Effect.orElseSucceed(request.text, () => "") : ""
      let body: unknown = undefined
      try {
        body = text === "" ? undefined : JSON.parse(text)
      } catch {
        body = text
      }
      const result = yield* handle(request, request.method, path, u.searchParams, body).pipe(Effect.ensuring(Effect.sync(() => stats.inFlight--)))
      if (result === "drop") {
        NodeHttpServerRequest.toIncomingMessage(request).socket.destroy()
        return HttpServerResponse.empty({ status: 500 })
      }
      const requestId = randomUUID()
      const responseBody = result.status >= 400 ? { ...(result.body as object), requestId } : result.body
      stats.byStatus[result.status] = (stats.byStatus[result.status] ?? 0) + 1
      options.onExchange?.({ method: request.method, path, query: [...u.searchParams.entries()], requestBody: body, status: result.status, responseBody })
      return HttpServerResponse.unsafeJson(responseBody, { status: result.status, headers: { ...result.headers, "x-tlx-request-id": requestId } })
    })

    const server = yield* NodeHttpServer.make(() => createServer(), { port: 0, host: "127.0.0.1" }).pipe(Effect.orDie)
    yield* server.serve(app)
    const address = server.address
    origin = address._tag === "TcpAddress" ? `http://127.0.0.1:${address.port}` : "http://fake"
    return {
      url: `${origin}/v2`,
      consumerToken,
      employeeToken: employees[0]?.token ?? "",
      stats,
      addCompany,
      loadBooks,
      addPosting,
      setFaults: (f) => void (faults = { ...faults, ...f }),
      expireSessions: () => sessions.clear(),
      resetStats: () => {
        stats.requests = 0
        stats.sessionsCreated = 0
        stats.maxInFlight = 0
        for (const k of Object.keys(stats.byStatus)) delete stats.byStatus[Number(k)]
        for (const k of Object.keys(stats.byPath)) delete stats.byPath[k]
      }
    } satisfies FakeTripletex
  })
