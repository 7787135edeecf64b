/**
 * kravsync as an accounting platform installs it: the package as `npm pack` makes it, installed
 * into a fresh host project, type-checked by a strict NodeNext `tsc` (exactOptionalPropertyTypes,
 * skipLibCheck false), and run by plain Node: the root and every subpath import, and the host's
 * program (test/host/fixture/host.ts) reconciles a sandbox party against a ledger source of its
 * own and writes a workbook. Needs `npm run build` first (npm test does it).
 */
import { beforeAll, describe, expect, it } from "@effect/vitest"
import ExcelJS from "exceljs"
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { run, runOk } from "../support/run.ts"

const root = join(import.meta.dirname, "..", "..")
const fixture = join(import.meta.dirname, "fixture")

/** A host project with the packed package in node_modules/kravsync and the repo's installed dependencies beside it (no network). */
const installPacked = async (): Promise<{ readonly dir: string; readonly files: ReadonlyArray<string> }> => {
  const dir = mkdtempSync(join(tmpdir(), "kravsync-host-"))
  const packed = JSON.parse(await runOk("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: root })) as Array<
    { filename: string; files: Array<{ path: string }> }
  >
  const entry = packed[0]!
  const target = join(dir, "node_modules", "kravsync")
  mkdirSync(target, { recursive: true })
  await runOk("tar", ["-xzf", join(dir, entry.filename), "-C", target, "--strip-components", "1"])
  for (const name of readdirSync(join(root, "node_modules"))) {
    if (name === "kravsync" || name.startsWith(".")) continue
    symlinkSync(join(root, "node_modules", name), join(dir, "node_modules", name))
  }
  for (const f of ["package.json", "tsconfig.json", "host.ts"]) cpSync(join(fixture, f), join(dir, f))
  return { dir, files: entry.files.map((f) => f.path) }
}

describe("kravsync installed in a host project", () => {
  let host: { readonly dir: string; readonly files: ReadonlyArray<string> }
  beforeAll(async () => {
    host = await installPacked()
  }, 180_000)

  it("ships only what runs: built JavaScript, declarations, runtime data; no tests, benches, fakes or TypeScript sources", () => {
    expect(host.files).toContain("dist/src/index.js")
    expect(host.files).toContain("dist/src/index.d.ts")
    expect(host.files).toContain("dist/sandbox/seed/aapnekrav-212201782.json")
    expect(host.files.filter((f) => /(^|\/)(test|bench)\/|\.test\.|testing\/|Fake|\/support\//.test(f))).toEqual([])
    expect(host.files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([])
  })

  it("a strict NodeNext TypeScript host type-checks against the package's declarations", async () => {
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc")
    const done = await run(process.execPath, [tsc, "-p", join(host.dir, "tsconfig.json")], { cwd: host.dir })
    expect(done.stdout + done.stderr).toBe("")
    expect(done.status).toBe(0)
    expect(existsSync(join(host.dir, "out", "host.js"))).toBe(true)
  }, 180_000)

  it("plain Node imports the root and every subpath", async () => {
    const program =
      `for (const p of ["kravsync", "kravsync/saft", "kravsync/tripletex", "kravsync/fiken", "kravsync/excel", "kravsync/service", "kravsync/store", "kravsync/sandbox"]) { const m = await import(p); if (Object.keys(m).length === 0) throw new Error(p) } console.log("ok")`
    expect((await runOk(process.execPath, ["--input-type=module", "-e", program], { cwd: host.dir })).trim()).toBe("ok")
  })

  it("the host reconciles a sandbox party against its own ledger source and writes a workbook", async () => {
    const stdout = await runOk(process.execPath, [join(host.dir, "out", "host.js"), host.dir], { cwd: host.dir })
    const result = JSON.parse(stdout) as { conserved: boolean; matchedOnReference: number; rows: number; subpaths: Array<string> }
    expect(result.conserved).toBe(true)
    // the restskatt claim krav-1234 found in the host's own books by its reference
    expect(result.matchedOnReference).toBe(1)
    expect(result.subpaths).toEqual(["function", "function", "function", "function", "function"])
    const report = JSON.parse(readFileSync(join(host.dir, "host.json"), "utf8")) as { metadata: { ledger: { system: string } } }
    expect(report.metadata.ledger.system).toBe("host-platform")
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(join(host.dir, "host.xlsx"))
    expect(wb.getWorksheet("Sammendrag")).toBeDefined()
  })
})
