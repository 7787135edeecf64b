/**
 * The Trekkpålegg client over real HTTP against the sandbox: watermark paging while orders
 * change, versions, ended orders, Maskinporten (scope, system user or not) and the KB-coded
 * errors with the same resilience as the Krav og betalinger client.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, HashMap, Layer, Logger, LogLevel } from "effect"
import * as Sandbox from "../../sandbox/Simulator.ts"
import * as G from "../../sandbox/trekkpaalegg/Generate.ts"
import { TrekkpaaleggClient } from "../../src/client/TrekkpaaleggClient.ts"
import * as D from "../../src/domain/Dato.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import type { Organisasjonsnummer } from "../../src/domain/PartIdentifikator.ts"
import * as T from "../../src/domain/trekkpaalegg/Trekkpaalegg.ts"
import { trekkLayer } from "./support.ts"

const org = (s: string) => s as Organisasjonsnummer
const EMPLOYER = org("313367002")
const VENDOR = org("310478717")

const withClient = <A, E>(
  f: (h: Sandbox.SandboxHandle, c: typeof TrekkpaaleggClient.Service) => Effect.Effect<A, E, TrekkpaaleggClient>,
  options: Parameters<typeof trekkLayer>[1] = {},
  sandbox: Sandbox.SandboxOptions = {}
) =>
  Effect.gen(function*() {
    const h = yield* Sandbox.start(sandbox)
    return yield* Effect.flatMap(TrekkpaaleggClient, (c) => f(h, c)).pipe(Effect.provide(trekkLayer(h, options)))
  })

const serverState = (h: Sandbox.SandboxHandle, trekkpliktig: string) =>
  new Map(G.current(h.trekk.data, trekkpliktig, h.trekk.clock()).map((v) => [v.trekkid, { trekkversjon: v.trekkversjon, sekvensnummer: v.sekvensnummer }]))

const known = (m: ReadonlyMap<string, T.Trekkpaalegg>) => new Map([...m].map(([k, v]) => [k, { trekkversjon: v.trekkversjon, sekvensnummer: v.sekvensnummer }]))

describe("Trekkpålegg paging with a watermark", () => {
  it.scopedLive("repeated polls while orders change return every version once and end in the server's state", () =>
    withClient((h, c) =>
      Effect.gen(function*() {
        h.trekk.setClock("2025-02-01" as Dato)
        const seen = new Set<string>()
        let state = new Map<string, T.Trekkpaalegg>()
        let watermark = 0
        let polls = 0
        let changedBetweenPolls = 0
        while (h.trekk.clock() < h.today) {
          const poll = yield* c.poll(EMPLOYER, { fraSekvensnummer: watermark, maksAntall: 2 })
          polls++
          for (const t of poll.orders) {
            const key = `${t.trekkid}/${t.trekkversjon}`
            expect(seen.has(key)).toBe(false)
            seen.add(key)
            expect(t.sekvensnummer).toBeGreaterThan(watermark)
            if (state.has(t.trekkid)) changedBetweenPolls++
          }
          // Within a poll the sekvensnummer rises, and the watermark is the highest one seen.
          const seqs = poll.orders.map((t) => t.sekvensnummer)
          expect([...seqs].sort((a, b) => a - b)).toEqual(seqs)
          expect(poll.watermark).toBe(Math.max(watermark, ...seqs))
          state = T.latestVersions(poll.orders, state)
          watermark = poll.watermark
          expect(known(state)).toEqual(serverState(h, EMPLOYER))
          h.trekk.advance(17)
        }
        expect(polls).toBeGreaterThan(10)
        // Orders did change between polls: new versions arrived for orders already known.
        expect(changedBetweenPolls).toBeGreaterThan(3)
        // A poll with nothing new returns nothing and keeps the watermark.
        h.trekk.setClock(h.today)
        const caughtUp = yield* c.poll(EMPLOYER, { fraSekvensnummer: watermark, maksAntall: 2 })
        const again = yield* c.poll(EMPLOYER, { fraSekvensnummer: caughtUp.watermark, maksAntall: 2 })
        expect(again.orders).toEqual([])
        expect(again.watermark).toBe(caughtUp.watermark)
      })
    ))

  it.scopedLive("an order changing between two pages is received again in its new version, never lost", () =>
    withClient((h, c) =>
      Effect.gen(function*() {
        // Page by page by hand, moving the clock between the pages.
        h.trekk.setClock("2025-09-01" as Dato)
        let fra = 0
        let state = new Map<string, T.Trekkpaalegg>()
        for (let page = 0; page < 200; page++) {
          const side = yield* c.hentAlleGjeldende(EMPLOYER, { fraSekvensnummer: fra, maksAntall: 1 })
          state = T.latestVersions(side.orders, state)
          fra = Math.max(fra, ...side.orders.map((t) => t.sekvensnummer))
          if (side.orders.length < 1) break
          h.trekk.advance(9)
        }
        expect(known(state)).toEqual(serverState(h, EMPLOYER))
      })
    ))

  it.scopedLive("without paging, all current orders come in one answer, the same as paging gives", () =>
    withClient((_h, c) =>
      Effect.gen(function*() {
        const all = yield* c.hentAlleGjeldende(EMPLOYER)
        const paged = yield* c.poll(EMPLOYER, { maksAntall: 3 })
        expect(paged.orders).toEqual(all.orders)
        expect(paged.pages).toBe(Math.floor(all.orders.length / 3) + 1)
        expect(all.orders.length).toBeGreaterThan(3)
      })
    ))
})

describe("Trekkpålegg versions", () => {
  it.scopedLive("a new version supersedes the old: same trekkid, saksnummer and KID, the next trekkversjon, a higher sekvensnummer", () =>
    withClient((h, c) =>
      Effect.gen(function*() {
        const current = yield* c.hentAlleGjeldende(EMPLOYER)
        const changed = current.orders.find((t) => t.trekkversjon >= 2)
        expect(changed).toBeDefined()
        const t = changed as T.Trekkpaalegg
        const old = (yield* c.hentVersjon(EMPLOYER, t.trekkid, t.trekkversjon - 1)).order
        const now = (yield* c.hentVersjon(EMPLOYER, t.trekkid, t.trekkversjon)).order
        expect(now).toEqual(t)
        expect(old.trekkversjon).toBe(t.trekkversjon - 1)
        expect(old.sekvensnummer).toBeLessThan(t.sekvensnummer)
        expect([old.saksnummer, old.betalingsinformasjon.kidnummer]).toEqual([t.saksnummer, t.betalingsinformasjon.kidnummer])
        expect(T.supersedes(now, old)).toBe(true)
        expect(T.latestVersions([now, old]).get(t.trekkid)).toEqual(now)
        // The list holds only the latest version of each order.
        expect(current.orders.filter((x) => x.trekkid === t.trekkid)).toHaveLength(1)
        // A version not published yet is not found (KB-009).
        const future = h.trekk.data.versions.find((v) => v.trekkpliktig === EMPLOYER && v.published > h.today)
        if (future !== undefined) {
          const e = yield* Effect.flip(c.hentVersjon(EMPLOYER, future.trekkid, future.trekkversjon))
          expect(e._tag).toBe("KB-009")
        }
      })
    ))

  it.scopedLive("an ended order stops expecting withholding after its sluttdato, and turns avsluttet once the day has passed", () =>
    withClient((h, c) =>
      Effect.gen(function*() {
        // An order whose end was set ahead of time: aktiv with a sluttdato, then avsluttet the day after.
        const ending = h.trekk.data.versions.find((v, _i, all) =>
          v.trekkpliktig === EMPLOYER && v.trekkstatus === "avsluttet" &&
          all.some((w) =>
            w.trekkid === v.trekkid && w.trekkversjon === v.trekkversjon - 1 && w.trekkstatus === "aktiv" && w.perioder.every((p) => p.sluttdato !== undefined)
          )
        )
        expect(ending).toBeDefined()
        const v = ending as G.GenVersion
        h.trekk.setClock(D.addDays(v.published, -1))
        const before = (yield* c.hentAlleGjeldende(EMPLOYER)).orders.find((t) => t.trekkid === v.trekkid) as T.Trekkpaalegg
        expect(before.trekkstatus).toBe("aktiv")
        const end = T.sluttdato(before) as Dato
        expect(end).toBe(D.addDays(v.published, -1))
        expect(T.periodeFor(before, end)).toBeDefined()
        expect(T.periodeFor(before, D.addDays(end, 1))).toBeUndefined()
        h.trekk.setClock(v.published)
        const after = (yield* c.hentAlleGjeldende(EMPLOYER)).orders.find((t) => t.trekkid === v.trekkid) as T.Trekkpaalegg
        expect(after.trekkstatus).toBe("avsluttet")
        expect(after.trekkversjon).toBe(before.trekkversjon + 1)
        expect(T.periodeFor(after, D.addDays(end, 1))).toBeUndefined()
      })
    ))
})

describe("Trekkpålegg access and errors", () => {
  it.scopedLive("the token is asked for scope skatteetaten:trekkpaalegg with the trekkpliktig as system user; the alias is read as that", () =>
    withClient((h, c) =>
      Effect.gen(function*() {
        expect(c.scope).toBe("skatteetaten:trekkpaalegg")
        yield* c.hentAlleGjeldende(EMPLOYER)
        const grant = h.stats.grants.at(-1) as Record<string, unknown>
        expect(grant["scope"]).toBe("skatteetaten:trekkpaalegg")
        expect(grant["authorization_details"]).toEqual([
          { type: "urn:altinn:systemuser", systemuser_org: { authority: "iso6523-actorid-upis", ID: `0192:${EMPLOYER}` } }
        ])
      }), { scope: "skatteetaten:trekkpålegg" }))

  it.scopedLive("without a system user the token names the client's own organisation; another trekkpliktig's answer is refused", () =>
    withClient((h, c) =>
      Effect.gen(function*() {
        const own = yield* c.hentAlleGjeldende(VENDOR)
        expect(own.orders.length).toBeGreaterThan(0)
        expect(own.orders.every((t) => t.trekkpliktig === VENDOR)).toBe(true)
        expect(h.stats.grants.at(-1)?.["authorization_details"]).toBeUndefined()
        const e = yield* Effect.flip(c.hentAlleGjeldende(EMPLOYER))
        expect(e._tag).toBe("DecodeError")
        expect(e.message).toContain(`not ${EMPLOYER}`)
      }), { systemUser: "none" }))

  it.scopedLive("a token without the Trekkpålegg scope is KB-004; a client without the scope is refused by Maskinporten", () =>
    Effect.gen(function*() {
      const h = yield* Sandbox.start()
      const wrongScope = yield* Effect.flip(
        Effect.flatMap(TrekkpaaleggClient, (c) => c.hentAlleGjeldende(EMPLOYER)).pipe(Effect.provide(trekkLayer(h, { scope: "skatteetaten:kravogbetalinger" })))
      )
      expect(wrongScope._tag).toBe("KB-004")
      h.registerClient({ clientId: h.demoClient.clientId, jwks: [h.demoClient.publicJwk], scopes: ["skatteetaten:kravogbetalinger"] })
      const noScope = yield* Effect.flip(Effect.flatMap(TrekkpaaleggClient, (c) => c.hentAlleGjeldende(EMPLOYER)).pipe(Effect.provide(trekkLayer(h))))
      expect(noScope._tag).toBe("AuthError")
      expect(noScope.message).toContain("MP-200")
    }))

  it.scopedLive("a revoked token is replaced once and the call succeeds", () =>
    withClient((h, c) =>
      Effect.gen(function*() {
        yield* c.hentAlleGjeldende(EMPLOYER)
        h.revokeTokens()
        const again = yield* c.hentAlleGjeldende(EMPLOYER)
        expect(again.orders.length).toBeGreaterThan(0)
      })
    ))

  it.scopedLive("KB codes become their typed errors; KB-001/KB-002 and dropped connections are retried", () =>
    withClient((h, c) =>
      Effect.gen(function*() {
        h.setFaults({ forceKode: "KB-006" })
        const v = yield* Effect.flip(c.hentAlleGjeldende(EMPLOYER))
        expect(v._tag).toBe("KB-006")
        expect(v.message).toContain("trekkpaalegg 313367002")
        h.setFaults({ forceKode: undefined, kb002Share: 0.4, dropShare: 0.2 })
        const expected = serverState(h, EMPLOYER)
        const poll = yield* c.poll(EMPLOYER, { maksAntall: 2 })
        expect(known(T.latestVersions(poll.orders))).toEqual(expected)
        h.setFaults({ kb002Share: 1, dropShare: 0 })
        const down = yield* Effect.flip(c.hentAlleGjeldende(EMPLOYER))
        expect(down._tag).toBe("KB-002")
        h.setFaults({ kb002Share: 0 })
      }), { resilience: { retry: { baseDelay: "5 millis", maxDelay: "20 millis", budget: "3 seconds", maxAttempts: 40 }, rateLimit: false } }))

  it.scopedLive("bad paging input is refused before any request, naming the parameter", () =>
    withClient((h, c) =>
      Effect.gen(function*() {
        h.resetStats()
        const e = yield* Effect.flip(c.hentAlleGjeldende(EMPLOYER, { fraSekvensnummer: -1, maksAntall: 5 }))
        expect(e).toMatchObject({ _tag: "InvalidInput", argument: "fraSekvensnummer" })
        const m = yield* Effect.flip(c.poll(EMPLOYER, { maksAntall: 0 }))
        expect(m).toMatchObject({ _tag: "InvalidInput", argument: "maksAntall" })
        const v = yield* Effect.flip(c.hentVersjon(EMPLOYER, "20001", 0))
        expect(v).toMatchObject({ _tag: "InvalidInput", argument: "trekkversjon" })
        expect(h.stats.apiRequests).toBe(0)
      })
    ))

  it.scopedLive("no log line or error carries a full fødselsnummer", () => {
    const lines: Array<string> = []
    const capture = Logger.make(({ annotations, message }) => void lines.push(`${JSON.stringify(message)} ${JSON.stringify(HashMap.toEntries(annotations))}`))
    return withClient((h, c) =>
      Effect.gen(function*() {
        h.setFaults({ kb002Share: 0.3 })
        const poll = yield* c.poll(EMPLOYER, { maksAntall: 2 })
        h.setFaults({ kb002Share: 0 })
        const skyldnere = poll.orders.map((t) => t.skyldner)
        expect(skyldnere.length).toBeGreaterThan(0)
        const all = lines.join("\n")
        expect(lines.length).toBeGreaterThan(0)
        for (const s of skyldnere) expect(all).not.toContain(s)
      })
    ).pipe(Effect.provide(Layer.merge(Logger.add(capture), Logger.minimumLogLevel(LogLevel.All))))
  })
})
