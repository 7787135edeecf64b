/** Terminal tables for the four documents: Norwegian amounts (Money.formatNok) and a totals line. */
import type { DocumentOf } from "../client/decode.ts"
import type { Endepunkt } from "../domain/Dokumenter.ts"
import { tekst } from "../domain/Felles.ts"
import { formatNok, type Oere, sum } from "../domain/Money.ts"

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
    ) => [k.kravidentifikator, k.kravtype, tekst(k.kravbeskrivelse) ?? "", f.forfallsdato, nok(f.opprinneligBeloep), nok(f.gjenstaaendeBeloep)])
  )
  const totals = [
    "Sum",
    "",
    `${list.length} krav`,
    "",
    nok(sum(list.flatMap((k) => k.kravforfall.map((f) => f.opprinneligBeloep)))),
    nok(sum(list.flatMap((k) => k.kravforfall.map((f) => f.gjenstaaendeBeloep))))
  ]
  return render(["Kravidentifikator", "Kravtype", "Beskrivelse", "Forfallsdato", "Opprinnelig", "Gjenstående"], rows, [4, 5], totals)
}

const innbetalingTable = (list: DocumentOf<"innbetalinger">["innbetaling"]): string => {
  const xs = list ?? []
  const rows = xs.map((i) => [i.innbetalingsidentifikator, i.innbetalingsdato, i.innbetalingstype ?? "", nok(i.innbetaltBeloep), nok(i.uplassertBeloep)])
  const totals = ["Sum", "", `${xs.length} innbetalinger`, nok(sum(xs.map((i) => i.innbetaltBeloep))), nok(sum(defined(xs.map((i) => i.uplassertBeloep))))]
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
        render(["Utbetaling", "Dato", "Utbetalt"], rows, [2], ["Sum", `${xs.length} utbetalinger`, nok(sum(xs.map((u) => u.utbetaltBeloep)))])
      ].join("\n")
    }
  }
  return ""
}
