/**
 * Which ledgers a caller of the service may name. The service reads files on its own machine, so a
 * `saft:FILE` is a path relative to the configured ledger folder (`ledgerRoot`), never absolute and
 * never leaving it (no `..`); the other kinds (tripletex, fiken) use the credentials the service was
 * configured with, and only the kinds listed in `ledgers` are accepted.
 */
import { Either } from "effect"
import { isAbsolute, resolve, sep } from "node:path"
import { parseSpec } from "../reconcile/LedgerSourceRegistry.ts"

export interface LedgerPolicy {
  /** Folder SAF-T files are read from; without it saft: ledgers are refused. */
  readonly ledgerRoot?: string | undefined
  /** Ledger kinds (schemes) callers may use. Default ["saft"]. */
  readonly allow?: ReadonlyArray<string> | undefined
}

/** The spec to resolve (a saft: path made absolute inside the root), or why it is refused. */
export const resolveLedger = (policy: LedgerPolicy, raw: string): Either.Either<string, string> => {
  const spec = parseSpec(raw.trim())
  const allow = policy.allow ?? ["saft"]
  if (!allow.includes(spec.scheme)) {
    return Either.left(`the ledger kind "${spec.scheme}" is not enabled in this service; enabled: ${allow.join(", ")}`)
  }
  if (spec.scheme !== "saft") return Either.right(spec.raw)
  if (policy.ledgerRoot === undefined) {
    return Either.left("saft: ledgers need a ledgerRoot (the folder the service reads SAF-T files from) in its configuration")
  }
  const file = spec.argument
  if (file.length === 0) return Either.left("saft: needs a file name, relative to the service's ledger folder (saft:2025/regnskap.xml)")
  if (file.includes("\u0000") || isAbsolute(file) || /^[a-zA-Z]:/.test(file) || file.split(/[\\/]/).includes("..")) {
    return Either.left("a saft: file must be a path inside the service's ledger folder: no absolute path, no \"..\"")
  }
  const root = resolve(policy.ledgerRoot)
  const path = resolve(root, file)
  if (!path.startsWith(root + sep)) return Either.left("a saft: file must be a path inside the service's ledger folder")
  return Either.right(`saft:${path}`)
}
