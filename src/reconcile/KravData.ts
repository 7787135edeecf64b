/**
 * Where the reconcile command gets Skatteetaten's documents: a port so the command does not
 * depend on how they are fetched. The composition root (bin/main.ts) provides it from
 * KravOgBetalingerClient (src/client/KravDataLive.ts).
 */
import { Context, type Effect, Schema } from "effect"
import type { AapneKrav, Innbetalinger, KravListe, Utbetalinger } from "../domain/Dokumenter.ts"
import type { PartIdentifikator } from "../domain/PartIdentifikator.ts"
import type { Periode } from "../domain/Periode.ts"
import { type ExitCategory, ExitCategoryId } from "../ExitCategory.ts"
import type { SetAsideItem } from "./Report.ts"

export interface KravDataResult {
  readonly aapneKrav?: AapneKrav | undefined
  readonly krav?: KravListe | undefined
  readonly innbetalinger?: Innbetalinger | undefined
  readonly utbetalinger?: Utbetalinger | undefined
  readonly korrelasjonsIder: ReadonlyArray<string>
  /** "sandbox", "test", "production" or the base URL. */
  readonly environment: string
  readonly partyName?: string | undefined
  /** Items a lenient decode set aside. */
  readonly setAside: ReadonlyArray<SetAsideItem>
}

export class KravDataError extends Schema.TaggedError<KravDataError>()("KravDataError", {
  message: Schema.String,
  /** The endpoint or file concerned. */
  source: Schema.String,
  korrelasjonsid: Schema.optional(Schema.String),
  /** What kind of failure it was at its source (settings are input, a refused key is auth); the API's by default. */
  category: Schema.optional(Schema.Literal("input", "auth", "api"))
}) {
  get [ExitCategoryId](): ExitCategory {
    return this.category ?? "api"
  }
}

export interface KravDataShape {
  readonly fetch: (party: PartIdentifikator, periode: Periode) => Effect.Effect<KravDataResult, KravDataError>
}

export class KravData extends Context.Tag("kravsync/KravData")<KravData, KravDataShape>() {}
