/**
 * Cuts the parts of Tripletex's published OpenAPI spec (v2.74, /work/shared/reference/tripletex/)
 * that the connector uses into `openapi-subset.json`: the operations below, every component
 * schema they reach, and `ApiError`. The contract check validates the fake against this file.
 *
 *   npx tsx test/support/tripletex/extractSpec.ts [path/to/tripletex-openapi.json]
 */
import { createHash } from "node:crypto"
import { readFileSync, writeFileSync } from "node:fs"

export const operations: ReadonlyArray<readonly [method: string, path: string]> = [
  ["post", "/token/session/:create"],
  ["get", "/token/session/>whoAmI"],
  ["get", "/company/>withLoginAccess"],
  ["get", "/company/{id}"],
  ["get", "/ledger/account"],
  ["get", "/ledger/posting"],
  ["get", "/balanceSheet"]
]

type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [k: string]: Json }

const source = process.argv[2] ?? "/work/shared/reference/tripletex/tripletex-openapi.json"
const text = readFileSync(source, "utf8")
const spec = JSON.parse(text) as {
  openapi: string
  info: { version: string }
  servers: Json
  paths: Record<string, Record<string, Json>>
  components: { schemas: Record<string, Json>; securitySchemes: Json }
}

const seen = new Set<string>()
const walk = (x: Json): void => {
  if (Array.isArray(x)) return x.forEach(walk)
  if (x !== null && typeof x === "object") {
    for (const [k, v] of Object.entries(x as Record<string, Json>)) {
      if (k === "$ref" && typeof v === "string") {
        const name = v.split("/").pop() ?? ""
        if (!seen.has(name)) {
          seen.add(name)
          walk(spec.components.schemas[name] ?? null)
        }
      } else walk(v)
    }
  }
}
const paths: Record<string, Record<string, Json>> = {}
for (const [method, path] of operations) {
  const op = spec.paths[path]?.[method]
  if (op === undefined) throw new Error(`${method.toUpperCase()} ${path} is not in ${source}`)
  walk(op)
  paths[path] = { ...paths[path], [method]: op }
}
seen.add("ApiError")
walk(spec.components.schemas.ApiError ?? null)
const schemas = Object.fromEntries([...seen].sort().map((n) => [n, spec.components.schemas[n] ?? null]))
const out = {
  "x-kravsync-source": {
    file: "tripletex-openapi.json (Tripletex API v2, https://tripletex.no/v2/openapi.json)",
    sha256: createHash("sha256").update(text).digest("hex"),
    note: "Subset cut by test/support/tripletex/extractSpec.ts; do not edit by hand."
  },
  openapi: spec.openapi,
  info: { title: "Tripletex API (subset)", version: spec.info.version },
  servers: spec.servers,
  paths,
  components: { schemas, securitySchemes: spec.components.securitySchemes }
}
writeFileSync(new URL("./openapi-subset.json", import.meta.url), JSON.stringify(out, null, 1) + "\n")
console.log(`${Object.keys(paths).length} paths, ${seen.size} schemas`)
