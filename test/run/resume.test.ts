/**
 * `kravsync run` killed with SIGKILL mid-way and run again finishes every client exactly once and
 * writes the same overview as a run that was never interrupted; no half-written file is ever taken
 * for a finished one. The real CLI in a child process (the built dist/, as bin/kravsync.mjs runs it),
 * against its own in-process sandbox serving a generated portfolio.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { type ChildProcess, execFile } from "node:child_process"
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { writePortfolio } from "../../sandbox/portfolio/generate.ts"
import { decodeReportJson } from "../../src/reconcile/JsonReportSink.ts"
import { decodeOverview } from "../../src/run/Overview.ts"
import { decodeStatus } from "../../src/run/StatusRecord.ts"

const dir = mkdtempSync(join(tmpdir(), "kravsync-resume-"))
// Seed 12: every kind the CLI can show (no system user needs a firm client of its own: run.test.ts).
const portfolio = writePortfolio(dir, { clients: 16, seed: 12, shares: { "no-system-user": 0, "corrupt-saft": 0.1 } })
const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("KRAVSYNC_")))

/** Starts the CLI at once; `done` waits for its exit code (137 when killed), however often it is awaited. */
const start = (out: string, extra: ReadonlyArray<string> = []) => {
  let child: ChildProcess | undefined
  const exited = new Promise<number>((resolve) => {
    child = execFile(
      "node",
      ["bin/kravsync.mjs", "run", "--clients", join(dir, "clients.csv"), "--sandbox-data", join(dir, "scenarios"), "--out-dir", out, "--quiet", ...extra],
      { env: clean, timeout: 240_000 },
      (error) => resolve(error ? (typeof error.code === "number" ? error.code : error.signal === "SIGKILL" ? 137 : 1) : 0)
    )
  })
  return { done: Effect.promise(() => exited), kill: () => child?.kill("SIGKILL") }
}

const statuses = (out: string): number =>
  existsSync(join(out, "klienter")) ? readdirSync(join(out, "klienter")).filter((c) => existsSync(join(out, "klienter", c, "status.json"))).length : 0

const overviewOf = (out: string) => {
  const o = decodeOverview(readFileSync(join(out, "oversikt.json"), "utf8"))
  if (Either.isLeft(o)) throw new Error(String(o.left))
  return o.right
}

describe("kravsync run, killed and resumed", () => {
  it.live("kill -9 mid-way, then the same command: the same overview as an uninterrupted run", () =>
    Effect.gen(function*() {
      const whole = join(dir, "whole")
      const code = yield* start(whole).done
      // Some clients fail on purpose (a corrupt SAF-T file: invalid input).
      expect(code).toBe(2)

      const broken = join(dir, "broken")
      const run = start(broken, ["--concurrency", "1"])
      const waited = yield* Effect.race(
        run.done.pipe(Effect.map(() => "finished" as const)),
        Effect.gen(function*() {
          while (statuses(broken) < 3) yield* Effect.sleep("5 millis")
          run.kill()
          return "killed" as const
        })
      )
      expect(waited).toBe("killed")
      expect(yield* run.done).toBe(137)
      const before = statuses(broken)
      expect(before).toBeLessThan(portfolio.clients.length)
      expect(existsSync(join(broken, "oversikt.json"))).toBe(false)

      const resumed = yield* start(broken).done
      expect(resumed).toBe(2)
      expect(overviewOf(broken)).toEqual(overviewOf(whole))

      // Every finished client has a complete record and complete reports.
      for (const c of portfolio.clients) {
        const s = decodeStatus(readFileSync(join(broken, "klienter", c.orgnr, "status.json"), "utf8"))
        expect(Either.isRight(s), c.orgnr).toBe(true)
        if (Either.isRight(s) && s.right.outcome !== "failed") {
          const report = decodeReportJson(readFileSync(join(broken, s.right.files.find((f) => f.endsWith(".json")) ?? ""), "utf8"))
          expect(Either.isRight(report), c.orgnr).toBe(true)
        }
      }
    }), 600_000)
})
