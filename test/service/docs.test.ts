/**
 * docs/service.md's curl examples, run as they are written: every ```sh block of its "From curl"
 * section, in order, in one bash with `set -euo pipefail` (curl -f fails on any HTTP error), against
 * the service on the sandbox with KRAVSYNC_URL and KRAVSYNC_KEY set.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { KEYS, repo, start, type Started } from "./harness.ts"

const doc = readFileSync(join(repo, "docs", "service.md"), "utf8")
const section = doc.slice(doc.indexOf("## From curl"), doc.indexOf("\n## ", doc.indexOf("## From curl") + 5))
const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? "")

let service: Started
beforeAll(async () => {
  service = await start(mkdtempSync(join(tmpdir(), "kravsync-docs-")))
})
afterAll(async () => {
  await service?.close()
})

describe("docs/service.md", () => {
  it("every curl example of the From curl section runs against the service", async () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4)
    expect(blocks.join("\n")).toContain("sign-offs")
    const cwd = mkdtempSync(join(tmpdir(), "kravsync-curl-"))
    const script = ["set -euo pipefail", ...blocks.map((b, i) => `echo "== block ${i + 1}" >&2\n${b}`)].join("\n")
    // Asynchronously: the service runs in this process and must go on answering.
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn("bash", ["-c", script], { cwd, env: { ...process.env, KRAVSYNC_URL: service.url, KRAVSYNC_KEY: KEYS.firm } })
      let stdout = ""
      let stderr = ""
      child.stdout.on("data", (d: Buffer) => void (stdout += d.toString()))
      child.stderr.on("data", (d: Buffer) => void (stderr += d.toString()))
      const timer = setTimeout(() => child.kill("SIGKILL"), 120_000)
      child.on("close", (status) => {
        clearTimeout(timer)
        resolve({ status, stdout, stderr })
      })
    })
    expect(r.status, `${r.stderr}\n${r.stdout}`).toBe(0)
    const report = JSON.parse(readFileSync(join(cwd, "report.json"), "utf8")) as { metadata: { party: string }; carryForward: { followUp: number } }
    expect(report.metadata.party).toBe("313367002")
    expect(report.carryForward.followUp).toBeGreaterThan(0)
    expect(readFileSync(join(cwd, "avstemming.xlsx")).subarray(0, 2).toString("latin1")).toBe("PK")
    expect(JSON.parse(readFileSync(join(cwd, "kravsync-openapi.json"), "utf8"))).toMatchObject({ openapi: "3.1.0" })
    // the sign-off took: the last block's portfolio list shows the items as known differences
    expect(r.stdout).toContain("\"disposition\":\"kjent-avvik\"")
    expect(r.stdout).toContain("Kari Regnskapsfører")
  })
})
