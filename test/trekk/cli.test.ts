/**
 * `kravsync trekkpaalegg` and `kravsync trekkavstemming` as a user runs them: the built bin in a
 * child process, against a sandbox in this process (--env custom) so its Trekkpålegg clock can be
 * moved between two runs; the watermark stored with --state; the reconciliation's files.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import ExcelJS from "exceljs"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Sandbox from "../../sandbox/Simulator.ts"
import * as G from "../../sandbox/trekkpaalegg/Generate.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import { decodeJson } from "../../src/trekk/Section.ts"
import { kravsyncEffect } from "../support/cli.ts"

const dir = mkdtempSync(join(tmpdir(), "kravsync-trekk-cli-"))
/** Each test runs the bin several times; on a loaded machine one run takes tens of seconds. */
const CHILD_TIMEOUT = 300_000

const kravsync = kravsyncEffect

const custom = (h: Sandbox.SandboxHandle) => {
  const keyFile = join(dir, `demo-${Math.random().toString(36).slice(2)}.jwk`)
  writeFileSync(keyFile, JSON.stringify(h.demoClient.privateJwk))
  return [
    "--env",
    "custom",
    "--api-url",
    `${h.url}/api/trekkpaalegg/v1`,
    "--maskinporten-url",
    h.maskinportenIssuer,
    "--client-id",
    h.demoClient.clientId,
    "--key-file",
    keyFile
  ]
}

describe("kravsync trekkpaalegg", () => {
  it.scopedLive("a repeated poll with --state returns only what changed since the stored watermark", () =>
    Effect.gen(function*() {
      const h = yield* Sandbox.start()
      h.trekk.setClock("2026-03-01" as Dato)
      const state = join(dir, "state.json")
      const first = yield* kravsync(["trekkpaalegg", "313367002", "--state", state, "--maks-antall", "2", "--format", "json", ...custom(h)])
      expect(first.code).toBe(0)
      const firstOrders = JSON.parse(first.stdout) as Array<{ trekkid: string; sekvensnummer: number }>
      const stored = JSON.parse(readFileSync(state, "utf8")) as { trekkpliktige: Record<string, { sekvensnummer: number }> }
      const watermark = stored.trekkpliktige["313367002"]?.sekvensnummer ?? -1
      expect(watermark).toBe(Math.max(...firstOrders.map((o) => o.sekvensnummer)))
      expect(first.stdout).not.toMatch(/\n\s+at /)
      h.trekk.setClock("2026-08-01" as Dato)
      const second = yield* kravsync(["trekkpaalegg", "313367002", "--state", state, "--format", "json", ...custom(h)])
      expect(second.code).toBe(0)
      const changed = JSON.parse(second.stdout) as Array<{ trekkid: string; trekkversjon: number; sekvensnummer: number }>
      const expected = G.current(h.trekk.data, "313367002", "2026-08-01" as Dato).filter((v) => v.sekvensnummer > watermark)
      expect(changed.map((o) => `${o.trekkid}/${o.trekkversjon}`)).toEqual(expected.map((v) => `${v.trekkid}/${v.trekkversjon}`))
      expect(changed.length).toBeGreaterThan(0)
      expect(second.stderr).toContain(`etter sekvensnummer ${watermark}`)
      const third = yield* kravsync(["trekkpaalegg", "313367002", "--state", state, "--format", "json", ...custom(h)])
      expect(JSON.parse(third.stdout)).toEqual([])
    }), CHILD_TIMEOUT)

  it.scopedLive("a watermark stored against one environment is refused against another; bad options name themselves", () =>
    Effect.gen(function*() {
      const state = join(dir, "sandbox-state.json")
      const inSandbox = yield* kravsync(["trekkpaalegg", "313367002", "--state", state, "--format", "json"])
      expect(inSandbox.code).toBe(0)
      const h = yield* Sandbox.start()
      const elsewhere = yield* kravsync(["trekkpaalegg", "313367002", "--state", state, "--format", "json", ...custom(h)])
      expect(elsewhere.code).toBe(2)
      expect(elsewhere.stderr).toContain("vannmerket ble lagret mot sandbox")
      const half = yield* kravsync(["trekkpaalegg", "313367002", "--trekkid", "20011"])
      expect(half.code).toBe(2)
      expect(half.stderr).toContain("--trekkid/--versjon")
      const person = yield* kravsync(["trekkpaalegg", "04827896468"])
      expect(person.code).toBe(2)
      expect(person.stderr).not.toContain("04827896468")
    }), CHILD_TIMEOUT)
})

describe("kravsync trekkavstemming", () => {
  it.scopedLive("writes the section as JSON and a workbook with the Trekkpålegg sheet; the deliberate differences are listed", () =>
    Effect.gen(function*() {
      const data = join(dir, "td")
      const made = yield* kravsync(["trekk-testdata", "--avvik", "--out-dir", data])
      expect(made.code).toBe(0)
      const [saft, lonn] = made.stdout.trim().split("\n")
      const json = join(dir, "trekk.json")
      const xlsx = join(dir, "trekk.xlsx")
      const r = yield* kravsync([
        "trekkavstemming",
        "--trekkpliktig",
        "313367002",
        "--ledger",
        `saft:${saft}`,
        "--fra",
        "2026-01-01",
        "--til",
        "2026-11-24",
        "--loennsgrunnlag",
        String(lonn),
        "--out",
        json,
        "--out",
        xlsx
      ])
      expect(r.code).toBe(0)
      const section = Either.getOrThrow(decodeJson(readFileSync(json, "utf8")))
      expect(section.findings.map((f) => f.kind).sort()).toEqual(["betalt-med-annen-kid", "ikke-trukket", "trukket-etter-avslutning", "trukket-ikke-betalt"])
      for (const k of ["ikke-trukket", "trukket-ikke-betalt", "betalt-med-annen-kid", "trukket-etter-avslutning"]) expect(r.stdout).toContain(k)
      const wb = new ExcelJS.Workbook()
      yield* Effect.promise(() => wb.xlsx.readFile(xlsx))
      const ws = wb.getWorksheet("Trekkpålegg")
      expect(ws).toBeDefined()
      const texts: Array<string> = []
      ws?.eachRow((row) => row.eachCell((c) => void texts.push(String(c.value))))
      const all = texts.join("\n")
      expect(all).toContain("Trukket, ikke betalt")
      expect(all).toContain("Betalt med annen KID")
      expect(all).not.toMatch(/(?<!\d)\d{11}(?!\d)/)
      const bad = yield* kravsync(["trekkavstemming", "--trekkpliktig", "313367002", "--ledger", `saft:${saft}`, "--fra", "2026-13-01", "--til", "2026-11-24"])
      expect(bad.code).toBe(2)
      expect(bad.stderr).toContain("--fra")
    }), CHILD_TIMEOUT)
})
