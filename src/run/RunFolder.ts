/**
 * The run folder (`--out-dir`, default `kravsync-run`): where a run writes and where a rerun finds
 * what is done.
 *
 * ```
 * <dir>/oversikt.xlsx, oversikt.json       the overview (written last, atomically)
 * <dir>/klienter/<orgnr>/<orgnr>.json      the client's JSON report
 * <dir>/klienter/<orgnr>/<orgnr>.xlsx      the client's workbook
 * <dir>/klienter/<orgnr>/status.json       its status record (written after the reports)
 * <dir>/.lock                              the pid of the run using the folder
 * ```
 *
 * Every file is written to a temporary name and renamed (ReportSink.atomically), so `kill -9` at
 * any moment leaves either the old file or the new one, never half of one; a client is done only
 * when its status record says so with the digest of the same inputs and its reports exist.
 */
import { Effect, Either, Schema } from "effect"
import { createHash } from "node:crypto"
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { ExitCategoryId } from "../ExitCategory.ts"
import { atomically, ReportSinkError } from "../reconcile/ReportSink.ts"
import type { ClientRow } from "./ClientList.ts"
import { decodeStatus, encodeStatus, type StatusRecord } from "./StatusRecord.ts"

export class RunFolderError extends Schema.TaggedError<RunFolderError>()("RunFolderError", {
  path: Schema.String,
  reason: Schema.String
}) {
  readonly [ExitCategoryId] = "output" as const
  override get message() {
    return `run folder ${this.path}: ${this.reason}`
  }
  /** The reasons this module writes, in bokmål; an operating system's message is kept as it came. */
  get messageNb() {
    const reason = this.reason
      .replace(
        /^another run \(process (\d+)\) is using it; wait for it to finish or choose another --out-dir$/,
        "en annen kjøring (prosess $1) bruker den; vent til den er ferdig, eller velg en annen --out-dir"
      )
      .replace(/^could not take the lock file \.lock$/, "kunne ikke ta låsefilen .lock")
    return `kjøremappen ${this.path}: ${reason}`
  }
}

export const clientDir = (dir: string, orgnr: string) => join(dir, "klienter", orgnr)
export const statusPath = (dir: string, orgnr: string) => join(clientDir(dir, orgnr), "status.json")
/** The client's reports, relative to the run folder. */
export const reportFiles = (orgnr: string): ReadonlyArray<string> => [join("klienter", orgnr, `${orgnr}.json`), join("klienter", orgnr, `${orgnr}.xlsx`)]

/** The sha-256 of a file's contents, read in 1 MiB pieces (never the whole file at once); "missing" when it cannot be read. */
const fileDigest = (path: string): string => {
  let fd: number
  try {
    fd = openSync(path, "r")
  } catch {
    return "missing"
  }
  try {
    const h = createHash("sha256")
    const buf = Buffer.allocUnsafe(1 << 20)
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null)
      if (n <= 0) break
      h.update(buf.subarray(0, n))
    }
    return h.digest("hex")
  } catch {
    return "unreadable"
  } finally {
    closeSync(fd)
  }
}

/**
 * The digest of everything a client's result depends on that kravsync can see: the row (ledger,
 * credentials reference, period, as-of), the run's settings that change a report (language,
 * --force-ledger), and the contents of its SAF-T and mapping files. A Tripletex or Fiken ledger
 * is read live; its digest covers the row only (docs/run.md: `--force` to fetch again).
 */
export const inputsDigest = (row: ClientRow, settings: Readonly<Record<string, string | boolean | undefined>>): string => {
  const saft = row.ledger.toLowerCase().startsWith("saft:") ? fileDigest(row.ledger.slice(5)) : undefined
  const parts = {
    orgnr: row.orgnr,
    ledger: row.ledger,
    credentials: row.credentials,
    mapping: row.mapping,
    fra: row.fra,
    til: row.til,
    asOf: row.asOf,
    saft,
    mappingFile: row.mapping === undefined ? undefined : fileDigest(row.mapping),
    settings
  }
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex")
}

/** The client's status record, when one is there and reads (a record that does not read is as if absent). */
export const readStatus = (dir: string, orgnr: string): StatusRecord | undefined => {
  try {
    const decoded = decodeStatus(readFileSync(statusPath(dir, orgnr), "utf8"))
    return Either.isRight(decoded) ? decoded.right : undefined
  } catch {
    return undefined
  }
}

/** Whether the record says the client is done with these inputs, and its reports are still there. */
export const isDone = (dir: string, record: StatusRecord | undefined, inputs: string): boolean =>
  record !== undefined && record.outcome !== "failed" && record.inputs === inputs && record.files.every((f) => existsSync(join(dir, f)))

export const writeStatus = (dir: string, record: StatusRecord): Effect.Effect<void, ReportSinkError> =>
  atomically(statusPath(dir, record.orgnr), (temp) =>
    Effect.try({
      try: () => writeFileSync(temp, encodeStatus(record)),
      catch: (e) => new ReportSinkError({ path: statusPath(dir, record.orgnr), message: e instanceof Error ? e.message : String(e) })
    }))

export const ensureClientDir = (dir: string, orgnr: string): Effect.Effect<void, RunFolderError> =>
  Effect.try({
    try: () => void mkdirSync(clientDir(dir, orgnr), { recursive: true }),
    catch: (e) => new RunFolderError({ path: clientDir(dir, orgnr), reason: e instanceof Error ? e.message : String(e) })
  })

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as { code?: string }).code === "EPERM"
  }
}

/**
 * Takes the run folder for this process (made if missing) until the scope closes: `.lock` holds
 * the pid. A lock whose process is gone (a run killed with `kill -9`) is taken over; one whose
 * process still runs refuses, since two runs in one folder would write the same files.
 */
export const lock = (dir: string): Effect.Effect<void, RunFolderError, import("effect").Scope.Scope> =>
  Effect.acquireRelease(
    Effect.try({
      try: () => {
        mkdirSync(dir, { recursive: true })
        const path = join(dir, ".lock")
        for (let attempt = 0; attempt < 2; attempt++) {
          try {
            writeFileSync(path, `${process.pid}\n`, { flag: "wx" })
            return
          } catch (e) {
            if ((e as { code?: string }).code !== "EEXIST") throw e
            const pid = Number(readFileSync(path, "utf8").trim())
            if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
              throw new RunFolderError({ path: dir, reason: `another run (process ${pid}) is using it; wait for it to finish or choose another --out-dir` })
            }
            rmSync(path, { force: true })
          }
        }
        throw new RunFolderError({ path: dir, reason: "could not take the lock file .lock" })
      },
      catch: (e) => (e instanceof RunFolderError ? e : new RunFolderError({ path: dir, reason: e instanceof Error ? e.message : String(e) }))
    }),
    () => Effect.sync(() => rmSync(join(dir, ".lock"), { force: true }))
  )

/** Whether `path` is a folder (for messages about --out-dir). */
export const isFolder = (path: string): boolean => {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/** Writes `text` to `path` atomically. */
export const writeTextAtomically = (path: string, text: string): Effect.Effect<void, ReportSinkError> =>
  atomically(path, (temp) =>
    Effect.try({
      try: () => writeFileSync(temp, text),
      catch: (e) => new ReportSinkError({ path, message: e instanceof Error ? e.message : String(e) })
    }))
