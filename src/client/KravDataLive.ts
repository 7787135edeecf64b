/**
 * The reconciliation's KravData port (src/reconcile/KravData.ts) served by KravOgBetalingerClient:
 * aapnekrav, krav, innbetalinger and utbetalinger for the period, decoded leniently (a malformed element is set
 * aside, not fatal), with the korrelasjonsid of every call for the report.
 * KB-007 (nothing in the period) on krav/innbetalinger/utbetalinger means an empty list, not a failure.
 * The API calls answered are reported to the Progress port (src/Progress.ts, step "api"; silent unless a host shows it).
 */
import { Effect, Layer } from "effect"
import * as PartIdentifikator from "../domain/PartIdentifikator.ts"
import * as Periode from "../domain/Periode.ts"
import { categoryOf } from "../ExitCategory.ts"
import { counter, Progress } from "../Progress.ts"
import { KravData, KravDataError, type KravDataShape } from "../reconcile/KravData.ts"
import type { SetAsideItem } from "../reconcile/Report.ts"
import type { Rejected } from "./decode.ts"
import type * as Errors from "./errors.ts"
import { KravOgBetalingerClient, type KravOgBetalingerClientShape } from "./KravOgBetalingerClient.ts"

const setAside = (kind: string, r: Rejected): SetAsideItem => ({ source: "skatteetaten", kind, location: r.path, reason: r.message, raw: r.raw })

const toKravDataError = (source: string) => (e: Errors.KravOgBetalingerError) =>
  new KravDataError({ source, message: e.message, korrelasjonsid: "korrelasjonsid" in e ? e.korrelasjonsid : undefined })

export const fromClient = (client: KravOgBetalingerClientShape): KravDataShape => ({
  fetch: (party, periode) =>
    Effect.gen(function*() {
      // Progress (step "api"): API calls answered, of one for aapnekrav and one per year of the period
      // for each of the other three (retries and renewed tokens are not counted).
      const years = Periode.splitIntoYears(periode).length
      const calls = counter(yield* Progress, "api", { total: 1 + 3 * years, subject: PartIdentifikator.mask(party) })
      const counted = <A, E>(n: number, eff: Effect.Effect<A, E>) => Effect.ensuring(eff, Effect.sync(() => calls.add(n)))
      const orEmpty = <A>(source: string, eff: Effect.Effect<A, Errors.KravOgBetalingerError>) =>
        eff.pipe(
          Effect.map((x): A | undefined => x),
          Effect.catchIf((e) => e._tag === "KB-007", () => Effect.succeed(undefined)),
          Effect.mapError(toKravDataError(source))
        )
      const [aapne, krav, innbetalinger, utbetalinger] = yield* Effect.all(
        [
          counted(1, client.fetch("aapnekrav", party, undefined, { lenient: true }).pipe(Effect.mapError(toKravDataError("aapnekrav")))),
          counted(years, orEmpty("krav", client.fetch("krav", party, periode, { lenient: true }))),
          counted(years, orEmpty("innbetalinger", client.fetch("innbetalinger", party, periode, { lenient: true }))),
          counted(years, orEmpty("utbetalinger", client.fetch("utbetalinger", party, periode, { lenient: true })))
        ],
        { concurrency: 4 }
      ).pipe(Effect.ensuring(Effect.sync(() => calls.end())))
      return {
        aapneKrav: aapne.document,
        krav: krav?.document,
        innbetalinger: innbetalinger?.document,
        utbetalinger: utbetalinger?.document,
        korrelasjonsIder: [
          ...aapne.korrelasjonsIder,
          ...(krav?.korrelasjonsIder ?? []),
          ...(innbetalinger?.korrelasjonsIder ?? []),
          ...(utbetalinger?.korrelasjonsIder ?? [])
        ],
        environment: client.environment,
        setAside: [
          ...aapne.rejected.map((r) => setAside(r.path.startsWith("innbetaling") ? "innbetaling" : "krav", r)),
          ...(krav?.rejected ?? []).map((r) => setAside("krav", r)),
          ...(innbetalinger?.rejected ?? []).map((r) => setAside("innbetaling", r)),
          ...(utbetalinger?.rejected ?? []).map((r) => setAside("utbetaling", r))
        ]
      }
    })
})

export const layer: Layer.Layer<KravData, never, KravOgBetalingerClient> = Layer.effect(KravData, Effect.map(KravOgBetalingerClient, fromClient))

/**
 * KravData whose client is built when a run fetches, from `client` (a layer that may start the
 * sandbox or load a key), with the services of the context it is built in (the program's HTTP
 * client, the sandbox port); setup failures become KravDataError. One client per fetch, and the
 * reconciliation fetches once per run.
 */
export const layerLazy = <R>(client: Layer.Layer<KravOgBetalingerClient, unknown, R>): Layer.Layer<KravData, never, R> =>
  Layer.effect(
    KravData,
    Effect.map(Effect.context<R>(), (context) => ({
      fetch: (party, periode) =>
        Effect.flatMap(KravOgBetalingerClient, (c) => fromClient(c).fetch(party, periode)).pipe(
          Effect.provide(client),
          Effect.provide(context),
          Effect.catchAll((e) =>
            Effect.fail(
              e instanceof KravDataError
                ? e
                : new KravDataError({
                  source: "Skatteetaten client",
                  message: typeof e === "object" && e !== null && "message" in e ? String(e.message) : String(e),
                  category: sourceCategory(e)
                })
            )
          )
        )
    }))
  )

/** The setup failure's own category where it has one kravsync knows (bad settings are the caller's input, a refused key is auth). */
const sourceCategory = (e: unknown): "input" | "auth" | "api" | undefined => {
  const c = categoryOf(e)
  return c === "input" || c === "auth" || c === "api" ? c : undefined
}
