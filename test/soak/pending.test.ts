/**
 * Memory bound by the concurrency, not by the number of callers (issue #14 item 5): 1000
 * concurrent `client.fetch` through one client (5 permits) on a faulty sandbox, in a child process
 * with a 256 MB heap. Before the gate handed permits on in order (src/http/Gate.ts), every release
 * woke every waiting call and each wake-up stayed on its fiber's stack: the child ran out of heap.
 * The rule checked is that every call completes; how long it takes or how much memory it peaks at
 * depends on the machine (bench/soak.ts reports the peak).
 */
import { describe, expect, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { join } from "node:path"

const root = join(import.meta.dirname, "..", "..")

/** Runs the child with a small heap; its exit code, its last stdout line and its stderr. */
const runChild = (n: number, heapMb: number) =>
  new Promise<{ code: number | null; last: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, "--import", "tsx", join(import.meta.dirname, "pending-child.ts"), String(n)], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString("utf8")))
    child.stderr.on("data", (b: Buffer) => (stderr = (stderr + b.toString("utf8")).slice(-4000)))
    child.on("error", reject)
    child.on("exit", (code) => resolve({ code, last: stdout.trim().split("\n").at(-1) ?? "", stderr }))
  })

describe("1000 calls pending at once", () => {
  it("all complete through one client in a 256 MB heap", { timeout: 600_000 }, async () => {
    const r = await runChild(1000, 256)
    expect(r.stderr).not.toMatch(/heap out of memory/)
    expect(r.code).toBe(0)
    const result = JSON.parse(r.last) as { n: number; completed: number; failures: number }
    expect(result).toMatchObject({ n: 1000, completed: 1000, failures: 0 })
  })
})
