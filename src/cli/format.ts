/**
 * What the terminal shows: tables for the four documents (Norwegian amounts, Money.formatNok, and a
 * totals line), kravtyper by their names from the code lists, counts with the noun in the right
 * number, and the help text of a command (purpose, details, examples).
 */
import { HelpDoc } from "@effect/cli"
import * as Span from "@effect/cli/HelpDoc/Span"
import type { DocumentOf } from "../client/decode.ts"
import type { Endepunkt } from "../domain/Dokumenter.ts"
import { tekst } from "../domain/Felles.ts"
import { lookupKravtype, normalise } from "../domain/Kodeliste.ts"
import { formatNok, type Oere, sum } from "../domain/Money.ts"

/** A command's help: one line saying what it is for, paragraphs with more, and examples (each with what it does). */
export interface CommandHelp {
  readonly purpose: string
  readonly details?: ReadonlyArray<string>
  readonly examples: ReadonlyArray<readonly [command: string, what: string]>
}

/**
 * The description a command carries (`Command.withDescription`): the purpose as its first paragraph
 * (the one-line summary in the list of commands), then the details, then an EXAMPLES section
 * (src/cli/main.ts moves it to the end of the help).
 */
export const commandHelp = (h: CommandHelp): HelpDoc.HelpDoc =>
  HelpDoc.blocks([
    HelpDoc.p(h.purpose),
    ...(h.details ?? []).map((d) => HelpDoc.p(d)),
    ...(h.examples.length > 0
      ? [
        HelpDoc.h1("EXAMPLES"),
        HelpDoc.blocks(h.examples.map(([command, what]) => HelpDoc.blocks([HelpDoc.p(Span.code(`$ ${command}`)), HelpDoc.p(`  ${what}`)])))
      ]
      : [])
  ])

/** "1 innbetaling", "2 innbetalinger". */
export const count = (n: number, singular: string, plural: string): string => `${n} ${n === 1 ? singular : plural}`

/** The code list's name with the code beside it ("Mva-melding å betale (åBetaleMva)"); the code alone when the lists do not know it. */
const named = (code: string, name: string | undefined): string => name === undefined ? code : normalise(name) === normalise(code) ? name : `${name} (${code})`

export const kravtypeName = (code: string): string => named(code, lookupKravtype(code)?.tekst)

type Row = ReadonlyArray<string>

const render = (header: Row, rows: ReadonlyArray<Row>, numeric: ReadonlyArray<number>, totals?: Row): string => {
  const all = [header, ...rows, ...(totals ? [totals] : [])]
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)))
  const line = (r: Row) => r.map((c, i) => (numeric.includes(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join("  ").trimEnd()
  const rule = widths.map((w) => "─".repeat(w)).join("  ")
  return [line(header), rule, ...rows.map(line), ...(totals ? [rule, line(totals)] : [])].join("\n")
}

const nok = (o: Oere | null | undefined) => (o === null || o === undefined ? "" : formatNok(o, { grouping: " " }))
const defined = <A>(xs: ReadonlyArray<A | null | undefined>): Array<A> => xs.filter((x): x is A => x !== null && x !== undefined)

const kravTable = (krav: DocumentOf<"krav">["krav"]): string => {
  const list = krav ?? []
  const rows = list.flatMap((k) =>
    k.kravforfall.map((
      f
    ) => [k.kravidentifikator, kravtypeName(k.kravtype), tekst(k.kravbeskrivelse) ?? "", f.forfallsdato, nok(f.opprinneligBeloep), nok(f.gjenstaaendeBeloep)])
  )
  const totals = [
    "Sum",
    "",
    count(list.length, "krav", "krav"),
    "",
    nok(sum(list.flatMap((k) => k.kravforfall.map((f) => f.opprinneligBeloep)))),
    nok(sum(list.flatMap((k) => k.kravforfall.map((f) => f.gjenstaaendeBeloep))))
  ]
  return render(["Kravidentifikator", "Kravtype", "Beskrivelse", "Forfallsdato", "Opprinnelig", "Gjenstående"], rows, [4, 5], totals)
}

const innbetalingTable = (list: DocumentOf<"innbetalinger">["innbetaling"]): string => {
  const xs = list ?? []
  const rows = xs.map((i) => [i.innbetalingsidentifikator, i.innbetalingsdato, i.innbetalingstype ?? "", nok(i.innbetaltBeloep), nok(i.uplassertBeloep)])
  const totals = [
    "Sum",
    "",
    count(xs.length, "innbetaling", "innbetalinger"),
    nok(sum(xs.map((i) => i.innbetaltBeloep))),
    nok(sum(defined(xs.map((i) => i.uplassertBeloep))))
  ]
  return render(["Innbetaling", "Dato", "Type", "Innbetalt", "Uplassert"], rows, [3, 4], totals)
}

/** The document as a table for the terminal. */
export const table = <E extends Endepunkt>(endpoint: E, doc: DocumentOf<E>): string => {
  switch (endpoint) {
    case "aapnekrav": {
      const d = doc as DocumentOf<"aapnekrav">
      const parts = [`Åpne krav for ${d.partIdentifikator}${d.skjermet ? " (skjermet)" : ""}`, "", kravTable(d.aapentKravMedGjenstaaendeBeloep)]
      if ((d.innbetalingMedUplassertBeloep ?? []).length > 0) {
        parts.push("", "Innbetalinger med uplassert beløp", "", innbetalingTable(d.innbetalingMedUplassertBeloep))
      }
      const t = d.totalOversikt
      if (t) {
        parts.push(
          "",
          render(
            ["Totaloversikt", "Beløp"],
            defined([
              t.sumForfalteKrav != null ? ["Forfalte krav", nok(t.sumForfalteKrav)] : undefined,
              t.sumIkkeForfalteKrav != null ? ["Ikke forfalte krav", nok(t.sumIkkeForfalteKrav)] : undefined,
              t.sumStipulerteRenter != null ? ["Stipulerte renter", nok(t.sumStipulerteRenter)] : undefined,
              t.sumUplasserteInnbetalinger != null ? ["Uplasserte innbetalinger", nok(t.sumUplasserteInnbetalinger)] : undefined,
              t.saldo != null ? ["Saldo", nok(t.saldo)] : undefined
            ]),
            [1]
          )
        )
      }
      return parts.join("\n")
    }
    case "krav": {
      const d = doc as DocumentOf<"krav">
      return [`Krav for ${d.partIdentifikator}${d.periode ? ` ${d.periode.fraOgMed}–${d.periode.tilOgMed}` : ""}`, "", kravTable(d.krav)].join("\n")
    }
    case "innbetalinger": {
      const d = doc as DocumentOf<"innbetalinger">
      return [`Innbetalinger for ${d.partIdentifikator}${d.periode ? ` ${d.periode.fraOgMed}–${d.periode.tilOgMed}` : ""}`, "", innbetalingTable(d.innbetaling)]
        .join("\n")
    }
    case "utbetalinger": {
      const d = doc as DocumentOf<"utbetalinger">
      const xs = d.utbetaling ?? []
      const rows = xs.map((u) => [u.utbetalingsidentifikator, u.utbetaltdato, nok(u.utbetaltBeloep)])
      return [
        `Utbetalinger for ${d.partIdentifikator}${d.periode ? ` ${d.periode.fraOgMed}–${d.periode.tilOgMed}` : ""}`,
        "",
        render(["Utbetaling", "Dato", "Utbetalt"], rows, [2], [
          "Sum",
          count(xs.length, "utbetaling", "utbetalinger"),
          nok(sum(xs.map((u) => u.utbetaltBeloep)))
        ])
      ].join("\n")
    }
  }
  return ""
}
