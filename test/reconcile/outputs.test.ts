/**
 * Reports are written whole or not at all (issue "Reliability", reproductions 1 and 2), through the
 * built CLI as a user runs it:
 * - a report that cannot be written is a failure with exit code 5 naming the path — never "Skrev";
 * - every output path is checked before any work: a good `.json` next to an unwritable `.xlsx`
 *   leaves nothing written;
 * - an existing report is replaced only by a complete one (a temporary file beside it, renamed),
 *   and no temporary file is left behind.
 */
import { describe, expect, it } from "@effect/vitest"
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { kravsync } from "../support/cli.ts"
import { fullDemoArgs } from "../support/demo.ts"

const reconcile = (...out: Array<string>) => kravsync(["reconcile", ...fullDemoArgs(), ...out.flatMap((o) => ["--out", o])])

describe("report outputs", () => {
  it("a report that cannot be written fails with exit 5 naming the path, and says nothing was written", async () => {
    const r = await reconcile("/nonexistent/d/x.json")
    expect(r.status).toBe(5)
    expect(r.stderr).toContain("/nonexistent/d")
    expect(r.stdout).not.toContain("Skrev")
  })

  it("every output path is checked before any work: a good .json beside an unwritable .xlsx is not written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kravsync-out-"))
    const r = await reconcile(join(dir, "r.json"), "/nonexistent/d/r.xlsx")
    expect(r.status).toBe(5)
    expect(readdirSync(dir)).toEqual([])
  })

  it("an existing report is replaced whole, and no temporary file is left", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kravsync-out-"))
    const json = join(dir, "r.json")
    writeFileSync(json, "old report")
    const r = await reconcile(json, join(dir, "r.xlsx"))
    expect(r.status).toBe(0)
    expect(JSON.parse(readFileSync(json, "utf8"))).toMatchObject({ schemaVersion: 1 })
    expect(readdirSync(dir).sort()).toEqual(["r.json", "r.xlsx"])
    expect(existsSync(join(dir, "r.xlsx"))).toBe(true)
  })

  it("a temporary file left by a killed run is removed by the next write; one of a running write is left alone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kravsync-out-"))
    const abandoned = `.r.json.${2 ** 22 + 12345}.x.tmp` // no such process
    const running = `.r.json.${process.pid}.y.tmp` // this test's own process: alive
    writeFileSync(join(dir, abandoned), "half a report")
    writeFileSync(join(dir, running), "being written")
    expect((await reconcile(join(dir, "r.json"))).status).toBe(0)
    expect(readdirSync(dir).sort()).toEqual([running, "r.json"].sort())
  })
})
