/**
 * Where the reconcile command gets Skatteetaten's documents: a port so the command does not
 * depend on how they are fetched. The composition root (bin/main.ts) provides it from
 * KravOgBetalingerClient; `fromDirectory` reads saved responses (`--sandbox-data DIR`).
 */
import { FileSystem } from "@effect/platform"
import { Context, Effect, Schema } from "effect"
import { AapneKrav, Innbetalinger, KravListe } from "../domain/Dokumenter.ts"
import type { Periode } from "../domain/Periode.ts"
import type { SetAsideItem } from "./Report.ts"

export interface KravDataResult {
  readonly aapneKrav?: AapneKrav | undefined
  readonly krav?: KravListe | undefined
  readonly innbetalinger?: Innbetalinger | undefined
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
  korrelasjonsId: Schema.optional(Schema.String)
}) {}

export interface KravDataShape {
  readonly fetch: (party: string, periode: Periode) => Effect.Effect<KravDataResult, KravDataError>
}

export class KravData extends Context.Tag("kravsync/KravData")<KravData, KravDataShape>() {}

/**
 * Saved responses in a directory, named as the sandbox seed files are:
 * `aapnekrav-<part>.json`, `krav-<part>-<fra>_<til>.json`, `innbetalinger-<part>-<fra>_<til>.json`.
 * For krav and innbetalinger the file for exactly the period is used, else the only file for the party.
 */
export const fromDirectory = (dir: string): Effect.Effect<KravDataShape, never, FileSystem.FileSystem> =>
  Effect.map(FileSystem.FileSystem, (fs) => {
    const read = <A, I>(schema: Schema.Schema<A, I>, name: string) =>
      fs.readFileString(`${dir}/${name}`).pipe(
        Effect.mapError((e) => new KravDataError({ source: name, message: e.message })),
        Effect.flatMap((text) =>
          Schema.decodeUnknown(Schema.parseJson(schema))(text).pipe(Effect.mapError((e) => new KravDataError({ source: name, message: e.message })))
        )
      )
    const pick = (files: ReadonlyArray<string>, prefix: string, periode: Periode): string | undefined => {
      const exact = `${prefix}-${periode.fraOgMed}_${periode.tilOgMed}.json`
      if (files.includes(exact)) return exact
      const candidates = files.filter((f) => f.startsWith(`${prefix}-`) && f.endsWith(".json"))
      return candidates.length === 1 ? candidates[0] : undefined
    }
    return {
      fetch: (party, periode) =>
        Effect.gen(function* () {
          const files = yield* fs.readDirectory(dir).pipe(Effect.mapError((e) => new KravDataError({ source: dir, message: e.message })))
          const aName = `aapnekrav-${party}.json`
          const kName = pick(files, `krav-${party}`, periode)
          const iName = pick(files, `innbetalinger-${party}`, periode)
          if (!files.includes(aName) && kName === undefined) {
            return yield* new KravDataError({ source: dir, message: `no saved responses for ${party} (expected ${aName} or krav-${party}-….json)` })
          }
          return {
            aapneKrav: files.includes(aName) ? yield* read(AapneKrav, aName) : undefined,
            krav: kName === undefined ? undefined : yield* read(KravListe, kName),
            innbetalinger: iName === undefined ? undefined : yield* read(Innbetalinger, iName),
            korrelasjonsIder: [],
            environment: `saved responses in ${dir}`,
            setAside: []
          }
        })
    }
  })
