/**
 * The store's suite, run against libSQL and PostgreSQL alike (test/store/databases.ts): runs and
 * their idempotency, reports stored whole with their checksum, sign-offs carried forward across
 * two monthly runs and reopened on a changed amount, unfinished runs abandoned at a restart.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import type { Dato } from "../../src/domain/Dato.ts"
import type { Oere } from "../../src/domain/Money.ts"
import type { Periode } from "../../src/domain/Periode.ts"
import { followUpItems } from "../../src/reconcile/FollowUp.ts"
import { carryForwardReport } from "../../src/store/CarryForward.ts"
import * as Database from "../../src/store/Database.ts"
import { type NewRun, reportText, Store } from "../../src/store/Store.ts"
import { storeReport } from "../../src/store/StoreReport.ts"
import { aapneKrav, entry, type KravSpec, PARTY, run, snapshot } from "../reconcile/helpers.ts"
import { type Backend, libsql, pgReachable, postgres } from "./databases.ts"

const periode = { fraOgMed: "2023-01-01", tilOgMed: "2023-12-31" } as Periode

const mva = (kroner: number): KravSpec => ({
  id: "mva-2023-1",
  kravtype: "åBetaleMva",
  opprettet: "2023-03-20",
  forfall: [{ id: "ff-mva-1", forfallsdato: "2023-04-11", opprinnelig: kroner, kid: "1234567890123" }]
})

/** A month's report: the VAT claim never booked (missing in ledger) and a stray line on 2770 (only in ledger). */
const month = (asOf: string, claimKroner = 10000, strayKroner = 55.5) =>
  run({
    asOf: asOf as Dato,
    aapneKrav: aapneKrav([mva(claimKroner)]),
    ledger: snapshot([entry("2770", "2023-02-10", strayKroner, { id: "L-stray", voucher: "77" })])
  })

const newRun = (over: Partial<NewRun> = {}): NewRun => ({
  party: PARTY,
  periode,
  asOf: "2023-03-31" as Dato,
  ledger: "saft:mars.xml",
  language: "nb",
  idempotencyKey: `${PARTY}|2023-01-01|2023-12-31|2023-03-31`,
  origin: "service",
  ...over
})

const suite = (backend: Backend) => {
  const withStore = <A, E>(f: Effect.Effect<A, E, Store | SqlClient.SqlClient>) =>
    Effect.scoped(Effect.flatMap(backend.fresh, (options) => Effect.provide(f, Database.layer(options))))

  describe(`store on ${backend.name}`, () => {
    it.effect("creates a run once per idempotency key while it is queued or running; a finished one lets the next start", () =>
      withStore(Effect.gen(function*() {
        const store = yield* Store
        const [a, b] = yield* Effect.all([store.createRun(newRun()), store.createRun(newRun())], { concurrency: 2 })
        expect([a.created, b.created].sort()).toEqual([false, true])
        expect(a.run.id).toBe(b.run.id)
        yield* store.markRunning(a.run.id)
        expect((yield* store.createRun(newRun())).run.id).toBe(a.run.id)
        yield* store.finishRun(a.run.id, month("2023-03-31"))
        const next = yield* store.createRun(newRun())
        expect(next.created).toBe(true)
        expect(next.run.id).not.toBe(a.run.id)
        // a caller's own Idempotency-Key finds its run for ever, finished or not
        const keyed = yield* store.createRun(newRun({ idempotencyKey: "other", clientKey: "k:1" }))
        yield* store.markRunning(keyed.run.id)
        yield* store.finishRun(keyed.run.id, month("2023-03-31"))
        const again = yield* store.createRun(newRun({ idempotencyKey: "other", clientKey: "k:1" }))
        expect(again).toMatchObject({ created: false, run: { id: keyed.run.id, state: "done" } })
      })))

    it.effect("stores the report whole with the run marked done, and reads back the same JSON", () =>
      withStore(Effect.gen(function*() {
        const store = yield* Store
        const { run: r } = yield* store.createRun(newRun())
        expect(yield* store.reportJson(r.id)).toEqual(Option.none())
        yield* store.markRunning(r.id)
        const report = month("2023-03-31")
        const done = yield* store.finishRun(r.id, report)
        expect(done).toMatchObject({
          state: "done",
          summary: { difference: report.totals.difference, needsAttention: true, followUpItems: followUpItems(report).length }
        })
        const back = yield* store.report(r.id)
        // the same report, compared as the JSON sink writes it (ledger lines are class instances with getters)
        expect(reportText(Option.getOrThrow(back))).toBe(reportText(report))
        expect((yield* store.listRuns(PARTY)).map((x) => x.id)).toEqual([r.id])
        expect((yield* store.latestDone([PARTY])).map((x) => x.id)).toEqual([r.id])
        expect(yield* store.latestDone(["999999999"])).toEqual([])
      })))

    it.effect("a damaged report is refused, never served", () =>
      withStore(Effect.gen(function*() {
        const store = yield* Store
        const sql = yield* SqlClient.SqlClient
        const { run: r } = yield* store.createRun(newRun())
        yield* store.finishRun(r.id, month("2023-03-31"))
        yield* sql`UPDATE kravsync_reports SET body = ${"{\"truncated\": "} WHERE run_id = ${r.id}`
        const read = yield* Effect.either(store.reportJson(r.id))
        expect(read._tag).toBe("Left")
        if (read._tag === "Left") expect(read.left.message).toContain("checksum")
      })))

    it.effect("a sign-off carries forward to next month's run and reopens when the amount changes", () =>
      withStore(Effect.gen(function*() {
        const store = yield* Store
        const march = month("2023-03-31")
        const saved = yield* store.saveReport(march, { ledger: "saft:mars.xml" })
        expect(saved).toMatchObject({ state: "done", origin: "cli" })
        const items = followUpItems(march)
        expect(items.map((i) => [i.kind, i.id])).toEqual(expect.arrayContaining([["kravforfall", "ff-mva-1"], ["bilagslinje", "L-stray"]]))
        yield* store.signOff({
          runId: saved.id,
          party: PARTY,
          scope: "run",
          items: items.map((i) => ({ kind: i.kind, itemId: i.id, amount: i.amount })),
          signedBy: "Kari Regnskapsfører",
          comment: "Bokført i april",
          apiKey: "test"
        })
        const signOffs = yield* store.signOffs(PARTY)
        expect(signOffs).toHaveLength(items.length)
        // April: the same items at the same amounts are known differences, with who, when and why
        const april = carryForwardReport(month("2023-04-30"), signOffs)
        expect(april.followUp).toBe(0)
        expect(april.known).toBe(items.length)
        for (const i of april.items) {
          expect(i).toMatchObject({
            disposition: "kjent-avvik",
            dispositionLabel: "Kjent avvik",
            signOff: { signedBy: "Kari Regnskapsfører", comment: "Bokført i april" }
          })
          expect(i.signOff?.signedAt).toMatch(/^\d{4}-\d\d-\d\dT/)
        }
        // May: the stray line's amount changed: it is open again, the claim stays known
        const may = carryForwardReport(month("2023-05-31", 10000, 60), signOffs)
        const stray = may.items.find((i) => i.id === "L-stray")
        expect(stray).toMatchObject({ disposition: "folg-opp", dispositionLabel: "Følg opp", reopened: { signedOffAmount: 5550 as Oere } })
        expect(may.items.find((i) => i.id === "ff-mva-1")?.disposition).toBe("kjent-avvik")
        expect(may).toMatchObject({ known: 1, followUp: 1, reopened: 1 })
      })))

    it.effect("reconcile --store: the CLI's report becomes a finished run, with earlier sign-offs carried forward", () =>
      withStore(Effect.gen(function*() {
        const first = yield* storeReport(month("2023-03-31"), { ledger: "saft:mars.xml" })
        expect(first.run).toMatchObject({ origin: "cli", state: "done", ledger: "saft:mars.xml" })
        expect(first.carryForward.known).toBe(0)
        const store = yield* Store
        const item = first.carryForward.items[0]!
        yield* store.signOff({
          runId: first.run.id,
          party: PARTY,
          scope: "item",
          items: [{ kind: item.kind, itemId: item.id, amount: item.amount }],
          signedBy: "Kari",
          comment: "ok"
        })
        const second = yield* storeReport(month("2023-04-30"), { ledger: "saft:april.xml" })
        expect(second.carryForward.known).toBe(1)
        expect((yield* store.listRuns(PARTY)).map((r) => r.id)).toEqual([second.run.id, first.run.id])
      })))

    it.effect("comments are kept per run, oldest first", () =>
      withStore(Effect.gen(function*() {
        const store = yield* Store
        const { run: r } = yield* store.createRun(newRun())
        yield* store.addComment({ runId: r.id, party: PARTY, author: "Kari", text: "Klage sendt Skatteetaten" })
        yield* store.addComment({ runId: r.id, party: PARTY, kind: "kravforfall", itemId: "ff-mva-1", author: "Ola", text: "Ringt" })
        const cs = yield* store.comments(r.id)
        expect(cs.map((c) => c.text)).toEqual(["Klage sendt Skatteetaten", "Ringt"])
        expect(cs[1]).toMatchObject({ kind: "kravforfall", itemId: "ff-mva-1", author: "Ola" })
      })))

    it.effect("a restart abandons what a stopped process left queued or running, and leaves finished runs alone", () =>
      withStore(Effect.gen(function*() {
        const store = yield* Store
        const done = yield* store.createRun(newRun({ idempotencyKey: "a" }))
        yield* store.finishRun(done.run.id, month("2023-03-31"))
        const running = yield* store.createRun(newRun({ idempotencyKey: "b" }))
        yield* store.markRunning(running.run.id)
        const queued = yield* store.createRun(newRun({ idempotencyKey: "c" }))
        expect(yield* store.abandonUnfinished("the service stopped")).toBe(2)
        for (const id of [running.run.id, queued.run.id]) {
          const r = Option.getOrThrow(yield* store.getRun(id))
          expect(r).toMatchObject({ state: "abandoned", error: { category: "unexpected", exitCode: 1 } })
          expect(yield* store.reportJson(id)).toEqual(Option.none())
        }
        expect(Option.getOrThrow(yield* store.getRun(done.run.id)).state).toBe("done")
        // the abandoned key may start again
        expect((yield* store.createRun(newRun({ idempotencyKey: "b" }))).created).toBe(true)
      })))

    it.effect("migrations run once: opening the same database again keeps its data", () =>
      Effect.scoped(Effect.gen(function*() {
        const options = yield* backend.fresh
        const id = yield* Effect.provide(Effect.flatMap(Store, (s) => Effect.map(s.createRun(newRun()), (x) => x.run.id)), Database.layer(options))
        const again = yield* Effect.provide(Effect.flatMap(Store, (s) => s.getRun(id)), Layer.fresh(Database.layer(options)))
        expect(Option.isSome(again)).toBe(true)
      })))
  })
}

suite(libsql)
const pg = await pgReachable()
if (pg) suite(postgres)
else describe.skip("store on postgres (PostgreSQL unreachable: see the notice on stderr)", () => it("skipped", () => {}))
