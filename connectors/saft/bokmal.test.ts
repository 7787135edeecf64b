/**
 * Issue #12: every rejected line's reason and every note the SAF-T reader gives has its bokmål
 * text beside the English one (`reasonNb`, `messageNb`), in the accountant's words. The files are
 * those of the input-rules tests (connectors/saft/input-rules.test.ts: a small UTF-8 file and the
 * same with one amount, date or element damaged), one for every reason and every kind of note.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as SaftWriter from "../../sandbox/saft/SaftWriter.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import type { Oere } from "../../src/domain/Money.ts"
import type { LedgerNote, RejectedLedgerLine } from "../../src/reconcile/LedgerSource.ts"
import { readSaftFile } from "./SaftReader.ts"

const dir = mkdtempSync(join(tmpdir(), "kravsync-saft-nb-"))
let n = 0
const file = (content: string) => {
  const p = join(dir, `f${n++}.xml`)
  writeFileSync(p, content)
  return p
}
const year = { fraOgMed: "2023-01-01" as Dato, tilOgMed: "2023-12-31" as Dato }

const small = SaftWriter.saftText({
  company: { registrationNumber: "212201782", name: "Blåbærsyltetøy Ærlig AS" },
  periode: year,
  accounts: [{ id: "2740", description: "Oppgjørskonto mva", opening: -50000 as Oere }],
  transactions: () => [
    {
      id: "10",
      date: "2023-02-28" as Dato,
      description: "Mva termin 1, særskilt",
      lines: [{ account: "2740", amount: -1000000 as Oere, reference: "KID 123" }, { account: "2700", amount: 1000000 as Oere }]
    },
    {
      id: "11",
      date: "2023-04-10" as Dato,
      lines: [{ account: "2740", amount: 1000000 as Oere, description: "Betalt mva" }, { account: "1920", amount: -1000000 as Oere }]
    }
  ]
})
const credit = "<n1:CreditAmount><n1:Amount>10000.00</n1:Amount></n1:CreditAmount>"
const debit = "<n1:DebitAmount><n1:Amount>10000.00</n1:Amount></n1:DebitAmount>"

/** Each damage, with what the reader must say about it (the English reason or the note's kind). */
const cases: ReadonlyArray<{ readonly what: string; readonly text: string; readonly says: RegExp }> = [
  { what: "an amount that is not a number", text: small.replace("<n1:Amount>10000.00</n1:Amount>", "<n1:Amount>10 000,00</n1:Amount>"), says: /not a decimal/ },
  { what: "an amount with an exponent", text: small.replace("<n1:Amount>10000.00</n1:Amount>", "<n1:Amount>1e4</n1:Amount>"), says: /not a decimal/ },
  { what: "three decimals", text: small.replace("<n1:Amount>10000.00</n1:Amount>", "<n1:Amount>10000.505</n1:Amount>"), says: /more than two decimals/ },
  {
    what: "an amount too large for exact øre",
    text: small.replace("<n1:Amount>10000.00</n1:Amount>", "<n1:Amount>123456789012345678.00</n1:Amount>"),
    says: /safe integer range/
  },
  { what: "no AccountID", text: small.replace("<n1:AccountID>2740</n1:AccountID><n1:Description>Mva", "<n1:Description>Mva"), says: /no AccountID/ },
  { what: "no amount", text: small.replace(credit, ""), says: /neither DebitAmount nor CreditAmount/ },
  { what: "both amounts", text: small.replace(credit, credit + debit), says: /both DebitAmount and CreditAmount/ },
  { what: "a date that is no date", text: small.replace(/2023-02-28/g, "28.02.2023"), says: /TransactionDate: .* form YYYY-MM-DD/ },
  { what: "month 13", text: small.replace(/2023-02-28/g, "2023-13-01"), says: /TransactionDate: .* no month 13/ },
  { what: "30 February", text: small.replace(/2023-02-28/g, "2023-02-30"), says: /TransactionDate: .* no day 30/ },
  {
    what: "an account not in the chart",
    text: small.replace("<n1:RecordID>2</n1:RecordID><n1:AccountID>1920<", "<n1:RecordID>2</n1:RecordID><n1:AccountID>1921<"),
    says: /unknown-account/
  },
  { what: "an unbalanced voucher", text: small.replace("<n1:Amount>10000.00</n1:Amount>", "<n1:Amount>9000.00</n1:Amount>"), says: /unbalanced-voucher/ },
  { what: "an unchecked voucher", text: small.replace("<n1:Amount>10000.00</n1:Amount>", "<n1:Amount>ti tusen</n1:Amount>"), says: /unchecked-voucher/ },
  {
    what: "a transaction with no lines",
    text: small.replace(/(<n1:GLPostingDate>2023-04-10<\/n1:GLPostingDate>)[\s\S]*?(<\/n1:Transaction>)/, "$1$2"),
    says: /empty-transaction/
  },
  { what: "no chart of accounts", text: small.replace(/<n1:GeneralLedgerAccounts>[\s\S]*<\/n1:GeneralLedgerAccounts>/, ""), says: /no-chart-of-accounts/ }
]

// Words that show the text is bokmål (the accountant's words), and English that must not be left in it.
const NB_WORDS = /\b(bilag|bilagsdatoen|linjen|linje|konto|kontoplan|kontoplanen|beløp|debetbeløp|kreditbeløp|balanse|kolonne|dato|måned|dag)\b/
const ENGLISH = /\b(line has|transaction|does not|is not|which|balance could|has no|not a|more than|outside|neither|both)\b/i

const said = (rejected: ReadonlyArray<RejectedLedgerLine>, notes: ReadonlyArray<LedgerNote>) => [
  ...rejected.map((r) => ({ en: r.reason, nb: r.reasonNb })),
  ...notes.map((x) => ({ en: `${x.kind}: ${x.message}`, nb: x.messageNb }))
]

describe("SAF-T reader: bokmål beside every reason and note (issue #12)", () => {
  for (const c of cases) {
    it.effect(c.what, () =>
      Effect.gen(function*() {
        expect(c.text).not.toBe(small) // the damage applied
        const r = yield* Effect.promise(() => readSaftFile({ path: file(c.text), accounts: [], periode: year }))
        const texts = said(r.rejected, r.notes)
        expect(texts.some((t) => c.says.test(t.en)), texts.map((t) => t.en).join(" | ")).toBe(true)
        for (const t of texts) {
          expect(t.nb, `no bokmål for "${t.en}"`).toBeDefined()
          const nb = t.nb as string
          expect(nb).not.toBe(t.en)
          expect(nb, nb).toMatch(NB_WORDS)
          expect(nb, nb).not.toMatch(ENGLISH)
        }
      }))
  }

  it.effect("the texts say what the accountant needs: voucher, line, account, amounts in Norwegian form", () =>
    Effect.gen(function*() {
      const read = (text: string) => Effect.promise(() => readSaftFile({ path: file(text), accounts: [], periode: year }))
      const unbalanced = yield* read(small.replace("<n1:Amount>10000.00</n1:Amount>", "<n1:Amount>9000.00</n1:Amount>"))
      expect(unbalanced.notes.map((x) => x.messageNb)).toEqual([
        "bilag 10 går ikke i balanse: debet 10 000,00, kredit 9 000,00, differanse 1 000,00"
      ])
      const unknown = yield* read(small.replace("<n1:RecordID>2</n1:RecordID><n1:AccountID>1920<", "<n1:RecordID>2</n1:RecordID><n1:AccountID>1921<"))
      expect(unknown.notes.map((x) => x.messageNb)).toEqual([
        "linje 2 i bilag 11 er ført på konto 1921, som ikke er i kontoplanen (MasterFiles/GeneralLedgerAccounts)"
      ])
      const bad = yield* read(small.replace("<n1:Amount>10000.00</n1:Amount>", "<n1:Amount>10 000,00</n1:Amount>"))
      expect(bad.rejected.map((x) => x.reasonNb)).toEqual([
        `kreditbeløpet (CreditAmount) "10 000,00" er ikke et gyldig beløp (desimaltall med punktum, høyst to desimaler, uten eksponent): ikke et desimaltall`
      ])
      expect(bad.notes[0]?.messageNb).toMatch(/^bilag 10: kan ikke kontrolleres for balanse, beløpet på linje 11, kolonne \d+ \(RecordID 1\) kan ikke leses$/)
    }))
})
