/**
 * Writes SAF-T Financial files from a ledger description, streamed: transactions come from a
 * function returning a fresh iterable (read twice: once for the totals the header needs and to
 * check the description, once to write), so files of any size can be produced with flat memory.
 * Used by tests, the demo ledgers and the benchmarks.
 *
 * Every file written validates against the official schema of its version
 * (/work/shared/reference/saf-t/Norwegian_SAF-T_Financial_Schema_v_1.30.xsd, the default, or
 * …_v_1.10.xsd); connectors/saft/xsd.test.ts checks that with libxml2's validator:
 * - element order and the mandatory elements follow the XSD: Header (AuditFileVersion …
 *   SoftwareVersion, Company with RegistrationNumber, Name and the one Contact 1.30 requires,
 *   DefaultCurrencyCode, SelectionCriteria, TaxAccountingBasis "A"), MasterFiles/
 *   GeneralLedgerAccounts/Account (AccountID, AccountDescription, the grouping, AccountType "GL",
 *   opening and closing balance), GeneralLedgerEntries (NumberOfEntries, TotalDebit, TotalCredit,
 *   Journal, Transaction, Line);
 * - account grouping: 1.30 requires GroupingCategory + GroupingCode ("use category/code from
 *   codelists", XSD annotation); 1.10 has StandardAccountID (see `grouping` below);
 * - the XSD's keys: every CustomerID/SupplierID a line names is listed in MasterFiles/Customers
 *   or Suppliers (KeyCustomer/KeySupplier), every AccountID in GeneralLedgerAccounts. (The XSD's
 *   key selectors are written without a namespace prefix, so validators do not enforce them on
 *   qualified elements; the writer keeps them anyway, as the keys intend.)
 * - lengths (SAFmiddle1textType 35, SAFmiddle2textType 70, SAFlongtextType
 *   256 characters): free text (names, descriptions) is cut to the limit; an identifier that is
 *   too long, a transaction with no lines (Line is 1..unbounded) or a year outside 1970–2100
 *   (PeriodYear) is refused with an error naming the field, before anything is written;
 * - SelectionCriteria: PeriodStart/PeriodEnd (accounting months) when the period is whole months,
 *   otherwise SelectionStartDate/SelectionEndDate — the XSD allows either ("a choice between
 *   selection on calendar dates and periods"), and the dates say exactly which days are covered.
 * TaxTable is optional in both versions and only needed when lines carry TaxInformation, which
 * this writer does not produce.
 */
import { createWriteStream } from "node:fs"
import { SAFT_NAMESPACE } from "../../connectors/saft/SaftReader.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import * as D from "../../src/domain/Dato.ts"
import { type Oere, toKronerText } from "../../src/domain/Money.ts"
import type { Periode } from "../../src/domain/Periode.ts"

export interface SaftLine {
  readonly account: string
  /** Signed øre, debit positive. */
  readonly amount: Oere
  readonly description?: string
  readonly reference?: string
  readonly sourceDocumentId?: string
  readonly customerId?: string
  readonly supplierId?: string
}

export interface SaftTransaction {
  readonly id: string
  readonly date: Dato
  readonly description?: string
  readonly lines: ReadonlyArray<SaftLine>
}

export interface SaftAccount {
  readonly id: string
  readonly description: string
  /** Signed øre at the start of the period. */
  readonly opening: Oere
  /** 1.30: overrides the description's (or the default) GroupingCategory for this account. */
  readonly groupingCategory?: string
  /** 1.30: overrides the GroupingCode derived from the account number (see `groupingCode`). */
  readonly groupingCode?: string
  /** 1.10: overrides the StandardAccountID (default: the account number's first two digits). */
  readonly standardAccountId?: string
}

/** A customer or supplier named by lines (`customerId`/`supplierId`), for MasterFiles. */
export interface SaftParty {
  readonly id: string
  readonly name: string
}

export type SaftVersion = "1.30" | "1.10"

export interface SaftDescription {
  readonly company: { readonly registrationNumber: string; readonly name: string }
  readonly periode: Periode
  readonly accounts: ReadonlyArray<SaftAccount>
  readonly transactions: () => Iterable<SaftTransaction>
  readonly createdDate?: Dato
  /** Schema version of the file; default "1.30". */
  readonly version?: SaftVersion
  /** 1.30 GroupingCategory of every account without its own; default "RF-1167" (see `grouping`). */
  readonly groupingCategory?: string
  /** Names of the customers lines refer to; an id without a name here is listed as "Kunde ID". */
  readonly customers?: ReadonlyArray<SaftParty>
  /** Names of the suppliers lines refer to; an id without a name here is listed as "Leverandør ID". */
  readonly suppliers?: ReadonlyArray<SaftParty>
}

/** A description the schema cannot represent (an identifier too long, a transaction without lines). */
export class SaftWriteError extends Error {
  override readonly name = "SaftWriteError"
}

/**
 * The account grouping written for 1.30. The XSD only says "Use category from codelists"; the
 * codelists are Skatteetaten's published SAF-T grouping categories. We use **RF-1167**
 * (Næringsoppgave 2, the income-statement form of limited companies — every company the demos and
 * tests describe is an AS), and as GroupingCode the account number itself when it is an RF-1167
 * code: the form's posts are numbered after the NS 4102 standard chart, so 1920, 2510, 2600,
 * 2740, 2770, 5000, 5400, 8300 map to themselves. Another 4-digit account gets the RF-1167 post
 * it is normally summed into: the nearest code at or below it in its two-digit group, else the
 * group's first code (2700/2710 utgående/inngående mva → 2740 skyldig merverdiavgift), else the
 * nearest code below it. That is an approximation good enough for test and demo books; a real
 * chart maps each account explicitly (SaftAccount.groupingCode). An account id that does not
 * start with four digits is written as its own code.
 */
export const DEFAULT_GROUPING_CATEGORY = "RF-1167"

// RF-1167 (Næringsoppgave 2) grouping codes, from Skatteetaten's SAF-T codelist RF-1167_Grouping_Category_Code.
const RF1167 = (
  "1000 1020 1070 1080 1105 1115 1117 1120 1130 1150 1160 1180 1205 1221 1225 1238 1239 1280 1290 1312 1313 1320 1331 1332 1340 1350 " +
  "1360 1370 1380 1390 1395 1400 1490 1500 1501 1530 1560 1565 1570 1780 1800 1810 1830 1840 1880 1900 1920 2000 2010 2020 2030 2043 " +
  "2045 2055 2059 2080 2100 2120 2130 2160 2180 2200 2210 2220 2250 2260 2280 2290 2310 2320 2330 2380 2400 2460 2500 2510 2600 2740 " +
  "2770 2790 2800 2900 2910 2920 2949 2950 2970 2980 2990 3000 3100 3200 3300 3400 3500 3600 3695 3700 3850 3870 3880 3885 3900 4005 " +
  "4295 4500 4995 5000 5300 5400 5420 5600 5900 6000 6050 6100 6200 6300 6340 6395 6400 6500 6600 6695 6700 6995 7000 7020 7040 7080 " +
  "7099 7155 7165 7295 7330 7370 7490 7500 7565 7600 7700 7830 7880 7885 8005 8006 8030 8050 8060 8074 8079 8080 8090 8100 8115 8130 " +
  "8150 8160 8174 8179 8300 8320 8400 8500 8600 8620 8910 9200"
)
  .split(" ")
  .sort()

/** The RF-1167 GroupingCode for an account number (the rule above). */
export const groupingCode = (accountId: string): string => {
  const m = /^\d{4}/.exec(accountId)
  if (m === null) return accountId
  const n = m[0]
  if (RF1167.includes(n)) return n
  const group = RF1167.filter((c) => c.slice(0, 2) === n.slice(0, 2))
  const below = (cs: ReadonlyArray<string>) => cs.filter((c) => c <= n).at(-1)
  return below(group) ?? group[0] ?? below(RF1167) ?? (RF1167[0] as string)
}

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")

/** Free text cut to the schema's maxLength (which counts characters, not UTF-16 units). */
const clip = (s: string, max: number): string => {
  const chars = Array.from(s)
  return chars.length <= max ? s : chars.slice(0, max).join("")
}
const text = (s: string, max: number): string => esc(clip(s, max))

const MIDDLE1 = 35
const MIDDLE2 = 70
const LONG = 256

/** An identifier must fit as it is: cutting it would change what it identifies. */
const checkId = (value: string, max: number, field: string, where: string): void => {
  const n = Array.from(value).length
  if (n === 0) throw new SaftWriteError(`${where}: ${field} is empty; SAF-T requires a value`)
  if (n > max) throw new SaftWriteError(`${where}: ${field} "${value}" is ${n} characters; the SAF-T schema allows ${max}`)
}

const checkYear = (date: Dato, where: string): void => {
  const p = D.problem(date)
  if (p !== undefined) throw new SaftWriteError(`${where}: date "${date}": ${p}`)
  const y = Number(date.slice(0, 4))
  if (y < 1970 || y > 2100) throw new SaftWriteError(`${where}: date ${date}: the SAF-T schema allows years 1970–2100`)
}

const balance = (kind: "Opening" | "Closing", v: number): string =>
  v < 0
    ? `<n1:${kind}CreditBalance>${toKronerText(-v as Oere)}</n1:${kind}CreditBalance>`
    : `<n1:${kind}DebitBalance>${toKronerText(v as Oere)}</n1:${kind}DebitBalance>`

const lastDayOfMonth = (d: Dato): boolean => D.addDays(d, 1).slice(8) === "01"

const selectionCriteria = (p: Periode): string => {
  if (p.fraOgMed.slice(8) === "01" && lastDayOfMonth(p.tilOgMed)) {
    const [sy, sm] = p.fraOgMed.split("-")
    const [ey, em] = p.tilOgMed.split("-")
    return `<n1:SelectionCriteria><n1:PeriodStart>${Number(sm)}</n1:PeriodStart><n1:PeriodStartYear>${sy}</n1:PeriodStartYear><n1:PeriodEnd>${
      Number(em)
    }</n1:PeriodEnd><n1:PeriodEndYear>${ey}</n1:PeriodEndYear></n1:SelectionCriteria>`
  }
  return `<n1:SelectionCriteria><n1:SelectionStartDate>${p.fraOgMed}</n1:SelectionStartDate><n1:SelectionEndDate>${p.tilOgMed}</n1:SelectionEndDate></n1:SelectionCriteria>`
}

const accountGrouping = (d: SaftDescription, a: SaftAccount): string => {
  if ((d.version ?? "1.30") === "1.10") return `<n1:StandardAccountID>${esc(a.standardAccountId ?? a.id.slice(0, 2))}</n1:StandardAccountID>`
  // 1.10 types GroupingCategory as SAFmiddle1textType (35); 1.30 as SAFlongtextType (256).
  return `<n1:GroupingCategory>${esc(a.groupingCategory ?? d.groupingCategory ?? DEFAULT_GROUPING_CATEGORY)}</n1:GroupingCategory><n1:GroupingCode>${
    esc(a.groupingCode ?? clip(groupingCode(a.id), MIDDLE1))
  }</n1:GroupingCode>`
}

const parties = (
  version: SaftVersion,
  kind: "Customer" | "Supplier",
  ids: ReadonlySet<string>,
  named: ReadonlyArray<SaftParty> | undefined,
  fallback: string
): string => {
  if (ids.size === 0) return ""
  const names = new Map((named ?? []).map((p) => [p.id, p.name]))
  // 1.10's CompanyStructure requires an Address (all of whose parts are optional); 1.30's does not.
  const address = version === "1.10" ? "<n1:Address></n1:Address>" : ""
  let s = `<n1:${kind}s>`
  for (const id of [...ids].sort()) {
    s += `<n1:${kind}><n1:Name>${text(names.get(id) ?? `${fallback} ${id}`, LONG)}</n1:Name>${address}<n1:${kind}ID>${esc(id)}</n1:${kind}ID></n1:${kind}>`
  }
  return `${s}</n1:${kind}s>`
}

/** The file as text chunks; throws SaftWriteError (before the first chunk) for a description the schema cannot hold. */
export function* saftChunks(d: SaftDescription): Generator<string> {
  const version = d.version ?? "1.30"
  // Pass 1: check, totals and closing balances, the customers and suppliers lines name.
  checkId(d.company.registrationNumber, MIDDLE1, "RegistrationNumber", "Header/Company")
  checkYear(d.periode.fraOgMed, "SelectionCriteria")
  checkYear(d.periode.tilOgMed, "SelectionCriteria")
  for (const a of d.accounts) checkId(a.id, MIDDLE2, "AccountID", `account ${a.id}`)
  const movement = new Map<string, number>()
  const customers = new Set<string>()
  const suppliers = new Set<string>()
  let count = 0
  let debit = 0
  let credit = 0
  for (const t of d.transactions()) {
    count++
    const where = `transaction ${t.id}`
    checkId(t.id, MIDDLE2, "TransactionID", where)
    checkYear(t.date, where)
    if (t.lines.length === 0) throw new SaftWriteError(`${where}: no lines; the SAF-T schema requires at least one Line per Transaction`)
    t.lines.forEach((l, i) => {
      const at = `${where}, line ${i + 1}`
      checkId(l.account, MIDDLE2, "AccountID", at)
      if (l.reference) checkId(l.reference, MIDDLE1, "ReferenceNumber", at)
      if (l.sourceDocumentId) checkId(l.sourceDocumentId, MIDDLE1, "SourceDocumentID", at)
      if (l.customerId) {
        checkId(l.customerId, MIDDLE1, "CustomerID", at)
        customers.add(l.customerId)
      }
      if (l.supplierId) {
        checkId(l.supplierId, MIDDLE1, "SupplierID", at)
        suppliers.add(l.supplierId)
      }
      movement.set(l.account, (movement.get(l.account) ?? 0) + l.amount)
      if (l.amount >= 0) debit += l.amount
      else credit -= l.amount
    })
  }
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<n1:AuditFile xmlns:n1="${SAFT_NAMESPACE}">\n`
  yield `<n1:Header><n1:AuditFileVersion>${version}</n1:AuditFileVersion><n1:AuditFileCountry>NO</n1:AuditFileCountry><n1:AuditFileDateCreated>${
    d.createdDate ?? d.periode.tilOgMed
  }</n1:AuditFileDateCreated><n1:SoftwareCompanyName>kravsync</n1:SoftwareCompanyName><n1:SoftwareID>kravsync SaftWriter</n1:SoftwareID><n1:SoftwareVersion>1</n1:SoftwareVersion>`
  yield `<n1:Company><n1:RegistrationNumber>${esc(d.company.registrationNumber)}</n1:RegistrationNumber><n1:Name>${
    text(d.company.name, LONG)
  }</n1:Name><n1:Address><n1:City>Oslo</n1:City><n1:PostalCode>0150</n1:PostalCode></n1:Address><n1:Contact><n1:ContactPerson><n1:FirstName>Kari</n1:FirstName><n1:LastName>Nordmann</n1:LastName></n1:ContactPerson></n1:Contact></n1:Company>`
  yield `<n1:DefaultCurrencyCode>NOK</n1:DefaultCurrencyCode>${selectionCriteria(d.periode)}<n1:TaxAccountingBasis>A</n1:TaxAccountingBasis></n1:Header>\n`
  const known = new Set(d.accounts.map((a) => a.id))
  const all: ReadonlyArray<SaftAccount> = [
    ...d.accounts,
    ...[...movement.keys()].filter((a) => !known.has(a)).sort().map((id) => ({ id, description: `Konto ${id}`, opening: 0 as Oere }))
  ]
  // GeneralLedgerAccounts, when present, needs at least one Account.
  yield `<n1:MasterFiles>${all.length > 0 ? "<n1:GeneralLedgerAccounts>" : ""}\n`
  for (const a of all) {
    yield `<n1:Account><n1:AccountID>${esc(a.id)}</n1:AccountID><n1:AccountDescription>${text(a.description, LONG)}</n1:AccountDescription>${
      accountGrouping(d, a)
    }<n1:AccountType>GL</n1:AccountType>${balance("Opening", a.opening)}${balance("Closing", a.opening + (movement.get(a.id) ?? 0))}</n1:Account>\n`
  }
  if (all.length > 0) yield `</n1:GeneralLedgerAccounts>`
  yield parties(version, "Customer", customers, d.customers, "Kunde")
  yield parties(version, "Supplier", suppliers, d.suppliers, "Leverandør")
  yield `</n1:MasterFiles>\n`
  yield `<n1:GeneralLedgerEntries><n1:NumberOfEntries>${count}</n1:NumberOfEntries><n1:TotalDebit>${
    toKronerText(debit as Oere)
  }</n1:TotalDebit><n1:TotalCredit>${toKronerText(credit as Oere)}</n1:TotalCredit>\n`
  yield `<n1:Journal><n1:JournalID>GL</n1:JournalID><n1:Description>Hovedbok</n1:Description><n1:Type>GL</n1:Type>\n`
  // Pass 2: the entries.
  for (const t of d.transactions()) {
    const [y, m] = t.date.split("-")
    const description = t.description ?? t.id
    let s = `<n1:Transaction><n1:TransactionID>${esc(t.id)}</n1:TransactionID><n1:Period>${
      Number(m)
    }</n1:Period><n1:PeriodYear>${y}</n1:PeriodYear><n1:TransactionDate>${t.date}</n1:TransactionDate><n1:Description>${
      text(description, LONG)
    }</n1:Description><n1:SystemEntryDate>${t.date}</n1:SystemEntryDate><n1:GLPostingDate>${t.date}</n1:GLPostingDate>`
    t.lines.forEach((l, i) => {
      const amt = l.amount < 0
        ? `<n1:CreditAmount><n1:Amount>${toKronerText(-l.amount as Oere)}</n1:Amount></n1:CreditAmount>`
        : `<n1:DebitAmount><n1:Amount>${toKronerText(l.amount)}</n1:Amount></n1:DebitAmount>`
      s += `<n1:Line><n1:RecordID>${i + 1}</n1:RecordID><n1:AccountID>${esc(l.account)}</n1:AccountID>${
        l.sourceDocumentId ? `<n1:SourceDocumentID>${esc(l.sourceDocumentId)}</n1:SourceDocumentID>` : ""
      }${l.customerId ? `<n1:CustomerID>${esc(l.customerId)}</n1:CustomerID>` : ""}${
        l.supplierId ? `<n1:SupplierID>${esc(l.supplierId)}</n1:SupplierID>` : ""
      }<n1:Description>${text(l.description ?? description, LONG)}</n1:Description>${amt}${
        l.reference ? `<n1:ReferenceNumber>${esc(l.reference)}</n1:ReferenceNumber>` : ""
      }</n1:Line>`
    })
    yield `${s}</n1:Transaction>\n`
  }
  yield `</n1:Journal></n1:GeneralLedgerEntries>\n</n1:AuditFile>\n`
}

/** Writes the file, honouring back-pressure; resolves with the number of bytes written. */
export const writeSaft = (d: SaftDescription, path: string): Promise<number> =>
  new Promise<number>((resolve, reject) => {
    const chunks = saftChunks(d)
    // Run pass 1 before the file is opened, so a refused description leaves no half-written file.
    let first: IteratorResult<string>
    try {
      first = chunks.next()
    } catch (e) {
      return reject(e)
    }
    const out = createWriteStream(path, { encoding: "utf8" })
    out.on("error", reject)
    let buf = first.done ? "" : first.value
    const pump = () => {
      try {
        for (;;) {
          const r = chunks.next()
          if (r.done) {
            out.end(buf, () => resolve(out.bytesWritten))
            return
          }
          buf += r.value
          if (buf.length >= 1 << 16) {
            const ok = out.write(buf)
            buf = ""
            if (!ok) return void out.once("drain", pump)
          }
        }
      } catch (e) {
        out.destroy()
        reject(e)
      }
    }
    pump()
  })

/** The whole file as one string (small fixtures only). */
export const saftText = (d: SaftDescription): string => [...saftChunks(d)].join("")
