/**
 * The handlers of the service's API (src/service/Api.ts). Each checks the caller's scope first: a
 * run of a party the key is not scoped to is answered exactly like a run that does not exist (404),
 * a party named in a path or a start request answers 403, and lists only hold the key's parties.
 * Nothing returned carries a credential: runs show the ledger spec as the caller gave it, errors
 * their message.
 */
import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import { Effect, Either, Layer, Option } from "effect"
import { createHash } from "node:crypto"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { choosePeriode } from "../cli/commands/reconcile.ts"
import * as Dato from "../domain/Dato.ts"
import * as PartIdentifikator from "../domain/PartIdentifikator.ts"
import { type FollowUpItem, followUpItems } from "../reconcile/FollowUp.ts"
import { LedgerSourceRegistry } from "../reconcile/LedgerSourceRegistry.ts"
import * as Mapping from "../reconcile/mapping/AccountMapping.ts"
import { parseMapping } from "../reconcile/mapping/loadMapping.ts"
import type { Report } from "../reconcile/Report.ts"
import { ReportSinks } from "../reconcile/ReportSink.ts"
import { carryForwardReport } from "../store/CarryForward.ts"
import type { Run } from "../store/Records.ts"
import { Store } from "../store/Store.ts"
import { KRAVSYNC_VERSION } from "../version.ts"
import { Caller, type CallerShape, canSee, KravsyncApi, type StartRun, XLSX } from "./Api.ts"
import { errorBody, forbidden, invalidInput, notFound, notReady, serverError, unavailable } from "./Errors.ts"
import { Jobs } from "./Jobs.ts"
import { resolveLedger } from "./Ledgers.ts"
import { ServiceConfig } from "./ServiceConfig.ts"

/** Finished reports never change: the newest few are kept decoded, so reads and sign-offs do not decode them again. */
const makeReportCache = (size: number) => {
  const cache = new Map<string, { readonly report: Report; readonly json: string; readonly items: ReadonlyArray<FollowUpItem> }>()
  return {
    get: (id: string) => {
      const hit = cache.get(id)
      if (hit !== undefined) {
        cache.delete(id)
        cache.set(id, hit)
      }
      return hit
    },
    set: (id: string, value: { readonly report: Report; readonly json: string; readonly items: ReadonlyArray<FollowUpItem> }) => {
      cache.set(id, value)
      while (cache.size > size) cache.delete(cache.keys().next().value as string)
    }
  }
}

const OPTION_FIELD: Record<string, string> = { "--fra": "fra", "--til": "til", "--as-of": "asOf", "--part": "party" }

/** A start request checked and resolved: the run to record and the reconciliation to run. */
const prepare = (caller: CallerShape, body: StartRun, idempotencyKey: string | undefined) =>
  Effect.gen(function*() {
    const config = yield* ServiceConfig
    const registry = yield* LedgerSourceRegistry
    const party = yield* Either.match(PartIdentifikator.parse(body.party), {
      onLeft: (e) => Effect.fail(invalidInput(e.message, "party")),
      onRight: Effect.succeed
    })
    if (!canSee(caller, party)) return yield* Effect.fail(forbidden(`this API key is not scoped to party ${party}`, "party"))
    const spec = yield* Either.match(resolveLedger(config.ledgers, body.ledger), {
      onLeft: (m) => Effect.fail(invalidInput(m, "ledger")),
      onRight: Effect.succeed
    })
    const asInput = (e: unknown, field: string) => {
      const b = errorBody(e, field)
      return b.category === "input" ? invalidInput(b.message, field) : serverError(e)
    }
    const source = yield* Effect.mapError(registry.resolve(spec, { force: false }), (e) => asInput(e, "ledger"))
    const stated = source.statedPeriode === undefined ? undefined : yield* Effect.mapError(source.statedPeriode(), (e) => asInput(e, "ledger"))
    const date = (field: "fra" | "til" | "asOf") =>
      body[field] === undefined
        ? Effect.succeed(undefined)
        : Either.match(Dato.parse(body[field]), { onLeft: (m) => Effect.fail(invalidInput(m, field)), onRight: Effect.succeed })
    const fra = yield* date("fra")
    const til = yield* date("til")
    const asOf = yield* date("asOf")
    const chosen = yield* Either.match(
      choosePeriode({
        fra,
        til,
        asOf,
        today: Dato.todayInOslo(),
        stated,
        ledgerName: source.system === "saft" ? "the SAF-T file" : `the ${source.system} ledger`
      }),
      { onLeft: (e) => Effect.fail(invalidInput(e.message, OPTION_FIELD[e.option] ?? e.option)), onRight: Effect.succeed }
    )
    const mappingText = body.mapping === undefined ? undefined : JSON.stringify(body.mapping)
    const mapping = mappingText === undefined ? Mapping.standard : yield* Either.match(parseMapping(mappingText, "mapping"), {
      onLeft: (e) => Effect.fail(invalidInput(e.message, `mapping.${e.field}`)),
      onRight: Effect.succeed
    })
    const language = body.language ?? "nb"
    const ledger = body.ledger.trim()
    const key = createHash("sha256")
      .update(JSON.stringify([party, chosen.periode.fraOgMed, chosen.periode.tilOgMed, chosen.asOf, ledger, mappingText ?? null, language]))
      .digest("hex")
    return {
      newRun: {
        party,
        periode: chosen.periode,
        asOf: chosen.asOf,
        ledger,
        language,
        idempotencyKey: key,
        clientKey: idempotencyKey === undefined ? undefined : `${caller.name}\u0000${idempotencyKey}`,
        origin: "service" as const
      },
      request: { party, periode: chosen.periode, asOf: chosen.asOf, ledger: source, mapping, language }
    }
  })

export const layer = Layer.unwrapEffect(Effect.gen(function*() {
  const store = yield* Store
  const jobs = yield* Jobs
  const config = yield* ServiceConfig
  const sinks = yield* ReportSinks
  const cache = makeReportCache(64)
  const storeFailure = Effect.mapError(serverError)

  /** The run, if it exists and the caller may see it; otherwise 404 either way. */
  const visibleRun = (id: string) =>
    Effect.gen(function*() {
      const caller = yield* Caller
      const run = yield* storeFailure(store.getRun(id))
      if (Option.isNone(run) || !canSee(caller, run.value.party)) return yield* Effect.fail(notFound(`no run ${id} that this API key may see`))
      return run.value
    })

  const finished = (run: Run) =>
    Effect.gen(function*() {
      if (run.state !== "done") {
        return yield* Effect.fail(notReady(`run ${run.id} is ${run.state}${run.error === undefined ? "" : `: ${run.error.message}`}; it has no report`))
      }
      const hit = cache.get(run.id)
      if (hit !== undefined) return hit
      const json = yield* storeFailure(store.reportJson(run.id))
      const report = yield* storeFailure(store.report(run.id))
      if (Option.isNone(json) || Option.isNone(report)) return yield* Effect.fail(notReady(`run ${run.id} has no stored report`))
      const value = { report: report.value, json: json.value, items: followUpItems(report.value) }
      cache.set(run.id, value)
      return value
    })

  const carried = (run: Run) =>
    Effect.gen(function*() {
      const { json, report } = yield* finished(run)
      const signOffs = yield* storeFailure(store.signOffs(run.party))
      return { json, report, carryForward: carryForwardReport(report, signOffs) }
    })

  const system = HttpApiBuilder.group(KravsyncApi, "system", (h) =>
    h
      .handle("health", () => Effect.succeed({ status: "ok" as const, version: KRAVSYNC_VERSION }))
      .handle("ready", () =>
        Effect.gen(function*() {
          if (!(yield* jobs.accepting)) return yield* Effect.fail(unavailable("the service is shutting down"))
          yield* Effect.mapError(store.ping, (e) => unavailable(`the store does not answer: ${e.message}`))
          return { status: "ready" as const, store: config.storeDescription, runsInProgress: yield* jobs.inProgress }
        })))

  const runs = HttpApiBuilder.group(KravsyncApi, "runs", (h) =>
    h
      .handle("startRun", ({ headers, payload }) =>
        Effect.gen(function*() {
          const caller = yield* Caller
          const { newRun, request } = yield* prepare(caller, payload, headers["idempotency-key"])
          return yield* jobs.start(newRun, request).pipe(
            Effect.catchTags({ ShuttingDown: (e) => Effect.fail(unavailable(e.message)), StoreError: (e) => Effect.fail(serverError(e)) })
          )
        }))
      .handle("getRun", ({ path }) =>
        Effect.gen(function*() {
          const run = yield* visibleRun(path.id)
          const comments = yield* storeFailure(store.comments(run.id))
          return { ...run, progress: jobs.progress(run.id), comments }
        }))
      .handle("getReport", ({ path }) =>
        Effect.gen(function*() {
          const { carryForward, json } = yield* carried(yield* visibleRun(path.id))
          // The stored JSON as the JSON sink wrote it, with carryForward as its last field: no re-encoding of the whole report.
          const end = json.lastIndexOf("\n}")
          const body = `${json.slice(0, end)},\n  "carryForward": ${JSON.stringify(carryForward)}\n}\n`
          return HttpServerResponse.text(body, { contentType: "application/json" })
        }))
      .handle("getWorkbook", ({ path }) =>
        Effect.gen(function*() {
          const run = yield* visibleRun(path.id)
          // The workbook shows each item's sign-off as it stands now (Avvik: Vurdering, Kvittert av, …).
          const { carryForward, report } = yield* carried(run)
          const dir = mkdtempSync(join(tmpdir(), "kravsync-workbook-"))
          const file = join(dir, `${run.party}-${run.asOf}.xlsx`)
          const bytes = yield* sinks.writeAll({ ...report, carryForward }, [file]).pipe(
            Effect.flatMap(() => Effect.sync(() => readFileSync(file))),
            Effect.mapError(serverError),
            Effect.ensuring(Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
          )
          return HttpServerResponse.uint8Array(bytes, {
            contentType: XLSX,
            headers: { "content-disposition": `attachment; filename="kravsync-${run.party}-${run.asOf}.xlsx"` }
          })
        }))
      .handle("getFollowUp", ({ path }) =>
        Effect.gen(function*() {
          const run = yield* visibleRun(path.id)
          const { carryForward } = yield* carried(run)
          return { runId: run.id, party: run.party, carryForward }
        }))
      .handle("signOff", ({ path, payload }) =>
        Effect.gen(function*() {
          const caller = yield* Caller
          const run = yield* visibleRun(path.id)
          const { items } = yield* finished(run)
          const byKey = new Map(items.map((i) => [`${i.kind}\u0000${i.id}`, i]))
          const chosen = payload.items === undefined ? items : yield* Effect.forEach(payload.items, (x, n) => {
            const found = byKey.get(`${x.kind}\u0000${x.id}`)
            return found === undefined
              ? Effect.fail(invalidInput(`run ${run.id} has no ${x.kind} ${x.id} needing follow-up`, `items[${n}]`))
              : Effect.succeed(found)
          })
          if (chosen.length === 0) return yield* Effect.fail(invalidInput(`run ${run.id} has nothing needing follow-up to sign off`, "items"))
          const scope = payload.items === undefined ? "run" as const : "item" as const
          const signOffs = yield* storeFailure(store.signOff({
            runId: run.id,
            party: run.party,
            scope,
            items: chosen.map((i) => ({ kind: i.kind, itemId: i.id, amount: i.amount })),
            signedBy: payload.signedBy,
            comment: payload.comment,
            apiKey: caller.name
          }))
          return { runId: run.id, scope, signOffs }
        }))
      .handle("addComment", ({ path, payload }) =>
        Effect.gen(function*() {
          const run = yield* visibleRun(path.id)
          if ((payload.kind === undefined) !== (payload.itemId === undefined)) {
            return yield* Effect.fail(
              invalidInput("give both kind and itemId for a comment on an item, or neither", payload.kind === undefined ? "kind" : "itemId")
            )
          }
          return yield* storeFailure(store.addComment({ runId: run.id, party: run.party, ...payload }))
        })))

  const parties = HttpApiBuilder.group(KravsyncApi, "parties", (h) =>
    h
      .handle("history", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const caller = yield* Caller
          const party = yield* Either.match(PartIdentifikator.parse(path.party), {
            onLeft: (e) => Effect.fail(invalidInput(e.message, "party")),
            onRight: Effect.succeed
          })
          if (!canSee(caller, party)) return yield* Effect.fail(forbidden(`this API key is not scoped to party ${party}`, "party"))
          const runs = yield* storeFailure(store.listRuns(party, { limit: urlParams.limit ?? 100 }))
          const signOffs = yield* storeFailure(store.signOffs(party))
          return { party, runs, signOffs }
        }))
      .handle("portfolioFollowUp", ({ urlParams }) =>
        Effect.gen(function*() {
          const caller = yield* Caller
          const latest = yield* storeFailure(store.latestDone(caller.organisations === "all" ? undefined : [...caller.organisations]))
          const all = urlParams.include === "all"
          const out = yield* Effect.forEach(latest, (run) =>
            Effect.map(carried(run), ({ carryForward }) => ({
              party: run.party,
              ...(run.summary?.partyName === undefined ? {} : { partyName: run.summary.partyName }),
              run,
              items: all ? carryForward.items : carryForward.items.filter((i) => i.disposition === "folg-opp")
            })), { concurrency: 4 })
          return { parties: out.filter((p) => all || p.items.length > 0) }
        }).pipe(Effect.catchTag("NotReady", (e) => Effect.fail(serverError(e))))))

  return Layer.mergeAll(system, runs, parties)
}))
