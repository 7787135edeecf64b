/**
 * The workbook as the accountant prints it: LibreOffice renders it to PDF, and page 1 — the
 * Sammendrag sheet — must say whose reconciliation it is (company, organisasjonsnummer, period,
 * as-of date) and hold the whole sheet on ONE landscape page.
 *
 * Needs LibreOffice (`soffice`) and poppler-utils (`pdfinfo`, `pdftotext`); Debian:
 * `apt-get install --no-install-recommends libreoffice-calc poppler-utils` (docs/excel.md). Where
 * either is missing the test is reported as skipped, with the reason in its name.
 */
import { describe, expect, it } from "@effect/vitest"
import { existsSync, mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Report } from "../../src/reconcile/Report.ts"
import { aapneKrav, entry, innbetalinger, kravListe, run, snapshot } from "../../test/reconcile/helpers.ts"
import { runOk } from "../../test/support/run.ts"
import { writeWorkbook } from "./index.ts"

const which = (name: string): string | undefined => ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"].map((d) => join(d, name)).find((p) => existsSync(p))
const soffice = which("soffice")
const pdfinfo = which("pdfinfo")
const pdftotext = which("pdftotext")
const missing = [
  soffice === undefined ? "soffice (LibreOffice)" : "",
  pdfinfo === undefined || pdftotext === undefined ? "pdfinfo/pdftotext (poppler-utils)" : ""
]
  .filter((x) => x !== "")
  .join(" and ")
const skipReason = missing === "" ? "" : ` (skipped: ${missing} not installed)`

/** Accounts on every tax account the standard mapping knows, and one unmapped kravtype: Sammendrag's rows all filled. */
const report = (): Report => {
  const krav = [
    {
      id: "mva-1",
      kravtype: "åBetaleMva",
      kravgruppe: "merverdiavgift",
      opprettet: "2023-04-01",
      forfall: [{ id: "mva-1-1", forfallsdato: "2023-04-10", opprinnelig: 10000, kid: "1234567890" }]
    },
    {
      id: "aga-1",
      kravtype: "arbeidsgiveravgift",
      opprettet: "2023-03-01",
      renter: 120.5,
      forfall: [{ id: "aga-1-1", forfallsdato: "2023-03-15", opprinnelig: 5000.25 }]
    },
    { id: "tr-1", kravtype: "forskuddstrekk", opprettet: "2023-03-01", forfall: [{ id: "tr-1-1", forfallsdato: "2023-03-15", opprinnelig: 777 }] },
    {
      id: "rs-1",
      kravtype: "restskatt",
      kravgruppe: "skatt",
      opprettet: "2023-08-01",
      forfall: [{ id: "rs-1-1", forfallsdato: "2023-09-20", opprinnelig: 4321 }]
    },
    { id: "ny-1", kravtype: "nyKravtype2027", opprettet: "2023-05-01", forfall: [{ id: "ny-1-1", forfallsdato: "2023-05-15", opprinnelig: 300 }] }
  ]
  return run({
    aapneKrav: aapneKrav(krav),
    krav: kravListe(krav),
    innbetalinger: innbetalinger([{ id: "inn-1", dato: "2023-04-10", beloep: 10000, kid: "1234567890" }]),
    ledger: snapshot([
      entry("2740", "2023-04-01", -10000, { reference: "1234567890" }),
      entry("2770", "2023-03-01", -5000),
      entry("2510", "2023-08-01", -4321),
      entry("2740", "2023-06-01", -42, { description: "Korreksjon uten motpost" })
    ]),
    language: "nb"
  })
}

describe("Excel workbook, printed", () => {
  it.skipIf(missing !== "")(
    `LibreOffice renders Sammendrag as page 1: the title block, and the whole sheet on one landscape page${skipReason}`,
    async () => {
      const r = report()
      const dir = mkdtempSync(join(tmpdir(), "kravsync-pdf-"))
      const xlsx = join(dir, "r.xlsx")
      await writeWorkbook(r, xlsx)
      // Pages 1–2 only (LibreOffice prints every sheet; the rest is not looked at): Sammendrag and
      // whatever follows it. A private profile per run, so parallel runs do not share one.
      await runOk(soffice!, [
        `-env:UserInstallation=file://${dir}/profile`,
        "--headless",
        "--convert-to",
        "pdf:calc_pdf_Export:{\"PageRange\":{\"type\":\"string\",\"value\":\"1-2\"}}",
        "--outdir",
        dir,
        xlsx
      ], { timeout: 170_000 })
      const pdf = join(dir, "r.pdf")

      // page 1 is landscape: "Page    1 size: 841.89 x 595.304 pts (A4)"
      const info = await runOk(pdfinfo!, ["-f", "1", "-l", "1", pdf])
      const size = /Page\s+1 size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)
      expect(size, info).not.toBeNull()
      const [width, height] = [Number(size![1]), Number(size![2])]
      expect(width).toBeGreaterThan(height)

      // pdftotext ends each page with a form feed
      const pages = (await runOk(pdftotext!, ["-layout", "-f", "1", "-l", "2", pdf, "-"])).split("\f")
      const page1 = pages[0] ?? ""
      // the title block: company, organisasjonsnummer, period, as-of date
      expect(page1).toContain("Avstemming av skattekontoen")
      expect(page1).toMatch(new RegExp(`Firma\\s+${r.metadata.partyName}`))
      expect(page1).toMatch(new RegExp(`Organisasjonsnummer\\s+${r.metadata.party}`))
      expect(page1).toMatch(/Periode\s+01\.01\.2023 – 31\.12\.2023/)
      expect(page1).toMatch(/Avstemt per\s+31\.12\.2023/)
      // the whole sheet on this page: every account row, the totals, and the sheet's last line
      expect(page1).toMatch(/^\s*Konto\s+Kontonavn\s+Kravgrupper/m)
      for (const a of r.accounts) expect(page1).toContain(a.key)
      expect(page1).toMatch(/^\s*Sum\s/m)
      expect(page1).toContain(r.totals.needsAttention ? "Rapporten har avvik som må følges opp" : "Alt er avstemt.")
      // its footer names the sheet; the next page is the next sheet's, so Sammendrag took one page
      expect(page1).toMatch(/^\s*Sammendrag\s+Side 1 av \d+\s*$/m)
      expect(pages[1] ?? "").toMatch(/^\s*Avstemmingsbro\s+Side 2 av \d+\s*$/m)
    }
  )
})
