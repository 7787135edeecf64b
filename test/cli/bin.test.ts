import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Fake from "../../sandbox/Simulator.ts"
import { kravsyncEffect } from "../support/cli.ts"

const dir = mkdtempSync(join(tmpdir(), "kravsync-cli-"))
const seedAapne = JSON.parse(readFileSync("sandbox/seed/aapnekrav-212201782.json", "utf8")) as unknown
const seedKrav = JSON.parse(readFileSync("sandbox/seed/krav-212201782-2023-01-01_2023-09-01.json", "utf8")) as unknown

/** The real bin in a child process (asynchronously: a server the test starts lives in this process). */
const kravsync = kravsyncEffect
type Result = Effect.Effect.Success<ReturnType<typeof kravsyncEffect>>

const noStack = (r: Result) => {
  expect(r.stderr).not.toMatch(/\n\s+at /)
  expect(r.stdout).not.toMatch(/\n\s+at /)
}

/** Flags for --env custom against the fake, with the demo client's JWK in a file. */
const customFlags = (h: Fake.SandboxHandle) => {
  const keyFile = join(dir, `demo-${Math.random().toString(36).slice(2)}.jwk`)
  writeFileSync(keyFile, JSON.stringify(h.demoClient.privateJwk))
  return ["--env", "custom", "--api-url", h.apiBaseUrl, "--maskinporten-url", h.maskinportenIssuer, "--client-id", h.demoClient.clientId, "--key-file", keyFile]
}

describe("bin/kravsync.mjs", () => {
  it.live("--help works and lists the commands", () =>
    Effect.gen(function*() {
      const r = yield* kravsync(["--help"])
      expect(r.code).toBe(0)
      for (const c of ["aapnekrav", "krav", "innbetalinger", "utbetalinger", "token", "reconcile"]) expect(r.stdout).toContain(c)
    }))

  it.live("invalid input exits 2 naming the argument and the rule, without a stack trace", () =>
    Effect.gen(function*() {
      const r1 = yield* kravsync(["aapnekrav", "212201783"])
      expect(r1.code).toBe(2)
      expect(r1.stderr).toContain("<part>")
      expect(r1.stderr).toContain("kontrollsifferet")
      noStack(r1)
      const r2 = yield* kravsync(["krav", "212201782", "--fra", "2023-01-01", "--til", "2023-02-30"])
      expect(r2.code).toBe(2)
      expect(r2.stderr).toContain("--til")
      noStack(r2)
      const r3 = yield* kravsync(["aapnekrav", "212201782", "--env", "test"])
      expect(r3.code).toBe(2)
      expect(r3.stderr).toContain("client-id")
    }))

  it.scopedLive("aapnekrav/krav --format json print the API's document (custom environment)", () =>
    Effect.gen(function*() {
      const h = yield* Fake.start()
      const flags = customFlags(h)
      const a = yield* kravsync(["aapnekrav", "212201782", "--format", "json", ...flags])
      expect(a.stderr).toContain("korrelasjonsid")
      expect(a.code).toBe(0)
      expect(JSON.parse(a.stdout)).toEqual(seedAapne)
      const k = yield* kravsync(["krav", "212201782", "--fra", "2023-01-01", "--til", "2023-09-01", "--format", "json", ...flags])
      expect(k.code).toBe(0)
      expect(JSON.parse(k.stdout)).toEqual(seedKrav)
      const t = yield* kravsync(["krav", "212201782", "--fra", "2023-01-01", "--til", "2023-09-01", "--format", "table", ...flags])
      expect(t.code).toBe(0)
      expect(t.stdout).toContain("Gjenstående")
      expect(t.stdout).toMatch(/Sum .*\d+,\d\d/)
    }))

  it.scopedLive("API errors exit 3 with the KB code, its meaning and the korrelasjonsid", () =>
    Effect.gen(function*() {
      const h = yield* Fake.start()
      // A valid organisation number that has a system user for our client but no data at Skatteetaten.
      h.registerClient({ clientId: h.demoClient.clientId, jwks: [h.demoClient.publicJwk], systemUserFor: [...h.parties, "974760673"] })
      const r = yield* kravsync(["aapnekrav", "974760673", ...customFlags(h)])
      expect(r.code).toBe(3)
      expect(r.stderr).toContain("KB-009")
      expect(r.stderr).toContain("Ingen treff på oppgitt identifikator")
      expect(r.stderr).toMatch(/korrelasjonsid [0-9a-f-]{36}/)
      noStack(r)
    }))

  it.scopedLive("authentication errors exit 4: an unregistered key, a missing key file", () =>
    Effect.gen(function*() {
      const h = yield* Fake.start()
      const flags = customFlags(h)
      const r1 = yield* kravsync(["aapnekrav", "212201782", ...flags.slice(0, -4), "--client-id", "nobody", "--key-file", flags.at(-1)!])
      expect(r1.code).toBe(4)
      expect(r1.stderr).toContain("MP-100")
      const r2 = yield* kravsync(["aapnekrav", "212201782", ...flags.slice(0, -2), "--key-file", join(dir, "missing.pem"), "--kid", "k1"])
      expect(r2.code).toBe(4)
      expect(r2.stderr).toContain(`filen ${join(dir, "missing.pem")}`)
      expect(r2.stderr).toContain("filen finnes ikke")
      noStack(r2)
    }))

  it.scopedLive("token shows the claims and expiry, not the token", () =>
    Effect.gen(function*() {
      const h = yield* Fake.start()
      const r = yield* kravsync(["token", ...customFlags(h)])
      expect(r.code).toBe(0)
      const out = JSON.parse(r.stdout) as { token: string; claims: { client_id: string }; expiresInSeconds: number }
      expect(out.claims.client_id).toBe("kravsync-sandbox-demo")
      expect(out.expiresInSeconds).toBeGreaterThan(60)
      expect(out.token).toContain("redacted")
      expect(r.stdout).not.toMatch(/\.[0-9a-f]{8}-[0-9a-f]{4}-/) // the fake token's signature part
    }))

  // The default environment is the in-process sandbox (sandbox, built by its own helper).
  const hasSandbox = existsSync("sandbox/index.ts")
  it.live.skipIf(!hasSandbox)("sandbox (default): aapnekrav 212201782 --format json equals the seed", () =>
    Effect.gen(function*() {
      const r = yield* kravsync(["aapnekrav", "212201782", "--format", "json"])
      expect(r.code).toBe(0)
      expect(JSON.parse(r.stdout)).toEqual(seedAapne)
      expect(r.stderr).toContain("Sandkasse")
    }))
  it.live.skipIf(!hasSandbox)(
    "sandbox (default): krav 212201782 --fra 2023-01-01 --til 2023-09-01 --format json equals the seed",
    () =>
      Effect.gen(function*() {
        const r = yield* kravsync(["krav", "212201782", "--fra", "2023-01-01", "--til", "2023-09-01", "--format", "json"])
        expect(r.code).toBe(0)
        expect(JSON.parse(r.stdout)).toEqual(seedKrav)
      })
  )
})
