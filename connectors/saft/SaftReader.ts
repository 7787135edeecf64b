/**
 * Streaming reader for SAF-T Financial (Norwegian schema v1.10 and v1.30, namespace
 * urn:StandardAuditFile-Taxation-Financial:NO; both versions share the elements read here).
 *
 * The file is read in chunks and fed to `saxes`; only the header, the wanted accounts and the
 * journal lines on wanted accounts are kept, so memory stays flat however large the file is.
 * Reference: /work/shared/reference/saf-t/Norwegian_SAF-T_Financial_Schema_v_1.30.xsd
 * (Header/Company, MasterFiles/GeneralLedgerAccounts/Account, GeneralLedgerEntries/Journal/
 * Transaction/Line).
 *
 * Nothing in the file is silently ignored (docs/connectors.md, "Behaviour"):
 * - a line that cannot become an entry goes to `rejected` with its position — including a line
 *   with no AccountID, whatever accounts are wanted (it could belong to any of them);
 * - what is wrong with the books as a whole becomes a LedgerNote: a Transaction with no Line (the
 *   XSD requires one or more), a Line whose AccountID is not in MasterFiles/GeneralLedgerAccounts
 *   (the XSD's RefTransactionLineAccount key), a Transaction whose lines do not balance
 *   (Σ DebitAmount ≠ Σ CreditAmount, double-entry bookkeeping; the XSD's TotalDebit/TotalCredit
 *   presume it). The balance counts every line of the transaction, wanted or not; it is
 *   accumulated per transaction while streaming (two sums and a count), so memory stays flat.
 * - `readSaftHeader` reads only the header and stops the stream there.
 */
import { Either } from "effect"
import { createReadStream } from "node:fs"
import { TextDecoder } from "node:util"
import { SaxesParser } from "saxes"
import * as Dato from "../../src/domain/Dato.ts"
import { add, negate, type Oere, parseXsDecimal, sub, toKronerText, zero } from "../../src/domain/Money.ts"
import type { Periode } from "../../src/domain/Periode.ts"
import type { LedgerAccount, LedgerEntry, LedgerNote, RejectedLedgerLine } from "../../src/reconcile/LedgerSource.ts"

export const SAFT_NAMESPACE = "urn:StandardAuditFile-Taxation-Financial:NO"

export interface SaftHeader {
  readonly auditFileVersion?: string | undefined
  readonly registrationNumber?: string | undefined
  readonly companyName?: string | undefined
  /** The period the file covers (SelectionStartDate/EndDate, or PeriodStart/PeriodEnd with years). */
  readonly periode?: Periode | undefined
}

export interface SaftReadOptions {
  readonly path: string
  /** Accounts to keep; empty keeps all. */
  readonly accounts: ReadonlyArray<string>
  /** Entries dated before fraOgMed go into the opening balance, entries after tilOgMed are skipped. */
  readonly periode?: Periode | undefined
  /** Called once the header is read; returning a message stops the read (for example a wrong company). */
  readonly checkHeader?: (header: SaftHeader) => string | undefined
  readonly chunkSize?: number
  /** Stop as soon as the header is read (the rest of the result is empty). */
  readonly headerOnly?: boolean
}

export interface SaftRead {
  readonly header: SaftHeader
  /** The period the entries cover: the requested period within the file's own period. */
  readonly periode: Periode | undefined
  readonly accounts: ReadonlyArray<LedgerAccount>
  readonly entries: ReadonlyArray<LedgerEntry>
  readonly rejected: ReadonlyArray<RejectedLedgerLine>
  /** Empty transactions, lines on accounts missing from the chart, unbalanced vouchers. */
  readonly notes: ReadonlyArray<LedgerNote>
  /** Journal lines seen in the file (kept or not). */
  readonly linesSeen: number
  /**
   * Lines seen but neither an entry nor rejected, by why: on an account not asked for, dated
   * before the period (in the opening balance), dated after it. With `entries` and `rejected`
   * they account for every line seen.
   */
  readonly linesSkipped: { readonly otherAccount: number; readonly beforePeriod: number; readonly afterPeriod: number }
}

/** The longest text node (text, CDATA, comment or attribute value) read, in characters: 1 MB. */
export const MAX_TEXT_LENGTH = 1 << 20

/** Encodings read (WHATWG names; "ISO-8859-1", "latin1" and "US-ASCII" are read as windows-1252, its superset). */
const READABLE_ENCODINGS = new Set(["utf-8", "windows-1252", "iso-8859-15"])

/** How many bytes to look at for the XML declaration before deciding on UTF-8. */
const DECLARATION_BYTES = 1024

export class SaftError {
  readonly _tag = "SaftError"
  constructor(
    readonly kind: "invalid-data" | "wrong-company" | "not-found",
    readonly message: string,
    readonly location?: string
  ) {}
}

interface AccountBuf {
  id: string
  description: string
  openingDebit?: string
  openingCredit?: string
  closingDebit?: string
  closingCredit?: string
}

interface LineBuf {
  recordId: string
  accountId: string
  valueDate: string
  sourceDocumentId: string
  customerId: string
  supplierId: string
  description: string
  referenceNumber: string
  debit: string | undefined
  credit: string | undefined
  location: string
}

const emptyLine = (location: string): LineBuf => ({
  recordId: "",
  accountId: "",
  valueDate: "",
  sourceDocumentId: "",
  customerId: "",
  supplierId: "",
  description: "",
  referenceNumber: "",
  debit: undefined,
  credit: undefined,
  location
})

const headerPeriode = (sel: Record<string, string>): Periode | undefined => {
  const s = sel["SelectionStartDate"]
  const e = sel["SelectionEndDate"]
  if (s && e && Either.isRight(Dato.parse(s)) && Either.isRight(Dato.parse(e))) return { fraOgMed: s as Dato.Dato, tilOgMed: e as Dato.Dato }
  const ps = Number(sel["PeriodStart"])
  const py = Number(sel["PeriodStartYear"])
  const pe = Number(sel["PeriodEnd"])
  const pey = Number(sel["PeriodEndYear"])
  if ([ps, py, pe, pey].every((n) => Number.isInteger(n) && n > 0) && ps <= 12 && pe <= 12) {
    const fra = `${String(py).padStart(4, "0")}-${String(ps).padStart(2, "0")}-01` as Dato.Dato
    const nextMonth = pe === 12 ? `${String(pey + 1).padStart(4, "0")}-01-01` : `${String(pey).padStart(4, "0")}-${String(pe + 1).padStart(2, "0")}-01`
    return { fraOgMed: fra, tilOgMed: Dato.addDays(nextMonth as Dato.Dato, -1) }
  }
  return undefined
}

/**
 * A copy of a string that shares no memory with the parser's input. Texts from saxes are slices
 * of the 64 KiB chunk they came from; keeping one would keep the whole chunk alive, so memory
 * would grow with the file instead of with the lines kept.
 */
const own = (s: string): string => (s === "" ? "" : Buffer.from(s, "utf8").toString("utf8"))
const ownOpt = (s: string | undefined): string | undefined => (s === undefined ? undefined : own(s))

/** An amount as SAF-T writes it (SAFmonetaryType, two decimals): at most 13 + 2 digits, so exact as a number of øre. */
const PLAIN_AMOUNT = /^\d{1,13}\.\d{2}$/

/**
 * The decoder for a file from its first bytes: the XML declaration's `encoding` (UTF-8 when there
 * is none, as XML says). UTF-8 is decoded strictly, so bytes of another encoding are an error
 * rather than replacement characters; any encoding but UTF-8 and ISO-8859-1/windows-1252 (and
 * ISO-8859-15) is refused by name.
 */
const decoderFor = (head: Buffer): TextDecoder => {
  if (
    (head[0] === 0xfe && head[1] === 0xff) || (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0 && head[1] === 0x3c) ||
    (head[0] === 0x3c && head[1] === 0)
  ) {
    throw new SaftError("invalid-data", "the file is UTF-16; kravsync reads SAF-T files in UTF-8 or ISO-8859-1/windows-1252", "line 1, column 1")
  }
  const text = head.subarray(0, DECLARATION_BYTES).toString("latin1").replace(/^\u00ef\u00bb\u00bf/, "")
  const declared = /^<\?xml\s[^>]*?\bencoding\s*=\s*(["'])([^"'>]*)\1/.exec(text)?.[2]
  if (declared === undefined) return new TextDecoder("utf-8", { fatal: true })
  let encoding: string | undefined
  try {
    encoding = new TextDecoder(declared.trim()).encoding
  } catch {
    encoding = undefined
  }
  if (encoding === undefined || !READABLE_ENCODINGS.has(encoding)) {
    throw new SaftError(
      "invalid-data",
      `the file declares encoding "${declared.slice(0, 40)}"; kravsync reads SAF-T files in UTF-8 or ISO-8859-1/windows-1252`,
      "line 1, column 1"
    )
  }
  return new TextDecoder(encoding, { fatal: encoding === "utf-8" })
}

/** Reads a SAF-T file; rejects with SaftError (position included) when it cannot be read. */
export const readSaftFile = (options: SaftReadOptions): Promise<SaftRead> =>
  new Promise<SaftRead>((resolve, reject) => {
    const wanted = new Set(options.accounts)
    const keep = (account: string) => wanted.size === 0 || wanted.has(account)
    const parser = new SaxesParser({ xmlns: false, position: true })
    const pos = () => `line ${parser.line}, column ${parser.column + 1}`
    let prefix: string | undefined // "n1:" — the root's prefix for the SAF-T namespace
    const stack: Array<string> = []
    let text = ""
    const header: { auditFileVersion?: string; registrationNumber?: string; companyName?: string; periode?: Periode } = {}
    const selection: Record<string, string> = {}
    let headerDone = false
    let periode: Periode | undefined = options.periode
    const accounts = new Map<string, LedgerAccount>()
    let account: AccountBuf | undefined
    const entries: Array<LedgerEntry> = []
    const rejected: Array<RejectedLedgerLine> = []
    const beforeStart = new Map<string, Oere>()
    const notes: Array<LedgerNote> = []
    // Every AccountID in MasterFiles/GeneralLedgerAccounts (wanted or not), to check the lines' accounts.
    const chart = new Set<string>()
    let hasChart = false
    let tx = { id: "", date: "", description: "", journal: "", location: "" }
    // Per transaction, while streaming: the number of lines and the sums of their amounts.
    let txLines = 0
    let txDebit: Oere = zero
    let txCredit: Oere = zero
    // Where the first amount of the transaction that does not parse is: its balance cannot be checked.
    let txUnparsed: string | undefined
    let line: LineBuf | undefined
    let amountOf: "debit" | "credit" | undefined
    let linesSeen = 0
    const linesSkipped = { otherAccount: 0, beforePeriod: 0, afterPeriod: 0 }
    let failed = false
    // Where the text being collected started (just after the last tag), for an over-long text.
    let textStart = "line 1, column 1"

    const stop = (e: SaftError) => {
      if (failed) return
      failed = true
      stream.destroy()
      reject(e)
    }
    const result = (): SaftRead => ({ header, periode, accounts: [...accounts.values()], entries, rejected, notes, linesSeen, linesSkipped })

    /** An xs:decimal amount in øre, or why it is not one. */
    const parseAmount = (s: string, what: string): Either.Either<Oere, string> => {
      // Fast path for the usual form ("1234.50"): exact, as the digits fit a safe integer.
      if (PLAIN_AMOUNT.test(s)) return Either.right(Number(s.replace(".", "")) as Oere)
      const r = parseXsDecimal(s)
      return Either.mapLeft(r, (problem) =>
        `${what} "${s.trim().slice(0, 40)}${s.trim().length > 40 ? "…" : ""}" is not an amount (xs:decimal, at most two decimals, no exponent): ${problem}`)
    }
    const amount = (s: string, what: string, at: string): Oere => {
      const r = parseAmount(s, what)
      if (Either.isLeft(r)) {
        throw new SaftError("invalid-data", r.left, at)
      }
      return r.right
    }

    const finishHeader = () => {
      headerDone = true
      const fp = headerPeriode(selection)
      header.periode = fp
      if (fp !== undefined) {
        const q = options.periode ?? fp
        const fra = Dato.max(q.fraOgMed, fp.fraOgMed)
        const til = Dato.min(q.tilOgMed, fp.tilOgMed)
        periode = fra <= til ? { fraOgMed: fra, tilOgMed: til } : q
      }
      const problem = options.checkHeader?.(header)
      if (problem !== undefined) {
        throw new SaftError("wrong-company", problem, pos())
      }
      if (options.headerOnly === true && !failed) {
        failed = true // nothing after the header is looked at
        stream.destroy()
        resolve(result())
      }
    }

    const finishAccount = (a: AccountBuf, at: string) => {
      if (a.id !== "") {
        chart.add(own(a.id))
      }
      if (!keep(a.id)) {
        return
      }
      const open = sub2(a.openingDebit, a.openingCredit, "opening balance", at)
      const close = a.closingDebit === undefined && a.closingCredit === undefined ? undefined : sub2(a.closingDebit, a.closingCredit, "closing balance", at)
      accounts.set(own(a.id), { number: own(a.id), name: own(a.description), openingBalance: open, closingBalance: close })
    }
    const sub2 = (d: string | undefined, c: string | undefined, what: string, at: string): Oere =>
      add(d === undefined ? zero : amount(d, `${what} (debit)`, at), negate(c === undefined ? zero : amount(c, `${what} (credit)`, at)))

    const finishLine = (l: LineBuf) => {
      linesSeen++
      txLines++
      // Every line's amounts count towards its voucher's balance, whatever its account; an amount
      // that does not parse sets the line aside (when it is wanted) and leaves the balance unchecked.
      const parsedDebit = l.debit === undefined ? Either.right(zero) : parseAmount(l.debit, "DebitAmount")
      const parsedCredit = l.credit === undefined ? Either.right(zero) : parseAmount(l.credit, "CreditAmount")
      const unparsed = Either.isLeft(parsedDebit) ? parsedDebit.left : Either.isLeft(parsedCredit) ? parsedCredit.left : undefined
      const debit = Either.getOrElse(parsedDebit, () =>
        zero)
      const credit = Either.getOrElse(parsedCredit, () =>
        zero)
      if (unparsed !== undefined) txUnparsed ??= own(`${l.location} (RecordID ${l.recordId || "?"})`)
      txDebit = add(txDebit, debit)
      txCredit = add(txCredit, credit)
      const reject1 = (reason: string) =>
        rejected.push({
          location: l.location,
          reason,
          raw: own(`TransactionID ${tx.id}, RecordID ${l.recordId}, AccountID ${l.accountId}`),
          account: ownOpt(l.accountId || undefined)
        })
      // Before the wanted-accounts filter: a line with no account could belong to any of them.
      if (l.accountId === "") return reject1("line has no AccountID")
      const single = (l.debit === undefined) !== (l.credit === undefined)
      if (hasChart && !chart.has(l.accountId)) {
        notes.push({
          kind: "unknown-account",
          location: l.location,
          message: own(
            `line ${l.recordId || "?"} of transaction ${tx.id || "?"} is on account ${l.accountId}, which is not in MasterFiles/GeneralLedgerAccounts`
          ),
          voucher: ownOpt(tx.id || undefined),
          account: own(l.accountId),
          amount: single && unparsed === undefined ? sub(debit, credit) : undefined
        })
      }
      if (!keep(l.accountId)) return void linesSkipped.otherAccount++
      if (unparsed !== undefined) return reject1(own(unparsed))
      if (l.debit === undefined && l.credit === undefined) return reject1("line has neither DebitAmount nor CreditAmount")
      if (l.debit !== undefined && l.credit !== undefined) return reject1("line has both DebitAmount and CreditAmount")
      const value = sub(debit, credit)
      const date = tx.date || l.valueDate
      const dp = Dato.problem(date)
      if (dp !== undefined) return reject1(`TransactionDate: ${dp}`)
      if (periode !== undefined && date < periode.fraOgMed) {
        beforeStart.set(own(l.accountId), add(beforeStart.get(l.accountId) ?? zero, value))
        return void linesSkipped.beforePeriod++
      }
      if (periode !== undefined && date > periode.tilOgMed) return void linesSkipped.afterPeriod++
      entries.push({
        id: own(`${tx.id}-${l.recordId}`),
        voucher: own(tx.id),
        date: own(date) as Dato.Dato,
        account: own(l.accountId),
        amount: value,
        description: ownOpt(l.description || tx.description || undefined),
        reference: ownOpt([l.referenceNumber, l.sourceDocumentId].filter((x) => x !== "").join(" ") || undefined),
        counterparty: ownOpt(l.customerId || l.supplierId || undefined),
        link: own(`SAF-T ${l.location}, journal ${tx.journal}`)
      })
    }

    const finishTransaction = () => {
      if (txLines > 0 && txDebit === txCredit && txUnparsed === undefined) return
      const voucher = ownOpt(tx.id || undefined)
      if (txUnparsed !== undefined) {
        notes.push({
          kind: "unchecked-voucher",
          location: tx.location,
          message: own(`transaction ${tx.id || "?"}: the balance could not be checked, an amount at ${txUnparsed} does not parse`),
          voucher
        })
      } else if (txLines === 0) {
        notes.push({ kind: "empty-transaction", location: tx.location, message: own(`transaction ${tx.id || "?"} has no lines`), voucher })
      } else if (txDebit !== txCredit) {
        const diff = sub(txDebit, txCredit)
        notes.push({
          kind: "unbalanced-voucher",
          location: tx.location,
          message: own(
            `transaction ${tx.id || "?"} does not balance: debit ${toKronerText(txDebit)}, credit ${toKronerText(txCredit)}, difference ${toKronerText(diff)}`
          ),
          voucher,
          amount: diff
        })
      }
    }

    parser.on("opentag", (tag) => {
      if (failed) return
      for (const v of Object.values(tag.attributes as Record<string, string>)) limit(v)
      if (stack.length === 0) {
        const i = tag.name.indexOf(":")
        const p = i < 0 ? "" : tag.name.slice(0, i)
        const local = tag.name.slice(i + 1)
        const ns = (tag.attributes as Record<string, string>)[p === "" ? "xmlns" : `xmlns:${p}`]
        if (local !== "AuditFile") throw new SaftError("invalid-data", `root element is <${tag.name}>, not AuditFile: not a SAF-T Financial file`, pos())
        if (ns !== SAFT_NAMESPACE) throw new SaftError("invalid-data", `unknown namespace "${ns ?? "(none)"}"; expected ${SAFT_NAMESPACE}`, pos())
        prefix = p === "" ? "" : `${p}:`
      }
      const name = prefix && tag.name.startsWith(prefix) ? tag.name.slice(prefix.length) : prefix === "" ? tag.name : `{other}${tag.name}`
      stack.push(name)
      text = ""
      textStart = pos()
      const d = stack.length
      if (name === "Account" && stack[d - 2] === "GeneralLedgerAccounts") account = { id: "", description: "" }
      else if (name === "Transaction" && stack[d - 2] === "Journal") {
        tx = { id: "", date: "", description: "", journal: tx.journal, location: pos() }
        txLines = 0
        txDebit = zero
        txCredit = zero
        txUnparsed = undefined
      } else if (name === "GeneralLedgerAccounts" && stack[d - 2] === "MasterFiles") hasChart = true
      else if (name === "Line" && stack[d - 2] === "Transaction") line = emptyLine(pos())
      else if (line !== undefined && d >= 2 && stack[d - 2] === "Line") {
        amountOf = name === "DebitAmount"
          ? "debit"
          : name === "CreditAmount"
          ? "credit"
          : undefined
      } else if (name === "MasterFiles" || name === "GeneralLedgerEntries") {
        if (!headerDone) finishHeader()
      }
    })
    const tooLong = () =>
      new SaftError("invalid-data", `a text of more than 1 MB (${MAX_TEXT_LENGTH} characters) starts here; no SAF-T field is that long`, textStart)
    parser.on("text", (t) => {
      text += t
      if (text.length > MAX_TEXT_LENGTH) throw tooLong()
    })
    parser.on("cdata", (t) => {
      text += t
      if (text.length > MAX_TEXT_LENGTH) throw tooLong()
    })
    const limit = (t: string) => {
      if (t.length > MAX_TEXT_LENGTH) throw tooLong()
    }
    parser.on("comment", limit)
    parser.on("doctype", limit)
    parser.on("processinginstruction", (pi) => limit(pi.body))
    /** The text saxes is still collecting (a text node, a comment, an attribute value) must stay under the limit too. */
    const pendingTextLength = () => (parser as unknown as { readonly text?: string }).text?.length ?? 0
    parser.on("closetag", () => {
      if (failed) return
      const name = stack[stack.length - 1] as string
      const parent = stack[stack.length - 2]
      const grand = stack[stack.length - 3]
      const v = text.trim()
      if (parent === "Company" && grand === "Header") {
        if (name === "RegistrationNumber") header.registrationNumber = own(v)
        else if (name === "Name") header.companyName = own(v)
      } else if (parent === "Header") {
        if (name === "AuditFileVersion") header.auditFileVersion = v
        else if (name === "Header") finishHeader()
      } else if (parent === "SelectionCriteria") selection[name] = v
      else if (account !== undefined && parent === "Account") {
        if (name === "AccountID") account.id = v
        else if (name === "AccountDescription") account.description = v
        else if (name === "OpeningDebitBalance") account.openingDebit = v
        else if (name === "OpeningCreditBalance") account.openingCredit = v
        else if (name === "ClosingDebitBalance") account.closingDebit = v
        else if (name === "ClosingCreditBalance") account.closingCredit = v
      } else if (name === "Account" && account !== undefined) {
        finishAccount(account, pos())
        account = undefined
      } else if (parent === "Journal" && name === "JournalID") tx.journal = v
      else if (parent === "Journal" && name === "Transaction") finishTransaction()
      else if (parent === "Transaction" && line === undefined) {
        if (name === "TransactionID") tx.id = v
        else if (name === "TransactionDate") tx.date = v
        else if (name === "Description") tx.description = v
      } else if (line !== undefined && parent === "Line") {
        switch (name) {
          case "RecordID":
            line.recordId = v
            break
          case "AccountID":
            line.accountId = v
            break
          case "ValueDate":
            line.valueDate = v
            break
          case "SourceDocumentID":
            line.sourceDocumentId = v
            break
          case "CustomerID":
            line.customerId = v
            break
          case "SupplierID":
            line.supplierId = v
            break
          case "Description":
            line.description = v
            break
          case "ReferenceNumber":
            line.referenceNumber = v
            break
        }
      } else if (line !== undefined && name === "Amount" && amountOf !== undefined && (parent === "DebitAmount" || parent === "CreditAmount")) {
        if (amountOf === "debit") line.debit = v
        else line.credit = v
      } else if (name === "Line" && line !== undefined) {
        finishLine(line)
        line = undefined
      }
      if (line !== undefined && (name === "DebitAmount" || name === "CreditAmount")) amountOf = undefined
      stack.pop()
      text = ""
      textStart = pos()
    })

    const stream = createReadStream(options.path, { highWaterMark: options.chunkSize ?? 1 << 16 })
    // The bytes before the encoding is known (the XML declaration is in the first ones), then the decoder.
    let head: Buffer | undefined
    let decoder: TextDecoder | undefined
    const decode = (bytes: Buffer | undefined): string => {
      try {
        return (decoder as TextDecoder).decode(bytes, { stream: bytes !== undefined })
      } catch {
        throw new SaftError(
          "invalid-data",
          "the file is not valid UTF-8 after this position (it declares UTF-8, or no encoding, which means UTF-8): save it as UTF-8, or declare its encoding (<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>)",
          pos()
        )
      }
    }
    const feed = (s: string) => {
      if (s === "") return
      parser.write(s)
      if (pendingTextLength() > MAX_TEXT_LENGTH) throw tooLong()
    }
    /** Feeds a chunk of bytes; `undefined` = the end of the file. */
    const feedBytes = (chunk: Buffer | undefined) => {
      if (decoder === undefined) {
        head = chunk === undefined ? head ?? Buffer.alloc(0) : head === undefined ? chunk : Buffer.concat([head, chunk])
        if (chunk !== undefined && head.length < DECLARATION_BYTES && !head.includes("?>")) return
        decoder = decoderFor(head)
        const bytes = head
        head = undefined
        feed(decode(bytes))
        if (chunk === undefined) feed(decode(undefined))
        return
      }
      feed(decode(chunk))
    }
    const fail = (e: unknown) => {
      if (e instanceof SaftError) return stop(e)
      const m = e instanceof Error ? e.message : String(e)
      stop(new SaftError("invalid-data", `malformed XML: ${m.replace(/^[^:]*:\d+:\d+: /, "")}`, pos()))
    }
    stream.on("data", (chunk) => {
      if (failed) return
      try {
        feedBytes(chunk as Buffer)
      } catch (e) {
        fail(e)
      }
    })
    stream.on("error", (e: NodeJS.ErrnoException) =>
      stop(new SaftError(e.code === "ENOENT" ? "not-found" : "invalid-data", `cannot read ${options.path}: ${e.message}`)))
    stream.on("end", () => {
      if (failed) {
        return
      }
      try {
        feedBytes(undefined)
        if (failed) {
          return // headerOnly: already resolved
        }
        parser.close()
        if (prefix === undefined) {
          throw new SaftError("invalid-data", "the file is empty or has no root element", pos())
        }
        if (!headerDone) {
          finishHeader()
        }
      } catch (e) {
        return fail(e)
      }
      if (failed) {
        return // headerOnly: already resolved
      }
      if (!hasChart && linesSeen > 0) {
        notes.push({
          kind: "no-chart-of-accounts",
          location: "MasterFiles",
          message:
            `the file has no MasterFiles/GeneralLedgerAccounts, so the accounts of its ${linesSeen} journal lines cannot be checked against a chart of accounts`
        })
      }
      // Lines dated before the requested period move the opening balance forward to its first day.
      for (const [acc, delta] of beforeStart) {
        const a = accounts.get(acc)
        const base = a ?? { number: acc, name: "", openingBalance: zero }
        accounts.set(acc, { ...base, openingBalance: add(base.openingBalance, delta), closingBalance: base.closingBalance })
      }
      resolve(result())
    })
  })

/** Reads only the header (company, version, the period the file states) and stops the stream there. */
export const readSaftHeader = (path: string, chunkSize?: number): Promise<SaftHeader> =>
  readSaftFile({ path, accounts: [], headerOnly: true, ...(chunkSize === undefined ? {} : { chunkSize }) }).then((r) => r.header)
