import { describe, expect, it } from "@effect/vitest"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { KRAVSYNC_VERSION } from "../../src/version.ts"

describe("package", () => {
  it("the version the CLI and the reports print is package.json's", () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8")) as { version: string }
    expect(KRAVSYNC_VERSION).toBe(pkg.version)
  })

  it("src/ imports no connector and nothing of the sandbox; the root export loads no devDependency", () => {
    const root = join(import.meta.dirname, "..", "..")
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { devDependencies: Record<string, string> }
    const files = (function* walk(dir: string): Generator<string> {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name)
        if (e.isDirectory()) yield* walk(p)
        else if (p.endsWith(".ts")) yield p
      }
    })(join(root, "src"))
    const offenders: Array<string> = []
    for (const f of files) {
      const text = readFileSync(f, "utf8")
      for (const m of text.matchAll(/from "([^"]+)"/g)) {
        const spec = m[1] ?? ""
        if (/(^|\/)(connectors|sandbox|test|bench)\//.test(spec) && spec.startsWith(".")) offenders.push(`${f}: ${spec}`)
        if (Object.hasOwn(pkg.devDependencies, spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : (spec.split("/")[0] ?? ""))) {
          offenders.push(`${f}: ${spec}`)
        }
      }
    }
    expect(offenders).toEqual([])
  })
})
