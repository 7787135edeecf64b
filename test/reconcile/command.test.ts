import { Command } from "@effect/cli"
import { NodeContext, NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Layer } from "effect"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Saft from "../../connectors/saft/index.ts"
import * as Sandbox from "../../sandbox/client.ts"
import { choosePeriode, reconcileCommand } from "../../src/cli/commands/reconcile.ts"
import { exitCodeFor } from "../../src/cli/main.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import { decodeReportJson } from "../../src/reconcile/JsonReportSink.ts"
import * as Registry from "../../src/reconcile/LedgerSourceRegistry.ts"
import { fullDemoArgs } from "../support/demo.ts"

const dir = mkdtempSync(join(tmpdir(), "kravsync-reconcile-"))
const cli = Command.run(reconcileCommand, { name: "kravsync", version: "test" })
const env = Layer.mergeAll(NodeContext.layer, Registry.layer([Saft.factory]), Sandbox.environment, NodeHttpClient.layerUndici)
const runCli = (args: ReadonlyArray<string>) => cli(["node", "kravsync", ...args]).pipe(Effect.provide(env))
const readReport = (path: string) => {
  const r = decodeReportJson(readFileSync(path, "utf8"))
  if (Either.isLeft(r)) throw new Error(String(r.left))
  return r.right
}

describe("kravsync reconcile (in-process)", () => {
  it.live("the seed demo ledger for 212201782 against the seed responses", () =>
    Effect.gen(function*() {
      const out = join(dir, "seed.json")
      yield* runCli([
        "--part",
        "212201782",
        "--ledger",
        "saft:sandbox/demo/212201782-2023.xml",
        "--sandbox-data",
        "sandbox/seed",
        "--fra",
        "2023-01-01",
        "--til",
        "2023-09-01",
        "--as-of",
        "2023-09-01",
        "--out",
        out
      ])
      const r = readReport(out)
      expect(r.totals.conserved).toBe(true)
      const statuses = new Set([
        ...r.claims.flatMap((c) => [...c.forfall.map((f) => f.status), c.renter?.status]),
        ...r.payments.map((p) => p.status),
        ...r.ledgerEntries.map((e) => e.status)
      ])
      // (the 2023-09-20 entry lies after the period and is not read at all)
      expect([...statuses].sort()).toEqual(["amount-differs", "interest-not-booked", "matched", "only-in-ledger"])
      const skatt = r.accounts.find((a) => a.key === "2500+2510")!
      // S: 10 000 + 200 renter; ledger: 10 000 − 900 = 9 100 owed.
      expect(skatt.skatteetaten.saldo).toBe(1020000)
      expect(skatt.ledger.saldo).toBe(910000)
      expect(skatt.difference).toBe(110000)
      // The seed's own figures do not add up (gjenstående 10 000 although 2 000 is placed): flagged, not hidden.
      expect(skatt.unexplainedBreakdown.sourceInconsistency).toBe(200000)
      expect(r.metadata.ledger.registrationNumber).toBe("212201782")
    }))

  it.live("the full demo shows every status but skjermet, and ties out to the øre", () =>
    Effect.gen(function*() {
      const out = join(dir, "full.json")
      yield* runCli([
        ...fullDemoArgs(),
        "--out",
        out,
        "--lang",
        "en"
      ])
      const r = readReport(out)
      expect(r.totals.conserved).toBe(true)
      expect(r.totals.unexplained).toBe(0)
      const statuses = new Set([
        ...r.claims.flatMap((c) => [...c.forfall.map((f) => f.status), c.renter?.status]),
        ...r.payments.map((p) => p.status),
        ...r.ledgerEntries.map((e) => e.status)
      ])
      for (
        const s of [
          "matched",
          "amount-differs",
          "missing-in-ledger",
          "only-in-ledger",
          "unplaced-payment",
          "interest-not-booked",
          "opening-balance",
          "outside-period",
          "unmapped"
        ]
      ) {
        expect(statuses.has(s as never), s).toBe(true)
      }
      expect(r.metadata.language).toBe("en")
    }))

  it.live("without --fra/--til the SAF-T file's own period decides, and the report says so (was: 2026 against a 2023 file)", () =>
    Effect.gen(function*() {
      const out = join(dir, "stated.json")
      yield* runCli(["--part", "212201782", "--ledger", "saft:sandbox/demo/212201782-2023.xml", "--sandbox-data", "sandbox/demo/full", "--out", out])
      const r = readReport(out)
      expect(r.metadata.periode).toEqual({ fraOgMed: "2023-01-01", tilOgMed: "2023-12-31" })
      expect(r.metadata.ledger.statedPeriode).toEqual({ fraOgMed: "2023-01-01", tilOgMed: "2023-12-31" })
      expect(r.metadata.asOf).toBe("2023-12-31")
      expect(r.totals.conserved).toBe(true)
      // The whole year of the file is read, the September entry included.
      expect(r.ledgerEntries.some((e) => e.date === "2023-09-20")).toBe(true)
    }))

  it.effect("a --fra outside the SAF-T file's period is refused as invalid input (exit 2), naming both periods", () =>
    Effect.gen(function*() {
      const err = yield* Effect.flip(
        runCli([
          "--part",
          "212201782",
          "--ledger",
          "saft:sandbox/demo/212201782-2023.xml",
          "--sandbox-data",
          "sandbox/demo/full",
          "--fra",
          "2026-01-01",
          "--out",
          join(dir, "never.json")
        ])
      )
      expect(err).toMatchObject({ _tag: "ReconcileInputError", option: "--fra" })
      expect(exitCodeFor(err)).toBe(2)
      const message = (err as { message: string }).message
      expect(message).toContain("--fra 2026-01-01")
      expect(message).toContain("the SAF-T file covers 2023-01-01–2023-12-31")
    }))

  it.effect("a --til past the file's end and an --as-of before the period are refused (exit 2)", () =>
    Effect.gen(function*() {
      const base = [
        "--part",
        "212201782",
        "--ledger",
        "saft:sandbox/demo/212201782-2023.xml",
        "--sandbox-data",
        "sandbox/demo/full",
        "--out",
        join(dir, "never.json")
      ]
      const til = yield* Effect.flip(runCli([...base, "--fra", "2023-01-01", "--til", "2024-03-31"]))
      expect(til).toMatchObject({ _tag: "ReconcileInputError", option: "--til" })
      expect((til as { message: string }).message).toContain("covers 2023-01-01–2023-12-31")
      const asOf = yield* Effect.flip(runCli([...base, "--as-of", "2022-12-31"]))
      expect(asOf).toMatchObject({ _tag: "ReconcileInputError", option: "--as-of" })
      expect((asOf as { message: string }).message).toContain("--as-of 2022-12-31 is before the period starts")
      expect(exitCodeFor(asOf)).toBe(2)
    }))

  it("choosePeriode: the stated period fills what is not given; without one, the old defaults hold", () => {
    const d = (s: string) => s as Dato
    const stated = { fraOgMed: d("2023-01-01"), tilOgMed: d("2023-12-31") }
    const ok = (c: Parameters<typeof choosePeriode>[0]) => {
      const r = choosePeriode(c)
      if (Either.isLeft(r)) throw new Error(r.left.message)
      return r.right
    }
    expect(ok({ today: d("2026-11-24"), stated })).toEqual({ periode: stated, asOf: "2023-12-31" })
    expect(ok({ today: d("2023-06-10"), stated })).toEqual({ periode: stated, asOf: "2023-06-10" })
    expect(ok({ today: d("2026-11-24"), stated, til: d("2023-09-01") })).toEqual({
      periode: { fraOgMed: "2023-01-01", tilOgMed: "2023-09-01" },
      asOf: "2023-09-01"
    })
    expect(ok({ today: d("2026-11-24"), stated, fra: d("2023-04-01"), asOf: d("2023-06-30") })).toEqual({
      periode: { fraOgMed: "2023-04-01", tilOgMed: "2023-12-31" },
      asOf: "2023-06-30"
    })
    expect(ok({ today: d("2026-11-24") })).toEqual({ periode: { fraOgMed: "2026-01-01", tilOgMed: "2026-11-24" }, asOf: "2026-11-24" })
    const refused = choosePeriode({
      today: d("2026-11-24"),
      stated: { fraOgMed: d("2023-03-01"), tilOgMed: d("2023-12-31") },
      til: d("2023-06-30"),
      ledgerName: "the SAF-T file"
    })
    // Without --fra the start defaults to the file's, so this one is accepted …
    expect(Either.isRight(refused)).toBe(true)
    // … and an explicit start before the file's is not.
    const early = choosePeriode({
      today: d("2026-11-24"),
      stated: { fraOgMed: d("2023-03-01"), tilOgMed: d("2023-12-31") },
      fra: d("2023-01-01"),
      ledgerName: "the SAF-T file"
    })
    expect(Either.isLeft(early) && early.left.message).toBe(
      "--fra 2023-01-01 asks for books from 2023-01-01, but the SAF-T file covers 2023-03-01–2023-12-31: the books cannot answer for days outside it. Give --fra/--til inside 2023-03-01–2023-12-31, or leave both out to reconcile the ledger's own period."
    )
    // A ledger that states no period (an API ledger) keeps the old defaults and checks.
    expect(ok({ today: d("2026-11-24"), fra: d("2020-01-01"), til: d("2020-06-30") })).toEqual({
      periode: { fraOgMed: "2020-01-01", tilOgMed: "2020-06-30" },
      asOf: "2020-06-30"
    })
  })

  it.effect("another company's SAF-T file is refused", () =>
    Effect.gen(function*() {
      const err = yield* Effect.flip(
        runCli([
          "--part",
          "212201782",
          "--ledger",
          "saft:connectors/saft/testdata/example-999999999.xml",
          "--sandbox-data",
          "sandbox/seed",
          "--fra",
          "2023-01-01",
          "--til",
          "2023-09-01",
          "--out",
          join(dir, "x.json")
        ])
      )
      expect(err).toMatchObject({ _tag: "LedgerSourceError", kind: "wrong-company" })
    }))
})
