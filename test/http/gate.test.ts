/**
 * The concurrency gate (src/http/Gate.ts): permits handed on in arrival order, never more holders
 * than permits, and no permit lost when a waiter or a holder is interrupted — also for the
 * Semaphore taken `fairly` by `withConcurrencyLimit`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Option } from "effect"
import fc from "fast-check"
import * as Gate from "../../src/http/Gate.ts"

/** Yields until `cond` holds (the forked fibers have reached the gate). */
const until = (cond: () => boolean): Effect.Effect<void> => Effect.suspend(() => (cond() ? Effect.void : Effect.zipRight(Effect.yieldNow(), until(cond))))

/** With one holder in, `n` callers queued one after the other enter in that order once it leaves. */
const arrivalOrder = (withPermit: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>, waiting: () => number, n: number) =>
  Effect.gen(function*() {
    const entered: Array<number> = []
    const open = yield* Deferred.make<void>()
    const holding = yield* Deferred.make<void>()
    const holder = yield* Effect.fork(withPermit(Effect.zipRight(Deferred.succeed(holding, undefined), Deferred.await(open))))
    yield* Deferred.await(holding)
    const fibers: Array<Fiber.RuntimeFiber<void>> = []
    for (let i = 0; i < n; i++) {
      fibers.push(yield* Effect.fork(withPermit(Effect.sync(() => void entered.push(i)))))
      yield* until(() => waiting() === i + 1)
    }
    yield* Deferred.succeed(open, undefined)
    yield* Fiber.join(holder)
    for (const f of fibers) yield* Fiber.join(f)
    return entered
  })

describe("concurrency gate", () => {
  it.effect("hands permits on in the order the callers arrived", () =>
    Effect.gen(function*() {
      const gate = Gate.unsafeMakeGate(1)
      const entered = yield* arrivalOrder(gate.withPermit, gate.waiting, 50)
      expect(entered).toEqual(Array.from({ length: 50 }, (_, i) => i))
      expect(gate.free()).toBe(1)
    }))

  it.effect("a Semaphore taken fairly also hands permits on in arrival order", () =>
    Effect.gen(function*() {
      const semaphore = yield* Effect.makeSemaphore(1)
      const front = Gate.fairly(semaphore)
      let queued = 0
      const counted = <A, E, R>(self: Effect.Effect<A, E, R>) =>
        Effect.suspend(() => {
          queued++
          return Effect.ensuring(front(Effect.zipRight(Effect.sync(() => void queued--), self)), Effect.void)
        })
      // `queued` counts callers that have not yet entered: the holder enters at once.
      const entered = yield* arrivalOrder(counted, () => queued, 30)
      expect(entered).toEqual(Array.from({ length: 30 }, (_, i) => i))
      expect(Option.isSome(yield* semaphore.withPermitsIfAvailable(1)(Effect.void))).toBe(true)
    }))

  it.effect("a waiter interrupted in the queue takes no permit with it", () =>
    Effect.gen(function*() {
      const gate = Gate.unsafeMakeGate(1)
      const open = yield* Deferred.make<void>()
      const holder = yield* Effect.fork(gate.withPermit(Deferred.await(open)))
      yield* until(() => gate.free() === 0)
      const waiter = yield* Effect.fork(gate.withPermit(Effect.void))
      yield* until(() => gate.waiting() === 1)
      yield* Fiber.interrupt(waiter)
      expect(gate.waiting()).toBe(0)
      yield* Deferred.succeed(open, undefined)
      yield* Fiber.join(holder)
      expect(gate.free()).toBe(1)
    }))

  it.live("never more holders than permits, and every permit back at the end, whatever is interrupted (property)", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 4 }),
          fc.array(fc.record({ work: fc.integer({ min: 0, max: 3 }), interruptAfter: fc.option(fc.integer({ min: 0, max: 4 })) }), { maxLength: 40 }),
          async (permits, tasks) => {
            const gate = Gate.unsafeMakeGate(permits)
            let inside = 0
            let most = 0
            const program = Effect.gen(function*() {
              const fibers = yield* Effect.forEach(tasks, (t) =>
                Effect.fork(gate.withPermit(
                  Effect.gen(function*() {
                    inside++
                    most = Math.max(most, inside)
                    for (let i = 0; i < t.work; i++) yield* Effect.yieldNow()
                    inside--
                  }).pipe(Effect.onInterrupt(() => Effect.sync(() => void inside--)))
                )))
              yield* Effect.forEach(tasks, (t, i) =>
                t.interruptAfter === null
                  ? Effect.void
                  : Effect.fork(Effect.zipRight(Effect.repeatN(Effect.yieldNow(), t.interruptAfter), Fiber.interrupt(fibers[i]!))))
              for (const f of fibers) yield* Fiber.await(f)
            })
            const exit = await Effect.runPromiseExit(program)
            expect(Exit.isSuccess(exit)).toBe(true)
            expect(most).toBeLessThanOrEqual(permits)
            expect(gate.free()).toBe(permits)
            expect(gate.waiting()).toBe(0)
          }
        ),
        { numRuns: 200 }
      )
    ))
})
