/**
 * Writes SAF-T Financial 1.30 files from a ledger description, streamed: transactions come from
 * a function returning a fresh iterable (read twice: once for the totals the header needs, once
 * to write), so files of any size can be produced with flat memory. Used by tests, the demo
 * ledgers and the benchmarks. Element order follows Norwegian_SAF-T_Financial_Schema_v_1.30.xsd.
 */
import { createWriteStream } from "node:fs"
import type { Dato } from "../../../src/domain/Dato.ts"
import { type Oere, toKronerText } from "../../../src/domain/Money.ts"
import type { Periode } from "../../../src/domain/Periode.ts"
import { SAFT_NAMESPACE } from "../SaftReader.ts"

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
}

export interface SaftDescription {
  readonly company: { readonly registrationNumber: string; readonly name: string }
  readonly periode: Periode
  readonly accounts: ReadonlyArray<SaftAccount>
  readonly transactions: () => Iterable<SaftTransaction>
  readonly createdDate?: Dato
}

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")

const balance = (kind: "Opening" | "Closing", v: number): string =>
  v < 0 ? `<n1:${kind}CreditBalance>${toKronerText(-v as Oere)}</n1:${kind}CreditBalance>` : `<n1:${kind}DebitBalance>${toKronerText(v as Oere)}</n1:${kind}DebitBalance>`

/** The file as text chunks. */
export function* saftChunks(d: SaftDescription): Generator<string> {
  // Pass 1: totals and closing balances.
  const movement = new Map<string, number>()
  let count = 0
  let debit = 0
  let credit = 0
  for (const t of d.transactions()) {
    count++
    for (const l of t.lines) {
      movement.set(l.account, (movement.get(l.account) ?? 0) + l.amount)
      if (l.amount >= 0) debit += l.amount
      else credit -= l.amount
    }
  }
  const [sy, sm] = d.periode.fraOgMed.split("-")
  const [ey, em] = d.periode.tilOgMed.split("-")
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<n1:AuditFile xmlns:n1="${SAFT_NAMESPACE}">\n`
  yield `<n1:Header><n1:AuditFileVersion>1.30</n1:AuditFileVersion><n1:AuditFileCountry>NO</n1:AuditFileCountry><n1:AuditFileDateCreated>${d.createdDate ?? d.periode.tilOgMed}</n1:AuditFileDateCreated><n1:SoftwareCompanyName>kravsync</n1:SoftwareCompanyName><n1:SoftwareID>kravsync SaftWriter</n1:SoftwareID><n1:SoftwareVersion>1</n1:SoftwareVersion>`
  yield `<n1:Company><n1:RegistrationNumber>${esc(d.company.registrationNumber)}</n1:RegistrationNumber><n1:Name>${esc(d.company.name)}</n1:Name><n1:Address><n1:City>Oslo</n1:City><n1:PostalCode>0150</n1:PostalCode></n1:Address><n1:Contact><n1:ContactPerson><n1:FirstName>Kari</n1:FirstName><n1:LastName>Nordmann</n1:LastName></n1:ContactPerson></n1:Contact></n1:Company>`
  yield `<n1:DefaultCurrencyCode>NOK</n1:DefaultCurrencyCode><n1:SelectionCriteria><n1:PeriodStart>${Number(sm)}</n1:PeriodStart><n1:PeriodStartYear>${sy}</n1:PeriodStartYear><n1:PeriodEnd>${Number(em)}</n1:PeriodEnd><n1:PeriodEndYear>${ey}</n1:PeriodEndYear></n1:SelectionCriteria><n1:TaxAccountingBasis>A</n1:TaxAccountingBasis></n1:Header>\n`
  yield `<n1:MasterFiles><n1:GeneralLedgerAccounts>\n`
  const known = new Set(d.accounts.map((a) => a.id))
  const all = [...d.accounts, ...[...movement.keys()].filter((a) => !known.has(a)).sort().map((id) => ({ id, description: `Konto ${id}`, opening: 0 as Oere }))]
  for (const a of all) {
    yield `<n1:Account><n1:AccountID>${esc(a.id)}</n1:AccountID><n1:AccountDescription>${esc(a.description)}</n1:AccountDescription><n1:StandardAccountID>${esc(a.id.slice(0, 2))}</n1:StandardAccountID><n1:AccountType>GL</n1:AccountType>${balance("Opening", a.opening)}${balance("Closing", a.opening + (movement.get(a.id) ?? 0))}</n1:Account>\n`
  }
  yield `</n1:GeneralLedgerAccounts></n1:MasterFiles>\n`
  yield `<n1:GeneralLedgerEntries><n1:NumberOfEntries>${count}</n1:NumberOfEntries><n1:TotalDebit>${toKronerText(debit as Oere)}</n1:TotalDebit><n1:TotalCredit>${toKronerText(credit as Oere)}</n1:TotalCredit>\n<n1:Journal><n1:JournalID>GL</n1:JournalID><n1:Description>Hovedbok</n1:Description><n1:Type>GL</n1:Type>\n`
  // Pass 2: the entries.
  for (const t of d.transactions()) {
    const [y, m] = t.date.split("-")
    let s = `<n1:Transaction><n1:TransactionID>${esc(t.id)}</n1:TransactionID><n1:Period>${Number(m)}</n1:Period><n1:PeriodYear>${y}</n1:PeriodYear><n1:TransactionDate>${t.date}</n1:TransactionDate><n1:Description>${esc(t.description ?? t.id)}</n1:Description><n1:SystemEntryDate>${t.date}</n1:SystemEntryDate><n1:GLPostingDate>${t.date}</n1:GLPostingDate>`
    t.lines.forEach((l, i) => {
      const amt = l.amount < 0 ? `<n1:CreditAmount><n1:Amount>${toKronerText(-l.amount as Oere)}</n1:Amount></n1:CreditAmount>` : `<n1:DebitAmount><n1:Amount>${toKronerText(l.amount)}</n1:Amount></n1:DebitAmount>`
      s += `<n1:Line><n1:RecordID>${i + 1}</n1:RecordID><n1:AccountID>${esc(l.account)}</n1:AccountID>${l.sourceDocumentId ? `<n1:SourceDocumentID>${esc(l.sourceDocumentId)}</n1:SourceDocumentID>` : ""}${l.customerId ? `<n1:CustomerID>${esc(l.customerId)}</n1:CustomerID>` : ""}${l.supplierId ? `<n1:SupplierID>${esc(l.supplierId)}</n1:SupplierID>` : ""}<n1:Description>${esc(l.description ?? t.description ?? t.id)}</n1:Description>${amt}${l.reference ? `<n1:ReferenceNumber>${esc(l.reference)}</n1:ReferenceNumber>` : ""}</n1:Line>`
    })
    yield `${s}</n1:Transaction>\n`
  }
  yield `</n1:Journal></n1:GeneralLedgerEntries>\n</n1:AuditFile>\n`
}

/** Writes the file, honouring back-pressure; resolves with the number of bytes written. */
export const writeSaft = (d: SaftDescription, path: string): Promise<number> =>
  new Promise<number>((resolve, reject) => {
    const out = createWriteStream(path, { encoding: "utf8" })
    const chunks = saftChunks(d)
    out.on("error", reject)
    const pump = () => {
      try {
        let buf = ""
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
