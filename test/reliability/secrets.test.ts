/**
 * Issue #14, item 1: a secret never appears in any message, whatever its JSON type and whatever
 * goes wrong (a wrong type, an unknown key, an unparsable file, a key that cannot be loaded).
 * Each case runs in process (`resolveSettings`, then the key load as `layerFromSettings` does it)
 * and through the built CLI (`node bin/kravsync.mjs token --config FILE`, or KRAVSYNC_* variables);
 * every output is searched for the secret's text. The errors still name the field and the rule.
 */
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Option } from "effect"
import { execFile } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { inspect } from "node:util"
import * as Key from "../../src/auth/SigningKey.ts"
import { type ClientArgs, resolveSettings } from "../../src/cli/clientSettings.ts"
import { keySource } from "../../src/client/Settings.ts"

const dir = mkdtempSync(join(tmpdir(), "kravsync-secrets-"))
let n = 0
const file = (text: string, ext = ".json") => {
  const p = join(dir, `f${n++}${ext}`)
  writeFileSync(p, text)
  return p
}
const garbageP12 = file("not a pkcs12 file at all", ".p12")

/** A secret in each JSON form: the JSON text and the texts that must never be printed. */
const forms: ReadonlyArray<{ readonly form: string; readonly json: string; readonly needles: ReadonlyArray<string> }> = [
  { form: "string", json: `"Hemmelig-Passord-9f3k"`, needles: ["Hemmelig-Passord-9f3k", "Hemmelig"] },
  { form: "number", json: `98765432`, needles: ["98765432", "9876543"] },
  { form: "decimal number", json: `-4711.0815`, needles: ["4711.0815", "4711"] },
  { form: "boolean", json: `true`, needles: ["actual true", ": true"] },
  { form: "object", json: `{"pw":"Objekt-Hemmelig-77"}`, needles: ["Objekt-Hemmelig-77", "Objekt-Hem"] },
  { form: "array", json: `["Liste-Hemmelig-55", 31415926]`, needles: ["Liste-Hemmelig-55", "Liste-Hem", "31415926"] },
  { form: "unquoted (invalid JSON)", json: `Ukvotert-Hemmelig-31`, needles: ["Ukvotert-Hemmelig-31", "Ukvotert", "kvotert-He"] },
  { form: "half-quoted (invalid JSON)", json: `"Halv-Hemmelig-13`, needles: ["Halv-Hemmelig-13", "Halv-Hem"] }
]

/** Every secret the settings know of: the config file's and, by a wrong name there, the KRAVSYNC_* ones. */
const secretKeys = ["p12Password", "key", "p12", "consentToken"] as const

/** The error paths, each a config file around the secret `k: v`. */
const paths: ReadonlyArray<{ readonly path: string; readonly text: (k: string, v: string) => string; readonly names: ReadonlyArray<string> }> = [
  { path: "the secret alone", text: (k, v) => `{"env":"test","clientId":"c",${JSON.stringify(k)}:${v}}`, names: [] },
  { path: "an unknown key", text: (k, v) => `{${JSON.stringify(k)}:${v},"bogusSetting":1}`, names: [] },
  { path: "a wrong type elsewhere", text: (k, v) => `{${JSON.stringify(k)}:${v},"concurrency":"many"}`, names: [] },
  { path: "a truncated file", text: (k, v) => `{"env":"test",${JSON.stringify(k)}:${v}`, names: ["--config"] },
  { path: "a missing comma", text: (k, v) => `{${JSON.stringify(k)}:${v} "env":"test"}`, names: ["--config"] },
  { path: "a trailing comma", text: (k, v) => `{\n  "env": "test",\n  ${JSON.stringify(k)}: ${v},\n}`, names: ["--config"] },
  {
    path: "a failing key load",
    text: (k, v) => `{"env":"test","clientId":"c","p12File":${JSON.stringify(garbageP12)},${JSON.stringify(k)}:${v}}`,
    names: []
  }
]

const none = Option.none()
const args = (config: string): ClientArgs =>
  ({
    env: none,
    config: Option.some(config),
    clientId: none,
    keyFile: none,
    kid: none,
    p12File: none,
    scope: none,
    rettighetspakke: none,
    systemUser: none,
    consentCommand: none,
    apiUrl: none,
    maskinportenUrl: none,
    accept: none,
    sandboxData: none
  }) as ClientArgs

/** Settings from the file, then the key load, as the CLI does before any request; every failure's texts. */
const inProcess = (config: string, env: Map<string, string> = new Map()) =>
  resolveSettings(args(config)).pipe(
    Effect.flatMap((s) => Effect.flatMap(keySource(s), Key.load)),
    Effect.withConfigProvider(ConfigProvider.fromMap(env)),
    Effect.flip,
    Effect.map((e) => [String((e as Error).message), String(e), JSON.stringify(e), inspect(e, { depth: 5 })].join("\n"))
  )

interface Result {
  readonly code: number
  readonly out: string
}

const cli = (cliArgs: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  Effect.async<Result>((resume) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("KRAVSYNC_")))
    execFile("node", ["bin/kravsync.mjs", ...cliArgs], { env: { ...clean, ...env }, timeout: 170_000 }, (error, stdout, stderr) => {
      resume(Effect.succeed({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, out: `${String(stdout)}\n${String(stderr)}` }))
    })
  })

const noSecret = (out: string, needles: ReadonlyArray<string>, label: string) => {
  for (const needle of needles) expect(out, `${label}: "${needle}" printed in\n${out}`).not.toContain(needle)
}

describe("secrets never appear in a message (issue #14, item 1)", () => {
  it.effect("in process: every secret key, every JSON form, every error path", () =>
    Effect.gen(function*() {
      for (const k of secretKeys) {
        for (const f of forms) {
          for (const p of paths) {
            const out = yield* inProcess(file(p.text(k, f.json)))
            noSecret(out, f.needles, `${k} as ${f.form}, ${p.path}`)
          }
        }
      }
    }))

  it.effect("the error still names the field and the rule", () =>
    Effect.gen(function*() {
      const wrongType = yield* inProcess(file(`{"p12Password":12345678}`))
      expect(wrongType).toContain("p12Password")
      expect(wrongType).toMatch(/string/)
      noSecret(wrongType, ["12345678"], "number password")
      const unknown = yield* inProcess(file(`{"p12Password":"x-Hemmelig-x","bogusSetting":1}`))
      expect(unknown).toContain("bogusSetting")
      expect(unknown).toMatch(/not a setting|unexpected|unknown/i)
      const unquoted = yield* inProcess(file(`{\n  "env": "test",\n  "p12Password": Ukvotert-Hemmelig-31\n}`))
      expect(unquoted).toMatch(/not valid JSON/)
      expect(unquoted).toMatch(/line 3, column \d+/)
      noSecret(unquoted, ["Ukvotert"], "unquoted password")
      const keyLoad = yield* inProcess(file(`{"env":"test","clientId":"c","p12File":${JSON.stringify(garbageP12)},"p12Password":"Hemmelig-pw-1"}`))
      expect(keyLoad).toContain(garbageP12)
      expect(keyLoad).toMatch(/PKCS#12/)
      noSecret(keyLoad, ["Hemmelig-pw-1"], "p12 password on key load")
    }))

  it.effect("key material given where a file name belongs is not echoed as the file name", () =>
    Effect.gen(function*() {
      const pem = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7Pem-Hemmelig\\n-----END PRIVATE KEY-----"
      const out = yield* inProcess(file(`{"env":"test","clientId":"c","kid":"k","keyFile":"${pem}"}`))
      expect(out).toMatch(/key-?[Ff]ile/)
      noSecret(out, ["Pem-Hemmelig", "MIIEvQ"], "PEM in keyFile")
    }))

  it.effect("in process: KRAVSYNC_* secrets through a failing key load", () =>
    Effect.gen(function*() {
      const base = { KRAVSYNC_ENV: "test", KRAVSYNC_CLIENT_ID: "c" }
      const cases: ReadonlyArray<[Record<string, string>, ReadonlyArray<string>]> = [
        [{ KRAVSYNC_P12_FILE: garbageP12, KRAVSYNC_P12_PASSWORD: "Env-Hemmelig-pw" }, ["Env-Hemmelig-pw"]],
        [{ KRAVSYNC_P12: "RW52LUhlbW1lbGlnLXAxMg==", KRAVSYNC_P12_PASSWORD: "Env-Hemmelig-pw2" }, ["RW52LUhlbW1lbGlnLXAxMg", "Env-Hemmelig-pw2"]],
        [{ KRAVSYNC_KEY: "-----BEGIN PRIVATE KEY-----\nEnvPemHemmelig\n-----END PRIVATE KEY-----", KRAVSYNC_KID: "k" }, ["EnvPemHemmelig"]],
        [{ KRAVSYNC_KEY: `{"kty":"RSA","n":"x","e":"AQAB","d":"EnvJwkHemmelig","kid":"k"}` }, ["EnvJwkHemmelig"]],
        [{ KRAVSYNC_KEY: "EnvRawHemmelig", KRAVSYNC_KID: "k" }, ["EnvRawHemmelig"]],
        [{ KRAVSYNC_KEY_FILE: "-----BEGIN PRIVATE KEY-----EnvKeyFileHemmelig", KRAVSYNC_KID: "k" }, ["EnvKeyFileHemmelig"]]
      ]
      for (const [vars, needles] of cases) {
        const out = yield* inProcess(file(`{}`), new Map(Object.entries({ ...base, ...vars })))
        noSecret(out, needles, JSON.stringify(Object.keys(vars)))
      }
    }))

  it.live("the built CLI: `token --config FILE` and KRAVSYNC_* variables never print a secret", () =>
    Effect.gen(function*() {
      const runs: Array<
        { readonly label: string; readonly args: ReadonlyArray<string>; readonly env: Record<string, string>; readonly needles: ReadonlyArray<string> }
      > = []
      // The full matrix runs in process above; here every form and every path at least once through the built CLI.
      forms.forEach((f, i) => {
        for (const p of [paths[i % paths.length], paths[(i + 3) % paths.length]]) {
          if (p === undefined) continue
          const k = secretKeys[i % secretKeys.length] ?? "p12Password"
          for (const key of new Set(["p12Password", k])) {
            runs.push({ label: `${key} as ${f.form}, ${p.path}`, args: ["token", "--config", file(p.text(key, f.json))], env: {}, needles: f.needles })
          }
        }
      })
      const base = { KRAVSYNC_ENV: "test", KRAVSYNC_CLIENT_ID: "c" }
      runs.push(
        {
          label: "env p12 password",
          args: ["token"],
          env: { ...base, KRAVSYNC_P12_FILE: garbageP12, KRAVSYNC_P12_PASSWORD: "Env-Hemmelig-pw" },
          needles: ["Env-Hemmelig"]
        },
        {
          label: "env PEM key",
          args: ["token"],
          env: { ...base, KRAVSYNC_KEY: "-----BEGIN PRIVATE KEY-----\nEnvPemHemmelig\n-----END PRIVATE KEY-----", KRAVSYNC_KID: "k" },
          needles: ["EnvPemHemmelig"]
        },
        { label: "env JWK", args: ["token"], env: { ...base, KRAVSYNC_KEY: `{"kty":"RSA","d":"EnvJwkHemmelig"}` }, needles: ["EnvJwkHemmelig"] },
        {
          label: "env consent token, bad concurrency",
          args: ["token"],
          env: { ...base, KRAVSYNC_CONSENT_TOKEN: "EnvConsentHemmelig", KRAVSYNC_CONCURRENCY: "many" },
          needles: ["EnvConsentHemmelig"]
        },
        {
          label: "env p12 password, bad config file",
          args: ["token", "--config", file(`{"p12Password": 1`)],
          env: { KRAVSYNC_P12_PASSWORD: "EnvPw-Hemmelig" },
          needles: ["EnvPw-Hemmelig"]
        }
      )
      const results = yield* Effect.forEach(runs, (r) => Effect.map(cli(r.args, r.env), (res) => ({ r, res })), { concurrency: 6 })
      for (const { r, res } of results) {
        expect(res.code, `${r.label}\n${res.out}`).not.toBe(0)
        expect(res.out, r.label).not.toMatch(/\n\s+at /)
        noSecret(res.out, r.needles, r.label)
      }
    }), 240_000)
})
