/**
 * The service as a process (`node bin/kravsync.mjs serve`, the built CLI) killed mid-run and
 * started again: a finished report is kept whole, the run that was cut off is marked abandoned with
 * no report (never resumed, never half-written), and it can be started again. A graceful stop
 * (SIGTERM, no grace period) abandons its running work cleanly itself. Skatteetaten is a sandbox in
 * this process, slowed so a run is still running when the process is stopped; the service reaches
 * it as a custom environment, as it would reach Skatteetaten.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { startSandbox } from "../../sandbox/client.ts"
import type { SandboxHandle } from "../../sandbox/Simulator.ts"
import * as Auth from "../../src/service/Auth.ts"
import { call, demoData, repo, settle } from "./harness.ts"

const KEY = "ks_restart_test_key"
const bin = join(repo, "bin", "kravsync.mjs")
const dir = mkdtempSync(join(tmpdir(), "kravsync-restart-"))
const scope = Effect.runSync(Scope.make())
let sandbox: SandboxHandle
let env: Record<string, string>

beforeAll(async () => {
  sandbox = await Effect.runPromise(Scope.extend(startSandbox({ dataDir: join(demoData, "full"), faults: { latencyMs: 1500 } }), scope))
  const keyFile = join(dir, "demo.jwk")
  writeFileSync(keyFile, JSON.stringify(sandbox.demoClient.privateJwk))
  writeFileSync(
    join(dir, "service.json"),
    JSON.stringify({
      port: 0,
      dataDir: join(dir, "data"),
      ledgerRoot: demoData,
      shutdownGraceSeconds: 0,
      apiKeys: [{ name: "restart", sha256: Auth.hashKey(KEY), organisations: ["313367002"] }]
    })
  )
  env = {
    ...process.env as Record<string, string>,
    KRAVSYNC_ENV: "custom",
    KRAVSYNC_API_URL: sandbox.apiBaseUrl,
    KRAVSYNC_MASKINPORTEN_URL: sandbox.maskinportenIssuer,
    KRAVSYNC_CLIENT_ID: sandbox.demoClient.clientId,
    KRAVSYNC_KEY_FILE: keyFile
  }
  delete env.KRAVSYNC_DATABASE_URL
})
afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))

interface Served {
  readonly child: ChildProcess
  readonly url: string
  readonly exited: Promise<number | null>
}

const serve = (): Promise<Served> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "serve", "--config", join(dir, "service.json")], { env, stdio: ["ignore", "ignore", "pipe"] })
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)))
    let err = ""
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString()
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(err)
      if (m?.[1] !== undefined) resolve({ child, url: m[1], exited })
    })
    void exited.then((code) => reject(new Error(`kravsync serve exited (${code}) before listening: ${err}`)))
  })

const waitRunning = async (url: string, id: string) => {
  for (const until = Date.now() + 120_000; Date.now() < until;) {
    const r = await call(url, "GET", `/runs/${id}`, KEY)
    const state = (r.body as { state: string }).state
    if (state === "running") return
    if (state !== "queued") throw new Error(`run ${id} is ${state}, not running`)
    await new Promise((f) => setTimeout(f, 50))
  }
  throw new Error(`run ${id} never started`)
}

const start = async (url: string, asOf: string) => {
  const r = await call(url, "POST", "/runs", KEY, { party: "313367002", ledger: "saft:ledgers/313367002.xml", asOf })
  expect(r.status, r.text).toBe(202)
  return (r.body as { run: { id: string } }).run.id
}

describe("kravsync serve stopped mid-run", () => {
  it("killed: keeps every finished report whole, abandons the cut-off run with no report, and starts it again", async () => {
    const first = await serve()
    const done = await start(first.url, "2025-11-30")
    expect(await settle(first.url, KEY, done)).toMatchObject({ state: "done" })
    const before = await call(first.url, "GET", `/runs/${done}/report`, KEY)
    expect(before.status).toBe(200)
    const cut = await start(first.url, "2025-12-31")
    await waitRunning(first.url, cut)
    first.child.kill("SIGKILL")
    await first.exited

    const second = await serve()
    try {
      const after = await call(second.url, "GET", `/runs/${done}/report`, KEY)
      expect(after.status).toBe(200)
      expect(after.text).toBe(before.text)
      const abandoned = await call(second.url, "GET", `/runs/${cut}`, KEY)
      expect(abandoned.body).toMatchObject({ state: "abandoned", error: { category: "unexpected", exitCode: 1, message: expect.stringContaining("stopped") } })
      expect((await call(second.url, "GET", `/runs/${cut}/report`, KEY)).status).toBe(409)
      const again = await start(second.url, "2025-12-31")
      expect(again).not.toBe(cut)
      expect(await settle(second.url, KEY, again)).toMatchObject({ state: "done", summary: { conserved: true } })

      // SIGTERM with no grace: the running run is abandoned by the service itself on the way down
      const stopped = await start(second.url, "2025-10-31")
      await waitRunning(second.url, stopped)
      second.child.kill("SIGTERM")
      expect(await second.exited).not.toBeNull()
    } finally {
      second.child.kill("SIGKILL")
    }
    const third = await serve()
    try {
      const history = await call(third.url, "GET", "/parties/313367002/runs", KEY)
      const runs = (history.body as { runs: Array<{ id: string; state: string; error?: { message: string } }> }).runs
      expect(runs.map((r) => r.state)).toEqual(["abandoned", "done", "abandoned", "done"])
      expect(runs[0]?.error?.message).toContain("shut down")
      for (const r of runs.filter((x) => x.state === "done")) expect((await call(third.url, "GET", `/runs/${r.id}/report`, KEY)).status).toBe(200)
    } finally {
      third.child.kill("SIGKILL")
      await third.exited
    }
  }, 300_000) // three process starts and four runs through a slowed sandbox: minutes on a loaded 2-core machine
})
