/**
 * A first-come, first-served concurrency gate: at most `permits` effects run through it at once,
 * the others wait in a queue in the order they arrived.
 *
 * Why not Effect's `Semaphore`: on every release it wakes *every* waiter; each but one finds the
 * permit gone and queues itself again (at the back, so the order is lost), and each wake-up leaves
 * a frame on the waiting fiber's stack until it finally gets a permit. With 1000 calls waiting for
 * 5 permits that is O(waiters × releases) in time and in memory (issue #14 item 5: 1000 pending
 * `client.fetch` died under `--max-old-space-size=256`). Here a release hands its permit straight
 * to the oldest waiter: a waiting call holds one queue entry and its suspended fiber, nothing else.
 */
import { Effect } from "effect"

const GateTypeId: unique symbol = Symbol.for("kravsync/http/Gate")

export interface Gate {
  readonly [GateTypeId]: typeof GateTypeId
  /** Runs `self` holding one permit; waits for one first if none is free (interruptibly). */
  readonly withPermit: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** Permits free now. */
  readonly free: () => number
  /** Callers waiting for a permit now. */
  readonly waiting: () => number
}

export const isGate = (u: unknown): u is Gate => typeof u === "object" && u !== null && GateTypeId in u

/** A caller waiting for a permit: resumed with the permit, or cancelled by its interruption. */
interface Waiter {
  resume: ((effect: Effect.Effect<void>) => void) | undefined
  granted: boolean
  next: Waiter | undefined
}

/** A gate of `permits` (at least 1). */
export const unsafeMakeGate = (permits: number): Gate => {
  let free = Math.max(1, Math.floor(permits))
  let waiting = 0
  let head: Waiter | undefined
  let tail: Waiter | undefined

  /** Gives the permit to the oldest waiter still waiting, else back to the pool. */
  const release = (): void => {
    while (head !== undefined) {
      const w = head
      head = w.next
      if (head === undefined) tail = undefined
      w.next = undefined
      const resume = w.resume
      if (resume === undefined) continue // interrupted while it waited
      waiting--
      w.granted = true
      w.resume = undefined
      resume(Effect.void)
      return
    }
    free++
  }

  const wait = Effect.async<void>((resume) => {
    const w: Waiter = { resume, granted: false, next: undefined }
    if (tail === undefined) head = tail = w
    else tail = tail.next = w
    waiting++
    return Effect.sync(() => {
      // Interrupted: a permit handed over meanwhile goes on to the next waiter.
      if (w.granted) release()
      else if (w.resume !== undefined) {
        w.resume = undefined
        waiting--
      }
    })
  })

  const acquire = Effect.suspend(() => {
    if (free > 0) {
      free--
      return Effect.void
    }
    return wait
  })
  const releaseEffect = Effect.sync(release)

  return {
    [GateTypeId]: GateTypeId,
    withPermit: (self) => Effect.uninterruptibleMask((restore) => Effect.zipRight(restore(acquire), Effect.ensuring(restore(self), releaseEffect))),
    free: () => free,
    waiting: () => waiting
  }
}

export const makeGate = (permits: number): Effect.Effect<Gate> => Effect.sync(() => unsafeMakeGate(permits))

/** One FIFO queue in front of each Semaphore given to `fairly`. */
const fronts = new WeakMap<Effect.Semaphore, Gate>()

/**
 * One permit of `semaphore` around `self`, taken in arrival order: callers queue first at a gate
 * of one permit, so only one of them at a time waits inside the Semaphore (no herd of wake-ups).
 */
export const fairly = (semaphore: Effect.Semaphore) => {
  let front = fronts.get(semaphore)
  if (front === undefined) fronts.set(semaphore, front = unsafeMakeGate(1))
  const take = front.withPermit(semaphore.take(1))
  const release = semaphore.release(1)
  return <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.uninterruptibleMask((restore) => Effect.zipRight(restore(take), Effect.ensuring(restore(self), release)))
}
