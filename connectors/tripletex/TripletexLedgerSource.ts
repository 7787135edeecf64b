/**
 * Tripletex as a LedgerSource (`--ledger tripletex` or `tripletex:COMPANY_ID`).
 *
 * Reads, for the query's accounts and period (docs/connectors.md, «Tripletex»):
 * 1. the company the session acts for (`/token/session/>whoAmI`, or `/company/{id}` for a client
 *    company) and refuses books of another organisation number unless forced;
 * 2. the accounts (`/ledger/account?number=…`);
 * 3. the balance at the period start and end (`/balanceSheet`, `balanceIn`/`balanceOut`, with
 *    `dateTo` the day after the period because Tripletex's `dateTo` is exclusive);
 * 4. the postings (`/ledger/posting?accountId=…&dateFrom=…&dateTo=…`, same exclusive `dateTo`),
 *    only the `fields` used. Amounts are NOK JSON numbers, made exact øre with
 *    `Money.fromKronerNumber`; a posting that cannot be read goes to `rejected`.
 */
import { HttpClient } from "@effect/platform"
import { type ConfigError, Effect, Either, Layer, Option, Schema } from "effect"
import * as D from "../../src/domain/Dato.ts"
import { add, fromKronerNumber, type Oere, sum, toKronerText, zero } from "../../src/domain/Money.ts"
import { Progress } from "../../src/Progress.ts"
import {
  type LedgerAccount,
  type LedgerEntry,
  type LedgerQuery,
  type LedgerSnapshot,
  LedgerSource,
  LedgerSourceError,
  type LedgerSourceShape,
  type RejectedLedgerLine
} from "../../src/reconcile/LedgerSource.ts"
import type { LedgerSourceFactory } from "../../src/reconcile/LedgerSourceRegistry.ts"
import { factoryWithNb } from "./bokmal.ts"
import { config as settingsConfig, envNames, type TripletexSettings } from "./Settings.ts"
import { make as makeClient, type TripletexClientShape } from "./TripletexClient.ts"

export interface TripletexSourceOptions {
  /** Read the books even when Tripletex's organisation number is not the party's (--force). */
  readonly force?: boolean | undefined
  /**
   * Link from an entry back to its voucher in Tripletex's web UI. Default
   * `{webUrl}/execute/voucher?voucherId={voucherId}&contextId={companyId}` (see docs: not from the spec).
   */
  readonly voucherLink?: ((ids: { readonly webUrl: string; readonly companyId: number; readonly voucherId: number }) => string) | undefined
}

const nullable = <S extends Schema.Schema.Any>(s: S) => Schema.optional(Schema.NullOr(s))
const Ref = Schema.Struct({ id: nullable(Schema.Number) })

const CompanyWire = Schema.Struct({ id: nullable(Schema.Number), name: nullable(Schema.String), organizationNumber: nullable(Schema.String) })
const WhoAmIWire = Schema.Struct({ companyId: nullable(Schema.Number), company: nullable(CompanyWire) })
const AccountWire = Schema.Struct({ id: Schema.Number, number: Schema.Number, name: nullable(Schema.String) })
const BalanceWire = Schema.Struct({
  account: Schema.Struct({ id: nullable(Schema.Number), number: Schema.Number }),
  balanceIn: nullable(Schema.Number),
  balanceOut: nullable(Schema.Number)
})
const PostingWire = Schema.Struct({
  id: Schema.Number,
  date: nullable(Schema.String),
  description: nullable(Schema.String),
  amount: nullable(Schema.Number),
  externalRef: nullable(Schema.String),
  invoiceNumber: nullable(Schema.String),
  row: nullable(Schema.Number),
  account: nullable(Schema.Struct({ ...Ref.fields, number: nullable(Schema.Number) })),
  voucher: nullable(
    Schema.Struct({
      ...Ref.fields,
      number: nullable(Schema.Number),
      year: nullable(Schema.Number),
      tempNumber: nullable(Schema.Number),
      description: nullable(Schema.String)
    })
  ),
  supplier: nullable(Schema.Struct({ ...Ref.fields, name: nullable(Schema.String) })),
  customer: nullable(Schema.Struct({ ...Ref.fields, name: nullable(Schema.String) }))
})
type PostingWire = typeof PostingWire.Type

/** The `fields` filters: only what the snapshot uses. */
export const fields = {
  whoAmI: "companyId,company(id,name,organizationNumber)",
  company: "id,name,organizationNumber",
  account: "id,number,name",
  balance: "account(id,number),balanceIn,balanceOut",
  posting:
    "id,date,description,amount,externalRef,invoiceNumber,row,account(id,number),voucher(id,number,year,tempNumber,description),supplier(id,name),customer(id,name)",
  clients: "id,name,organizationNumber"
} as const

const invalid = (message: string, location?: string) => new LedgerSourceError({ system: "tripletex", kind: "invalid-data", message, location })
const decode = <A, I>(schema: Schema.Schema<A, I>, what: string) => (u: unknown) =>
  Schema.decodeUnknown(schema)(u).pipe(Effect.mapError((e) => invalid(`Tripletex sent ${what} that cannot be read: ${e.message.split("\n")[0] ?? ""}`)))

const oere = (n: number | null | undefined, what: string): Effect.Effect<Oere, LedgerSourceError> =>
  n === null || n === undefined
    ? Effect.succeed(zero)
    : Either.match(fromKronerNumber(n), { onLeft: (p) => Effect.fail(invalid(`Tripletex sent ${what} ${n}: ${p}`)), onRight: Effect.succeed })

const shorten = (u: unknown) => {
  const s = JSON.stringify(u) ?? String(u)
  return s.length > 300 ? `${s.slice(0, 300)}…` : s
}
const digits = (s: string | null | undefined) => (s ?? "").replace(/\D/g, "")
const nonEmpty = (s: string | null | undefined): s is string => typeof s === "string" && s.trim() !== ""

const defaultVoucherLink: NonNullable<TripletexSourceOptions["voucherLink"]> = ({ webUrl, companyId, voucherId }) =>
  `${webUrl}/execute/voucher?voucherId=${voucherId}&contextId=${companyId}`

/** The period as Tripletex's query parameters take it: `dateTo` is exclusive, so the day after `tilOgMed`. */
interface Window {
  readonly fraOgMed: D.Dato
  readonly tilOgMed: D.Dato
  readonly dateTo: D.Dato
}

type Account = typeof AccountWire.Type

interface Balance {
  readonly opening: Oere
  readonly closing: Oere
}

/** One account's postings as Tripletex sent them. */
interface PostingPage {
  readonly account: Account
  readonly values: ReadonlyArray<unknown>
}

/** The mapping's account numbers as Tripletex's whole numbers (none: every account). */
const accountNumbers = (query: LedgerQuery): Either.Either<ReadonlyArray<number>, LedgerSourceError> => {
  const bad = query.accounts.find((a) => !/^\d+$/.test(a.trim()))
  return bad === undefined
    ? Either.right(query.accounts.map((a) => Number(a.trim())))
    : Either.left(
      new LedgerSourceError({ system: "tripletex", kind: "config", message: `Tripletex account numbers are whole numbers; the mapping asks for "${bad}"` })
    )
}

/** Refuses books of another organisation number (or of none) than the party's. */
const checkCompany = (company: CompanyInfo, party: string): Either.Either<CompanyInfo, LedgerSourceError> => {
  const org = digits(company.organizationNumber)
  if (org === "") {
    return Either.left(
      new LedgerSourceError({
        system: "tripletex",
        kind: "wrong-company",
        message: `Tripletex company ${company.id} (${
          company.name ?? "?"
        }) has no organisation number, so it cannot be checked against ${party}; use --force to read it anyway`
      })
    )
  }
  if (org !== digits(party)) {
    return Either.left(
      new LedgerSourceError({
        system: "tripletex",
        kind: "wrong-company",
        message: `the Tripletex company is ${company.organizationNumber} (${
          company.name ?? "?"
        }), not ${party}; set ${envNames.companyId} (or --ledger tripletex:ID) to the right client company, or use --force`
      })
    )
  }
  return Either.right(company)
}

/** 1. Whose books these are: the session's company, checked against the party unless forced. */
const resolveCompany = (client: TripletexClientShape, party: string, force: boolean): Effect.Effect<CompanyInfo, LedgerSourceError> =>
  Effect.flatMap(whichCompany(client), (company) => (force ? Effect.succeed(company) : checkCompany(company, party)))

/** 2. The accounts asked for (all when `numbers` is empty). */
const readAccounts = (client: TripletexClientShape, numbers: ReadonlyArray<number>): Effect.Effect<ReadonlyArray<Account>, LedgerSourceError> =>
  client.list("/ledger/account", { number: numbers.length > 0 ? numbers.join(",") : undefined, fields: fields.account }).pipe(
    Effect.flatMap(Effect.forEach(decode(AccountWire, "an account"))),
    Effect.map((accounts) => (numbers.length === 0 ? accounts : accounts.filter((a) => numbers.includes(a.number))))
  )

/** 3. The balance of each account at the start and the end of the period (`/balanceSheet`, one call per account, or one for all). */
const readBalances = (
  client: TripletexClientShape,
  accounts: ReadonlyArray<Account>,
  all: boolean,
  window: Window
): Effect.Effect<ReadonlyMap<number, Balance>, LedgerSourceError> => {
  const params = (from: number | undefined, to: number | undefined) => ({
    dateFrom: window.fraOgMed,
    dateTo: window.dateTo,
    accountNumberFrom: from,
    accountNumberTo: to,
    includeActiveAccountsWithoutMovements: true,
    fields: fields.balance
  })
  const rows = all
    ? client.list("/balanceSheet", params(undefined, undefined))
    : Effect.map(
      Effect.forEach(accounts, (a) => client.list("/balanceSheet", params(a.number, a.number + 1)), { concurrency: "inherit" }),
      (pages) => pages.flat()
    )
  const balanceOf = (row: unknown) =>
    Effect.gen(function*() {
      const b = yield* decode(BalanceWire, "a balance sheet row")(row)
      const opening = yield* oere(b.balanceIn, `an opening balance for account ${b.account.number}:`)
      const closing = yield* oere(b.balanceOut, `a closing balance for account ${b.account.number}:`)
      return [b.account.number, { opening, closing }] as const
    })
  return rows.pipe(Effect.flatMap(Effect.forEach(balanceOf)), Effect.map((pairs) => new Map(pairs)))
}

/** 4. The postings of each account in the period, as sent. */
const readPostingPages = (
  client: TripletexClientShape,
  accounts: ReadonlyArray<Account>,
  window: Window
): Effect.Effect<ReadonlyArray<PostingPage>, LedgerSourceError> =>
  Effect.forEach(
    accounts,
    (account) =>
      client.list("/ledger/posting", { dateFrom: window.fraOgMed, dateTo: window.dateTo, accountId: account.id, fields: fields.posting }).pipe(
        Effect.map((values): PostingPage => ({ account, values }))
      ),
    { concurrency: "inherit" }
  )

/**
 * 5. The postings as ledger entries in ledger order (by date, then voucher, then line, whatever
 * order the accounts were read in); a posting that cannot be read goes to `rejected`.
 */
const toEntries = (
  pages: ReadonlyArray<PostingPage>,
  periode: Window,
  link: (voucherId: number) => string
): { readonly entries: ReadonlyArray<LedgerEntry>; readonly rejected: ReadonlyArray<RejectedLedgerLine> } => {
  const entries: Array<LedgerEntry> = []
  const rejected: Array<RejectedLedgerLine> = []
  const order = new Map<LedgerEntry, readonly [number, number, number]>()
  for (const { account, values } of pages) {
    values.forEach((raw, i) => {
      const r = toEntry(raw, account.number, periode, link)
      if (Either.isRight(r)) {
        entries.push(r.right.entry)
        order.set(r.right.entry, r.right.sortKey)
      } else {
        rejected.push({
          location: r.left.location ?? `posting ${i + 1} on account ${account.number}`,
          reason: r.left.reason,
          reasonNb: r.left.reasonNb,
          raw: shorten(raw),
          account: String(account.number)
        })
      }
    })
  }
  entries.sort((a, b) => {
    if (a.date !== b.date) return a.date < b.date ? -1 : 1
    const ka = order.get(a) ?? [0, 0, 0]
    const kb = order.get(b) ?? [0, 0, 0]
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2]
  })
  return { entries, rejected }
}

/**
 * 6. Each account with its opening and closing balance. An account whose postings do not add up
 * to Tripletex's own closing balance has lines we could not see or read: it is listed in
 * `rejected` rather than reconciled against an incomplete ledger silently.
 */
const toLedgerAccounts = (
  accounts: ReadonlyArray<Account>,
  balances: ReadonlyMap<number, Balance>,
  entries: ReadonlyArray<LedgerEntry>,
  periode: Window
): { readonly accounts: ReadonlyArray<LedgerAccount>; readonly rejected: ReadonlyArray<RejectedLedgerLine> } => {
  const rejected: Array<RejectedLedgerLine> = []
  const ledgerAccounts = accounts.map((a): LedgerAccount => {
    const b = balances.get(a.number)
    const opening = b?.opening ?? zero
    const movement = sum(entries.filter((e) => e.account === String(a.number)).map((e) => e.amount))
    const derived = add(opening, movement)
    if (b !== undefined && derived !== b.closing) {
      rejected.push({
        location: `account ${a.number} (balance sheet ${periode.fraOgMed}–${periode.tilOgMed})`,
        reason: `the postings read sum to a closing balance of ${toKronerText(derived)}, Tripletex's balance sheet says ${
          toKronerText(b.closing)
        }; some postings are missing or unreadable (the employee token may not see them all)`,
        reasonNb: `posteringene som ble lest gir en utgående saldo på ${toKronerText(derived)}, Tripletex' balanse sier ${
          toKronerText(b.closing)
        }; noen posteringer mangler eller kunne ikke leses (ansattnøkkelen ser kanskje ikke alle)`,
        account: String(a.number)
      })
    }
    return { number: String(a.number), name: a.name ?? "", openingBalance: opening, closingBalance: b?.closing ?? derived }
  })
  return { accounts: ledgerAccounts, rejected }
}

/**
 * Reads one snapshot through a client (the session and rate limits live in the client), in the
 * stages above: resolve the company → accounts → opening and closing balances → postings →
 * entries and accounts.
 */
export const readLedger = (
  client: TripletexClientShape,
  query: LedgerQuery,
  options: TripletexSourceOptions = {}
): Effect.Effect<LedgerSnapshot, LedgerSourceError> =>
  Effect.gen(function*() {
    const settings = client.settings
    const numbers = yield* accountNumbers(query)
    const window: Window = { ...query.periode, dateTo: D.addDays(query.periode.tilOgMed, 1) }
    const company = yield* resolveCompany(client, query.company, options.force === true)
    const wanted = yield* readAccounts(client, numbers)
    const balances = yield* readBalances(client, wanted, numbers.length === 0, window)
    const pages = yield* readPostingPages(client, wanted, window)
    const webUrl = (settings.webUrl ?? new URL(settings.baseUrl).origin).replace(/\/+$/, "")
    const link = options.voucherLink ?? defaultVoucherLink
    const postings = toEntries(pages, window, (voucherId) => link({ webUrl, companyId: company.id, voucherId }))
    const accounts = toLedgerAccounts(wanted, balances, postings.entries, window)
    return {
      system: "tripletex",
      description: `Tripletex ${company.name ?? "?"} (${company.organizationNumber ?? "no org. no."}), company id ${company.id}, ${
        new URL(settings.baseUrl).host
      }`,
      company: { registrationNumber: company.organizationNumber ?? undefined, name: company.name ?? undefined },
      periode: query.periode,
      accounts: accounts.accounts,
      entries: postings.entries,
      rejected: [...postings.rejected, ...accounts.rejected]
    } satisfies LedgerSnapshot
  })

interface CompanyInfo {
  readonly id: number
  readonly name?: string | null | undefined
  readonly organizationNumber?: string | null | undefined
}

/** The company the session acts for; a refused client company lists those the user can act for. */
const whichCompany = (client: TripletexClientShape): Effect.Effect<CompanyInfo, LedgerSourceError> => {
  const companyId = client.settings.companyId
  if (companyId === 0) {
    return client.getValue("/token/session/>whoAmI", { fields: fields.whoAmI }).pipe(
      Effect.flatMap(decode(WhoAmIWire, "the logged-in user")),
      Effect.map((w) => ({ id: w.company?.id ?? w.companyId ?? 0, name: w.company?.name, organizationNumber: w.company?.organizationNumber }))
    )
  }
  return client.getValue(`/company/${companyId}`, { fields: fields.company }).pipe(
    Effect.flatMap(decode(CompanyWire, "the company")),
    Effect.map((c) => ({ id: c.id ?? companyId, name: c.name, organizationNumber: c.organizationNumber })),
    Effect.catchIf(
      (e) => e.kind === "auth" || e.kind === "not-found",
      (e) =>
        client.list("/company/>withLoginAccess", { fields: fields.clients }, { companyId: 0 }).pipe(
          Effect.flatMap(Effect.forEach(decode(CompanyWire, "a client company"))),
          Effect.option,
          Effect.flatMap((clients) => {
            const names = Option.match(clients, {
              onNone: () => "",
              onSome: (cs) =>
                cs.length === 0
                  ? "; the employee has login access to no client companies"
                  : `; companies the employee can act for: ${
                    cs.map((c) => `${c.id} ${c.name ?? ""}${c.organizationNumber ? ` (${c.organizationNumber})` : ""}`).join(", ")
                  }`
            })
            return Effect.fail(
              new LedgerSourceError({
                system: e.system,
                kind: e.kind,
                location: e.location,
                message: `cannot read client company ${companyId} (${envNames.companyId}): ${e.message}${names}`
              })
            )
          })
        )
    )
  )
}

interface Problem {
  readonly reason: string
  readonly reasonNb: string
  readonly location?: string
}

const toEntry = (
  raw: unknown,
  accountNumber: number,
  periode: { readonly fraOgMed: string; readonly tilOgMed: string },
  link: (voucherId: number) => string
): Either.Either<{ readonly entry: LedgerEntry; readonly sortKey: readonly [number, number, number] }, Problem> => {
  const decoded = Schema.decodeUnknownEither(PostingWire)(raw)
  if (Either.isLeft(decoded)) {
    const id = typeof raw === "object" && raw !== null && "id" in raw ? String((raw as { id: unknown }).id) : undefined
    return Either.left({
      reason: `not a posting Tripletex's spec describes: ${decoded.left.message.split("\n").slice(0, 3).join(" ")}`,
      reasonNb: `ikke en postering slik Tripletex' spesifikasjon beskriver den: ${decoded.left.message.split("\n").slice(0, 3).join(" ")}`,
      location: id === undefined ? undefined : `posting ${id}`
    })
  }
  const p: PostingWire = decoded.right
  const v = p.voucher
  const voucher = v?.number != null && v.number > 0
    ? `${v.number}-${v.year ?? ""}`.replace(/-$/, "")
    : v?.tempNumber != null
    ? `temp ${v.tempNumber}`
    : v?.id != null
    ? `id ${v.id}`
    : "?"
  const location = `posting ${p.id}, voucher ${voucher}`
  if (p.amount === undefined || p.amount === null) {
    return Either.left({
      location,
      reason: "the posting has no amount (a field hidden from this employee token, or not sent)",
      reasonNb: "posteringen har ikke noe beløp (feltet er skjult for denne ansattnøkkelen, eller ikke sendt)"
    })
  }
  const amount = fromKronerNumber(p.amount)
  if (Either.isLeft(amount)) {
    return Either.left({
      location,
      reason: `amount ${p.amount}: ${amount.left}`,
      reasonNb: `beløpet ${p.amount} kan ikke leses som kroner og øre: ${amount.left}`
    })
  }
  if (p.date === undefined || p.date === null) return Either.left({ location, reason: "the posting has no date", reasonNb: "posteringen har ingen dato" })
  const date = D.parse(p.date)
  if (Either.isLeft(date)) return Either.left({ location, reason: date.left, reasonNb: `datoen ${p.date} er ikke en gyldig dato: ${date.left}` })
  if (date.right < periode.fraOgMed || date.right > periode.tilOgMed) {
    return Either.left({
      location,
      reason: `dated ${date.right}, outside the period ${periode.fraOgMed}–${periode.tilOgMed} that was asked for`,
      reasonNb: `datert ${date.right}, utenfor perioden ${periode.fraOgMed}–${periode.tilOgMed} som ble spurt etter`
    })
  }
  const reference = [p.externalRef, p.invoiceNumber].filter(nonEmpty).map((s) => s.trim())
  const description = nonEmpty(p.description) ? p.description : nonEmpty(v?.description) ? v.description : undefined
  const counterparty = nonEmpty(p.supplier?.name) ? p.supplier.name : nonEmpty(p.customer?.name) ? p.customer.name : undefined
  const entry: LedgerEntry = {
    id: String(p.id),
    voucher,
    date: date.right,
    account: String(p.account?.number ?? accountNumber),
    amount: amount.right,
    description,
    reference: reference.length > 0 ? reference.join(" ") : undefined,
    counterparty,
    link: v?.id != null ? link(v.id) : undefined
  }
  return Either.right({ entry, sortKey: [(v?.year ?? 0) * 10_000_000 + (v?.number ?? 0), p.row ?? 0, p.id] })
}

/** A LedgerSource over Tripletex; each `read` opens one session over `http` (the program's own HTTP client). */
export const make = (settings: TripletexSettings, options: TripletexSourceOptions, http: HttpClient.HttpClient): LedgerSourceShape => ({
  system: "tripletex",
  read: (query) =>
    Effect.scoped(Effect.flatMap(makeClient(settings), (client) => readLedger(client, query, options))).pipe(
      Effect.provideService(HttpClient.HttpClient, http),
      Effect.ensuring(Effect.flatMap(Progress, (progress) => Effect.sync(() => progress.end("ledger")))),
      Effect.withSpan("tripletex.read")
    )
})

/** Settings from the environment as a `config` LedgerSourceError naming the variable. */
export const loadSettings = (overrides: Partial<TripletexSettings> = {}): Effect.Effect<TripletexSettings, LedgerSourceError> =>
  settingsConfig.pipe(
    Effect.map((s) => ({ ...s, ...overrides })),
    Effect.mapError((e) => {
      const missing: Array<string> = []
      const invalid: Array<string> = []
      const walk = (c: ConfigError.ConfigError): void => {
        if (c._op === "And" || c._op === "Or") {
          walk(c.left)
          walk(c.right)
        } else if (c._op === "MissingData") missing.push(c.path.join("."))
        else invalid.push(`${c.path.join(".")}: ${c.message}`)
      }
      walk(e)
      const parts = [missing.length > 0 ? `${missing.join(" and ")} not set` : "", ...invalid].filter((x) => x !== "")
      return new LedgerSourceError({
        system: "tripletex",
        kind: "config",
        message: `Tripletex settings: ${parts.join("; ")} (docs/connectors.md, «Tripletex»)`
      })
    })
  )

/** The LedgerSource from KRAVSYNC_TRIPLETEX_* (for programs that use the port directly), over the context's HTTP client. */
export const layerConfig = (options: TripletexSourceOptions = {}): Layer.Layer<LedgerSource, LedgerSourceError, HttpClient.HttpClient> =>
  Layer.effect(LedgerSource, Effect.zipWith(loadSettings(), HttpClient.HttpClient, (s, http) => make(s, options, http)))

export interface FactoryOptions {
  /** Settings used instead of the environment (tests, demos). */
  readonly settings?: TripletexSettings | undefined
  readonly voucherLink?: TripletexSourceOptions["voucherLink"]
}

/** A registry entry for `--ledger tripletex` / `tripletex:COMPANY_ID`, reading over `http`. */
export const makeFactory = (http: HttpClient.HttpClient, o: FactoryOptions = {}): LedgerSourceFactory =>
  factoryWithNb({
    scheme: "tripletex",
    usage: `tripletex[:COMPANY_ID] — the Tripletex API (${envNames.consumerToken}, ${envNames.employeeToken}; COMPANY_ID for an accountant's client)`,
    make: (spec, options) =>
      Effect.gen(function*() {
        const arg = spec.argument.trim()
        if (arg !== "" && !/^\d+$/.test(arg)) {
          return yield* Effect.fail(
            new LedgerSourceError({
              system: "tripletex",
              kind: "config",
              message: `--ledger tripletex:${arg}: the part after "tripletex:" is a company id (digits), 0 for your own company`
            })
          )
        }
        const base = o.settings ?? (yield* loadSettings())
        const settings = arg === "" ? base : { ...base, companyId: Number(arg) }
        return make(settings, { force: options.force, voucherLink: o.voucherLink }, http)
      })
  })

/** The registry entry over the context's HTTP client (bin/main.ts: `LedgerSourceRegistry.layerEffect([…, Tripletex.factory])`). */
export const factory: Effect.Effect<LedgerSourceFactory, never, HttpClient.HttpClient> = Effect.map(HttpClient.HttpClient, (http) => makeFactory(http))
