/**
 * The accountant's side (#12), through the built CLI (`npm run build` first): every command's help
 * names kravsync, describes each option without @effect/cli's generic lines and ends with examples;
 * `--lang en` leaves no bokmål on the terminal; counts agree with their nouns; `demo --quiet`
 * prints only the files; and the reconcile summary stays aligned when an amount is 16 characters
 * or wider.
 */
import { describe, expect, it } from "@effect/vitest"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { summary } from "../../src/cli/commands/reconcile.ts"
import { table } from "../../src/cli/format.ts"
import { aapneKrav, entry, innbetalinger, type KravSpec, run, snapshot } from "../reconcile/helpers.ts"
import { kravsync as cli, root } from "../support/cli.ts"

const kravsync = (args: ReadonlyArray<string>, cwd = root) => cli(args, { cwd })

/** The generic lines @effect/cli adds to options it knows nothing about. */
const PLACEHOLDERS = [
  "A user-defined piece of text",
  "This setting is optional",
  "A true or false value",
  "One of the following:",
  "An integer.",
  "A file.",
  "A directory.",
  "may be repeated zero or more times"
]

const COMMANDS: ReadonlyArray<ReadonlyArray<string>> = [
  [],
  ["aapnekrav"],
  ["krav"],
  ["innbetalinger"],
  ["utbetalinger"],
  ["token"],
  ["reconcile"],
  ["demo"],
  ["sandbox"],
  ["fiken"],
  ["fiken", "login"],
  ["run"],
  ["portfolio"],
  ["serve"],
  ["serve-key"],
  ["trekkpaalegg"],
  ["trekkavstemming"],
  ["trekk-testdata"]
]

/** The commands this issue gave examples to (fiken login's help lives in connectors/fiken/login.ts). */
const WITH_EXAMPLES = COMMANDS.filter((c) => c[0] !== "fiken")

describe("kravsync --help", () => {
  for (const command of COMMANDS) {
    const name = ["kravsync", ...command].join(" ")
    it(`${name} --help: no placeholder text, the usage names kravsync`, async () => {
      const r = await kravsync([...command, "--help"])
      expect(r.status).toBe(0)
      expect(r.stderr).toBe("")
      for (const p of PLACEHOLDERS) expect(r.stdout, `${name}: "${p}"`).not.toContain(p)
      const usage = r.stdout.split("\n").find((l) => l.startsWith("$ "))
      expect(usage).toMatch(new RegExp(`^\\$ ${name}( |$)`))
      // piped, the help is plain text
      expect(r.stdout).not.toContain("\u001b[")
    })
  }

  for (const command of WITH_EXAMPLES) {
    const name = ["kravsync", ...command].join(" ")
    it(`${name} --help: a purpose, every option described, two or three examples`, async () => {
      const out = (await kravsync([...command, "--help"])).stdout
      const section = (title: string) => {
        const start = out.indexOf(`\n${title}\n`)
        if (start < 0) return ""
        const rest = out.slice(start + title.length + 2)
        const next = rest.search(/\n[A-Z][A-Z ]+\n/)
        return next < 0 ? rest : rest.slice(0, next)
      }
      expect(section("DESCRIPTION").trim().length).toBeGreaterThan(20)
      const examples = section("EXAMPLES").split("\n").filter((l) => l.startsWith(`$ ${name}`))
      expect(examples.length).toBeGreaterThanOrEqual(2)
      expect(examples.length).toBeLessThanOrEqual(3)
      // each option line is followed by a description of its own
      const options = section("OPTIONS").split("\n\n").map((b) => b.trim()).filter((b) => b.length > 0)
      for (let i = 0; i < options.length; i += 2) {
        expect(options[i]).toMatch(/^--/)
        expect(options[i + 1]?.length ?? 0, `${name} ${options[i]}`).toBeGreaterThan(10)
      }
    })
  }

  it("the root help lists every command with its purpose, fiken login included", async () => {
    const out = (await kravsync(["--help"])).stdout
    for (const c of ["aapnekrav", "krav", "innbetalinger", "utbetalinger", "token", "reconcile", "demo", "sandbox", "fiken login"]) {
      expect(out).toMatch(new RegExp(`\\n  ${c} +\\S`))
    }
  })

  it("options state their defaults", async () => {
    const reconcile = (await kravsync(["reconcile", "--help"])).stdout
    expect(reconcile).toContain("Default: nb")
    expect(reconcile).toMatch(/--as-of text\n\n {2}.*Default: today/)
    expect((await kravsync(["sandbox", "--help"])).stdout).toContain("Default: 8780")
    expect((await kravsync(["demo", "--help"])).stdout).toContain("Default: kravsync-demo")
  })
})

const full = [
  "--part",
  "212201782",
  "--ledger",
  "saft:sandbox/demo/full/212201782-2023-full.xml",
  "--sandbox-data",
  "sandbox/demo/full",
  "--as-of",
  "2023-09-30"
]
const BOKMAAL = [
  "Ingen --out",
  "Avstemmer",
  "Skrev",
  "Avstemming",
  "Regnskap:",
  "følg opp",
  "ikke tilordnet",
  "Trenger oppfølging",
  "Kravforfall",
  "differanse",
  "uforklart"
]

describe("--lang en on the terminal", () => {
  it("reconcile: the notes, the summary and 'Wrote' in English", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kravsync-help-"))
    const written = await kravsync(["reconcile", ...full, "--lang", "en", "--out", join(dir, "r.json")])
    expect(written.status).toBe(0)
    expect(written.stdout).toContain(`Wrote ${join(dir, "r.json")}`)
    const none = await kravsync(["reconcile", ...full, "--lang", "en"])
    expect(none.stderr).toContain("No --out given")
    for (const r of [written, none]) {
      for (const word of BOKMAAL) expect(r.stdout + r.stderr, word).not.toContain(word)
    }
    // bokmål is the default
    const nb = await kravsync(["reconcile", ...full])
    expect(nb.stderr).toContain("Ingen --out gitt")
    expect(nb.stdout).toContain("Avstemming 212201782")
  })

  it("demo --lang en: every line in English", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kravsync-help-"))
    const r = await kravsync(["demo", "--lang", "en"], dir)
    expect(r.status).toBe(0)
    expect(r.stdout).toContain("reconciliations against the sandbox")
    for (const word of BOKMAAL) expect(r.stdout + r.stderr, word).not.toContain(word)
  })

  it("demo --quiet prints only the files written, one a line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kravsync-help-"))
    const r = await kravsync(["demo", "--quiet"], dir)
    expect(r.status).toBe(0)
    const lines = r.stdout.trimEnd().split("\n")
    expect(lines).toHaveLength(10)
    for (const l of lines) expect(l).toMatch(/^kravsync-demo\/\d{9}\.(xlsx|json)$/)
    expect(r.stderr).toBe("")
  })
})

const MVA: KravSpec = {
  id: "mva-2023-1",
  kravtype: "åBetaleMva",
  opprettet: "2023-03-20",
  forfall: [{ id: "ff-mva-1", forfallsdato: "2023-04-11", opprinnelig: 10000 }]
}

describe("words and numbers on the terminal", () => {
  it("one payment is '1 innbetaling'; kravtyper by their code-list name with the code beside", () => {
    const one = table("innbetalinger", innbetalinger([{ id: "inn-1", dato: "2023-04-10", beloep: 100 }]))
    expect(one).toContain("1 innbetaling ")
    expect(one).not.toContain("1 innbetalinger")
    const two = table("innbetalinger", innbetalinger([{ id: "inn-1", dato: "2023-04-10", beloep: 100 }, { id: "inn-2", dato: "2023-04-11", beloep: 100 }]))
    expect(two).toContain("2 innbetalinger")
    const open = table("aapnekrav", aapneKrav([MVA]))
    expect(open).toContain("Mva-melding å betale (åBetaleMva)")
    expect(open).toContain("1 krav")
  })

  it("the reconcile summary: a kind in the number of its items", () => {
    const r = run({ aapneKrav: aapneKrav([MVA]), ledger: snapshot([entry("2740", "2023-04-14", -10000)]) })
    const nb = summary(r, "nb")
    expect(nb).toContain("Kravforfall: 1 avstemt")
    expect(nb).toContain("Bilagslinje: 1 avstemt")
    const en = summary(r, "en")
    expect(en).toContain("Claim instalment: 1 matched")
    expect(en).toContain("Ledger entry: 1 matched")
    const two = summary(run({ aapneKrav: aapneKrav([MVA]), ledger: snapshot([entry("2740", "2023-04-14", -4000), entry("2740", "2023-04-15", -6000)]) }), "nb")
    expect(two).toMatch(/Bilagslinjer: 2 /)
  })

  it("an amount of 16 characters or more widens its column: every row stays aligned", () => {
    const big: KravSpec = { ...MVA, forfall: [{ id: "ff-big", forfallsdato: "2023-04-11", opprinnelig: 12_345_678_901.23 }] }
    const r = run({ aapneKrav: aapneKrav([big]), ledger: snapshot([entry("2740", "2023-04-14", -1)]) })
    for (const language of ["nb", "en"] as const) {
      const text = summary(r, language)
      expect(text).toContain("12 345 678 901,23")
      const lines = text.split("\n")
      const header = lines.findIndex((l) => l.startsWith(language === "en" ? "Account" : "Konto"))
      const rows = lines.slice(header).filter((l) => /^(\S.*?)\s{2,}-?[−\d]/.test(l) || l === lines[header])
      expect(rows.length).toBeGreaterThanOrEqual(3)
      // where each amount column ends (the account column is left-aligned): a character followed by two spaces or the end of the line
      const ends = (l: string) => [...l.replace(/ {2}! .*$/, "").matchAll(/\S(?= {2,}|$)/g)].map((m) => m.index).slice(1)
      const expected = ends(lines[header]!)
      expect(expected).toHaveLength(4)
      for (const l of rows) expect(ends(l), l).toEqual(expected)
    }
  })
})
