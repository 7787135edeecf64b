/**
 * Issue #14, item 3: `fiken login --port <busy>` is a typed error naming the port (exit 2, no
 * stack trace); a scenario-file error is one line with the first problem and its path, not a
 * schema dump.
 */
import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { execFile } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { createServer, type Server } from "node:net"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { login } from "../../connectors/fiken/login.ts"
import { loadScenarios } from "../../sandbox/Data.ts"
import { LedgerSourceError } from "../../src/reconcile/LedgerSource.ts"

const busyPort = () =>
  Effect.acquireRelease(
    Effect.async<{ server: Server; port: number }>((resume) => {
      const server = createServer()
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed({ server, port: (server.address() as AddressInfo).port })))
    }),
    ({ server }) => Effect.async<void>((resume) => void server.close(() => resume(Effect.void)))
  )

const cli = (args: ReadonlyArray<string>, env: Record<string, string>) =>
  Effect.async<{ code: number; stdout: string; stderr: string }>((resume) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("KRAVSYNC_")))
    execFile("node", ["bin/kravsync.mjs", ...args], { env: { ...clean, ...env }, timeout: 170_000 }, (error, stdout, stderr) => {
      resume(Effect.succeed({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }))
    })
  })

describe("fiken login on a busy port (issue #14, item 3a)", () => {
  it.scoped("is a typed error naming the port", () =>
    Effect.gen(function*() {
      const { port } = yield* busyPort()
      const error = yield* Effect.flip(
        login({
          client: { clientId: "id", clientSecret: "secret" as never, tokenUrl: "http://127.0.0.1:1/token" },
          authorizeUrl: "http://127.0.0.1:1/authorize",
          store: { load: Effect.succeed(undefined), save: () => Effect.void } as never,
          port,
          onAuthorizeUrl: () => Effect.void
        }).pipe(Effect.timeout("10 seconds"), Effect.provide(FetchHttpClient.layer))
      )
      expect(error).toBeInstanceOf(LedgerSourceError)
      expect((error as LedgerSourceError).kind).toBe("config")
      expect(error.message).toContain(String(port))
      expect(error.message).toMatch(/in use/)
    }))

  it.live("the built CLI exits 2 naming the port, without a stack trace", () =>
    Effect.scoped(Effect.gen(function*() {
      const { port } = yield* busyPort()
      const r = yield* cli(["fiken", "login", "--port", String(port)], { KRAVSYNC_FIKEN_CLIENT_ID: "id", KRAVSYNC_FIKEN_CLIENT_SECRET: "secret" })
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr).toContain(String(port))
      expect(r.stderr).not.toMatch(/\n\s+at /)
      expect(r.stderr).not.toContain("EADDRINUSE")
    })))
})

describe("scenario-file errors (issue #14, item 3b)", () => {
  it("show the first problem with its path in one line", () => {
    const dir = mkdtempSync(join(tmpdir(), "kravsync-scenario-"))
    const seed = JSON.parse(readFileSync("sandbox/seed/krav-212201782-2023-01-01_2023-09-01.json", "utf8")) as { krav: Array<Record<string, unknown>> }
    const krav = { ...seed, krav: seed.krav.map((k, i) => (i === 1 ? { ...k, opprinneligBeloep: "mange penger" } : k)) }
    writeFileSync(join(dir, "feil.json"), JSON.stringify({ partIdentifikator: "212201782", krav }))
    const r = loadScenarios(dir)
    expect(Either.isLeft(r)).toBe(true)
    const e = (r as Either.Left<{ file: string; message: string }, unknown>).left
    expect(e.file).toBe("feil.json")
    expect(e.message).not.toContain("\n")
    expect(e.message.length).toBeLessThan(300)
    expect(e.message).toContain("krav.krav[1].opprinneligBeloep")
  })
})
