/**
 * Which ledger connector a `--ledger` spec selects: `saft:FILE`, `tripletex`, `fiken`, or a
 * third party's. Connectors register a factory under their scheme in the composition root
 * (bin/main.ts); `src/` never imports a connector.
 */
import { Context, Effect, Layer } from "effect"
import { LedgerSourceError, type LedgerSourceShape } from "./LedgerSource.ts"

export interface LedgerSpec {
  /** The part before the first ":" ("saft"), lowercased. */
  readonly scheme: string
  /** The rest ("FILE" in `saft:FILE`), or "" when there is none. */
  readonly argument: string
  /** The spec as the user wrote it. */
  readonly raw: string
}

export interface LedgerSourceOptions {
  /** Read books even when they name another company than the party (--force). */
  readonly force: boolean
}

export interface LedgerSourceFactory {
  readonly scheme: string
  /** One line for `--help` and error messages: "saft:FILE — a SAF-T Financial XML export". */
  readonly usage: string
  /** Builds the source for a spec; `options` carries the run's flags (--force). */
  readonly make: (spec: LedgerSpec, options: LedgerSourceOptions) => Effect.Effect<LedgerSourceShape, LedgerSourceError>
}

export const parseSpec = (raw: string): LedgerSpec => {
  const i = raw.indexOf(":")
  // Windows drive letters ("C:\…") are not schemes; a one-letter scheme is not supported.
  if (i <= 1) return { scheme: raw.trim().toLowerCase(), argument: "", raw }
  return { scheme: raw.slice(0, i).trim().toLowerCase(), argument: raw.slice(i + 1), raw }
}

export interface LedgerSourceRegistryShape {
  readonly factories: ReadonlyArray<LedgerSourceFactory>
  readonly resolve: (raw: string, options?: LedgerSourceOptions) => Effect.Effect<LedgerSourceShape, LedgerSourceError>
}

export class LedgerSourceRegistry extends Context.Tag("kravsync/LedgerSourceRegistry")<LedgerSourceRegistry, LedgerSourceRegistryShape>() {}

export const makeRegistry = (factories: ReadonlyArray<LedgerSourceFactory>): LedgerSourceRegistryShape => ({
  factories,
  resolve: (raw, options = { force: false }) => {
    const spec = parseSpec(raw)
    const f = factories.find((x) => x.scheme === spec.scheme)
    if (f === undefined) {
      return Effect.fail(
        new LedgerSourceError({
          system: spec.scheme || "?",
          kind: "config",
          message: `unknown ledger "${raw}"; use one of: ${factories.map((x) => x.usage).join("; ") || "(none registered)"}`,
          messageNb: `ukjent regnskapskilde «${raw}»; bruk en av: ${factories.map((x) => x.usage).join("; ") || "(ingen registrert)"}`
        })
      )
    }
    return f.make(spec, options)
  }
})

export const layer = (factories: ReadonlyArray<LedgerSourceFactory>): Layer.Layer<LedgerSourceRegistry> =>
  Layer.succeed(LedgerSourceRegistry, makeRegistry(factories))

/** The registry from factories that need services of their own (an HTTP client from the program's context). */
export const layerEffect = <R>(
  factories: ReadonlyArray<LedgerSourceFactory | Effect.Effect<LedgerSourceFactory, never, R>>
): Layer.Layer<LedgerSourceRegistry, never, R> =>
  Layer.effect(
    LedgerSourceRegistry,
    Effect.map(
      Effect.forEach(factories, (f) => (Effect.isEffect(f) ? f : Effect.succeed(f))),
      makeRegistry
    )
  )

/**
 * A registry entry whose failures — making the source, reading it, its stated period — carry a
 * bokmål text beside the English one: `nb` turns a message the connector wrote into bokmål (a
 * connector's phrase table). An error that already has its `messageNb` keeps it.
 */
export const withMessageNb = (f: LedgerSourceFactory, nb: (message: string) => string): LedgerSourceFactory => {
  const translate = (e: LedgerSourceError): LedgerSourceError =>
    e.messageNb !== undefined
      ? e
      : new LedgerSourceError({ system: e.system, kind: e.kind, message: e.message, messageNb: nb(e.message), location: e.location })
  const source = (s: LedgerSourceShape): LedgerSourceShape => {
    const stated = s.statedPeriode
    return {
      ...s,
      read: (q) => Effect.mapError(s.read(q), translate),
      ...(stated !== undefined ? { statedPeriode: () => Effect.mapError(stated(), translate) } : {})
    }
  }
  return { ...f, make: (spec, options) => f.make(spec, options).pipe(Effect.map(source), Effect.mapError(translate)) }
}
