/**
 * The SAF-T Financial file as a LedgerSource (`--ledger saft:FILE`): reads the books for a query
 * (connectors/saft/SaftReader.ts), refuses another company's file unless forced, and states the
 * period the file's header says it covers (Header/SelectionCriteria, per the Norwegian SAF-T
 * Financial XSD) — cheaply through `statedPeriode()`, which reads only the header, and on every
 * snapshot as `statedPeriode`, so the CLI can refuse to reconcile a period the file does not cover.
 * While the books are read, the bytes read so far go to the Progress port (src/Progress.ts, step
 * "saft", the file's size as total), every 4 MiB and at the end.
 */
import { Effect } from "effect"
import { stat } from "node:fs/promises"
import { basename } from "node:path"
import { counter, Progress } from "../../src/Progress.ts"
import type { LedgerQuery, LedgerSnapshot, LedgerSourceShape } from "../../src/reconcile/LedgerSource.ts"
import { LedgerSourceError } from "../../src/reconcile/LedgerSource.ts"
import type { LedgerSourceFactory } from "../../src/reconcile/LedgerSourceRegistry.ts"
import { readSaftFile, readSaftHeader, SaftError } from "./SaftReader.ts"

export interface SaftSourceOptions {
  readonly path: string
  /** Read the books even when the file's RegistrationNumber is not the party being reconciled. */
  readonly force?: boolean
}

const digits = (s: string | undefined): string => (s ?? "").replace(/\D/g, "")

const toSourceError = (path: string) => (e: unknown): LedgerSourceError =>
  e instanceof SaftError
    ? new LedgerSourceError({
      system: "saft",
      kind: e.kind,
      message: `${basename(path)}: ${e.message}`,
      messageNb: `${basename(path)}: ${e.messageNb ?? e.message}`,
      location: e.location
    })
    : new LedgerSourceError({ system: "saft", kind: "invalid-data", message: `${basename(path)}: ${e instanceof Error ? e.message : String(e)}` })

/** How often the bytes read are reported: every 4 MiB (about 60 updates for a 250 MB file). */
const PROGRESS_EVERY = 4 * 1024 * 1024

const readBooks = (options: SaftSourceOptions, query: LedgerQuery, onBytes: (bytes: number) => void) =>
  readSaftFile({
    path: options.path,
    accounts: query.accounts,
    periode: query.periode,
    onBytes,
    checkHeader: (h) => {
      if (options.force === true) return undefined
      const found = digits(h.registrationNumber)
      if (found === "") {
        return {
          en: `the file names no company (Header/Company/RegistrationNumber); use --force to read it for ${query.company} anyway`,
          nb: `filen oppgir ikke noe selskap (Header/Company/RegistrationNumber); bruk --force for å lese den for ${query.company} likevel`
        }
      }
      if (found !== digits(query.company)) {
        const whose = `${h.registrationNumber}${h.companyName ? ` (${h.companyName})` : ""}`
        return {
          en: `the file is the books of ${whose}, not of ${query.company}; use --force to read it anyway`,
          nb: `filen er regnskapet til ${whose}, ikke til ${query.company}; bruk --force for å lese den likevel`
        }
      }
      return undefined
    }
  })

export const make = (options: SaftSourceOptions): LedgerSourceShape => ({
  system: "saft",
  statedPeriode: () => Effect.tryPromise({ try: () => readSaftHeader(options.path), catch: toSourceError(options.path) }).pipe(Effect.map((h) => h.periode)),
  read: (query: LedgerQuery) =>
    Effect.gen(function*() {
      const progress = yield* Progress
      // The size is only the progress total: a file that cannot be stat'ed fails in the read itself, with its reason.
      const size = yield* Effect.promise(() => stat(options.path).then((s) => s.size, () => undefined))
      const bytes = counter(progress, "saft", { total: size, subject: basename(options.path), every: PROGRESS_EVERY })
      return yield* Effect.tryPromise({
        try: () => readBooks(options, query, bytes.add),
        catch: toSourceError(options.path)
      }).pipe(Effect.ensuring(Effect.sync(bytes.end)))
    }).pipe(
      Effect.map(
        (r): LedgerSnapshot => ({
          system: "saft",
          description: `SAF-T ${r.header.auditFileVersion ?? ""} ${basename(options.path)} — ${r.header.companyName ?? "?"} (${
            r.header.registrationNumber ?? "?"
          })`.replace(/\s+/g, " "),
          company: { registrationNumber: r.header.registrationNumber, name: r.header.companyName },
          periode: r.periode ?? query.periode,
          accounts: r.accounts,
          entries: r.entries,
          rejected: r.rejected,
          notes: r.notes,
          statedPeriode: r.header.periode
        })
      )
    )
})

/** Registers `saft:FILE` (in bin/main.ts: `LedgerSourceRegistry.layer([Saft.factory, …])`). */
export const factory: LedgerSourceFactory = {
  scheme: "saft",
  usage: "saft:FILE — a SAF-T Financial XML export (v1.10 or v1.30)",
  make: (spec, options) =>
    spec.argument === ""
      ? Effect.fail(
        new LedgerSourceError({
          system: "saft",
          kind: "config",
          message: "saft needs a file: --ledger saft:path/to/file.xml",
          messageNb: "saft trenger en fil: --ledger saft:sti/til/fil.xml"
        })
      )
      : Effect.succeed(make({ path: spec.argument, force: options.force }))
}
