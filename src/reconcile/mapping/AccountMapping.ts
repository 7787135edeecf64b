/**
 * Which ledger accounts carry which claims: by kravtype first, then by kravgruppe, starting
 * from the NS 4102 defaults (docs/reconciliation.md explains each default) unless the
 * company's file says otherwise. An empty account list means "not in the ledger" (unmapped).
 */
import { Either, Schema } from "effect"
import * as Kodeliste from "../../domain/Kodeliste.ts"
import { ExitCategoryId } from "../../ExitCategory.ts"

const AccountNumber = Schema.String.pipe(
  Schema.filter((s) => /^[0-9A-Za-z][0-9A-Za-z:._-]*$/.test(s) || `"${s}" is not an account number`),
  Schema.annotations({ identifier: "AccountNumber", description: "Ledger account number, e.g. 2740" })
)

const AccountList = Schema.Array(AccountNumber)

/** The JSON file given with `--mapping`. Every field is optional. */
export const MappingFile = Schema.Struct({
  /** "AS" (default) or "ENK": an ENK's income tax is the owner's, booked as private withdrawal. */
  selskapsform: Schema.optional(Schema.Literal("AS", "ENK")),
  /** Start from the NS 4102 defaults (true unless set to false). */
  standard: Schema.optional(Schema.Boolean),
  /** kravgruppe code (as in kravgruppe.xml, any case) → accounts. */
  kravgrupper: Schema.optional(Schema.Record({ key: Schema.String, value: AccountList })),
  /** kravtype code (as in kravtype.xml, any case) → accounts; wins over its kravgruppe. */
  kravtyper: Schema.optional(Schema.Record({ key: Schema.String, value: AccountList }))
}).annotations({ identifier: "MappingFile" })
export type MappingFile = typeof MappingFile.Type

export interface AccountMapping {
  /** Where it came from, for the report. */
  readonly source: string
  readonly selskapsform: "AS" | "ENK"
  /** Normalised kravgruppe → accounts. */
  readonly kravgrupper: ReadonlyMap<string, ReadonlyArray<string>>
  /** Normalised kravtype → accounts. */
  readonly kravtyper: ReadonlyMap<string, ReadonlyArray<string>>
}

/** NS 4102 defaults for an AS (docs/reconciliation.md, "Account mapping"). */
export const STANDARD_KRAVGRUPPER: Readonly<Record<string, ReadonlyArray<string>>> = {
  merverdiavgift: ["2740"],
  arbeidsgiveravgift: ["2770"],
  forskuddstrekk: ["2600"],
  skatt: ["2500", "2510"],
  særavgifter: [],
  andreKrav: [],
  øvrigeOffentligeKrav: []
}

/** Kravtyper whose account differs from their group's (NS 4102 2772 Skyldig finansskatt av lønn). */
export const STANDARD_KRAVTYPER: Readonly<Record<string, ReadonlyArray<string>>> = {
  finansskattLønn: ["2772"],
  finansskattLønnFastsatt: ["2772"],
  tilleggsskattFinansskattLønn: ["2772"]
}

export class MappingError extends Schema.TaggedError<MappingError>()("MappingError", {
  /** The field in the mapping file ("kravgrupper.merverdiavgift", "kravtyper.foo[1]"). */
  field: Schema.String,
  message: Schema.String
}) {
  readonly [ExitCategoryId] = "input" as const
  /** The same in bokmål (src/cli/errorText.ts prints it): the messages written here and by loadMapping.ts; a schema issue is quoted as it came. */
  get messageNb() {
    return this.message
      .replace(/^unknown kravgruppe "(.*)" \(see kravgruppe\.xml\)$/, "ukjent kravgruppe «$1» (se kravgruppe.xml)")
      .replace(
        /^account (\S+) is also used by (\S+) with a different account list \((.*)\); an account can belong to one list only$/,
        "konto $1 brukes også av $2 med en annen kontoliste ($3); en konto kan bare høre til én liste"
      )
      .replace(/^cannot read mapping file (.*?): (.*)$/, "kan ikke lese tilordningsfilen $1: $2")
      .replace(/: not a valid mapping file$/, ": ikke en gyldig tilordningsfil")
      .replace(/: is missing$/, ": mangler")
      .replace(/: is unexpected, expected: (.*)$/, ": er ukjent, ventet: $1")
      .replace(/: Expected (.*), actual (.*)$/, ": ventet $1, fikk $2")
  }
}

export const UNMAPPED_ROW = "(ikke tilordnet)"

/** The row key of a list of accounts: sorted and joined with "+". */
export const rowKey = (accounts: ReadonlyArray<string>): string => accounts.length === 0 ? UNMAPPED_ROW : [...accounts].sort().join("+")

const toMap = (rec: Readonly<Record<string, ReadonlyArray<string>>>): Map<string, ReadonlyArray<string>> =>
  new Map(Object.entries(rec).map(([k, v]) => [Kodeliste.normalise(k), [...v]]))

/** Builds the effective mapping from an optional file; checks that no account serves two different lists. */
export const make = (file: MappingFile | undefined, source = "standard (NS 4102)"): Either.Either<AccountMapping, MappingError> => {
  const selskapsform = file?.selskapsform ?? "AS"
  const useStandard = file?.standard ?? true
  const kravgrupper = useStandard ? toMap(STANDARD_KRAVGRUPPER) : new Map<string, ReadonlyArray<string>>()
  const kravtyper = useStandard ? toMap(STANDARD_KRAVTYPER) : new Map<string, ReadonlyArray<string>>()
  // An ENK owes no company income tax: the owner's skatt is private (booked on 2060 Privat konto).
  if (useStandard && selskapsform === "ENK") kravgrupper.set(Kodeliste.normalise("skatt"), [])
  for (const [k, v] of Object.entries(file?.kravgrupper ?? {})) {
    const info = Kodeliste.lookupKravgruppe(k)
    if (info === undefined) {
      return Either.left(new MappingError({ field: `kravgrupper.${k}`, message: `unknown kravgruppe "${k}" (see kravgruppe.xml)` }))
    }
    kravgrupper.set(Kodeliste.normalise(info.kode), [...v])
  }
  for (const [k, v] of Object.entries(file?.kravtyper ?? {})) {
    // Unknown kravtyper are allowed: new codes arrive without a new API version.
    kravtyper.set(Kodeliste.normalise(k), [...v])
  }
  // Each account may belong to one row only, otherwise its balance would be counted twice.
  const owner = new Map<string, { key: string; field: string }>()
  const check = (prefix: string, m: Map<string, ReadonlyArray<string>>): MappingError | undefined => {
    for (const [code, accounts] of m) {
      const key = rowKey(accounts)
      for (const a of accounts) {
        const prev = owner.get(a)
        if (prev !== undefined && prev.key !== key) {
          return new MappingError({
            field: `${prefix}.${code}`,
            message: `account ${a} is also used by ${prev.field} with a different account list (${prev.key}); an account can belong to one list only`
          })
        }
        owner.set(a, { key, field: `${prefix}.${code}` })
      }
    }
    return undefined
  }
  const problem = check("kravgrupper", kravgrupper) ?? check("kravtyper", kravtyper)
  if (problem !== undefined) return Either.left(problem)
  return Either.right({ source, selskapsform, kravgrupper, kravtyper })
}

export const standard: AccountMapping = Either.getOrThrow(make(undefined))

export interface Resolved {
  readonly accounts: ReadonlyArray<string>
  /** The kravgruppe used (from the claim, or the kravtype's group in kravtype.xml). */
  readonly kravgruppe: string | undefined
  readonly via: "kravtype" | "kravgruppe" | "none"
}

/** Which accounts carry a claim of this kravtype/kravgruppe. */
export const resolve = (mapping: AccountMapping, kravtype: string, kravgruppe: string | null | undefined): Resolved => {
  const byType = mapping.kravtyper.get(Kodeliste.normalise(kravtype))
  const groupCode = (kravgruppe ? Kodeliste.lookupKravgruppe(kravgruppe)?.kode ?? kravgruppe : undefined) ??
    (() => {
      const g = Kodeliste.lookupKravtype(kravtype)?.kravgruppe
      return g === undefined ? undefined : Kodeliste.lookupKravgruppe(g)?.kode ?? g
    })()
  if (byType !== undefined) return { accounts: byType, kravgruppe: groupCode, via: "kravtype" }
  const byGroup = groupCode === undefined ? undefined : mapping.kravgrupper.get(Kodeliste.normalise(groupCode))
  if (byGroup !== undefined && byGroup.length > 0) return { accounts: byGroup, kravgruppe: groupCode, via: "kravgruppe" }
  return { accounts: [], kravgruppe: groupCode, via: "none" }
}

/** All account lists in the mapping, as rows (non-empty ones only), with the codes that use each. */
export const rows = (mapping: AccountMapping): ReadonlyArray<{ key: string; accounts: ReadonlyArray<string>; codes: ReadonlyArray<string> }> => {
  const out = new Map<string, { key: string; accounts: ReadonlyArray<string>; codes: Array<string> }>()
  const add = (code: string, accounts: ReadonlyArray<string>) => {
    if (accounts.length === 0) return
    const key = rowKey(accounts)
    const row = out.get(key) ?? { key, accounts: [...accounts].sort(), codes: [] }
    row.codes.push(code)
    out.set(key, row)
  }
  for (const [g, a] of mapping.kravgrupper) add(Kodeliste.lookupKravgruppe(g)?.kode ?? g, a)
  for (const [t, a] of mapping.kravtyper) add(Kodeliste.lookupKravtype(t)?.kode ?? t, a)
  return [...out.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

/** Every account the reconciliation needs from the ledger. */
export const accounts = (mapping: AccountMapping): ReadonlyArray<string> => [...new Set(rows(mapping).flatMap((r) => r.accounts))].sort()
