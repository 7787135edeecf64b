/**
 * Tripletex's `fields` filter (spec info: "Fields"): `id,voucher(number,year),account(*)`.
 * A field without a sub-list gives nested objects as `{ id, url }`; `*` means every field.
 */
export type FieldTree = ReadonlyMap<string, FieldTree | undefined>

/** Parses a fields pattern; an empty pattern means "default" (every top-level field). */
export const parseFields = (pattern: string): FieldTree | undefined => {
  const text = pattern.replace(/\s+/g, "")
  if (text === "") return undefined
  let i = 0
  const list = (): Map<string, FieldTree | undefined> => {
    const out = new Map<string, FieldTree | undefined>()
    while (i < text.length) {
      let name = ""
      while (i < text.length && !",()".includes(text[i] ?? "")) name += text[i++]
      let sub: FieldTree | undefined
      if (text[i] === "(") {
        i++
        sub = list()
        if (text[i] !== ")") throw new Error(`unbalanced parentheses in fields "${pattern}"`)
        i++
      }
      if (name === "") throw new Error(`empty field name in fields "${pattern}"`)
      out.set(name, sub)
      if (text[i] === ",") i++
      else if (text[i] === ")") return out
    }
    return out
  }
  const tree = list()
  if (i < text.length) throw new Error(`unbalanced parentheses in fields "${pattern}"`)
  return tree
}

type Obj = { readonly [k: string]: unknown }
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v)

/** A nested object shown without a sub-list: its id and url, as Tripletex does. */
const collapse = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(collapse)
  if (!isObj(v)) return v
  const out: Record<string, unknown> = {}
  if (v.id !== undefined) out.id = v.id
  if (v.url !== undefined) out.url = v.url
  return out
}

/** Applies a field tree to an object built with every field. Unknown names are left out. */
export const applyFields = (value: Obj, tree: FieldTree | undefined): Obj => {
  const out: Record<string, unknown> = {}
  const all = tree === undefined || tree.has("*")
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue
    const sub = tree?.get(k)
    if (sub !== undefined) out[k] = Array.isArray(v) ? v.map((x) => (isObj(x) ? applyFields(x, sub) : x)) : isObj(v) ? applyFields(v, sub) : v
    else if (all || tree?.has(k)) out[k] = collapse(v)
  }
  return out
}

/** Every path in a tree ("voucher.number"), for contract checks. */
export const fieldPaths = (tree: FieldTree, prefix = ""): Array<{ readonly path: ReadonlyArray<string>; readonly name: string }> => {
  const out: Array<{ path: ReadonlyArray<string>; name: string }> = []
  const walk = (t: FieldTree, path: ReadonlyArray<string>) => {
    for (const [k, sub] of t) {
      if (k !== "*") out.push({ path, name: k })
      if (sub !== undefined) walk(sub, [...path, k])
    }
  }
  walk(tree, prefix === "" ? [] : [prefix])
  return out
}
