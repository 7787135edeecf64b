/**
 * The run's KravData: KravDataLive.fromClient over the run's one shared client, keeping the exit
 * category of the client error a fetch failed with. fromClient turns every client error into a
 * KravDataError without a category, which reads as an API error (exit 3) — a refused token or a
 * missing system user (KB-004, Maskinporten MP-301: the client's authorisation, exit 4) would be
 * recorded as the API's fault. The first failing call's category is kept (KB-007 is not a failure
 * there: fromClient reads it as an empty list).
 */
import { Effect, Layer } from "effect"
import { fromClient } from "../client/KravDataLive.ts"
import { KravOgBetalingerClient, type KravOgBetalingerClientShape } from "../client/KravOgBetalingerClient.ts"
import { categoryOf } from "../ExitCategory.ts"
import { KravData, KravDataError, type KravDataShape } from "../reconcile/KravData.ts"

export const categorised = (client: KravOgBetalingerClientShape): KravDataShape => ({
  fetch: (party, periode) =>
    Effect.suspend(() => {
      let category: "input" | "auth" | "api" | undefined
      const watched: KravOgBetalingerClientShape = {
        ...client,
        fetch: (endpoint, part, p, options) =>
          client.fetch(endpoint, part, p, options).pipe(Effect.tapError((e) =>
            Effect.sync(() => {
              const c = categoryOf(e)
              if (category === undefined && e._tag !== "KB-007" && (c === "input" || c === "auth" || c === "api")) category = c
            })
          ))
      }
      return fromClient(watched).fetch(party, periode).pipe(
        Effect.mapError((e) =>
          e.category === undefined && category !== undefined
            ? new KravDataError({ message: e.message, source: e.source, korrelasjonsid: e.korrelasjonsid, category })
            : e
        )
      )
    })
})

export const layer: Layer.Layer<KravData, never, KravOgBetalingerClient> = Layer.effect(KravData, Effect.map(KravOgBetalingerClient, categorised))
