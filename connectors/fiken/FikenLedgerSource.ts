/**
 * The ledger port over Fiken API v2 (fiken-swagger.yaml):
 * - company by slug, or by organisation number looked up in `GET /companies`;
 * - accounts `GET /companies/{slug}/accounts`; opening balances `GET …/accountBalances?date=` the day
 *   before the period (balances are in øre);
 * - journal entries `GET …/journalEntries?dateGe=&dateLe=` (the spec lists both filters; the
 *   connector filters by date again locally), each line `{ amount, account }` in øre, debit
 *   positive. Sub-ledger accounts (`1500:10029`) count towards their main account (`1500`).
 * - paging with `page`/`pageSize` (100, Fiken's maximum) until `Fiken-Api-Page-Count`;
 * - Fiken's limits: one request at a time per token, about 4 a second: both enforced here with
 *   src/http's concurrency gate and rate limiter; 429/5xx/network errors retried with backoff;
 *   an `X-Request-ID` on every request; a 401 renews the OAuth2 token once.
 */
import { HttpClient, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import { Config, type Duration, Effect, Either, Option, Redacted } from "effect"
import { randomUUID } from "node:crypto"
import * as D from "../../src/domain/Dato.ts"
import type { Oere } from "../../src/domain/Money.ts"
import { withResilience } from "../../src/http/Resilience.ts"
import { Progress } from "../../src/Progress.ts"
import {
  type LedgerAccount,
  type LedgerEntry,
  type LedgerQuery,
  type LedgerSnapshot,
  LedgerSourceError,
  type LedgerSourceShape,
  type RejectedLedgerLine
} from "../../src/reconcile/LedgerSource.ts"
import type { LedgerSourceFactory } from "../../src/reconcile/LedgerSourceRegistry.ts"
import { factoryWithNb } from "./bokmal.ts"
import { type FikenAuth, fileStore, oauth2, personal } from "./FikenAuth.ts"

export const PRODUCTION = "https://api.fiken.no/api/v2"

export interface FikenSettings {
  readonly baseUrl: string
  /** Company slug, or organisation number (looked up in /companies). */
  readonly company?: string | undefined
  readonly requestsPerSecond?: number
  readonly retry?: { readonly baseDelay?: Duration.DurationInput; readonly maxDelay?: Duration.DurationInput; readonly budget?: Duration.DurationInput }
  /** Web link to a journal entry; `{slug}` and `{id}` are replaced. */
  readonly entryLink?: string
}

/** Our reading of Fiken's web address for a journal entry (not in the published material). */
export const DEFAULT_ENTRY_LINK = "https://fiken.no/foretak/{slug}/regnskap/bilag/{id}"

const err = (kind: LedgerSourceError["kind"], message: string, location?: string) =>
  new LedgerSourceError({ system: "fiken", kind, message, ...(location ? { location } : {}) })

interface Company {
  readonly slug: string
  readonly organizationNumber?: string
  readonly name?: string
}
interface Line {
  readonly amount?: unknown
  readonly account?: unknown
}
interface JournalEntry {
  readonly journalEntryId?: number
  readonly journalEntryNumber?: number
  readonly description?: string
  readonly date?: string
  readonly lines?: ReadonlyArray<Line>
}

/** A Fiken ledger source; `read` also takes --force (read books that name another company). */
export interface FikenLedgerSource extends LedgerSourceShape {
  readonly readForced: (query: LedgerQuery, force: boolean) => Effect.Effect<LedgerSnapshot, LedgerSourceError>
}

/**
 * A LedgerSource over Fiken. Each read builds its HTTP client (from `httpLayer`), its credentials
 * (`authFor`) and one gate and rate limiter for the whole read (Fiken counts per token).
 */
export const make = (
  settings: FikenSettings,
  authFor: Effect.Effect<FikenAuth, LedgerSourceError, HttpClient.HttpClient>,
  client: HttpClient.HttpClient
): FikenLedgerSource => {
  const read = (query: LedgerQuery, force = false): Effect.Effect<LedgerSnapshot, LedgerSourceError> =>
    Effect.scoped(
      Effect.gen(function*() {
        const base = yield* HttpClient.HttpClient
        const auth = yield* authFor
        const http = yield* withResilience({
          concurrency: 1,
          // Evenly spaced at 1/rps second plus 20 %: the spacing is set when a request is sent, but Fiken
          // counts arrivals, and a request held up on a busy machine arrives late while the next one is
          // on time. 5 % (52 ms at 4/s) was too little on a loaded machine; 20 % leaves 200 ms.
          rateLimit: { limit: 1, interval: `${Math.ceil(1200 / (settings.requestsPerSecond ?? 4))} millis` },
          retry: { baseDelay: "250 millis", maxDelay: "5 seconds", budget: "60 seconds", maxAttempts: 8, ...settings.retry }
        })(base)
        return yield* readWith(http, auth, query, force)
      })
    ).pipe(
      Effect.provideService(HttpClient.HttpClient, client),
      Effect.ensuring(Effect.flatMap(Progress, (progress) => Effect.sync(() => progress.end("ledger"))))
    )

  const readWith = (http: HttpClient.HttpClient, auth: FikenAuth, query: LedgerQuery, force: boolean) =>
    Effect.gen(function*() {
      const progress = yield* Progress
      let pagesRead = 0
      const send = (path: string, params: Record<string, string>): Effect.Effect<HttpClientResponse.HttpClientResponse, LedgerSourceError> =>
        Effect.gen(function*() {
          for (let attempt = 0;; attempt++) {
            const token = yield* auth.token
            const requestId = randomUUID()
            const request = HttpClientRequest.get(`${settings.baseUrl}${path}`).pipe(
              HttpClientRequest.setUrlParams(params),
              HttpClientRequest.bearerToken(Redacted.value(token)),
              HttpClientRequest.setHeader("X-Request-ID", requestId),
              HttpClientRequest.acceptJson
            )
            const response = yield* http.execute(request).pipe(
              Effect.mapError((e) => err("transport", `cannot reach Fiken (${path}): ${e.message}`, `X-Request-ID ${requestId}`))
            )
            if (response.status === 401 && attempt === 0 && (yield* auth.renew)) continue
            if (response.status === 401 || response.status === 403) {
              return yield* err(
                "auth",
                `Fiken refused the token (HTTP ${response.status}) for ${path}: check the API token or run \`kravsync fiken login\``,
                `X-Request-ID ${requestId}`
              )
            }
            if (response.status === 404) return yield* err("not-found", `Fiken has no ${path} (HTTP 404): check the company slug`, `X-Request-ID ${requestId}`)
            if (response.status === 429) return yield* err("rate-limited", `Fiken kept answering 429 for ${path}`, `X-Request-ID ${requestId}`)
            if (response.status !== 200) return yield* err("transport", `Fiken answered HTTP ${response.status} for ${path}`, `X-Request-ID ${requestId}`)
            return response
          }
        })

      /** Every page of a list operation. */
      const all = <A>(path: string, params: Record<string, string> = {}): Effect.Effect<Array<A>, LedgerSourceError> =>
        Effect.gen(function*() {
          const out: Array<A> = []
          for (let page = 0;; page++) {
            const response = yield* send(path, { ...params, page: String(page), pageSize: "100" })
            progress.update({ step: "ledger", done: ++pagesRead, subject: "Fiken" })
            const body = yield* Effect.mapError(response.json, () => err("invalid-data", `Fiken's answer for ${path} is not JSON`))
            if (!Array.isArray(body)) return yield* err("invalid-data", `Fiken's answer for ${path} is not a list`)
            out.push(...(body as Array<A>))
            const pages = Number(response.headers["fiken-api-page-count"] ?? "1")
            if (!Number.isFinite(pages) || page + 1 >= pages || body.length === 0) return out
          }
        })

      // The company by slug or organisation number, always through /companies: its organisation
      // number is what tells us whether these are the books of the party being reconciled.
      const company = (query: LedgerQuery): Effect.Effect<Company, LedgerSourceError> =>
        Effect.gen(function*() {
          const wanted = settings.company ?? query.company
          const companies = yield* all<Company>("/companies")
          const found = companies.find((c) => c.slug === wanted || c.organizationNumber === wanted)
          if (found === undefined) {
            return yield* err(
              "not-found",
              `no Fiken company "${wanted}" among those this token may read: ${
                companies.map((c) => `${c.slug} (${c.organizationNumber ?? "?"})`).join(", ") || "none"
              }`
            )
          }
          return found
        })

      const c = yield* company(query)
      if (!force && c.organizationNumber !== undefined && c.organizationNumber !== query.company) {
        return yield* err("wrong-company", `the Fiken company ${c.slug} is ${c.organizationNumber}, not ${query.company} (use --force to read it anyway)`)
      }
      const mainOf = (code: string) => code.split(":")[0] ?? code
      const wanted = (code: string) => query.accounts.length === 0 || query.accounts.includes(mainOf(code))
      const accountList = yield* all<{ code: string; name?: string }>(`/companies/${c.slug}/accounts`)
      const dayBefore = D.addDays(query.periode.fraOgMed, -1)
      const balances = yield* all<{ code: string; balance?: number }>(`/companies/${c.slug}/accountBalances`, { date: dayBefore })
      const opening = new Map<string, number>()
      for (const b of balances) if (wanted(b.code)) opening.set(mainOf(b.code), (opening.get(mainOf(b.code)) ?? 0) + (b.balance ?? 0))
      const names = new Map<string, string>()
      for (const a of accountList) if (wanted(a.code) && !a.code.includes(":")) names.set(a.code, a.name ?? "")
      const accounts: Array<LedgerAccount> = [...new Set([...names.keys(), ...opening.keys()])].sort().map((n) => ({
        number: n,
        name: names.get(n) ?? "",
        openingBalance: (opening.get(n) ?? 0) as Oere
      }))

      const journal = yield* all<JournalEntry>(`/companies/${c.slug}/journalEntries`, { dateGe: query.periode.fraOgMed, dateLe: query.periode.tilOgMed })
      const entries: Array<LedgerEntry> = []
      const rejected: Array<RejectedLedgerLine> = []
      const link = settings.entryLink ?? DEFAULT_ENTRY_LINK
      for (const je of journal) {
        const date = je.date
        // Filtered again here: the connector does not rely on the server honouring dateGe/dateLe.
        if (typeof date !== "string" || Either.isLeft(D.parse(date)) || date < query.periode.fraOgMed || date > query.periode.tilOgMed) {
          if (typeof date !== "string" || Either.isLeft(D.parse(date))) {
            rejected.push({
              location: `journal entry ${je.journalEntryId ?? "?"}`,
              reason: `no valid date (${String(date)})`,
              reasonNb: `bilaget har ingen gyldig dato (${String(date)})`
            })
          }
          continue
        }
        ;(je.lines ?? []).forEach((line, i) => {
          const code = typeof line.account === "string" && line.account.trim() !== "" ? line.account : undefined
          const location = `journal entry ${je.journalEntryId ?? "?"} line ${i + 1}`
          // A line without an account cannot be placed on any account, wanted or not: it is rejected, never dropped.
          if (code === undefined) {
            rejected.push({ location, reason: `the line has no account (${JSON.stringify(line.account)})`, reasonNb: "linjen har ingen konto" })
            return
          }
          if (!wanted(code)) return
          if (typeof line.amount !== "number" || !Number.isSafeInteger(line.amount)) {
            rejected.push({
              location,
              reason: `the amount is not a whole number of øre: ${JSON.stringify(line.amount)}`,
              reasonNb: `beløpet er ikke et helt antall øre: ${JSON.stringify(line.amount)}`,
              account: mainOf(code)
            })
            return
          }
          entries.push({
            id: `${je.journalEntryId ?? "?"}-${i + 1}`,
            voucher: String(je.journalEntryNumber ?? je.journalEntryId ?? "?"),
            date: date as D.Dato,
            account: mainOf(code),
            amount: line.amount as Oere,
            description: je.description,
            ...(code.includes(":") ? { counterparty: code } : {}),
            link: link.replace("{slug}", c.slug).replace("{id}", String(je.journalEntryId ?? ""))
          })
        })
      }
      return {
        system: "fiken",
        description: `Fiken ${c.name ?? c.slug} (${c.slug})`,
        company: { registrationNumber: c.organizationNumber, name: c.name },
        periode: query.periode,
        accounts,
        entries,
        rejected
      } satisfies LedgerSnapshot
    })
  return { system: "fiken", read: (q) => read(q), readForced: read }
}

/** Settings and credentials from the environment (docs/connectors.md, Fiken). */
export const config = Config.all({
  baseUrl: Config.string("KRAVSYNC_FIKEN_BASE_URL").pipe(Config.withDefault(PRODUCTION)),
  company: Config.option(Config.string("KRAVSYNC_FIKEN_COMPANY")),
  token: Config.option(Config.redacted("KRAVSYNC_FIKEN_TOKEN")),
  clientId: Config.option(Config.string("KRAVSYNC_FIKEN_CLIENT_ID")),
  clientSecret: Config.option(Config.redacted("KRAVSYNC_FIKEN_CLIENT_SECRET")),
  tokenUrl: Config.string("KRAVSYNC_FIKEN_TOKEN_URL").pipe(Config.withDefault("https://fiken.no/oauth/token")),
  tokenFile: Config.string("KRAVSYNC_FIKEN_TOKEN_FILE").pipe(Config.withDefault(".kravsync-fiken.json"))
})

/** Credentials from the settings: a personal token, or an OAuth2 client with a stored login. */
export const authFrom = (c: Config.Config.Success<typeof config>): Effect.Effect<FikenAuth, LedgerSourceError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    if (Option.isSome(c.token)) return personal(c.token.value)
    if (Option.isSome(c.clientId) && Option.isSome(c.clientSecret)) {
      return yield* oauth2({ clientId: c.clientId.value, clientSecret: c.clientSecret.value, tokenUrl: c.tokenUrl }, fileStore(c.tokenFile))
    }
    return yield* err(
      "config",
      "no Fiken credentials: set KRAVSYNC_FIKEN_TOKEN (a personal API token, for your own company) or KRAVSYNC_FIKEN_CLIENT_ID and KRAVSYNC_FIKEN_CLIENT_SECRET and run `kravsync fiken login`"
    )
  })

/** `--ledger fiken` or `--ledger fiken:<slug or orgnr>`, with credentials from the environment, reading over `client`. */
export const makeFactory = (client: HttpClient.HttpClient): LedgerSourceFactory =>
  factoryWithNb({
    scheme: "fiken",
    usage: "fiken[:SLUG|ORGNR] — Fiken API v2 (KRAVSYNC_FIKEN_TOKEN, or OAuth2 via `kravsync fiken login`)",
    make: (spec, options) =>
      Effect.gen(function*() {
        const c = yield* Effect.mapError(config, (e) => err("config", `Fiken settings: ${e.message}`))
        const company = spec.argument !== "" ? spec.argument : Option.getOrUndefined(c.company)
        const source = make({ baseUrl: c.baseUrl, company }, authFrom(c), client)
        return { system: "fiken", read: (q: LedgerQuery) => source.readForced(q, options.force) }
      })
  })

/** The registry entry over the context's HTTP client (bin/main.ts). */
export const factory: Effect.Effect<LedgerSourceFactory, never, HttpClient.HttpClient> = Effect.map(HttpClient.HttpClient, makeFactory)
