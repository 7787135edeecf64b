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
 *
 * Every rejected line's `reason` and every note's `message` is in English, with the same in
 * bokmål beside it (`reasonNb`, `messageNb`: bilag, linje, konto, beløp, kontoplan) for the
 * accountant, who reads the report in Norwegian by default.
 *
 * Cost (docs/performance.md, «saft»): the reader is meant to stay close to a bare saxes pass
 * over the same bytes. It walks the document as a state machine: a tag is looked for only among
 * the children its parent can have that the reader reads (by the name's length, then one exact
 * comparison), and any other element is skipped with everything inside it (a counter; its texts
 * are only counted for the 1 MB limit). A close tag is routed by one switch on a code that says
 * where the element is (a Line's AccountID is not an Account's). The text of an element is
 * concatenated and trimmed only when the element is one the reader reads; positions are kept as
 * numbers and formatted only when a message needs them; one line buffer is reused for every
 * Line; every line's amounts (needed for its voucher's balance, kept or not) are read digit by
 * digit into integer øre when they have SAF-T's usual form, and as xs:decimal otherwise; a line's
 * account is looked up in the chart and the wanted accounts only when it differs from the last
 * two. Bytes read are reported per chunk through `onBytes` (the LedgerSource turns them into
 * progress).
 */
import { Either } from "effect"
import { createReadStream } from "node:fs"
import { TextDecoder } from "node:util"
import { SaxesParser } from "saxes"
import * as Dato from "../../src/domain/Dato.ts"
import { add, formatNok, negate, type Oere, type OereProblem, parseXsDecimal, sub, toKronerText, zero } from "../../src/domain/Money.ts"
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
  /** Called once the header is read; returning a message (English, bokmål) stops the read (for example a wrong company). */
  readonly checkHeader?: (header: SaftHeader) => { readonly en: string; readonly nb: string } | undefined
  readonly chunkSize?: number
  /** Stop as soon as the header is read (the rest of the result is empty). */
  readonly headerOnly?: boolean
  /** Called after each chunk is parsed with its size in bytes (for progress: the sum is the bytes read so far). */
  readonly onBytes?: (bytes: number) => void
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

/** Why a file could not be opened, in bokmål (the operating system's own text for the rarer cases). */
const fileProblemNb = (e: NodeJS.ErrnoException): string =>
  e.code === "ENOENT"
    ? "filen finnes ikke"
    : e.code === "EACCES"
    ? "mangler lesetilgang til filen"
    : e.code === "EISDIR"
    ? "det er en mappe, ikke en fil"
    : e.message

export class SaftError {
  readonly _tag = "SaftError"
  constructor(
    readonly kind: "invalid-data" | "wrong-company" | "not-found",
    readonly message: string,
    readonly location?: string,
    /** The same in bokmål (the CLI's default language); the English when absent. */
    readonly messageNb?: string
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

/** Bokmål for an amount problem (Money.OereProblem), so a rejected line can say it to the accountant. */
const OERE_PROBLEM_NB: Record<OereProblem, string> = {
  "not a finite number": "ikke et endelig tall",
  "more than two decimals": "mer enn to desimaler",
  "outside the safe integer range of øre": "for stort til å regnes eksakt i øre",
  "not a decimal number": "ikke et desimaltall"
}

/** Bokmål for Dato.problem's reasons (the same checks, in the accountant's words). */
const datoProblemNb = (s: string): string => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (m === null) return `"${s}" er ikke en dato på formen ÅÅÅÅ-MM-DD`
  const mo = Number(m[2])
  return mo < 1 || mo > 12 ? `"${s}" har ingen måned ${mo}` : `"${s}" har ingen dag ${Number(m[3])} i den måneden`
}

/** "line 12, column 5" in bokmål. */
const positionNb = (line: number, column: number): string => `linje ${line}, kolonne ${column}`

const nok = (o: Oere): string => formatNok(o, { grouping: " " })

/** Why a text is not an amount, in English (`en`) and bokmål (`nb`). */
interface AmountProblem {
  readonly en: string
  readonly nb: string
}

/**
 * An amount as SAF-T writes it (SAFmonetaryType, two decimals: /^\d{1,13}\.\d{2}$/) in øre, read
 * digit by digit; -1 for any other form (the caller then parses it as xs:decimal). 13 + 2 digits
 * stay below 2^53, so the sum is exact. Every line's amounts are read for the balance check, so
 * this is the reader's hottest path: no regular expression, no intermediate string.
 */
const plainOere = (s: string): number => {
  const n = s.length
  if (n < 4 || n > 16 || s.charCodeAt(n - 3) !== 46) return -1
  let v = 0
  for (let i = 0; i < n - 3; i++) {
    const d = s.charCodeAt(i) - 48
    if (d < 0 || d > 9) return -1
    v = v * 10 + d
  }
  const d1 = s.charCodeAt(n - 2) - 48
  const d2 = s.charCodeAt(n - 1) - 48
  if (d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return -1
  return v * 100 + d1 * 10 + d2
}

/** An xs:decimal amount in øre, or why it is not one (`what` names the element: DebitAmount, or an account's balance). */
const parseAmount = (s: string, what: string, whatNb: string): Oere | AmountProblem => {
  const plain = plainOere(s)
  if (plain >= 0) return plain as Oere
  const r = parseXsDecimal(s)
  if (Either.isRight(r)) return r.right
  const shown = `"${s.trim().slice(0, 40)}${s.trim().length > 40 ? "…" : ""}"`
  return {
    en: `${what} ${shown} is not an amount (xs:decimal, at most two decimals, no exponent): ${r.left}`,
    nb: `${whatNb} ${shown} er ikke et gyldig beløp (desimaltall med punktum, høyst to desimaler, uten eksponent): ${OERE_PROBLEM_NB[r.left]}`
  }
}

// The elements the reader reads, as small integers named for where they are (the same local name
// under two parents gets two codes: an Account's AccountID is not a Line's). An element is looked
// up only among the children its parent can have that the reader reads (`CHILDREN`), and an
// element that is not one of them is skipped with everything inside it: its open and close tags
// then cost a counter, and no name is looked at. Plain constants, so the compiler folds them.
const OTHER = 0
const AUDIT_FILE = 1
const HEADER = 2
const COMPANY = 3
const SELECTION_CRITERIA = 4
const MASTER_FILES = 5
const GENERAL_LEDGER_ACCOUNTS = 6
const ACCOUNT = 7
const GENERAL_LEDGER_ENTRIES = 8
const JOURNAL = 9
const TRANSACTION = 10
const LINE = 11
const DEBIT_AMOUNT = 12
const CREDIT_AMOUNT = 13
// From here on the codes are of elements whose text is read (LEAF and up).
const LEAF = 14
const REGISTRATION_NUMBER = 14
const COMPANY_NAME = 15
const AUDIT_FILE_VERSION = 16
const SELECTION_ITEM = 17 // any child of SelectionCriteria, kept by its local name
const ACCOUNT_ID = 18
const ACCOUNT_DESCRIPTION = 19
const OPENING_DEBIT_BALANCE = 20
const OPENING_CREDIT_BALANCE = 21
const CLOSING_DEBIT_BALANCE = 22
const CLOSING_CREDIT_BALANCE = 23
const JOURNAL_ID = 24
const TRANSACTION_ID = 25
const TRANSACTION_DATE = 26
const TRANSACTION_DESCRIPTION = 27
const LINE_RECORD_ID = 28
const LINE_ACCOUNT_ID = 29
const LINE_VALUE_DATE = 30
const LINE_SOURCE_DOCUMENT_ID = 31
const LINE_CUSTOMER_ID = 32
const LINE_SUPPLIER_ID = 33
const LINE_DESCRIPTION = 34
const LINE_REFERENCE_NUMBER = 35
const DEBIT_AMOUNT_AMOUNT = 36
const CREDIT_AMOUNT_AMOUNT = 37

/** The children read under each parent (by the parent's code): local name → code. SelectionCriteria takes any child. */
const CHILDREN: ReadonlyArray<ReadonlyArray<readonly [string, number]>> = (() => {
  const c: Array<Array<readonly [string, number]>> = Array.from({ length: LEAF }, () => [])
  c[OTHER] = [["AuditFile", AUDIT_FILE]] // the root (the document is its parent)
  c[AUDIT_FILE] = [["Header", HEADER], ["MasterFiles", MASTER_FILES], ["GeneralLedgerEntries", GENERAL_LEDGER_ENTRIES]]
  c[HEADER] = [["Company", COMPANY], ["AuditFileVersion", AUDIT_FILE_VERSION], ["SelectionCriteria", SELECTION_CRITERIA]]
  c[COMPANY] = [["RegistrationNumber", REGISTRATION_NUMBER], ["Name", COMPANY_NAME]]
  c[MASTER_FILES] = [["GeneralLedgerAccounts", GENERAL_LEDGER_ACCOUNTS]]
  c[GENERAL_LEDGER_ACCOUNTS] = [["Account", ACCOUNT]]
  c[ACCOUNT] = [
    ["AccountID", ACCOUNT_ID],
    ["AccountDescription", ACCOUNT_DESCRIPTION],
    ["OpeningDebitBalance", OPENING_DEBIT_BALANCE],
    ["OpeningCreditBalance", OPENING_CREDIT_BALANCE],
    ["ClosingDebitBalance", CLOSING_DEBIT_BALANCE],
    ["ClosingCreditBalance", CLOSING_CREDIT_BALANCE]
  ]
  c[GENERAL_LEDGER_ENTRIES] = [["Journal", JOURNAL]]
  c[JOURNAL] = [["JournalID", JOURNAL_ID], ["Transaction", TRANSACTION]]
  c[TRANSACTION] = [["TransactionID", TRANSACTION_ID], ["TransactionDate", TRANSACTION_DATE], ["Description", TRANSACTION_DESCRIPTION], ["Line", LINE]]
  c[LINE] = [
    ["RecordID", LINE_RECORD_ID],
    ["AccountID", LINE_ACCOUNT_ID],
    ["ValueDate", LINE_VALUE_DATE],
    ["SourceDocumentID", LINE_SOURCE_DOCUMENT_ID],
    ["CustomerID", LINE_CUSTOMER_ID],
    ["SupplierID", LINE_SUPPLIER_ID],
    ["Description", LINE_DESCRIPTION],
    ["DebitAmount", DEBIT_AMOUNT],
    ["CreditAmount", CREDIT_AMOUNT],
    ["ReferenceNumber", LINE_REFERENCE_NUMBER]
  ]
  c[DEBIT_AMOUNT] = [["Amount", DEBIT_AMOUNT_AMOUNT]]
  c[CREDIT_AMOUNT] = [["Amount", CREDIT_AMOUNT_AMOUNT]]
  return c
})()

/**
 * `a === b` for two strings of the same length, character by character. A tag name from saxes of
 * 13 characters or more is a slice of the input chunk, and `===` between a slice and another
 * string can leave optimized code for the runtime.
 */
const sameChars = (a: string, b: string): boolean => {
  for (let k = a.length - 1; k >= 0; k--) {
    if (a.charCodeAt(k) !== b.charCodeAt(k)) return false
  }
  return true
}

/** What a line's account is: in MasterFiles/GeneralLedgerAccounts, one of the accounts asked for. */
const IN_CHART = 1
const WANTED = 2

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
 * `s.trim()`, without the call when `s` starts and ends with a printable ASCII character (no
 * whitespace to trim): the usual case, and `trim` is one of the costlier calls per element.
 */
const trimmed = (s: string): string => {
  const n = s.length
  if (n === 0) return s
  const a = s.charCodeAt(0)
  const b = s.charCodeAt(n - 1)
  return a > 32 && a < 127 && b > 32 && b < 127 ? s : s.trim()
}

/**
 * A copy of a string that shares no memory with the parser's input. Texts from saxes are slices
 * of the 64 KiB chunk they came from; keeping one would keep the whole chunk alive, so memory
 * would grow with the file instead of with the lines kept. V8 makes slices and concatenations
 * (which point into their parts) only from 13 characters on, so a shorter string is already its
 * own copy and is kept as it is.
 */
const own = (s: string): string => (s.length < 13 ? s : Buffer.from(s, "utf8").toString("utf8"))
const ownOpt = (s: string | undefined): string | undefined => (s === undefined ? undefined : own(s))

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
    throw new SaftError(
      "invalid-data",
      "the file is UTF-16; kravsync reads SAF-T files in UTF-8 or ISO-8859-1/windows-1252",
      "line 1, column 1",
      "filen er UTF-16; kravsync leser SAF-T-filer i UTF-8 eller ISO-8859-1/windows-1252"
    )
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
      "line 1, column 1",
      `filen oppgir tegnsettet «${declared.slice(0, 40)}»; kravsync leser SAF-T-filer i UTF-8 eller ISO-8859-1/windows-1252`
    )
  }
  return new TextDecoder(encoding, { fatal: encoding === "utf-8" })
}

/** Reads a SAF-T file; rejects with SaftError (position included) when it cannot be read. */
export const readSaftFile = (options: SaftReadOptions): Promise<SaftRead> =>
  new Promise<SaftRead>((resolve, reject) => {
    const wanted = new Set(options.accounts)
    const keepAll = wanted.size === 0
    const parser = new SaxesParser({ xmlns: false, position: true })
    const pos = () => `line ${parser.line}, column ${parser.column + 1}`
    let prefix: string | undefined // "n1:" — the root's prefix for the SAF-T namespace
    // The open elements read, innermost last (their codes); `skip` counts the open elements below
    // the innermost one that are not read (an element not read is skipped with all it contains).
    const stack: Array<number> = []
    let top = OTHER // stack's last code (OTHER before the root)
    let skip = 0
    // The children read under each parent, with the root's prefix ("n1:Line"), found by parent
    // and length: slot[parent * stride + length] is 1 + the index of the first such name in
    // `names` (0: none), sameLength[i] the next one of the same parent and length (-1: none).
    // Filled once the root's prefix is known.
    const names: Array<string> = []
    const codes: Array<number> = []
    const sameLength: Array<number> = []
    let stride = 0
    let slot = new Int32Array(0)
    const learnNames = () => {
      stride = 1 + Math.max(...CHILDREN.flatMap((children) => children.map(([local]) => (prefix as string).length + local.length)))
      slot = new Int32Array(CHILDREN.length * stride)
      CHILDREN.forEach((children, parent) => {
        for (const [local, code] of children) {
          const raw = own(`${prefix}${local}`)
          const at = parent * stride + raw.length
          sameLength.push((slot[at] as number) - 1)
          slot[at] = names.push(raw)
          codes.push(code)
        }
      })
    }
    /** The code of the tag name `raw` under `parent`, OTHER when it is not one of the children read there: one table lookup by length and, as a rule, one comparison. */
    const codeIn = (raw: string, parent: number): number => {
      const n = raw.length
      if (n >= stride) return OTHER
      for (let i = (slot[parent * stride + n] as number) - 1; i >= 0; i = sameLength[i] as number) {
        if (sameChars(raw, names[i] as string)) return codes[i] as number
      }
      return OTHER
    }
    const localName = (raw: string): string => prefix && raw.startsWith(prefix) ? raw.slice(prefix.length) : prefix === "" ? raw : `{other}${raw}`

    // The text since the last tag (collected only when the current element's text is read), its length in any case.
    let text = ""
    let textLength = 0
    let collect = false
    // Where that text started (just after the last tag), for an over-long text.
    let textLine = 1
    let textColumn = 0
    // Where the last tag ended, in characters of input (saxes's position).
    let lastTagPosition = 0
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
    // The transaction being read (its journal carries over from the Journal's JournalID).
    let txId = ""
    let txDate = ""
    let txDescription = ""
    let journal = ""
    let txLine = 0
    let txColumn = 0
    // Per transaction, while streaming: the number of lines and the sums of their amounts.
    let txLines = 0
    let txDebit: Oere = zero
    let txCredit: Oere = zero
    // Where the first amount of the transaction that does not parse is: its balance cannot be checked.
    let txUnparsed: { readonly line: number; readonly column: number; readonly recordId: string } | undefined
    // The line being read: one buffer, reset for every Line (its texts are read only on close).
    const line = {
      recordId: "",
      accountId: "",
      valueDate: "",
      sourceDocumentId: "",
      customerId: "",
      supplierId: "",
      description: "",
      referenceNumber: "",
      debit: undefined as string | undefined,
      credit: undefined as string | undefined,
      line: 0,
      column: 0
    }
    let linesSeen = 0
    const linesSkipped = { otherAccount: 0, beforePeriod: 0, afterPeriod: 0 }
    let failed = false

    const stop = (e: SaftError) => {
      if (failed) return
      failed = true
      stream.destroy()
      reject(e)
    }
    const result = (): SaftRead => ({ header, periode, accounts: [...accounts.values()], entries, rejected, notes, linesSeen, linesSkipped })

    const amount = (s: string, what: string, at: string): Oere => {
      const r = parseAmount(s, what, what)
      if (typeof r !== "number") throw new SaftError("invalid-data", r.en, at, r.nb)
      return r
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
        throw new SaftError("wrong-company", problem.en, pos(), problem.nb)
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
        lastAccount = otherAccount = "" // "" is never looked up: a line without an account is rejected first
      }
      if (!keepAll && !wanted.has(a.id)) {
        return
      }
      const open = sub2(a.openingDebit, a.openingCredit, "opening balance", at)
      const close = a.closingDebit === undefined && a.closingCredit === undefined ? undefined : sub2(a.closingDebit, a.closingCredit, "closing balance", at)
      accounts.set(own(a.id), { number: own(a.id), name: own(a.description), openingBalance: open, closingBalance: close })
    }
    const accountField = (a: AccountBuf, code: number, value: string) => {
      if (code === ACCOUNT_ID) a.id = value
      else if (code === ACCOUNT_DESCRIPTION) a.description = value
      else if (code === OPENING_DEBIT_BALANCE) a.openingDebit = value
      else if (code === OPENING_CREDIT_BALANCE) a.openingCredit = value
      else if (code === CLOSING_DEBIT_BALANCE) a.closingDebit = value
      else a.closingCredit = value
    }
    const sub2 = (d: string | undefined, c: string | undefined, what: string, at: string): Oere =>
      add(d === undefined ? zero : amount(d, `${what} (debit)`, at), negate(c === undefined ? zero : amount(c, `${what} (credit)`, at)))

    const lineLocation = () => `line ${line.line}, column ${line.column + 1}`
    const rejectLine = (reason: string, reasonNb: string) =>
      rejected.push({
        location: lineLocation(),
        reason,
        reasonNb,
        raw: own(`TransactionID ${txId}, RecordID ${line.recordId}, AccountID ${line.accountId}`),
        account: ownOpt(line.accountId || undefined)
      })
    // The last two accounts of lines looked up in the chart and the accounts asked for, with what
    // was found (IN_CHART | WANTED): a journal's lines mostly take turns between a few accounts,
    // and two string comparisons cost less than two hash lookups. Forgotten when the chart grows.
    let lastAccount = ""
    let lastFlags = 0
    let otherAccount = ""
    let otherFlags = 0
    const accountFlags = (id: string): number => {
      if (id === lastAccount) return lastFlags
      if (id === otherAccount) {
        otherAccount = lastAccount
        lastAccount = id
        const f = otherFlags
        otherFlags = lastFlags
        return (lastFlags = f)
      }
      otherAccount = lastAccount
      otherFlags = lastFlags
      lastAccount = id
      return (lastFlags = (chart.has(id) ? IN_CHART : 0) | (keepAll || wanted.has(id) ? WANTED : 0))
    }
    const finishLine = () => {
      const l = line
      linesSeen++
      txLines++
      // Every line's amounts count towards its voucher's balance, whatever its account; an amount
      // that does not parse sets the line aside (when it is wanted) and leaves the balance unchecked.
      let debit = zero
      let credit = zero
      let unparsed: AmountProblem | undefined
      if (l.debit !== undefined) {
        const r = parseAmount(l.debit, "DebitAmount", "debetbeløpet (DebitAmount)")
        if (typeof r === "number") debit = r
        else unparsed = r
      }
      if (l.credit !== undefined) {
        const r = parseAmount(l.credit, "CreditAmount", "kreditbeløpet (CreditAmount)")
        if (typeof r === "number") credit = r
        else unparsed ??= r
      }
      if (unparsed !== undefined) txUnparsed ??= { line: l.line, column: l.column + 1, recordId: own(l.recordId || "?") }
      txDebit = add(txDebit, debit)
      txCredit = add(txCredit, credit)
      // Before the wanted-accounts filter: a line with no account could belong to any of them.
      if (l.accountId === "") return rejectLine("line has no AccountID", "linjen har ingen konto (AccountID mangler)")
      const single = (l.debit === undefined) !== (l.credit === undefined)
      const flags = accountFlags(l.accountId)
      if (hasChart && (flags & IN_CHART) === 0) {
        notes.push({
          kind: "unknown-account",
          location: lineLocation(),
          message: own(
            `line ${l.recordId || "?"} of transaction ${txId || "?"} is on account ${l.accountId}, which is not in MasterFiles/GeneralLedgerAccounts`
          ),
          messageNb: own(
            `linje ${l.recordId || "?"} i bilag ${txId || "?"} er ført på konto ${l.accountId}, som ikke er i kontoplanen (MasterFiles/GeneralLedgerAccounts)`
          ),
          voucher: ownOpt(txId || undefined),
          account: own(l.accountId),
          amount: single && unparsed === undefined ? sub(debit, credit) : undefined
        })
      }
      if ((flags & WANTED) === 0) return void linesSkipped.otherAccount++
      if (unparsed !== undefined) return rejectLine(own(unparsed.en), own(unparsed.nb))
      if (l.debit === undefined && l.credit === undefined) {
        return rejectLine("line has neither DebitAmount nor CreditAmount", "linjen har verken debetbeløp (DebitAmount) eller kreditbeløp (CreditAmount)")
      }
      if (l.debit !== undefined && l.credit !== undefined) {
        return rejectLine("line has both DebitAmount and CreditAmount", "linjen har både debetbeløp (DebitAmount) og kreditbeløp (CreditAmount)")
      }
      const value = sub(debit, credit)
      const date = txDate || l.valueDate
      const dp = Dato.problem(date)
      if (dp !== undefined) return rejectLine(own(`TransactionDate: ${dp}`), own(`bilagsdatoen (TransactionDate): ${datoProblemNb(date)}`))
      if (periode !== undefined && date < periode.fraOgMed) {
        beforeStart.set(own(l.accountId), add(beforeStart.get(l.accountId) ?? zero, value))
        return void linesSkipped.beforePeriod++
      }
      if (periode !== undefined && date > periode.tilOgMed) return void linesSkipped.afterPeriod++
      entries.push({
        id: own(`${txId}-${l.recordId}`),
        voucher: own(txId),
        date: own(date) as Dato.Dato,
        account: own(l.accountId),
        amount: value,
        description: ownOpt(l.description || txDescription || undefined),
        reference: ownOpt([l.referenceNumber, l.sourceDocumentId].filter((x) => x !== "").join(" ") || undefined),
        counterparty: ownOpt(l.customerId || l.supplierId || undefined),
        link: own(`SAF-T ${lineLocation()}, journal ${journal}`)
      })
    }

    const finishTransaction = () => {
      if (txLines > 0 && txDebit === txCredit && txUnparsed === undefined) return
      const voucher = ownOpt(txId || undefined)
      const location = `line ${txLine}, column ${txColumn + 1}`
      const id = own(txId || "?")
      if (txUnparsed !== undefined) {
        const u = txUnparsed
        notes.push({
          kind: "unchecked-voucher",
          location,
          message:
            `transaction ${id}: the balance could not be checked, an amount at line ${u.line}, column ${u.column} (RecordID ${u.recordId}) does not parse`,
          messageNb: `bilag ${id}: kan ikke kontrolleres for balanse, beløpet på ${positionNb(u.line, u.column)} (RecordID ${u.recordId}) kan ikke leses`,
          voucher
        })
      } else if (txLines === 0) {
        notes.push({
          kind: "empty-transaction",
          location,
          message: `transaction ${id} has no lines`,
          messageNb: `bilag ${id} har ingen linjer`,
          voucher
        })
      } else if (txDebit !== txCredit) {
        const diff = sub(txDebit, txCredit)
        notes.push({
          kind: "unbalanced-voucher",
          location,
          message: `transaction ${id} does not balance: debit ${toKronerText(txDebit)}, credit ${toKronerText(txCredit)}, difference ${toKronerText(diff)}`,
          messageNb: `bilag ${id} går ikke i balanse: debet ${nok(txDebit)}, kredit ${nok(txCredit)}, differanse ${nok(diff)}`,
          voucher,
          amount: diff
        })
      }
    }

    const limit = (t: string) => {
      if (t.length > MAX_TEXT_LENGTH) throw tooLong()
    }
    parser.on("opentag", (tag) => {
      if (failed) return
      // Attribute values count towards the limit too. A value is never longer than the input it
      // came from, so they need looking at only when more than the limit was read since the last
      // tag (an "attribute" handler would cost more: saxes keeps its handlers as properties added
      // one by one, and an eighth makes every access to the parser slow).
      if (parser.position - lastTagPosition > MAX_TEXT_LENGTH) {
        const attributes = tag.attributes as Record<string, string>
        for (const k in attributes) limit(attributes[k] as string)
      }
      lastTagPosition = parser.position
      text = ""
      textLength = 0
      textLine = parser.line
      textColumn = parser.column
      // Inside an element not read: nothing to look at.
      if (skip !== 0) return void skip++
      let code: number
      if (stack.length === 0) {
        const i = tag.name.indexOf(":")
        const p = i < 0 ? "" : tag.name.slice(0, i)
        const ns = (tag.attributes as Record<string, string>)[p === "" ? "xmlns" : `xmlns:${p}`]
        prefix = p === "" ? "" : own(`${p}:`)
        learnNames()
        if (codeIn(tag.name, OTHER) !== AUDIT_FILE) {
          throw new SaftError(
            "invalid-data",
            `root element is <${tag.name}>, not AuditFile: not a SAF-T Financial file`,
            pos(),
            `rotelementet er <${tag.name}>, ikke AuditFile: ikke en SAF-T Financial-fil`
          )
        }
        if (ns !== SAFT_NAMESPACE) {
          throw new SaftError(
            "invalid-data",
            `unknown namespace "${ns ?? "(none)"}"; expected ${SAFT_NAMESPACE}`,
            pos(),
            `ukjent navnerom «${ns ?? "(ingen)"}»; ventet ${SAFT_NAMESPACE}`
          )
        }
        code = AUDIT_FILE
      } else if (top === SELECTION_CRITERIA) code = SELECTION_ITEM
      else if (top >= LEAF) code = OTHER
      else code = codeIn(tag.name, top)
      if (code === OTHER) {
        skip = 1
        collect = false
        return
      }
      stack.push(code)
      top = code
      collect = code >= LEAF
      switch (code) {
        case LINE:
          line.recordId = ""
          line.accountId = ""
          line.valueDate = ""
          line.sourceDocumentId = ""
          line.customerId = ""
          line.supplierId = ""
          line.description = ""
          line.referenceNumber = ""
          line.debit = undefined
          line.credit = undefined
          line.line = parser.line
          line.column = parser.column
          break
        case TRANSACTION:
          txId = ""
          txDate = ""
          txDescription = ""
          txLine = parser.line
          txColumn = parser.column
          txLines = 0
          txDebit = zero
          txCredit = zero
          txUnparsed = undefined
          break
        case ACCOUNT:
          account = { id: "", description: "" }
          break
        case GENERAL_LEDGER_ACCOUNTS:
          hasChart = true
          break
        case MASTER_FILES:
        case GENERAL_LEDGER_ENTRIES:
          if (!headerDone) finishHeader()
          break
      }
    })
    const tooLong = () =>
      new SaftError(
        "invalid-data",
        `a text of more than 1 MB (${MAX_TEXT_LENGTH} characters) starts here; no SAF-T field is that long`,
        `line ${textLine}, column ${textColumn + 1}`,
        `en tekst på mer enn 1 MB (${MAX_TEXT_LENGTH} tegn) begynner her; ingen SAF-T-felt er så langt`
      )
    const onText = (t: string) => {
      textLength += t.length
      if (textLength > MAX_TEXT_LENGTH) throw tooLong()
      if (collect) text += t
    }
    parser.on("text", onText)
    parser.on("cdata", onText)
    parser.on("comment", limit)
    parser.on("doctype", limit)
    parser.on("processinginstruction", (pi) => limit(pi.body))
    /** The text saxes is still collecting (a text node, a comment, an attribute value) must stay under the limit too. */
    const pendingTextLength = () => (parser as unknown as { readonly text?: string }).text?.length ?? 0
    parser.on("closetag", (tag) => {
      if (failed) return
      if (skip !== 0) skip--
      else {
        switch (top) {
          case LINE_RECORD_ID:
            line.recordId = trimmed(text)
            break
          case LINE_ACCOUNT_ID:
            line.accountId = trimmed(text)
            break
          case DEBIT_AMOUNT_AMOUNT:
            line.debit = trimmed(text)
            break
          case CREDIT_AMOUNT_AMOUNT:
            line.credit = trimmed(text)
            break
          case LINE_DESCRIPTION:
            line.description = trimmed(text)
            break
          case LINE_REFERENCE_NUMBER:
            line.referenceNumber = trimmed(text)
            break
          case LINE_VALUE_DATE:
            line.valueDate = trimmed(text)
            break
          case LINE_SOURCE_DOCUMENT_ID:
            line.sourceDocumentId = trimmed(text)
            break
          case LINE_CUSTOMER_ID:
            line.customerId = trimmed(text)
            break
          case LINE_SUPPLIER_ID:
            line.supplierId = trimmed(text)
            break
          case LINE:
            finishLine()
            break
          case TRANSACTION_ID:
            txId = trimmed(text)
            break
          case TRANSACTION_DATE:
            txDate = trimmed(text)
            break
          case TRANSACTION_DESCRIPTION:
            txDescription = trimmed(text)
            break
          case TRANSACTION:
            finishTransaction()
            break
          case JOURNAL_ID:
            journal = own(trimmed(text))
            break
          case REGISTRATION_NUMBER:
            header.registrationNumber = own(trimmed(text))
            break
          case COMPANY_NAME:
            header.companyName = own(trimmed(text))
            break
          case AUDIT_FILE_VERSION:
            header.auditFileVersion = own(trimmed(text))
            break
          case SELECTION_ITEM:
            selection[own(localName(tag.name))] = own(trimmed(text))
            break
          case ACCOUNT:
            if (account !== undefined) finishAccount(account, pos())
            account = undefined
            break
          default:
            if (account !== undefined && top >= ACCOUNT_ID && top <= CLOSING_CREDIT_BALANCE) accountField(account, top, trimmed(text))
        }
        stack.pop()
        top = stack.length === 0 ? OTHER : stack[stack.length - 1] as number
      }
      // The text after this tag belongs to the parent again: read when the parent's is.
      collect = skip === 0 && top >= LEAF
      text = ""
      textLength = 0
      textLine = parser.line
      textColumn = parser.column
      lastTagPosition = parser.position
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
          pos(),
          "filen er ikke gyldig UTF-8 etter denne posisjonen (den oppgir UTF-8, eller ikke noe tegnsett, som betyr UTF-8): lagre den som UTF-8, eller oppgi tegnsettet (<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>)"
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
      const detail = m.replace(/^[^:]*:\d+:\d+: /, "")
      stop(new SaftError("invalid-data", `malformed XML: ${detail}`, pos(), `ugyldig XML: ${detail}`))
    }
    const onBytes = options.onBytes
    stream.on("data", (chunk) => {
      if (failed) return
      try {
        feedBytes(chunk as Buffer)
      } catch (e) {
        fail(e)
      }
      onBytes?.((chunk as Buffer).length)
    })
    stream.on(
      "error",
      (e: NodeJS.ErrnoException) =>
        stop(
          new SaftError(
            e.code === "ENOENT" ? "not-found" : "invalid-data",
            `cannot read ${options.path}: ${e.message}`,
            undefined,
            `kan ikke lese ${options.path}: ${fileProblemNb(e)}`
          )
        )
    )
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
          throw new SaftError("invalid-data", "the file is empty or has no root element", pos(), "filen er tom eller har ikke noe rotelement")
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
            `the file has no MasterFiles/GeneralLedgerAccounts, so the accounts of its ${linesSeen} journal lines cannot be checked against a chart of accounts`,
          messageNb:
            `filen har ingen kontoplan (MasterFiles/GeneralLedgerAccounts), så kontoene på de ${linesSeen} bilagslinjene kan ikke kontrolleres mot en kontoplan`
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
