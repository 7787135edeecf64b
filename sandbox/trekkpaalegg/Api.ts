/**
 * What the sandbox's Trekkpålegg API answers, once the caller is authenticated
 * (beta-apier/docs/trekkpaalegg/apispesifikasjon/index.md):
 * - `GET /api/trekkpaalegg/v1`: the latest version of every order of the trekkpliktig the token
 *   names; with `fraSekvensnummer` and `maksAntall` (given together, "Oppgis sammen med
 *   maksAntall") only those with a sekvensnummer above it, by sekvensnummer, at most maksAntall;
 *   an employer without orders gets 200 and an empty list (testing.md: "Før det er
 *   tilgjengeliggjort data for dere, så vil du få en respons 200");
 * - `GET /api/trekkpaalegg/v1/{trekkid}/{trekkversjon}`: that version, or 404.
 * Bad parameters are KB-006 and an unknown order KB-009, the codes of api/trekkpaalegg.md's
 * "Feilkoder" table; which code an unknown order gets is not published (docs/trekkpaalegg.md).
 */
import type { Dato } from "../../src/domain/Dato.ts"
import * as G from "./Generate.ts"

export type Answer =
  | { readonly _tag: "Ok"; readonly body: unknown }
  | { readonly _tag: "Feil"; readonly kode: "KB-003" | "KB-006" | "KB-009"; readonly detail?: string }

export const PATH = /^\/api\/trekkpaalegg\/v1(?:\/([^/]+)\/([^/]+))?\/?$/

const whole = (v: string, min: number): number | undefined => (/^\d{1,15}$/.test(v) && Number(v) >= min ? Number(v) : undefined)

export const answer = (
  data: G.TrekkData,
  trekkpliktig: string,
  path: string,
  query: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>,
  clock: Dato
): Answer => {
  const m = PATH.exec(path)
  if (m === null) return { _tag: "Feil", kode: "KB-003" }
  if (m[1] !== undefined) {
    const trekkid = decodeURIComponent(m[1])
    const versjon = whole(m[2] ?? "", 1)
    if (versjon === undefined) return { _tag: "Feil", kode: "KB-006", detail: "trekkversjon må være et heltall 1 eller større." }
    const v = G.version(data, trekkpliktig, trekkid, versjon, clock)
    return v === undefined
      ? { _tag: "Feil", kode: "KB-009", detail: "Fant ikke trekkpålegget med angitt trekkid og trekkversjon." }
      : { _tag: "Ok", body: G.wire(v) }
  }
  const fra = query["fraSekvensnummer"]
  const maks = query["maksAntall"]
  if (Array.isArray(fra) || Array.isArray(maks)) return { _tag: "Feil", kode: "KB-006", detail: "fraSekvensnummer og maksAntall kan oppgis én gang." }
  if ((fra === undefined) !== (maks === undefined)) return { _tag: "Feil", kode: "KB-006", detail: "fraSekvensnummer og maksAntall oppgis sammen." }
  const all = G.current(data, trekkpliktig, clock)
  if (fra === undefined || maks === undefined) return { _tag: "Ok", body: all.map(G.wire) }
  const from = whole(fra as string, 0)
  if (from === undefined) return { _tag: "Feil", kode: "KB-006", detail: "fraSekvensnummer må være 0 eller større." }
  const max = whole(maks as string, 1)
  if (max === undefined) return { _tag: "Feil", kode: "KB-006", detail: "maksAntall må være 1 eller større." }
  return { _tag: "Ok", body: all.filter((v) => v.sekvensnummer > from).slice(0, max).map(G.wire) }
}
