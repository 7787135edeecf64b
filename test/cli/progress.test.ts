/**
 * Progress on stderr (issue "The accountant's side"): the renderer's rules with a clock of its own,
 * and the built CLI reading Tripletex's pages (the fake, over loopback) with KRAVSYNC_PROGRESS.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { execFile } from "node:child_process"
import { join } from "node:path"
import { promisify } from "node:util"
import { make } from "../../src/cli/ProgressRenderer.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import { generateBooks } from "../support/tripletex/books.ts"
import { startChecked } from "../support/tripletex/harness.ts"

const root = join(import.meta.dirname, "..", "..")

/** A renderer over a string buffer and a clock the test moves. */
const rig = (o: { readonly tty: boolean; readonly quiet?: boolean; readonly language?: "nb" | "en"; readonly mode?: "plain" }) => {
  let t = 0
  let out = ""
  const r = make({
    output: { write: (s: string) => (out += s), isTTY: o.tty, columns: 100 },
    language: o.language ?? "nb",
    quiet: o.quiet,
    mode: o.mode,
    now: () => t
  })
  return { r, at: (ms: number) => (t = ms), out: () => out }
}

describe("progress renderer", () => {
  it("plain lines (a log, a pipe): nothing for a short step; a long one gets a line after 2 s, then one per 5 s, and a closing line", () => {
    const short = rig({ tty: false })
    short.r.update({ step: "saft", done: 1_000_000, total: 2_000_000 })
    short.at(1500)
    short.r.update({ step: "saft", done: 2_000_000, total: 2_000_000 })
    short.r.end("saft")
    expect(short.out()).toBe("")

    const long = rig({ tty: false })
    long.r.update({ step: "saft", done: 0, total: 110_000_000, subject: "regnskap.xml" })
    long.at(2100)
    long.r.update({ step: "saft", done: 20_000_000, total: 110_000_000, subject: "regnskap.xml" })
    long.at(3000)
    long.r.update({ step: "saft", done: 30_000_000, total: 110_000_000, subject: "regnskap.xml" })
    long.at(7200)
    long.r.update({ step: "saft", done: 80_000_000, total: 110_000_000, subject: "regnskap.xml" })
    long.at(9000)
    long.r.end("saft")
    expect(long.out().split("\n")).toEqual([
      "Leser SAF-T regnskap.xml: 20 MB av 110 MB (18 %)",
      "Leser SAF-T regnskap.xml: 80 MB av 110 MB (72 %)",
      "Leser SAF-T regnskap.xml: 80 MB av 110 MB, ferdig (9,0 s)",
      ""
    ])
    expect(long.out()).not.toContain("\r")
  })

  it("a terminal gets one bar line redrawn in place, finished with a newline; English with --lang en", () => {
    const tty = rig({ tty: true, language: "en" })
    tty.r.update({ step: "workbook", done: 0, total: 200_000 })
    expect(tty.out()).toBe("") // not before 300 ms
    tty.at(400)
    tty.r.update({ step: "workbook", done: 50_000, total: 200_000 })
    tty.at(450)
    tty.r.update({ step: "workbook", done: 60_000, total: 200_000 }) // within 100 ms: not redrawn
    tty.at(700)
    tty.r.update({ step: "workbook", done: 150_000, total: 200_000 })
    tty.r.end("workbook")
    const out = tty.out()
    expect(out.split("\r\x1b[K")).toHaveLength(4) // two draws and the clearing before the last line
    expect(out).toContain("Writing workbook  [█████░░░░░░░░░░░░░░░]  25 %  50,000 of 200,000 rows")
    expect(out).not.toContain("60,000")
    expect(out.endsWith("Writing workbook: 150,000 of 200,000 rows, done (0.7 s)\n")).toBe(true)
  })

  it("--quiet draws nothing at all; counts agree with their nouns", () => {
    const quiet = rig({ tty: true, quiet: true })
    quiet.at(0)
    quiet.r.update({ step: "api", done: 1 })
    quiet.at(10_000)
    quiet.r.update({ step: "api", done: 40 })
    quiet.r.end("api")
    expect(quiet.out()).toBe("")

    const plain = rig({ tty: false, mode: "plain" })
    plain.r.update({ step: "ledger", done: 1, subject: "Tripletex" })
    plain.r.end("ledger")
    expect(plain.out()).toBe("Leser regnskapet Tripletex: 1 side\nLeser regnskapet Tripletex: 1 side, ferdig (0,0 s)\n")
  })
})

describe("progress through the CLI", () => {
  it.scopedLive("reconcile against Tripletex shows the ledger pages on stderr, stdout keeps only the summary; --quiet shows none", () =>
    Effect.gen(function*() {
      const periode = { fraOgMed: "2023-01-01" as Dato, tilOgMed: "2023-12-31" as Dato }
      const { fake } = yield* startChecked({})
      fake.loadBooks(1, generateBooks({ seed: 9, vouchers: 40, periode, company: { registrationNumber: "212201782", name: "Testbedrift AS" } }))
      const env = {
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("KRAVSYNC_"))),
        KRAVSYNC_TRIPLETEX_BASE_URL: fake.url,
        KRAVSYNC_TRIPLETEX_CONSUMER_TOKEN: fake.consumerToken,
        KRAVSYNC_TRIPLETEX_EMPLOYEE_TOKEN: fake.employeeToken,
        KRAVSYNC_PROGRESS: "plain"
      }
      // Asynchronous: the fake answers from this process while the CLI runs.
      const run = (...extra: Array<string>) =>
        Effect.promise(() =>
          promisify(execFile)(
            process.execPath,
            [
              join(root, "bin", "kravsync.mjs"),
              "reconcile",
              "--part",
              "212201782",
              "--ledger",
              "tripletex",
              "--fra",
              "2023-01-01",
              "--til",
              "2023-12-31",
              ...extra
            ],
            { cwd: root, env, encoding: "utf8" }
          )
        )
      const shown = yield* run()
      expect(shown.stderr).toMatch(/^Leser regnskapet Tripletex: \d+ sider?, ferdig \(\d+,\d s\)$/m)
      expect(shown.stdout).toContain("Avstemming 212201782")
      expect(shown.stdout).not.toContain("Leser regnskapet")
      const quiet = yield* run("--quiet")
      expect(quiet.stderr).toBe("")
      expect(quiet.stdout).toBe(shown.stdout)
    }))
})
