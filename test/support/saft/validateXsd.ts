/**
 * Validates SAF-T Financial files against Skatteetaten's official XSD of their version, with
 * libxml2's validator compiled to WebAssembly (the `xmllint-wasm` package), so the check runs
 * wherever `npm ci` has run — no system xmllint needed. Used by connectors/saft/xsd.test.ts.
 *
 * The schemas are Skatteetaten's published ones, `Norwegian_SAF-T_Financial_Schema_v_1.30.xsd` and
 * `…_v_1.10.xsd`, copied unchanged into connectors/saft/testdata/ (from the project's shared
 * reference folder) so a fresh clone validates with nothing else; KRAVSYNC_SAFT_XSD_DIR, when set,
 * is searched first, and `../shared/reference/saf-t` beside the repository last.
 */
import { existsSync, readFileSync } from "node:fs"
import { basename, join } from "node:path"
import { validateXML } from "xmllint-wasm"
import type { SaftVersion } from "../../../sandbox/saft/SaftWriter.ts"

const repoRoot = join(import.meta.dirname, "..", "..", "..")

const schemaFile = (version: SaftVersion): string => `Norwegian_SAF-T_Financial_Schema_v_${version}.xsd`

/** The folders searched for the XSDs, in order. */
export const schemaDirs = (): ReadonlyArray<string> =>
  [process.env["KRAVSYNC_SAFT_XSD_DIR"], join(repoRoot, "connectors", "saft", "testdata"), join(repoRoot, "..", "shared", "reference", "saf-t")].filter(
    (d): d is string => d !== undefined && d !== ""
  )

/** The official XSD's text for a version; throws naming every folder searched when it is not found. */
export const schemaText = (version: SaftVersion): string => {
  const dirs = schemaDirs()
  const found = dirs.map((d) => join(d, schemaFile(version))).find((p) => existsSync(p))
  if (found === undefined) {
    throw new Error(`${schemaFile(version)} not found in ${dirs.join(", ")}; set KRAVSYNC_SAFT_XSD_DIR to the folder with the SAF-T schemas`)
  }
  return readFileSync(found, "utf8")
}

/**
 * The schema version a file declares: the XSD named in its xsi:schemaLocation (Skatteetaten's
 * example files name it), else its Header/AuditFileVersion — 1.3x is 1.30; 1.0, 1.1x and 1.2x are
 * checked against the 1.10 schema (the oldest one published in the reference folder).
 */
export const declaredVersion = (xml: string): SaftVersion => {
  const head = xml.slice(0, 4096)
  const location = /schemaLocation="[^"]*_v_(\d\.\d\d)\.xsd"/.exec(head)?.[1]
  if (location === "1.30" || location === "1.10") return location
  const declared = /<(?:\w+:)?AuditFileVersion>\s*([^<\s]+)\s*</.exec(head)?.[1] ?? ""
  return declared.startsWith("1.3") ? "1.30" : "1.10"
}

export interface XsdResult {
  readonly valid: boolean
  /** One line per problem: "file.xml:LINE: message". */
  readonly errors: ReadonlyArray<string>
}

/** Validates one document (text) against the official XSD of `version`. */
export const validateSaftXml = async (xml: string, version: SaftVersion, fileName = "saft.xml"): Promise<XsdResult> => {
  const result = await validateXML({
    xml: [{ fileName: basename(fileName), contents: xml }],
    schema: [{ fileName: schemaFile(version), contents: schemaText(version) }],
    // Files of a few MB need more than the default 32 MiB of WebAssembly memory.
    initialMemoryPages: 256,
    maxMemoryPages: 16 * 1024
  })
  return { valid: result.valid, errors: result.errors.map((e) => e.rawMessage.trim()) }
}

/** Validates a file against the XSD of the version it declares (or the one given). */
export const validateSaftFile = (path: string, version?: SaftVersion): Promise<XsdResult & { readonly version: SaftVersion }> => {
  const xml = readFileSync(path, "utf8")
  const v = version ?? declaredVersion(xml)
  return validateSaftXml(xml, v, path).then((r) => ({ ...r, version: v }))
}
