/**
 * Tripletex clients in a firm's run, each with its own credentials reference: the firm's consumer
 * token is shared (KRAVSYNC_TRIPLETEX_CONSUMER_TOKEN), each client's employee token is read under
 * its prefix (KLIENT_A_KRAVSYNC_TRIPLETEX_EMPLOYEE_TOKEN), against the fake Tripletex
 * (test/support/tripletex) beside a SAF-T client, and a reference that names nothing fails its
 * client alone.
 */
import { NodeContext, NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Layer, Logger, LogLevel } from "effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ExcelReportSink } from "../../connectors/excel/index.ts"
import * as Saft from "../../connectors/saft/index.ts"
import * as Tripletex from "../../connectors/tripletex/index.ts"
import { firmClientLayer } from "../../sandbox/portfolio/firmClient.ts"
import { booksOf, writePortfolio } from "../../sandbox/portfolio/generate.ts"
import * as Sandbox from "../../sandbox/Simulator.ts"
import { JsonReportSink } from "../../src/reconcile/JsonReportSink.ts"
import * as Registry from "../../src/reconcile/LedgerSourceRegistry.ts"
import { Reconciliation } from "../../src/reconcile/Reconciliation.ts"
import * as ReportSink from "../../src/reconcile/ReportSink.ts"
import { parseClientList } from "../../src/run/ClientList.ts"
import { runClients } from "../../src/run/Run.ts"
import { readStatus } from "../../src/run/RunFolder.ts"
import * as RunKravData from "../../src/run/runKravData.ts"
import { start as startTripletex } from "../support/tripletex/FakeTripletex.ts"

const dir = mkdtempSync(join(tmpdir(), "kravsync-credentials-"))
const portfolio = writePortfolio(dir, { clients: 8, seed: 21, shares: { difference: 0, "no-system-user": 0, dormant: 0, "corrupt-saft": 0 } })
const [a, b, c, d] = portfolio.clients

describe("kravsync run with Tripletex clients", () => {
  it.scopedLive("each client's employee token under its own prefix; a reference naming nothing fails that client only", () =>
    Effect.gen(function*() {
      if (a === undefined || b === undefined || c === undefined || d === undefined) throw new Error("portfolio too small")
      const fake = yield* startTripletex({
        companies: [{ id: 101, name: a.name, organizationNumber: a.orgnr }, { id: 102, name: b.name, organizationNumber: b.orgnr }],
        employees: [
          { token: "employee-a", employeeId: 1, companyId: 101, clients: [] },
          { token: "employee-b", employeeId: 2, companyId: 102, clients: [] }
        ]
      })
      fake.loadBooks(101, booksOf(portfolio, a).ledger(portfolio.periode))
      fake.loadBooks(102, booksOf(portfolio, b).ledger(portfolio.periode))
      const env = {
        KRAVSYNC_TRIPLETEX_CONSUMER_TOKEN: fake.consumerToken,
        KRAVSYNC_TRIPLETEX_BASE_URL: fake.url,
        KLIENT_A_KRAVSYNC_TRIPLETEX_EMPLOYEE_TOKEN: "employee-a",
        KLIENT_B_KRAVSYNC_TRIPLETEX_EMPLOYEE_TOKEN: "employee-b"
      }
      yield* Effect.acquireRelease(
        Effect.sync(() => Object.assign(process.env, env)),
        () => Effect.sync(() => Object.keys(env).forEach((k) => delete process.env[k]))
      )
      const csv = [
        "orgnr;ledger;credentials;as_of",
        `${a.orgnr};tripletex;klient-a;${portfolio.asOf}`,
        `${b.orgnr};tripletex;Klient B;${portfolio.asOf}`,
        `${c.orgnr};tripletex;nobody;${portfolio.asOf}`,
        `${d.orgnr};saft:${d.ledgerFile};;${portfolio.asOf}`
      ].join("\n")
      const list = parseClientList(join(dir, "k.csv"), csv, { fra: portfolio.periode.fraOgMed, til: portfolio.periode.tilOgMed }, ["saft", "tripletex"])
      if (Either.isLeft(list)) throw new Error(list.left.message)
      const sandbox = yield* Sandbox.start({ dataDir: join(dir, "scenarios") })
      const ports = Layer.mergeAll(
        Registry.layerEffect([Saft.factory, Tripletex.tripletexLedger]),
        ReportSink.layer([JsonReportSink, ExcelReportSink]),
        NodeContext.layer
      )
      const services = Reconciliation.layer.pipe(
        Layer.provide(RunKravData.layer),
        Layer.provide(firmClientLayer(sandbox)),
        Layer.provideMerge(ports),
        Layer.provide(NodeHttpClient.layerUndici)
      )
      const out = join(dir, "run")
      const result = yield* runClients({ clientList: "k.csv", rows: list.right.rows, outDir: out }).pipe(
        Effect.provide(services),
        Logger.withMinimumLogLevel(LogLevel.Error)
      )
      expect(result.ran).toBe(4)
      const outcome = (orgnr: string) => {
        const s = readStatus(out, orgnr)
        return [s?.outcome, s?.failure?.category, s?.failure?.message]
      }
      expect(outcome(a.orgnr).slice(0, 2)).toEqual(["tied-out", undefined])
      expect(outcome(b.orgnr).slice(0, 2)).toEqual(["tied-out", undefined])
      expect(outcome(d.orgnr).slice(0, 2)).toEqual(["tied-out", undefined])
      expect(outcome(c.orgnr)[0]).toBe("failed")
      expect(outcome(c.orgnr)[1]).toBe("input")
      expect(outcome(c.orgnr)[2]).toMatch(/NOBODY_\*/)
      // Each Tripletex client was read in a session of its own employee (a company sees only its own books).
      expect(fake.stats.sessionsCreated).toBeGreaterThanOrEqual(2)
    }), 60_000)
})
