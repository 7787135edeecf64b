/**
 * Cuts the operations the connector uses, and every schema they reach, out of Fiken's published
 * spec (../shared/reference/fiken/fiken-swagger.yaml) into openapi-subset.json, so tests do not
 * depend on files outside the repository. Run: `npx tsx test/support/fiken/extractSpec.ts [spec.yaml]`.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { parse } from "yaml"

type Json = null | boolean | number | string | Array<Json> | { [k: string]: Json }
const source = process.argv[2] ?? new URL("../../../../shared/reference/fiken/fiken-swagger.yaml", import.meta.url).pathname
const spec = parse(readFileSync(source, "utf8")) as {
  info: Json
  paths: Record<string, Json>
  components: { schemas: Record<string, Json>; parameters: Record<string, Json> }
}
const paths = ["/companies", "/companies/{companySlug}/accounts", "/companies/{companySlug}/accountBalances", "/companies/{companySlug}/journalEntries"]
const schemas = new Set<string>()
const walk = (x: Json): void => {
  if (Array.isArray(x)) return x.forEach(walk)
  if (x === null || typeof x !== "object") return
  const ref = x["$ref"]
  if (typeof ref === "string" && ref.startsWith("#/components/schemas/")) {
    const name = ref.slice("#/components/schemas/".length)
    if (!schemas.has(name)) {
      schemas.add(name)
      walk(spec.components.schemas[name] ?? null)
    }
  }
  Object.values(x).forEach(walk)
}
const out = {
  info: spec.info,
  paths: Object.fromEntries(paths.map((p) => [p, { get: (spec.paths[p] as Record<string, Json>)["get"] ?? null }])),
  components: { parameters: spec.components.parameters, schemas: {} as Record<string, Json> }
}
walk(out.paths as Json)
for (const n of [...schemas].sort()) out.components.schemas[n] = spec.components.schemas[n] ?? null
writeFileSync(new URL("./openapi-subset.json", import.meta.url), `${JSON.stringify(out, null, 1)}\n`)
console.log(`${paths.length} operations, ${schemas.size} schemas`)
