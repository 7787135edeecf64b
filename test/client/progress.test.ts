/**
 * KravDataLive reports the API calls it makes to the Progress port (step "api"): done calls, with
 * the total known from the period (one aapnekrav call, one call per year for each of the other
 * three endpoints), ending at the total. Silent by default: without a Progress in the context the
 * fetch works the same.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Sandbox from "../../sandbox/client.ts"
import * as KravDataLive from "../../src/client/KravDataLive.ts"
import { KravOgBetalingerClient } from "../../src/client/KravOgBetalingerClient.ts"
import { Progress, type ProgressShape, type ProgressStep, type ProgressUpdate } from "../../src/Progress.ts"
import { part, periode } from "../support/ids.ts"

describe("KravDataLive progress", () => {
  it.live("reports API calls done against the total the period gives, and ends the step", () =>
    Effect.gen(function*() {
      const updates: Array<ProgressUpdate> = []
      const ended: Array<ProgressStep> = []
      const recorder: ProgressShape = { update: (u) => void updates.push(u), end: (s) => void ended.push(s) }
      const client = yield* KravOgBetalingerClient
      const data = KravDataLive.fromClient(client)
      // 2024-01-01..2025-06-30: two yearly calls for each periodic endpoint, 1 + 3·2 = 7 in all.
      yield* data.fetch(part("313367002"), periode("2024-01-01", "2025-06-30")).pipe(Effect.provideService(Progress, recorder))
      expect(updates.length).toBeGreaterThan(0)
      expect(updates.every((u) => u.step === "api" && u.total === 7)).toBe(true)
      const dones = updates.map((u) => u.done)
      expect(dones).toEqual([...dones].sort((a, b) => a - b))
      expect(dones.at(-1)).toBe(7)
      expect(ended).toEqual(["api"])
      // silent by default
      const again = yield* data.fetch(part("313367002"), periode("2025-01-01", "2025-06-30"))
      expect(again.korrelasjonsIder.length).toBeGreaterThan(0)
    }).pipe(Effect.provide(Sandbox.layerSandbox({ client: { resilience: { rateLimit: false } } })), Effect.provide(NodeHttpClient.layerUndici), Effect.scoped))
})
