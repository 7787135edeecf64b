/**
 * The job runner: runs the service's reconciliations in the background, one fiber per run in a
 * FiberSet owned by the service's scope, at most `maxConcurrentRuns` at once (the rest wait,
 * queued). Every run uses the one Reconciliation the service built — one Skatteetaten client, so one
 * shared gate of 5 concurrent API calls for the caller's organisation across all jobs
 * (src/http/Resilience.ts), as in the CLI.
 *
 * A run is `queued` → `running` → `done` (its report stored in the same transaction,
 * src/store/Store.ts) or `failed` (with the CLI's category and exit code). Shutdown (the scope
 * closing: SIGTERM, SIGINT) takes no new runs, gives running ones `shutdownGrace` to finish, then
 * interrupts them and marks them `abandoned`; a process killed outright leaves them queued or
 * running, and the next start marks them abandoned (`Store.abandonUnfinished`). No report is
 * ever half-written: it is stored whole or not at all.
 */
import { Context, Duration, Effect, FiberSet, Layer, Ref, Schema } from "effect"
import { Progress, type ProgressShape, type ProgressStep, unitOf } from "../Progress.ts"
import { Reconciliation, type ReconciliationRequest } from "../reconcile/Reconciliation.ts"
import type { Run } from "../store/Records.ts"
import type { NewRun } from "../store/Store.ts"
import { Store } from "../store/Store.ts"
import type { StoreError } from "../store/StoreError.ts"
import type { ProgressEntry } from "./Api.ts"
import { errorBody } from "./Errors.ts"

export interface JobsOptions {
  /** Runs executing at once; more wait queued. Default 4. */
  readonly maxConcurrentRuns?: number | undefined
  /** How long shutdown waits for running work before abandoning it. Default 20 seconds. */
  readonly shutdownGrace?: Duration.DurationInput | undefined
}

export interface JobsShape {
  /** Records the run (or finds the same one queued or running) and, when new, starts it. */
  readonly start: (run: NewRun, request: ReconciliationRequest) => Effect.Effect<{ readonly run: Run; readonly created: boolean }, StoreError | ShuttingDown>
  /** The progress of a run this process is running (empty for any other). */
  readonly progress: (id: string) => ReadonlyArray<ProgressEntry>
  /** Runs queued or running in this process. */
  readonly inProgress: Effect.Effect<number>
  /** False once shutdown has begun. */
  readonly accepting: Effect.Effect<boolean>
}

export class ShuttingDown extends Schema.TaggedError<ShuttingDown>()("ShuttingDown", {}) {
  override get message() {
    return "the service is shutting down and takes no new runs"
  }
}

export class Jobs extends Context.Tag("kravsync/service/Jobs")<Jobs, JobsShape>() {}

/** Records a run's progress updates in a map, for GET /runs/{id}. */
const recorder = (entries: Map<ProgressStep, ProgressEntry>): ProgressShape => ({
  update: (u) => {
    entries.set(u.step, { step: u.step, unit: unitOf[u.step], done: u.done, total: u.total, subject: u.subject, finished: false })
  },
  end: (step) => {
    const e = entries.get(step)
    if (e !== undefined) entries.set(step, { ...e, finished: true })
  }
})

export const layer = (options: JobsOptions = {}): Layer.Layer<Jobs, StoreError, Store | Reconciliation> =>
  Layer.scoped(
    Jobs,
    Effect.gen(function*() {
      const store = yield* Store
      const reconciliation = yield* Reconciliation
      const abandoned = yield* store.abandonUnfinished("the service stopped before this run finished; start it again")
      if (abandoned > 0) yield* Effect.logWarning(`marked ${abandoned} run(s) a stopped service left unfinished as abandoned`)
      const permits = yield* Effect.makeSemaphore(Math.max(1, options.maxConcurrentRuns ?? 4))
      const progress = new Map<string, Map<ProgressStep, ProgressEntry>>()
      const accepting = yield* Ref.make(true)
      const active = yield* Ref.make(0)
      const grace = Duration.decode(options.shutdownGrace ?? "20 seconds")

      const job = (run: Run, request: ReconciliationRequest) => {
        const entries = new Map<ProgressStep, ProgressEntry>()
        progress.set(run.id, entries)
        const work = permits.withPermits(1)(
          Effect.gen(function*() {
            yield* store.markRunning(run.id)
            const report = yield* Effect.provideService(reconciliation.run(request), Progress, recorder(entries))
            yield* store.finishRun(run.id, report)
          })
        )
        return work.pipe(
          Effect.catchAll((e) => store.failRun(run.id, errorBody(e))),
          Effect.catchAllDefect((d) => store.failRun(run.id, { category: "unexpected", exitCode: 1, message: `unexpected failure: ${String(d)}` })),
          Effect.onInterrupt(() =>
            store.failRun(
              run.id,
              { category: "unexpected", exitCode: 1, message: "the service shut down before this run finished; start it again" },
              "abandoned"
            )
              .pipe(Effect.ignore)
          ),
          Effect.catchAll((e) => Effect.logError(`run ${run.id}: could not record its end: ${e.message}`)),
          Effect.ensuring(Effect.sync(() => progress.delete(run.id)).pipe(Effect.zipRight(Ref.update(active, (n) => n - 1)))),
          Effect.annotateLogs({ run: run.id, party: run.party })
        )
      }

      const fibers = yield* FiberSet.make<void, never>()
      // Runs before the FiberSet's own finalizer (finalizers run last-added first): stop taking work, let running work finish.
      yield* Effect.addFinalizer(() =>
        Effect.gen(function*() {
          yield* Ref.set(accepting, false)
          const n = yield* Ref.get(active)
          if (n === 0) return
          yield* Effect.logInfo(`shutting down: waiting up to ${Duration.format(grace)} for ${n} run(s)`)
          // Finalizers run uninterruptibly: the wait must be interruptible for the timeout to end it.
          yield* FiberSet.join(fibers).pipe(Effect.interruptible, Effect.timeout(grace), Effect.ignore)
          const left = yield* Ref.get(active)
          if (left > 0) yield* Effect.logInfo(`abandoning ${left} run(s) still running`)
        })
      )
      const shape: JobsShape = {
        start: (newRun, request) =>
          Effect.gen(function*() {
            if (!(yield* Ref.get(accepting))) return yield* Effect.fail(new ShuttingDown())
            const result = yield* store.createRun(newRun)
            if (result.created) {
              yield* Ref.update(active, (n) => n + 1)
              yield* FiberSet.run(fibers, job(result.run, request))
            }
            return result
          }),
        progress: (id) => [...(progress.get(id)?.values() ?? [])],
        inProgress: Ref.get(active),
        accepting: Ref.get(accepting)
      }
      return shape
    })
  )
