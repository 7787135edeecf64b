/**
 * End to end through the real bin (`node bin/kravsync.mjs reconcile …`) on the demo ledger and
 * saved sandbox responses. Skipped until the CLI's composition root (src/cli/main.ts) exists.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { existsSync, mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { decodeReportJson } from "../../src/reconcile/JsonReportSink.ts"
import { kravsync } from "../support/cli.ts"
import { fullDemoArgs } from "../support/demo.ts"

const root = join(import.meta.dirname, "..", "..")

describe("kravsync reconcile via bin/kravsync.mjs", () => {
  it.skipIf(!existsSync(join(root, "src", "cli", "main.ts")))("reconciles the full demo and the numbers tie out", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "kravsync-bin-")), "r.json")
    const done = await kravsync(["reconcile", ...fullDemoArgs(), "--out", out])
    expect(done.status, done.stderr).toBe(0)
    expect(done.stdout).toContain("2740")
    const r = decodeReportJson(readFileSync(out, "utf8"))
    if (Either.isLeft(r)) throw new Error(String(r.left))
    const report = r.right
    expect(report.totals.conserved).toBe(true)
    expect(report.totals.unexplained).toBe(0)
    // Skatteetaten 33 550,00 (18 500 + 150 renter on 2740, 6 200 + 5 900 on 2770, 800 on 2600, 2 000 unmapped)
    expect(report.totals.skatteetatenSaldo).toBe(3355000)
    expect(report.totals.ledgerSaldo).toBe(2299999)
    expect(report.totals.difference).toBe(1055001)
  })

  it.skipIf(!existsSync(join(root, "src", "cli", "main.ts")))(
    "without --fra/--til a 2023 SAF-T file is reconciled for 2023, and the summary prints the file's period",
    async () => {
      const out = join(mkdtempSync(join(tmpdir(), "kravsync-bin-")), "r.json")
      const run = await kravsync([
        "reconcile",
        "--part",
        "212201782",
        "--ledger",
        "saft:sandbox/demo/212201782-2023.xml",
        "--sandbox-data",
        "sandbox/demo/full",
        "--out",
        out
      ])
      expect(run.stderr).toContain("Avstemmer 2023-01-01–2023-12-31, perioden regnskapet selv oppgir")
      expect(run.status).toBe(0)
      expect(run.stdout).toContain("Avstemming 212201782")
      expect(run.stdout).toContain("2023-01-01–2023-12-31, per 2023-12-31")
      expect(run.stdout).toContain("Regnskapet dekker 2023-01-01–2023-12-31; avstemt 2023-01-01–2023-12-31")
      expect(run.stdout).not.toContain("2026")
      const r = decodeReportJson(readFileSync(out, "utf8"))
      if (Either.isLeft(r)) throw new Error(String(r.left))
      expect(r.right.metadata.periode).toEqual({ fraOgMed: "2023-01-01", tilOgMed: "2023-12-31" })
      expect(r.right.metadata.ledger.statedPeriode).toEqual({ fraOgMed: "2023-01-01", tilOgMed: "2023-12-31" })
    }
  )

  it.skipIf(!existsSync(join(root, "src", "cli", "main.ts")))(
    "a --fra outside the SAF-T file's period exits 2 with a message naming both periods, and writes nothing",
    async () => {
      const out = join(mkdtempSync(join(tmpdir(), "kravsync-bin-")), "r.json")
      const run = await kravsync([
        "reconcile",
        "--part",
        "212201782",
        "--ledger",
        "saft:sandbox/demo/212201782-2023.xml",
        "--sandbox-data",
        "sandbox/demo/full",
        "--fra",
        "2026-01-01",
        "--out",
        out
      ])
      expect(run.status).toBe(2)
      expect(run.stderr).toContain("Ugyldig inndata: --fra 2026-01-01")
      expect(run.stderr).toContain("men SAF-T-filen dekker 2023-01-01–2023-12-31")
      expect(run.stdout).toBe("")
      expect(existsSync(out)).toBe(false)
    }
  )
})
