/**
 * kravtype and kravgruppe: Skatteetaten's code lists (beta-apier/docs/kravogbetalinger/files/
 * kravtype.xml and kravgruppe.xml, regenerated into codelists/*.json by scripts/gen-codelists.mjs).
 *
 * The API does not spell codes the way the lists do (the examples send "RESTSKATT" and "Skatt"
 * where the lists say "restskatt" and "skatt"), so lookups normalise case, separators and the
 * Norwegian letters. A code that is not in the lists still decodes (new codes arrive without a
 * new API version, om/versjoner.md); `lookupKravtype` returns undefined and callers report it.
 */
import kravgruppeList from "./codelists/kravgruppe.json" with { type: "json" }
import kravtypeList from "./codelists/kravtype.json" with { type: "json" }

export interface KravtypeInfo {
  readonly kode: string
  readonly tekst: string
  readonly kravgruppe?: string
  readonly hjemmel?: string
  readonly utenNorskeTegn?: string
}

export interface KravgruppeInfo {
  readonly kode: string
  readonly tekst: string
}

/** Lowercase, Norwegian letters spelt out, separators dropped: "RESTERENDE_SKT" → "resterendeskt". */
export const normalise = (code: string): string =>
  code
    .toLowerCase()
    .replace(/æ/g, "ae")
    .replace(/ø/g, "oe")
    .replace(/å/g, "aa")
    .replace(/[^a-z0-9]/g, "")

const kravtyper = new Map<string, KravtypeInfo>()
for (const k of kravtypeList as ReadonlyArray<KravtypeInfo>) {
  kravtyper.set(normalise(k.kode), k)
  if (k.utenNorskeTegn !== undefined) kravtyper.set(normalise(k.utenNorskeTegn), k)
}

const kravgrupper = new Map<string, KravgruppeInfo>()
for (const g of kravgruppeList as ReadonlyArray<KravgruppeInfo>) {
  kravgrupper.set(normalise(g.kode), g)
  kravgrupper.set(normalise(g.tekst), g)
}
// The kravtype list names its groups in the singular or by other words than kravgruppe.xml.
const GROUP_ALIASES: Record<string, string> = { saeravgift: "saeravgifter" }

export const allKravtyper: ReadonlyArray<KravtypeInfo> = kravtypeList as ReadonlyArray<KravtypeInfo>
export const allKravgrupper: ReadonlyArray<KravgruppeInfo> = kravgruppeList as ReadonlyArray<KravgruppeInfo>

export const lookupKravtype = (code: string): KravtypeInfo | undefined => kravtyper.get(normalise(code))

export const lookupKravgruppe = (code: string): KravgruppeInfo | undefined => {
  const n = normalise(code)
  return kravgrupper.get(n) ?? kravgrupper.get(GROUP_ALIASES[n] ?? "")
}

export const isKnownKravtype = (code: string): boolean => lookupKravtype(code) !== undefined
export const isKnownKravgruppe = (code: string): boolean => lookupKravgruppe(code) !== undefined
