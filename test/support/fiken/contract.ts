/**
 * The contract check: every 200 body the fake Fiken sends is validated with ajv against the
 * operation's response schema in Fiken's published spec (openapi-subset.json, cut from
 * fiken-swagger.yaml by extractSpec.ts). Object schemas are closed (`additionalProperties: false`)
 * so a field the spec does not know is a violation; `writeOnly` properties must not appear in a
 * response. `format: int32/int64` are range checks, `date` is ajv-formats' own.
 */
import AjvModule from "ajv"
import addFormatsModule from "ajv-formats"
import { readFileSync } from "node:fs"

// ajv and ajv-formats are CommonJS: under NodeNext their default export is the module object.
const Ajv = AjvModule.default
const addFormats = addFormatsModule.default

type Json = null | boolean | number | string | Array<Json> | { [k: string]: Json }
interface Spec {
  readonly paths: Record<string, { readonly get: { readonly responses: Record<string, { readonly content?: Record<string, { readonly schema: Json }> }> } }>
  readonly components: { readonly schemas: Record<string, Json> }
}

/** Closes object schemas and drops writeOnly properties (a response never carries them). */
const forResponses = (x: Json): Json => {
  if (Array.isArray(x)) return x.map(forResponses)
  if (x === null || typeof x !== "object") return x
  const out: Record<string, Json> = {}
  for (const [k, v] of Object.entries(x)) out[k] = forResponses(v)
  const props = out["properties"]
  if (props !== undefined && props !== null && typeof props === "object" && !Array.isArray(props)) {
    out["properties"] = Object.fromEntries(
      Object.entries(props).filter(([, p]) => !(p !== null && typeof p === "object" && !Array.isArray(p) && p["writeOnly"] === true))
    )
    if (!("allOf" in x)) out["additionalProperties"] = false
  }
  return out
}

export interface Violation {
  readonly path: string
  readonly problem: string
}

export const makeContract = () => {
  const spec = JSON.parse(readFileSync(new URL("./openapi-subset.json", import.meta.url), "utf8")) as Spec
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats(ajv)
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 })
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) })
  // allOf members are closed one by one, which would reject each other's fields: accountBalance
  // (account + balance) is flattened into one closed object instead.
  const schemas = forResponses(spec.components.schemas as Json) as Record<string, Json>
  schemas["accountBalance"] = {
    type: "object",
    additionalProperties: false,
    properties: { code: { type: "string" }, name: { type: "string" }, balance: { type: "integer", format: "int64" } }
  }
  ajv.addSchema({ $id: "fiken", components: { schemas } })
  const validators = new Map(
    Object.entries(spec.paths).map(([path, op]) => {
      const schema = JSON.parse(
        JSON.stringify(op.get.responses["200"]?.content?.["application/json"]?.schema ?? {}).replace(/"#\/components/g, "\"fiken#/components")
      ) as Json
      return [path, ajv.compile(schema as object)] as const
    })
  )
  const violations: Array<Violation> = []
  return {
    violations,
    /** Checks one 200 body for an operation path template (`/companies/{companySlug}/accounts`). */
    check: (path: string, body: unknown) => {
      const validate = validators.get(path)
      if (validate === undefined) return void violations.push({ path, problem: "operation not in the spec" })
      if (!validate(body)) violations.push({ path, problem: ajv.errorsText(validate.errors) })
    }
  }
}
export type Contract = ReturnType<typeof makeContract>
