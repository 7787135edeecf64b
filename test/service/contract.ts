/**
 * A contract check driven by the service's own OpenAPI document: every call a test makes through
 * `Contract.call` names the operation by its path template, must answer with a status the document
 * lists for it, and its JSON body must validate (ajv, JSON Schema draft 2020-12, the dialect of
 * OpenAPI 3.1) against the schema the document gives for that status. The operations called are
 * recorded, so a test can require that every operation in the document was exercised.
 */
import type { ValidateFunction } from "ajv"
import addFormatsModule from "ajv-formats"
import { Ajv2020 } from "ajv/dist/2020.js"
import { expect } from "vitest"
import { type Call, call } from "./harness.ts"

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void

export interface OpenApiDocument {
  readonly openapi: string
  readonly info: { readonly title: string; readonly version: string }
  readonly paths: Record<string, Record<string, Operation>>
  readonly components: { readonly schemas: Record<string, unknown>; readonly securitySchemes?: Record<string, unknown> }
}

export interface Operation {
  readonly operationId: string
  readonly parameters?: ReadonlyArray<{ readonly name: string; readonly in: string; readonly required?: boolean }>
  readonly security?: ReadonlyArray<Record<string, ReadonlyArray<string>>>
  readonly requestBody?: { readonly content: Record<string, { readonly schema: unknown }> }
  readonly responses: Record<string, { readonly content?: Record<string, { readonly schema: unknown }> }>
}

const ROOT = "https://kravsync.invalid/openapi.json"
const METHODS = ["get", "post", "put", "patch", "delete"] as const

/** The document's schemas with their `#/components/…` references made absolute, so ajv resolves them. */
const absolute = (schema: unknown): unknown => JSON.parse(JSON.stringify(schema).replaceAll("\"#/components/", `"${ROOT}#/components/`))

export const newAjv = (doc: OpenApiDocument) => {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true })
  addFormats(ajv)
  ajv.addSchema({ $id: ROOT, components: absolute(doc.components) as object })
  return ajv
}

export const operations = (doc: OpenApiDocument): Array<{ readonly method: string; readonly path: string; readonly op: Operation }> =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m] !== undefined).map((method) => ({ method, path, op: item[method] as Operation }))
  )

export class Contract {
  readonly exercised = new Set<string>()
  /** Every response body seen, for checks across all of them (no credential in any). */
  readonly seen: Array<string> = []
  private readonly ajv: Ajv2020
  private readonly validators = new Map<string, ValidateFunction>()
  constructor(readonly doc: OpenApiDocument, readonly base: string) {
    this.ajv = newAjv(doc)
  }

  validator(schema: unknown): ValidateFunction {
    const key = JSON.stringify(schema)
    let v = this.validators.get(key)
    if (v === undefined) {
      v = this.ajv.compile(absolute(schema) as object)
      this.validators.set(key, v)
    }
    return v
  }

  /** Calls the operation at `template` ("/runs/{id}") with the path parameters filled in, and checks the answer against the document. */
  async call(method: string, template: string, options: {
    readonly params?: Record<string, string>
    readonly query?: string
    readonly key?: string
    readonly body?: unknown
    readonly headers?: Record<string, string>
  } = {}): Promise<Call> {
    const op = this.doc.paths[template]?.[method.toLowerCase()]
    if (op === undefined) throw new Error(`the document has no operation ${method} ${template}`)
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(options.params?.[name] ?? ""))
    const r = await call(this.base, method, `${path}${options.query ?? ""}`, options.key, options.body, options.headers)
    this.exercised.add(op.operationId)
    this.seen.push(r.text)
    const response = op.responses[String(r.status)]
    expect(response, `${method} ${template} answered ${r.status}, which the document does not list: ${r.text}`).toBeDefined()
    const type = (r.headers.get("content-type") ?? "").split(";")[0] ?? ""
    const content = response?.content
    if (content !== undefined) {
      expect(Object.keys(content), `${method} ${template} ${r.status}: content-type ${type}`).toContain(type)
      if (type === "application/json") {
        const v = this.validator(content[type]?.schema)
        const ok = v(r.body)
        expect(ok, `${method} ${template} ${r.status} does not match the document: ${this.ajv.errorsText(v.errors)}`).toBe(true)
      }
    }
    return r
  }
}
