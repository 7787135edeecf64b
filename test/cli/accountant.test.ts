/**
 * The accountant's side, through the built CLI as a user runs it (issue "The accountant's side"):
 * each reproduction from the issue as a test.
 */
import { describe, expect, it } from "@effect/vitest"
import { kravsync as cli } from "../support/cli.ts"

const kravsync = (...args: Array<string>) => cli(args)
const full = ["--part", "212201782", "--ledger", "saft:sandbox/demo/full/212201782-2023-full.xml", "--sandbox-data", "sandbox/demo/full"]

describe("kravsync for an accountant", () => {
  it("reconcile takes the connection settings every API command takes: --env test asks for the client id, exit 2", async () => {
    const r = await kravsync("reconcile", ...full.slice(0, 4), "--env", "test")
    expect(r.stderr).not.toContain("unknown argument")
    expect(r.stderr).toContain("client-id")
    expect(r.status).toBe(2)
  })

  it("organisasjonsnummer as typed: with spaces and as NO…MVA; dates as dd.mm.yyyy", async () => {
    for (const form of ["313 367 002", "NO313367002MVA"]) {
      const r = await kravsync("aapnekrav", form, "--format", "json")
      expect(r.status).toBe(0)
      expect(JSON.parse(r.stdout)).toMatchObject({ partIdentifikator: "313367002" })
    }
    const k = await kravsync("krav", "212201782", "--fra", "01.01.2023", "--til", "01.09.2023", "--format", "json")
    expect(k.status).toBe(0)
    expect(JSON.parse(k.stdout)).toMatchObject({ partIdentifikator: "212201782" })
  })

  it("--out - writes the JSON report to stdout, and the summary to stderr", async () => {
    const r = await kravsync("reconcile", ...full, "--as-of", "30.09.2023", "--out", "-")
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ schemaVersion: 1, metadata: { party: "212201782", asOf: "2023-09-30" } })
    expect(r.stderr).toContain("Avstemming 212201782")
  })

  it("--fail-on-attention: a reconciliation that needs follow-up exits 6, after writing the report", async () => {
    const r = await kravsync("reconcile", ...full, "--as-of", "2023-09-30", "--out", "-", "--fail-on-attention")
    expect(r.status).toBe(6)
    expect(JSON.parse(r.stdout)).toMatchObject({ totals: { needsAttention: true } })
    expect(r.stderr).toContain("Må følges opp: avstemmingen må følges opp på")
    // without the flag the same run exits 0
    expect((await kravsync("reconcile", ...full, "--as-of", "2023-09-30", "--out", "-")).status).toBe(0)
  })

  it("errors follow --lang: bokmål by default, English with --lang en; the rule that failed is named either way", async () => {
    const nb = await kravsync("reconcile", "--part", "313 367 003", "--ledger", "saft:sandbox/demo/ledgers/313367002.xml")
    expect(nb.status).toBe(2)
    expect(nb.stderr).toBe("Ugyldig inndata: partIdentifikator 313367003: kontrollsifferet i organisasjonsnummeret stemmer ikke (mod11) — ventet 2, fikk 3\n")
    const en = await kravsync("reconcile", "--part", "313 367 003", "--ledger", "saft:sandbox/demo/ledgers/313367002.xml", "--lang", "en")
    expect(en.stderr).toBe("Invalid input: partIdentifikator 313367003: organisasjonsnummer control digit (mod11) — expected 2, got 3\n")
    const early = await kravsync(
      "reconcile",
      "--part",
      "313367002",
      "--ledger",
      "saft:sandbox/demo/ledgers/313367002.xml",
      "--sandbox-data",
      "sandbox/demo/full",
      "--as-of",
      "2020-01-01"
    )
    expect(early.status).toBe(2)
    expect(early.stderr).toContain("Ugyldig inndata: --as-of 2020-01-01 er før perioden begynner: perioden er 2025-01-01–2025-12-31 (SAF-T-filen dekker")
  })

  it("a report that cannot be written: exit 5 naming the path, in bokmål by default and in English with KRAVSYNC_LANG=en", async () => {
    const lastLine = (s: string) => s.trimEnd().split("\n").pop()
    const out = await kravsync("reconcile", ...full, "--as-of", "2023-09-30", "--out", "/nonexistent-kravsync/x.json")
    expect(out.status).toBe(5)
    expect(lastLine(out.stderr)).toBe("Kunne ikke skrive: /nonexistent-kravsync/x.json: mappen /nonexistent-kravsync finnes ikke")
    const viaEnv = await cli(["reconcile", ...full, "--as-of", "2023-09-30", "--out", "/nonexistent-kravsync/x.json"], { env: { KRAVSYNC_LANG: "en" } })
    expect(viaEnv.status).toBe(5)
    expect(lastLine(viaEnv.stderr)).toBe("Could not write: the folder /nonexistent-kravsync does not exist")
  })

  it("an empty KRAVSYNC_ENV means unset (the sandbox); an unknown one is refused, exit 2", async () => {
    const run = (value: string) => cli(["aapnekrav", "313367002", "--format", "json"], { env: { KRAVSYNC_ENV: value } })
    expect((await run("")).status).toBe(0)
    const bad = await run("bogus")
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain("bogus")
  })
})
