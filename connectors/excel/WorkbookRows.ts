/**
 * What the workbook says, without how it looks: the sheets of a reconciliation report, each with its
 * columns and its rows of cell values (text, numbers in kroner, dates, the totals' SUM formulas), in
 * the order they are written. WorkbookSink.ts adds the styles, formats, widths and print setup;
 * bench/excel.ts writes the very same rows bare, as its baseline.
 *
 * Rows are made one at a time from the report, as the writer asks for them (a generator per sheet;
 * no list of all rows is kept). Amounts are kroner computed exactly from øre, dates are real dates at UTC midnight (no time
 * zone moves a day), text from outside is guarded against formula injection (safeText.ts), kravtype
 * and kravgruppe are named from Skatteetaten's code lists (src/domain/Kodeliste.ts).
 */
import type { Dato } from "../../src/domain/Dato.ts"
import { lookupKravgruppe, lookupKravtype } from "../../src/domain/Kodeliste.ts"
import { formatNok, type Oere, toKronerNumber } from "../../src/domain/Money.ts"
import { followUpItems } from "../../src/reconcile/FollowUp.ts"
import type { AccountSummary, Report } from "../../src/reconcile/Report.ts"
import { allStatuses, itemKindLabel, type Language, needsAttention, type Status, statusLabel } from "../../src/reconcile/Status.ts"
import { type Labels, labels } from "./labels.ts"
import { safeText } from "./safeText.ts"

/** How a column's cells look: plain text, text wrapped within the column's width, an amount, a date. */
export type Kind = "text" | "wrap" | "amount" | "date"

export interface Column {
  readonly header: string
  readonly width: number
  /** "wrap": text wrapped within the column's width (a long cell must not run past the page's edge). */
  readonly kind?: Kind
}

/** A totals cell: kravsync's own SUM formula, cached with the engine's total. */
export interface Formula {
  readonly formula: string
  readonly result: number
}

export type CellValue = string | number | Date | Formula | undefined

/**
 * What a row is, for its looks: the title block's heading and (label, value) lines, the blank row
 * under it, the table's header, an item row (marked for attention or not), a totals row.
 */
export type RowKind = "heading" | "label" | "blank" | "header" | "item" | "attention" | "total"

/** A row: its cell values (its own array, the receiver may keep it) and what it is. */
export type Row = readonly [values: Array<CellValue>, kind: RowKind]

/** Above a sheet's table: a heading, then (label, value) lines. */
export interface Title {
  readonly heading: string
  readonly lines: ReadonlyArray<readonly [string, CellValue]>
}

/** A printed page's header: whose reconciliation it is, and as of which date. */
export interface PrintHeader {
  readonly left: string
  readonly right: string
}

export interface SheetRows {
  readonly name: string
  readonly columns: ReadonlyArray<Column>
  readonly title: Title | undefined
  /** Printed on one page (Sammendrag); the others one page wide. */
  readonly onePage: boolean
  readonly print: PrintHeader
  /** The table's header row (1-based), below the title block when there is one. */
  readonly headerRow: number
  /** How many rows `rows` yields (title block and header included). */
  readonly rowCount: number
  /** Every row of the sheet in order, title block and header included, each made as it is asked for. */
  readonly rows: () => Generator<Row, void>
}

/** What a sheet's body makes its rows with. */
interface Body {
  /** An item row; its strings are guarded (safeText) in place. */
  readonly add: (values: Array<CellValue>, attention?: boolean) => Row
  /** A totals row: `label`, then a SUM over the item rows so far in each amount column named. */
  readonly totals: (label: string, sums: ReadonlyArray<{ readonly column: number; readonly result: number }>) => Row
}

const kr = (o: Oere | number): number => toKronerNumber(o as Oere)
const date = (d: Dato | undefined): Date | undefined =>
  d === undefined ? undefined : new Date(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))))

export const colLetter = (n: number): string => {
  let s = ""
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s
  return s
}

const sheetRows = (
  spec: {
    readonly name: string
    readonly columns: ReadonlyArray<Column>
    readonly print: PrintHeader
    readonly title?: Title
    readonly onePage?: boolean
    /** How many rows `body` adds (item and totals rows). */
    readonly bodyRows: number
  },
  body: (out: Body) => Generator<Row, void>
): SheetRows => {
  const title = spec.title
  const headerRow = title === undefined ? 1 : title.lines.length + 3
  return {
    name: spec.name,
    columns: spec.columns,
    title,
    onePage: spec.onePage ?? false,
    print: spec.print,
    headerRow,
    rowCount: headerRow + spec.bodyRows,
    rows: function*() {
      if (title !== undefined) {
        yield [[title.heading], "heading"]
        for (const [label, value] of title.lines) yield [[label, typeof value === "string" ? safeText(value) : value], "label"]
        yield [[], "blank"]
      }
      yield [spec.columns.map((c) => c.header), "header"]
      let last = headerRow
      yield* body({
        add: (values, attention = false) => {
          last++
          for (let i = 0; i < values.length; i++) {
            const v = values[i]
            if (typeof v === "string") values[i] = safeText(v)
          }
          return [values, attention ? "attention" : "item"]
        },
        totals: (label, sums) => {
          const values: Array<CellValue> = [label]
          for (const s of sums) {
            const col = colLetter(s.column)
            values[s.column - 1] = { formula: `SUM(${col}${headerRow + 1}:${col}${last})`, result: s.result }
          }
          last++
          return [values, "total"]
        }
      })
    }
  }
}

const status = (s: Status, l: Language) => statusLabel(s, l)

/** An ISO timestamp as Oslo wall-clock time, "25.11.2026 21:49" (what an accountant reads, not UTC). */
export const osloTime = (iso: string): string => {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const parts = new Intl.DateTimeFormat("nb-NO", {
    timeZone: "Europe/Oslo",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit"
  }).formatToParts(d)
  const part = (t: string) => parts.find((p) => p.type === t)?.value ?? ""
  return `${part("day")}.${part("month")}.${part("year")} ${part("hour")}:${part("minute")}`
}

/** A Dato as the accountant writes it: dd.mm.yyyy. */
const nbDate = (d: string): string => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`

/** Whose reconciliation this is, on every printed page. */
const printHeader = (r: Report, t: Labels): PrintHeader => ({
  left: `${r.metadata.skjermet ? t.skjermetShort : (r.metadata.partyName ?? "")} (${r.metadata.party})`,
  right: `${t.asOf} ${nbDate(r.metadata.asOf)}`
})

const distinct = (xs: ReadonlyArray<string>): Array<string> => [...new Set(xs.filter((x) => x.trim() !== ""))]

/**
 * Names from Skatteetaten's code lists (src/domain/Kodeliste.ts), in Norwegian whatever the
 * report's language: the accountant reads "Mva-melding å betale", not `åBetaleMva`; the raw code
 * has a column of its own. A code the lists do not have is said to be unknown.
 */
const kravtypeName = (code: string, t: Labels): string => lookupKravtype(code)?.tekst ?? t.notInCodeList

/** A claim's kravgruppe by name; without one, the group its kravtype belongs to in the code list. */
const kravgruppeName = (code: string | undefined, kravtype: string, t: Labels): string => {
  if (code !== undefined && code.trim() !== "") return lookupKravgruppe(code)?.tekst ?? t.notInCodeList
  const group = lookupKravtype(kravtype)?.kravgruppe
  return group === undefined ? "" : (lookupKravgruppe(group)?.tekst ?? group)
}

/** A Sammendrag row's kravgrupper (a row keyed by kravtype codes carries those): names, the code itself when unknown. */
const groupOrTypeName = (code: string): string => lookupKravgruppe(code)?.tekst ?? lookupKravtype(code)?.tekst ?? code

/** Page 1: whose reconciliation, of which period, at which date, from which ledger and data, made when. */
const titleBlock = (r: Report, t: Labels): Title => {
  const m = r.metadata
  return {
    heading: t.titleHeading,
    lines: [
      [t.company, m.skjermet ? t.skjermetShort : (m.partyName ?? "")],
      [t.orgnr, m.party],
      [t.period, `${nbDate(m.periode.fraOgMed)} – ${nbDate(m.periode.tilOgMed)}`],
      [t.asOf, date(m.asOf)],
      [t.ledgerSource, `${m.ledger.system}: ${m.ledger.description}`],
      [t.environment, m.environment],
      [t.generatedAt, osloTime(m.generatedAt)],
      ...trekkLine(r, t)
    ]
  }
}

/** Page 1's line for the Trekkpålegg section (what is owed on 2610, the findings), when the report has one. */
const trekkLine = (r: Report, t: Labels): ReadonlyArray<readonly [string, string]> => {
  const s = r.trekkpaalegg
  if (s === undefined) return []
  const kr = (o: Oere) => formatNok(o, { grouping: " " })
  return [[
    t.trekkpaalegg(s.accounts.join("+")),
    t.trekkpaaleggLine({
      orders: s.orders.length,
      owed: kr(s.totals.closingOwed),
      overdue: kr(s.totals.overdue),
      findings: s.findings.length,
      needsPayroll: s.totals.monthsNeedingPayroll,
      sheet: "Trekkpålegg"
    })
  ]]
}

const summary = (r: Report, t: Labels, l: Language): SheetRows =>
  sheetRows({
    name: t.sheets.summary,
    columns: [
      { header: t.account, width: 14 },
      { header: t.accountName, width: 26, kind: "wrap" },
      { header: t.kravgrupper, width: 22, kind: "wrap" },
      { header: t.skatteetatenSaldo, width: 18, kind: "amount" },
      { header: t.ledgerSaldo, width: 18, kind: "amount" },
      { header: t.difference, width: 16, kind: "amount" },
      { header: t.explained, width: 16, kind: "amount" },
      { header: t.unexplained, width: 16, kind: "amount" },
      { header: t.attention, width: 12 },
      { header: t.statusCounts, width: 44, kind: "wrap" },
      { header: t.codes, width: 22, kind: "wrap" }
    ],
    print: printHeader(r, t),
    title: titleBlock(r, t),
    onePage: true,
    // the accounts, the totals, a blank row, two sentences
    bodyRows: r.accounts.length + 4
  }, function*(s) {
    for (const a of r.accounts) {
      // Counts per status over all kinds of item; the per-kind detail is in the JSON report.
      const perStatus = new Map<Status, number>()
      for (const b of a.byStatus) if (b.count > 0) perStatus.set(b.status, (perStatus.get(b.status) ?? 0) + b.count)
      const counts = [...perStatus].map(([st, n]) => `${status(st, l).toLowerCase()} ${n}`)
      yield s.add(
        [
          a.key,
          distinct(a.accountNames).join(", "),
          distinct(a.kravgrupper.map(groupOrTypeName)).join(", "),
          kr(a.skatteetaten.saldo),
          kr(a.ledger.saldo),
          kr(a.difference),
          kr(a.explained),
          kr(a.unexplained),
          a.needsAttention ? t.yes : "",
          counts.join(", "),
          distinct(a.kravgrupper).join(", ")
        ],
        a.needsAttention
      )
    }
    const tot = r.totals
    yield s.totals(t.total, [
      { column: 4, result: kr(tot.skatteetatenSaldo) },
      { column: 5, result: kr(tot.ledgerSaldo) },
      { column: 6, result: kr(tot.difference) },
      { column: 7, result: kr(tot.explained) },
      { column: 8, result: kr(tot.unexplained) }
    ])
    yield s.add([])
    // a sentence marked orange is marked across the table, not just under its first column
    const band = (text: string, attention: boolean) => s.add(attention ? [text, ...Array<undefined>(10)] : [text], attention)
    yield band(tot.conserved ? t.conserved : t.notConserved, !tot.conserved)
    yield band(tot.needsAttention ? t.needsAttention : t.allReconciled, tot.needsAttention)
  })

const deviations = (r: Report, t: Labels, l: Language): SheetRows => {
  const items = followUpItems(r)
  // With sign-offs (reconcile --store, the service): each item's assessment and sign-off in four more columns.
  const carried = r.carryForward === undefined ? undefined : new Map(r.carryForward.items.map((c) => [`${c.kind}\u0000${c.id}`, c]))
  const signOffColumns = carried === undefined ? [] : [
    { header: t.disposition, width: 16 },
    { header: t.signedBy, width: 20 },
    { header: t.signedAt, width: 20 },
    { header: t.signOffComment, width: 48 }
  ]
  const signOffCells = (kind: string, id: string): Array<string> => {
    const c = carried?.get(`${kind}\u0000${id}`)
    if (c === undefined) return []
    const s = c.signOff ?? c.reopened?.signOff
    const comment = c.reopened !== undefined
      ? `${t.reopened(formatNok(c.reopened.signedOffAmount, { grouping: " " }))}${s?.comment ? `; ${s.comment}` : ""}`
      : s?.comment ?? ""
    return [c.dispositionLabel, s?.signedBy ?? "", s?.signedAt ?? "", comment]
  }
  return sheetRows({
    name: t.sheets.deviations,
    columns: [
      { header: t.kind, width: 18 },
      { header: t.status, width: 24 },
      { header: t.id, width: 32 },
      { header: t.date, width: 12, kind: "date" },
      { header: t.amount, width: 16, kind: "amount" },
      { header: t.contribution, width: 18, kind: "amount" },
      { header: t.account, width: 14 },
      { header: t.kravtype, width: 26 },
      { header: t.kravtypeCode, width: 20 },
      { header: t.explanation, width: 80 },
      ...signOffColumns
    ],
    print: printHeader(r, t),
    bodyRows: items.length + r.setAside.length + r.unmappedCodes.length + r.ledgerNotes.length
  }, function*(s) {
    for (const d of items) {
      yield s.add([
        itemKindLabel(d.kind, l),
        status(d.status, l),
        d.voucher === undefined ? d.id : `${d.voucher} (${d.id})`,
        date(d.date),
        kr(d.amount),
        kr(d.contribution),
        d.row,
        d.kravtype === undefined ? "" : kravtypeName(d.kravtype, t),
        d.kravtype ?? "",
        d.text,
        ...signOffCells(d.kind, d.id)
      ], carried?.get(`${d.kind}\u0000${d.id}`)?.disposition !== "kjent-avvik")
    }
    for (const a of r.setAside) {
      yield s.add([
        t.setAside,
        a.kind,
        a.location,
        undefined,
        a.amount === undefined ? undefined : kr(a.amount),
        undefined,
        a.account ?? "",
        "",
        "",
        `${a.reason}${a.raw ? ` — ${a.raw}` : ""}`
      ], true)
    }
    for (const u of r.unmappedCodes) {
      const gruppe = kravgruppeName(u.kravgruppe, u.kravtype, t)
      const gruppeText = u.kravgruppe === undefined || gruppe === u.kravgruppe ? gruppe : `${gruppe}, ${u.kravgruppe}`
      yield s.add([
        t.unmapped,
        "",
        "",
        undefined,
        kr(u.gjenstaaende),
        undefined,
        "",
        kravtypeName(u.kravtype, t),
        u.kravtype,
        t.unmappedHint(u.claims, gruppeText)
      ], true)
    }
    for (const n of r.ledgerNotes) {
      yield s.add([
        t.ledgerNote,
        n.kind,
        n.location,
        undefined,
        n.amount === undefined ? undefined : kr(n.amount),
        undefined,
        n.account ?? "",
        "",
        "",
        n.voucher ? `${n.message} (${n.voucher})` : n.message
      ], true)
    }
  })
}

const claims = (r: Report, t: Labels, l: Language): SheetRows => {
  let n = 0
  for (const c of r.claims) n += c.forfall.length + (c.renter ? 1 : 0)
  return sheetRows({
    name: t.sheets.claims,
    columns: [
      { header: t.kravidentifikator, width: 20 },
      { header: t.kravtype, width: 26 },
      { header: t.kravtypeCode, width: 20 },
      { header: t.kravgruppe, width: 18 },
      { header: t.kravgruppeCode, width: 16 },
      { header: t.description, width: 24 },
      { header: t.period, width: 18 },
      { header: t.forfall, width: 26 },
      { header: t.dueDate, width: 12, kind: "date" },
      { header: "KID", width: 16 },
      { header: t.original, width: 16, kind: "amount" },
      { header: t.remaining, width: 16, kind: "amount" },
      { header: t.status, width: 24 },
      { header: t.entries, width: 24 },
      { header: t.booked, width: 16, kind: "amount" },
      { header: t.explanation, width: 70 }
    ],
    print: printHeader(r, t),
    bodyRows: r.metadata.skjermet ? 1 : n
  }, function*(s) {
    if (r.metadata.skjermet) return yield s.add([t.skjermetNote])
    for (const c of r.claims) {
      // the same for each of the claim's rows
      const typeName = kravtypeName(c.kravtype, t)
      const gruppeName = kravgruppeName(c.kravgruppe, c.kravtype, t)
      for (const f of c.forfall) {
        yield s.add(
          [
            c.kravidentifikator,
            typeName,
            c.kravtype,
            gruppeName,
            c.kravgruppe ?? "",
            c.kravbeskrivelse ?? "",
            c.kravperiode ?? "",
            f.kravforfallsIdentifikator,
            date(f.forfallsdato),
            f.kid ?? "",
            kr(f.opprinneligBeloep),
            kr(f.gjenstaaendeBeloep),
            status(f.status, l),
            f.entryIds.join(", "),
            kr(f.booked),
            f.text
          ],
          needsAttention(f.status)
        )
      }
      if (c.renter) {
        yield s.add([
          c.kravidentifikator,
          typeName,
          c.kravtype,
          gruppeName,
          c.kravgruppe ?? "",
          itemKindLabel("renter", l),
          c.kravperiode ?? "",
          "",
          undefined,
          "",
          kr(c.renter.amount),
          kr(c.renter.amount),
          status(c.renter.status, l),
          c.renter.entryIds.join(", "),
          kr(c.renter.booked),
          c.renter.text
        ], needsAttention(c.renter.status))
      }
    }
  })
}

const payments = (r: Report, t: Labels, l: Language): SheetRows =>
  sheetRows({
    name: t.sheets.payments,
    columns: [
      { header: t.id, width: 24 },
      { header: t.date, width: 12, kind: "date" },
      { header: t.paid, width: 16, kind: "amount" },
      { header: t.unplaced, width: 16, kind: "amount" },
      { header: "KID", width: 16 },
      { header: t.paymentType, width: 16 },
      { header: t.status, width: 24 },
      { header: t.entries, width: 24 },
      { header: t.booked, width: 16, kind: "amount" },
      { header: t.explanation, width: 70 }
    ],
    print: printHeader(r, t),
    bodyRows: r.metadata.skjermet ? 1 : r.payments.length + r.utbetalinger.length + r.motregninger.length
  }, function*(s) {
    if (r.metadata.skjermet) return yield s.add([t.skjermetNote])
    for (const p of r.payments) {
      yield s.add([
        p.innbetalingsidentifikator,
        date(p.innbetalingsdato),
        kr(p.innbetaltBeloep),
        kr(p.uplassertBeloep),
        p.kid ?? "",
        p.innbetalingstype ?? "",
        status(p.status, l),
        p.entryIds.join(", "),
        kr(p.booked),
        p.text
      ], needsAttention(p.status))
    }
    // Money paid out is negative here: the sheet's column is what went to Skatteetaten.
    for (const u of r.utbetalinger) {
      yield s.add([
        u.utbetalingsidentifikator,
        date(u.utbetaltdato),
        -kr(u.utbetaltBeloep),
        0,
        "",
        t.disbursement,
        status(u.status, l),
        u.entryIds.join(", "),
        kr(u.booked),
        u.text
      ], needsAttention(u.status))
    }
    for (const m of r.motregninger) {
      yield s.add(
        [m.id, date(m.dato), kr(m.beloep), 0, "", t.setOff, status(m.status, l), m.entryIds.join(", "), kr(m.booked), m.text],
        needsAttention(m.status)
      )
    }
  })

const ledger = (r: Report, t: Labels, l: Language): SheetRows =>
  sheetRows({
    name: t.sheets.ledger,
    columns: [
      { header: t.voucher, width: 14 },
      { header: t.date, width: 12, kind: "date" },
      { header: t.account, width: 12 },
      { header: t.amount, width: 16, kind: "amount" },
      { header: t.description, width: 36 },
      { header: t.reference, width: 18 },
      { header: t.counterparty, width: 18 },
      { header: t.status, width: 24 },
      { header: t.matchedTo, width: 30 },
      { header: t.explanation, width: 60 },
      { header: t.link, width: 30 },
      { header: t.id, width: 20 }
    ],
    print: printHeader(r, t),
    bodyRows: r.ledgerEntries.length
  }, function*(s) {
    for (const e of r.ledgerEntries) {
      yield s.add(
        [
          e.voucher,
          date(e.date),
          e.account,
          kr(e.amount),
          e.description ?? "",
          e.reference ?? "",
          e.counterparty ?? "",
          status(e.status, l),
          e.matchedTo.map((m) => m.id).join(", "),
          e.text,
          e.link ?? "",
          e.id
        ],
        needsAttention(e.status)
      )
    }
  })

const statusCodes = new Set<string>(allStatuses)

/** An account row's bridge, line by line: [side, field, amount in øre, needs attention]. */
const bridgeLines = (a: AccountSummary, t: Labels, l: Language): Array<readonly [string, string, number, boolean]> => {
  const out: Array<readonly [string, string, number, boolean]> = []
  const sk = a.bridge.skatteetaten
  const lg = a.bridge.ledger
  const sides = [
    [t.skatteetatenSide, [
      ["opening", sk.opening],
      ["claims", sk.claims],
      ["payments", sk.payments],
      ["setOffs", sk.setOffs],
      ["refunds", sk.refunds],
      ["stipulerteRenter", sk.stipulerteRenter],
      ["other", sk.other],
      ["closing", sk.closing]
    ]],
    [t.ledgerSide, [
      ["opening", lg.opening],
      ["claims", lg.claims],
      ["payments", lg.payments],
      ["setOffs", lg.setOffs],
      ["refunds", lg.refunds],
      ["accruedNotClaimed", lg.accruedNotClaimed],
      ["other", lg.other],
      ["closing", lg.closing]
    ]]
  ] as const
  for (const [side, lines] of sides) {
    for (const [k, v] of lines) if (v !== 0 || k === "opening" || k === "closing") out.push([side, t.bridgeLines[k], v, false])
  }
  for (const p of a.bridge.differenceParts) {
    const name = statusCodes.has(p.part) ? statusLabel(p.part as Status, l) : (t.differenceParts[p.part] ?? p.part)
    out.push([t.differencePart, name, p.amount, p.part === "opening-balance-differs" || (statusCodes.has(p.part) && needsAttention(p.part as Status))])
  }
  out.push([t.difference, "", a.difference, false])
  return out
}

const bridge = (r: Report, t: Labels, l: Language): SheetRows => {
  let n = 0
  for (const a of r.accounts) n += bridgeLines(a, t, l).length
  return sheetRows({
    name: t.sheets.bridge,
    columns: [
      { header: t.account, width: 14 },
      { header: t.side, width: 30 },
      { header: t.field, width: 40 },
      { header: t.amount, width: 18, kind: "amount" }
    ],
    print: printHeader(r, t),
    bodyRows: n
  }, function*(s) {
    for (const a of r.accounts) {
      for (const [side, field, amount, attention] of bridgeLines(a, t, l)) yield s.add([a.key, side, field, kr(amount)], attention)
    }
  })
}

const about = (r: Report, t: Labels): SheetRows => {
  const m = r.metadata
  const lines: ReadonlyArray<readonly [string, CellValue]> = [
    [t.party, m.party],
    [t.partyName, m.skjermet ? t.skjermetShort : (m.partyName ?? "")],
    [t.period, `${nbDate(m.periode.fraOgMed)} – ${nbDate(m.periode.tilOgMed)}`],
    [t.asOf, date(m.asOf)],
    [t.ledgerSource, `${m.ledger.system}: ${m.ledger.description}`],
    [t.ledgerPeriod, m.ledger.statedPeriode === undefined ? "" : `${nbDate(m.ledger.statedPeriode.fraOgMed)} – ${nbDate(m.ledger.statedPeriode.tilOgMed)}`],
    [t.environment, m.environment],
    [t.mapping, m.mapping],
    [t.korrelasjonsIder, m.korrelasjonsIder.join(", ")],
    [t.generatedAt, osloTime(m.generatedAt)],
    [t.version, m.kravsyncVersion],
    [t.schemaVersion, r.schemaVersion]
  ]
  return sheetRows({
    name: t.sheets.about,
    columns: [
      { header: t.field, width: 28 },
      { header: t.value, width: 90 }
    ],
    print: printHeader(r, t),
    bodyRows: lines.length
  }, function*(s) {
    for (const [k, v] of lines) yield s.add([k, v])
  })
}

/**
 * The workbook's sheets in order, in the report's language. Each sheet's rows are made when they
 * are asked for (`rows`), from the report itself.
 */
export const workbookSheets = (report: Report): ReadonlyArray<SheetRows> => {
  const l = report.metadata.language
  const t = labels[l]
  return [
    summary(report, t, l),
    bridge(report, t, l),
    deviations(report, t, l),
    claims(report, t, l),
    payments(report, t, l),
    ledger(report, t, l),
    about(report, t)
  ]
}
