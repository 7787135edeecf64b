/**
 * Issue #12's reproductions that no other test ran through the built CLI as a user runs it: the exit
 * codes of bad input files and outputs (each was exit 1), and progress on stderr while `reconcile`
 * reads a SAF-T file (it printed nothing for 11 s on a large one). The other reproductions are
 * covered where their feature is tested (test/cli/accountant.test.ts, help.test.ts,
 * bokmal-errors.test.ts, progress.test.ts, connectors/excel/*.test.ts).
 */
import { describe, expect, it } from "@effect/vitest"
import ExcelJS from "exceljs"
import { execFile } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const root = join(import.meta.dirname, "..", "..")
const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("KRAVSYNC_")))
// Asynchronous: a synchronous spawn would block the test worker (and its reports to vitest) for the whole run.
const kravsync = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  new Promise<{ readonly status: number; readonly stdout: string; readonly stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [join(root, "bin", "kravsync.mjs"), ...args],
      { cwd: root, env: { ...clean, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        resolve({ status: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout: String(stdout), stderr: String(stderr) })
      }
    )
  })

const saft = "sandbox/demo/full/212201782-2023-full.xml"
const data = ["--sandbox-data", "sandbox/demo/full"]
const lastLine = (s: string) => s.trimEnd().split("\n").pop() ?? ""

describe("issue #12: exit codes for bad input files and outputs (each was exit 1)", () => {
  it("a SAF-T file that does not exist: exit 2 (invalid input), naming the file", async () => {
    const r = await kravsync(["reconcile", "--part", "212201782", "--ledger", "saft:no-such-books.xml", ...data])
    expect(r.status).toBe(2)
    expect(lastLine(r.stderr)).toMatch(/^Ugyldig inndata: .*no-such-books\.xml/)
    expect(r.stdout).toBe("")
  }, 150_000)

  it("an unknown --ledger: exit 2, naming it and the ledgers there are", async () => {
    const r = await kravsync(["reconcile", "--part", "212201782", "--ledger", "regneark:bok.ods", ...data])
    expect(r.status).toBe(2)
    const line = lastLine(r.stderr)
    expect(line).toMatch(/^Ugyldig inndata: /)
    expect(line).toContain("regneark:bok.ods")
    for (const known of ["saft:", "tripletex", "fiken"]) expect(line).toContain(known)
  }, 150_000)

  it("another company's SAF-T file: exit 2, naming both organisation numbers and --force, and writes nothing", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "kravsync-issue12-")), "r.json")
    const r = await kravsync(["reconcile", "--part", "313367002", "--ledger", `saft:${saft}`, ...data, "--out", out])
    expect(r.status).toBe(2)
    const line = lastLine(r.stderr)
    expect(line).toMatch(/^Ugyldig inndata: /)
    for (const s of ["212201782", "313367002", "--force"]) expect(line).toContain(s)
    expect(existsSync(out)).toBe(false)
  }, 150_000)

  it("an --out with an extension no writer takes (.csv): exit 5 (output), naming the path and the writers there are; --lang en in English", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "kravsync-issue12-")), "avstemming.csv")
    const nb = await kravsync(["reconcile", "--part", "212201782", "--ledger", `saft:${saft}`, ...data, "--as-of", "2023-09-30", "--out", out])
    expect(nb.status).toBe(5)
    expect(lastLine(nb.stderr)).toBe(`Kunne ikke skrive: ${out}: ingen rapportskriver for ".csv"; kjente: .json, .xlsx`)
    const en = await kravsync(["reconcile", "--part", "212201782", "--ledger", `saft:${saft}`, ...data, "--as-of", "2023-09-30", "--out", out, "--lang", "en"])
    expect(en.status).toBe(5)
    // The English text does not name the path yet (src/reconcile/ReportSink.ts's message; the bokmål one does).
    expect(lastLine(en.stderr)).toMatch(/^Could not write: .*"\.csv"; known: \.json, \.xlsx$/)
    expect(existsSync(out)).toBe(false)
  }, 150_000)
})

describe("issue #12: reconcile on a SAF-T file shows its progress on stderr (it printed nothing for 11 s)", () => {
  // KRAVSYNC_PROGRESS=plain prints every step from its start, so a small file shows what a large one
  // shows after 2 s (src/cli/ProgressRenderer.ts); the timing rule itself is tested in progress.test.ts.
  const args = (out: string) => ["reconcile", "--part", "212201782", "--ledger", `saft:${saft}`, ...data, "--as-of", "2023-09-30", "--out", out]

  it("SAF-T bytes read, API calls done and workbook rows written, on stderr; stdout keeps only the summary", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "kravsync-issue12-")), "avstemming.xlsx")
    const r = await kravsync(args(out), { KRAVSYNC_PROGRESS: "plain" })
    expect(r.status).toBe(0)
    expect(r.stderr).toMatch(/^Leser SAF-T 212201782-2023-full\.xml: .* MB av .* MB, ferdig \(/m)
    expect(r.stderr).toMatch(/^Henter fra Skatteetaten 212201782: (\d+) av \1 kall, ferdig \(/m)
    expect(r.stderr).toMatch(/^Skriver arbeidsbok .*avstemming\.xlsx: (\d+) av \1 rader, ferdig \(/m)
    expect(r.stdout).toContain("Avstemming 212201782")
    for (const word of ["Leser SAF-T", "Henter fra", "Skriver arbeidsbok"]) expect(r.stdout).not.toContain(word)
  }, 150_000)

  it("in English with --lang en; nothing with --quiet", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kravsync-issue12-"))
    const en = await kravsync([...args(join(dir, "a.xlsx")), "--lang", "en"], { KRAVSYNC_PROGRESS: "plain" })
    expect(en.status).toBe(0)
    expect(en.stderr).toMatch(/^Reading SAF-T 212201782-2023-full\.xml: /m)
    expect(en.stderr).toMatch(/^Fetching from Skatteetaten 212201782: /m)
    expect(en.stderr).toMatch(/^Writing workbook .*a\.xlsx: /m)
    expect(en.stderr).not.toMatch(/Leser|Henter|Skriver/)
    const quiet = await kravsync([...args(join(dir, "b.xlsx")), "--quiet"], { KRAVSYNC_PROGRESS: "plain" })
    expect(quiet.status).toBe(0)
    expect(quiet.stderr).not.toMatch(/Leser SAF-T|Henter fra|Skriver arbeidsbok/)
    expect(existsSync(join(dir, "b.xlsx"))).toBe(true)
  }, 150_000)
})

describe("issue #12: words and numbers on the terminal, through the CLI", () => {
  it("one refund is '1 utbetaling', two payments '2 innbetalinger'", async () => {
    const one = await kravsync(["utbetalinger", "310478717", "--fra", "2026-01-01", "--til", "2026-11-24", "--format", "table"])
    expect(one.status).toBe(0)
    expect(one.stdout).toMatch(/^Sum\s+1 utbetaling\s/m)
    expect(one.stdout).not.toContain("1 utbetalinger")
    const two = await kravsync(["innbetalinger", "212201782", "--fra", "2023-01-01", "--til", "2023-12-31", ...data, "--format", "table"])
    expect(two.status).toBe(0)
    expect(two.stdout).toMatch(/^Sum\s.*\s2 innbetalinger\s/m)
  }, 150_000)

  it("a kravtype by its name from the code list, the raw code beside it, never alone", async () => {
    const r = await kravsync(["aapnekrav", "310478717", "--format", "table"])
    expect(r.status).toBe(0)
    expect(r.stdout).toContain("Mva-melding å betale (åBetaleMva)")
    expect(r.stdout.replaceAll("(åBetaleMva)", "")).not.toContain("åBetaleMva")
  }, 150_000)

  it("an amount of 16 characters or more widens its column: every line of the table keeps its width", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kravsync-issue12-"))
    const doc = JSON.parse(readFileSync(join(root, "sandbox", "demo", "full", "aapnekrav-212201782.json"), "utf8")) as {
      aapentKravMedGjenstaaendeBeloep: Array<
        { opprinneligBeloep: number; gjenstaaendeBeloep: number; kravforfall: Array<{ opprinneligBeloep: number; gjenstaaendeBeloep: number }> }
      >
    }
    const first = doc.aapentKravMedGjenstaaendeBeloep[0]!
    const big = 12_345_678_901.23
    Object.assign(first, { opprinneligBeloep: big, gjenstaaendeBeloep: big })
    Object.assign(first.kravforfall[0]!, { opprinneligBeloep: big, gjenstaaendeBeloep: big })
    writeFileSync(join(dir, "aapnekrav-212201782.json"), JSON.stringify(doc))
    const r = await kravsync(["aapnekrav", "212201782", "--sandbox-data", dir, "--format", "table"])
    expect(r.status).toBe(0)
    expect(r.stdout).toContain("12 345 678 901,23")
    const lines = r.stdout.split("\n")
    const header = lines.findIndex((l) => l.startsWith("Kravidentifikator"))
    const sum = lines.findIndex((l, i) => i > header && l.startsWith("Sum"))
    expect(header).toBeGreaterThanOrEqual(0)
    expect(sum).toBeGreaterThan(header + 2)
    const widths = lines.slice(header, sum + 1).map((l) => [...l.trimEnd()].length)
    expect(new Set(widths).size, lines.slice(header, sum + 1).join("\n")).toBe(1)
  }, 150_000)
})

describe("issue #12: the workbook kravsync reconcile writes", () => {
  const cells = async (file: string, sheet: string) => {
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file)
    const ws = wb.getWorksheet(sheet)
    const out: Array<Record<string, unknown>> = []
    const header: Array<string> = []
    ws?.getRow(1).eachCell((c, i) => void (header[i] = String(c.value)))
    ws?.eachRow((row, n) => {
      if (n === 1) return
      out.push(Object.fromEntries(header.flatMap((h, i) => [[h, row.getCell(i).value] as const])))
    })
    return out
  }

  it("Krav's Periode reads '1. termin 2025', the year once and no ISO date range (was '1. termin 2025 2025 2025-01-01–2025-02-28')", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "kravsync-issue12-")), "a.xlsx")
    const r = await kravsync(["reconcile", "--part", "313367002", "--ledger", "saft:sandbox/demo/ledgers/313367002.xml", "--out", out])
    expect(r.status).toBe(0)
    const periods = (await cells(out, "Krav")).map((row) => row["Periode"]).filter((p): p is string => typeof p === "string")
    expect(periods).toContain("1. termin 2025")
    for (const p of periods) {
      expect(p).not.toMatch(/(\d{4}).*\1/)
      expect(p).not.toMatch(/\d{4}-\d{2}-\d{2}/)
    }
  }, 150_000)

  it("Avvik: a 'Beløpet avviker' claim row shows the claim's amount, not 0,00", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "kravsync-issue12-")), "b.xlsx")
    const r = await kravsync(["reconcile", "--part", "212201782", "--ledger", `saft:${saft}`, ...data, "--as-of", "2023-09-30", "--out", out])
    expect(r.status).toBe(0)
    const differs = (await cells(out, "Avvik")).filter((row) => row["Status"] === "Beløpet avviker")
    expect(differs.length).toBeGreaterThan(0)
    for (const row of differs) expect(Number(row["Beløp"]), JSON.stringify(row)).not.toBe(0)
    expect(differs.find((row) => row["Id"] === "ff-mva-2")).toMatchObject({ Beløp: 18500, "Virkning på differansen": 500 })
  }, 150_000)
})
