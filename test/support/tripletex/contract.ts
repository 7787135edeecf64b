/**
 * The contract check: every exchange with the fake is held against Tripletex's published OpenAPI
 * spec (the subset in openapi-subset.json, cut from v2.74 by extractSpec.ts) with ajv.
 *
 * - Requests: the operation exists; every query parameter is declared, required ones are present,
 *   integers/booleans/enums have the declared form; the `fields` filter names only properties
 *   the schema has; a JSON body matches the request schema.
 * - Responses: a 2xx body matches the operation's response schema, any other body `ApiError`.
 *
 * Tripletex's schemas declare no `required` and no `additionalProperties`, so every object schema
 * is closed here (`additionalProperties: false`): a field the spec does not know, or a misspelt
 * one, is a violation rather than something ajv lets through. OpenAPI 3.0 `nullable` is ajv's
 * own keyword; `format: int32/int64` are range checks.
 */
import AjvModule, { type ValidateFunction } from "ajv"
import addFormatsModule from "ajv-formats"
import { readFileSync } from "node:fs"
import { type FieldTree, parseFields } from "./fields.ts"

// ajv and ajv-formats are CommonJS: under NodeNext their default export is the module object.
const Ajv = AjvModule.default
const addFormats = addFormatsModule.default

type Json = null | boolean | number | string | Array<Json> | { [k: string]: Json }
interface Parameter {
  readonly in: string
  readonly name: string
  readonly required?: boolean
  readonly schema?: { readonly type?: string; readonly enum?: ReadonlyArray<string> }
}
interface Operation {
  readonly parameters?: ReadonlyArray<Parameter>
  readonly requestBody?: { readonly content: Record<string, { readonly schema: Json }> }
  readonly responses: Record<string, { readonly content?: Record<string, { readonly schema: Json }> }>
}
interface Spec {
  readonly info: { readonly version: string }
  readonly paths: Record<string, Record<string, Operation>>
  readonly components: { readonly schemas: Record<string, Json> }
}

export interface Exchange {
  readonly method: string
  /** Path below the API root (`/ledger/posting`), percent-decoded. */
  readonly path: string
  readonly query: ReadonlyArray<readonly [string, string]>
  readonly requestBody?: unknown
  readonly status: number
  readonly responseBody: unknown
}

export interface Violation {
  readonly operation: string
  readonly status: number
  readonly problem: string
}

const closeObjects = (x: Json): Json => {
  if (Array.isArray(x)) return x.map(closeObjects)
  if (x === null || typeof x !== "object") return x
  const out: { [k: string]: Json } = {}
  for (const [k, v] of Object.entries(x)) {
    out[k] = k === "properties" && v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, closeObjects(s)]))
      : closeObjects(v)
  }
  if (x.type === "object" && x.properties !== undefined && x.additionalProperties === undefined) out.additionalProperties = false
  return out
}

export const specFile = new URL("./openapi-subset.json", import.meta.url)

export const loadSpec = (): Spec => JSON.parse(readFileSync(specFile, "utf8")) as Spec

const DOC = "tripletex-openapi"

export interface Contract {
  readonly specVersion: string
  /** Violations of one exchange (empty when it conforms). */
  readonly check: (exchange: Exchange) => ReadonlyArray<Violation>
  /** Records the violations of every exchange it is given (use as the fake's `onExchange`). */
  readonly record: (exchange: Exchange) => void
  readonly violations: Array<Violation>
  /** How many exchanges were checked. */
  readonly checked: () => number
}

export const makeContract = (spec: Spec = loadSpec()): Contract => {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false })
  addFormats(ajv)
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 })
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) })
  ajv.addSchema({ $id: DOC, components: { schemas: closeObjects(spec.components.schemas as Json) } })
  const compiled = new Map<string, ValidateFunction>()
  const validator = (schema: Json): ValidateFunction => {
    const key = JSON.stringify(schema)
    const found = compiled.get(key)
    if (found !== undefined) return found
    const ref = (schema as { $ref?: string }).$ref
    const v = ajv.compile(ref !== undefined ? { $ref: `${DOC}${ref}` } : (schema as object))
    compiled.set(key, v)
    return v
  }
  const schemaByName = (name: string) => spec.components.schemas[name] as { properties?: Record<string, Json>; items?: Json } | undefined
  const refName = (s: Json | undefined): string | undefined => {
    if (s === null || typeof s !== "object" || Array.isArray(s)) return undefined
    const r = s.$ref ?? (s.type === "array" ? refName(s.items) : undefined)
    return typeof r === "string" ? r.split("/").pop() : undefined
  }
  /** The schema the `fields` filter applies to: the items of a ListResponse, the value of a ResponseWrapper. */
  const filteredSchema = (responseSchema: Json): string | undefined => {
    const envelope = schemaByName(refName(responseSchema) ?? "")
    const inner = envelope?.properties?.values ?? envelope?.properties?.value
    return refName(inner)
  }
  const checkFields = (tree: FieldTree, schemaName: string, at: string): Array<string> => {
    const props = schemaByName(schemaName)?.properties ?? {}
    const problems: Array<string> = []
    for (const [name, sub] of tree) {
      if (name === "*") continue
      if (!(name in props)) {
        problems.push(`fields: "${at}${name}" is not a property of ${schemaName}`)
        continue
      }
      if (sub !== undefined) {
        const target = refName(props[name])
        if (target === undefined) problems.push(`fields: "${at}${name}" is not an object in ${schemaName}`)
        else problems.push(...checkFields(sub, target, `${at}${name}.`))
      }
    }
    return problems
  }
  const templates = Object.keys(spec.paths).map((p) => ({
    template: p,
    re: new RegExp(`^${p.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`)
  }))
  const violations: Array<Violation> = []
  let count = 0
  const check = (x: Exchange): ReadonlyArray<Violation> => {
    const method = x.method.toLowerCase()
    const t = templates.find((c) => c.re.test(x.path) && spec.paths[c.template]?.[method] !== undefined)
    const name = `${x.method.toUpperCase()} ${t?.template ?? x.path}`
    const out: Array<Violation> = []
    const v = (problem: string) => out.push({ operation: name, status: x.status, problem })
    if (t === undefined) {
      v("no such operation in the spec")
      return out
    }
    const op = spec.paths[t.template]?.[method] as Operation
    const declared = new Map((op.parameters ?? []).filter((p) => p.in === "query").map((p) => [p.name, p]))
    const given = new Map<string, string>()
    for (const [k, value] of x.query) {
      if (given.has(k)) v(`query parameter ${k} given twice`)
      given.set(k, value)
      const p = declared.get(k)
      if (p === undefined) {
        v(`query parameter ${k} is not declared`)
        continue
      }
      const type = p.schema?.type
      if (type === "integer" && !/^-?\d+$/.test(value)) v(`query parameter ${k}="${value}" is not an integer`)
      if (type === "boolean" && value !== "true" && value !== "false") v(`query parameter ${k}="${value}" is not a boolean`)
      if (p.schema?.enum !== undefined && !p.schema.enum.includes(value)) v(`query parameter ${k}="${value}" is not one of ${p.schema.enum.join("|")}`)
    }
    for (const p of declared.values()) if (p.required === true && !given.has(p.name)) v(`required query parameter ${p.name} is missing`)
    if (op.requestBody !== undefined) {
      const schema = Object.values(op.requestBody.content)[0]?.schema
      if (schema !== undefined) {
        const val = validator(schema)
        if (!val(x.requestBody)) v(`request body: ${ajv.errorsText(val.errors)}`)
      }
    }
    const okSchema = Object.entries(op.responses).find(([code]) => code.startsWith("2"))?.[1].content?.["application/json"]?.schema
    const fields = given.get("fields")
    if (fields !== undefined && fields !== "" && okSchema !== undefined) {
      const target = filteredSchema(okSchema)
      try {
        const tree = parseFields(fields)
        if (tree !== undefined && target !== undefined) { for (const p of checkFields(tree, target, "")) v(p) }
      } catch (e) {
        v(`fields: ${(e as Error).message}`)
      }
    }
    const declaredStatus = op.responses[String(x.status)]?.content?.["application/json"]?.schema
    const schema = x.status >= 200 && x.status < 300 ? declaredStatus : ({ $ref: "#/components/schemas/ApiError" } as Json)
    if (schema === undefined) v(`status ${x.status} is not a declared response`)
    else {
      const val = validator(schema)
      if (!val(x.responseBody)) v(`response body: ${ajv.errorsText(val.errors, { separator: "; " })}`)
    }
    return out
  }
  return {
    specVersion: spec.info.version,
    check,
    record: (x) => {
      count++
      violations.push(...check(x))
    },
    violations,
    checked: () => count
  }
}
