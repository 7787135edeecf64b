/**
 * The firm's run over 50 generated sandbox clients with injected faults (KB-002, dropped
 * connections, 429), the sandbox enforcing om/bruk.md's 5 concurrent calls: every client ends in
 * the state its books call for, the firm never has more than 5 calls in flight, and a rerun skips
 * what is done, retries what failed, and redoes a client whose ledger changed.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { writePortfolio } from "../../sandbox/portfolio/generate.ts"
import { decodeOverview, type Overview } from "../../src/run/Overview.ts"
import { readStatus } from "../../src/run/RunFolder.ts"
import { startFirm } from "./harness.ts"

const dir = mkdtempSync(join(tmpdir(), "kravsync-firm-"))
const portfolio = writePortfolio(dir, { clients: 50, seed: 3 })

const expectedOutcome = { "tied-out": "tied-out", "follow-up": "follow-up", "failed-auth": "failed", "failed-input": "failed" } as const
const expectedCategory = { "failed-auth": "auth", "failed-input": "input" } as const

const readOverview = (out: string): Overview => {
  const o = decodeOverview(readFileSync(join(out, "oversikt.json"), "utf8"))
  if (o._tag === "Left") throw new Error(String(o.left))
  return o.right
}

describe("kravsync run: 50 sandbox clients", () => {
  it("the portfolio has every kind of client", () => {
    const kinds = new Set(portfolio.clients.map((c) => c.kind))
    expect([...kinds].sort()).toEqual(["clean", "corrupt-saft", "difference", "dormant", "no-system-user"])
  })

  it.scopedLive("with faults: every client in its state, never more than 5 calls in flight, resumed and forced", () =>
    Effect.gen(function*() {
      const firm = yield* startFirm(dir, portfolio)
      firm.sandbox.setFaults({ kb002Share: 0.1, dropShare: 0.05, rate429Share: 0.05, retryAfterSeconds: 0, enforceConcurrency: true })
      const out = join(dir, "run")
      const first = yield* firm.run(out)
      expect(first.ran).toBe(50)
      expect(first.skipped).toBe(0)
      // The faults were met and ridden out.
      const statuses = firm.sandbox.stats.byStatus
      expect(statuses[500] ?? 0).toBeGreaterThan(0)
      expect(statuses[429] ?? 0).toBeGreaterThan(0)

      for (const c of portfolio.clients) {
        const s = readStatus(out, c.orgnr)
        expect(s, c.orgnr).toBeDefined()
        expect({ orgnr: c.orgnr, kind: c.kind, outcome: s?.outcome }).toEqual({ orgnr: c.orgnr, kind: c.kind, outcome: expectedOutcome[c.expected] })
        if (c.expected === "failed-auth" || c.expected === "failed-input") {
          expect(s?.failure?.category, `${c.orgnr} ${c.kind}: ${s?.failure?.message}`).toBe(expectedCategory[c.expected])
        } else {
          for (const f of s?.files ?? []) expect(existsSync(join(out, f)), f).toBe(true)
        }
        if (c.kind === "difference") expect(s?.figures?.followUpItems ?? 0).toBeGreaterThan(0)
        if (c.kind === "clean") expect(s?.figures?.unexplained).toBe(0)
      }
      // om/bruk.md's limit is the firm's: all its clients' calls together, counted at the proxy.
      expect(firm.proxy.peak()).toBeLessThanOrEqual(5)
      expect(firm.sandbox.stats.peakInFlight).toBeLessThanOrEqual(5)

      const overview = readOverview(out)
      expect(overview.rows.map((r) => r.orgnr).sort()).toEqual(portfolio.clients.map((c) => c.orgnr).sort())
      const ranks = overview.rows.map((r) => ({ failed: 0, "follow-up": 1, "tied-out": 2 })[r.outcome])
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
      expect(overview.totals.failed).toBe(portfolio.clients.filter((c) => c.expected.startsWith("failed")).length)
      expect(overview.totals.difference).toBe(overview.rows.reduce((s, r) => s + (r.difference ?? 0), 0))
      expect(overview.rows.filter((r) => r.outcome !== "failed").every((r) => r.workbook !== undefined && existsSync(join(out, r.workbook)))).toBe(true)

      // Rerun: the done clients are skipped, the failed ones retried, the overview unchanged.
      const failed = overview.totals.failed
      const second = yield* firm.run(out)
      expect(second.ran).toBe(failed)
      expect(second.skipped).toBe(50 - failed)
      expect(readOverview(out)).toEqual(overview)

      // A changed ledger is redone; --force redoes all.
      const changed = portfolio.clients.find((c) => c.kind === "clean")
      if (changed === undefined) throw new Error("no clean client")
      appendFileSync(join(dir, changed.ledgerFile), "\n")
      const third = yield* firm.run(out)
      expect(third.ran).toBe(failed + 1)
      // --force redoes done clients too (a few of them, to keep the test short).
      const some = firm.rows.slice(0, 6)
      const forced = yield* firm.run(out, { force: true, rows: some })
      expect(forced.ran).toBe(6)
      expect(forced.overview.rows.map((r) => r.orgnr).sort()).toEqual(some.map((r) => r.orgnr).sort())
      expect(firm.proxy.peak()).toBeLessThanOrEqual(5)
      // No temporary file is left behind in a finished run.
      const leftovers = readdirSync(out, { recursive: true }).map(String).filter((f) => f.endsWith(".tmp"))
      expect(leftovers).toEqual([])
    }), 400_000)
})
