/**
 * Every failure a user can meet from the CLI is printed in bokmål by default and in English with
 * `--lang en` (or KRAVSYNC_LANG=en), through the built bin as a user runs it (issue #12, "Everything
 * the user reads follows --lang"). Each case runs the same command line twice and checks:
 * - the exit code (src/ExitCategory.ts), the same in both languages;
 * - the last stderr line starts with the kind of failure in that language ("Ugyldig inndata:" /
 *   "Invalid input:") and names the field and the value;
 * - the bokmål line has none of the English message's words, and has the bokmål wording.
 *
 * The API, Maskinporten and transport failures go to a small server on loopback that this test runs
 * (a token endpoint that refuses or grants, an API that answers a document that is not the model,
 * drops the connection or never answers): real HTTP, no mock of kravsync's own HTTP layer.
 */
import { describe, expect, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import { generateKeyPairSync } from "node:crypto"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll } from "vitest"

const root = join(import.meta.dirname, "..", "..")
const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("KRAVSYNC_")))

interface Run {
  readonly status: number
  readonly stderr: string
}

const kravsync = (args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, "bin", "kravsync.mjs"), ...args],
      { cwd: dir, env: { ...clean, ...env }, timeout: 90_000 },
      (error, _out, stderr) => {
        resolve({ status: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stderr: String(stderr) })
      }
    )
  })

const lastLine = (s: string) => s.trimEnd().split("\n").pop() ?? ""

interface Case {
  /** What fails, for the test's name. */
  readonly what: string
  /** The command line; a function where it needs the loopback server's address (known once it listens). */
  readonly args: ReadonlyArray<string> | (() => ReadonlyArray<string>)
  readonly env?: Record<string, string>
  readonly code: number
  /** The field, the value: in the line in both languages. */
  readonly names: ReadonlyArray<string>
  /** Words of the English message: in the English line, none of them in the bokmål line. */
  readonly english: ReadonlyArray<string>
  /** The bokmål wording of the rule. */
  readonly bokmal: ReadonlyArray<string>
}

const PREFIX: Record<number, readonly [string, string]> = {
  2: ["Ugyldig inndata: ", "Invalid input: "],
  3: ["Feil fra API-et: ", "API error: "],
  4: ["Autentiseringsfeil: ", "Authentication error: "]
}

let dir = ""
let server: Server
let base = ""
const ledger = join(root, "sandbox", "demo", "ledgers", "313367002.xml")

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kravsync-bokmal-"))
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 })
  writeFileSync(join(dir, "key.pem"), privateKey.export({ type: "pkcs8", format: "pem" }))
  writeFileSync(join(dir, "not-a-key.pem"), "hello\n")
  writeFileSync(join(dir, "bad.json"), `{"env": "test",}`)
  writeFileSync(join(dir, "unknown.json"), `{"bogusSetting": 1}`)
  writeFileSync(join(dir, "clients.csv"), "orgnr,farge\n313367002,blå\n")
  writeFileSync(join(dir, "mapping.json"), `{"kravgrupper": {"fantasi": ["1234"]}}`)
  writeFileSync(join(dir, "state.json"), "{}")
  // the demo ledger's first 12 lines (header and part of the chart), then a tag that does not parse on line 13
  const head = readFileSync(ledger, "utf8").split("\n").slice(0, 12).join("\n")
  writeFileSync(join(dir, "broken.xml"), `${head}\n<n1:Account><<n1:AccountID>9999</n1:AccountID></n1:Account>\n`)
  server = createServer((req, res) => {
    const url = req.url ?? ""
    if (url.startsWith("/refuse/token")) {
      res.writeHead(400, { "content-type": "application/json" }).end(
        JSON.stringify({ error: "invalid_client", error_description: "MP-100 client authentication failed" })
      )
    } else if (url.includes("/token")) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ access_token: "a.b.c", expires_in: 120, token_type: "Bearer" }))
    } else if (url.startsWith("/decode/")) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ partIdentifikator: 313367002 }))
    } else if (url.startsWith("/drop/")) {
      req.socket.destroy()
    }
    // "/hang/": never answered (closed with the server)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

/** The connection flags for the loopback server: the API under /{api}/v1, Maskinporten under /{mp}/. */
const custom = (api: string, mp = "ok") => [
  "--env",
  "custom",
  "--api-url",
  `${base}/${api}/v1`,
  "--maskinporten-url",
  `${base}/${mp}/`,
  "--client-id",
  "kravsync-test",
  "--key-file",
  join(dir, "key.pem"),
  "--kid",
  "k1"
]
const quick = { KRAVSYNC_TIMEOUT_SECONDS: "1", KRAVSYNC_RETRY_BUDGET_SECONDS: "1" }

const cases: ReadonlyArray<Case> = [
  {
    what: "InvalidInputError: <part> of the wrong length",
    args: ["aapnekrav", "31336700"],
    code: 2,
    names: ["<part>", "31336700", "8"],
    english: ["wrong length", "digits"],
    bokmal: ["feil lengde", "sifre"]
  },
  {
    what: "InvalidInputError: --fra with no such month",
    args: ["krav", "313367002", "--fra", "2023-13-01", "--til", "2023-12-31"],
    code: 2,
    names: ["--fra", "2023-13-01", "13"],
    english: ["has no month"],
    bokmal: ["har ingen måned"]
  },
  {
    what: "InvalidInputError: --til as dd.mm.yyyy with no such day",
    args: ["krav", "313367002", "--fra", "01.01.2023", "--til", "31.04.2023"],
    code: 2,
    names: ["--til", "31.04.2023", "31"],
    english: ["has no day", "in that month"],
    bokmal: ["har ingen dag", "i den måneden", "dd.mm.åååå"]
  },
  {
    what: "InvalidInputError: --fra that is not a date",
    args: ["innbetalinger", "313367002", "--fra", "januar", "--til", "2023-12-31"],
    code: 2,
    names: ["--fra", "januar"],
    english: ["is not a date in the form"],
    bokmal: ["er ikke en dato på formen"]
  },
  {
    what: "InvalidInputError: --til before --fra",
    args: ["utbetalinger", "313367002", "--fra", "2023-05-01", "--til", "2023-01-01"],
    code: 2,
    names: ["--fra/--til", "2023-01-01", "2023-05-01"],
    english: ["is before"],
    bokmal: ["er før"]
  },
  {
    what: "InvalidInputError: token --for that is not an organisasjonsnummer",
    args: ["token", "--for", "313367003"],
    code: 2,
    names: ["--for", "313367003", "mod11"],
    english: ["control digit", "expected"],
    bokmal: ["kontrollsifferet", "ventet"]
  },
  {
    what: "SettingsError: --env test without a client id",
    args: ["aapnekrav", "313367002", "--env", "test"],
    code: 2,
    names: ["client-id", "KRAVSYNC_CLIENT_ID"],
    english: ["is required", "client id"],
    bokmal: ["må oppgis", "klient-ID-en"]
  },
  {
    what: "SettingsError: no signing key",
    args: ["aapnekrav", "313367002", "--env", "test", "--client-id", "c"],
    code: 2,
    names: ["key", "KRAVSYNC_KEY_FILE", "--key-file"],
    english: ["a signing key is required"],
    bokmal: ["en signeringsnøkkel må oppgis"]
  },
  {
    what: "SettingsError: a PEM key without its kid",
    args: ["aapnekrav", "313367002", "--env", "test", "--client-id", "c", "--key-file", "key.pem"],
    code: 2,
    names: ["kid", "KRAVSYNC_KID"],
    english: ["needs the kid"],
    bokmal: ["trenger kid-en"]
  },
  {
    what: "SettingsError: --config that is not JSON",
    args: ["aapnekrav", "313367002", "--config", "bad.json"],
    code: 2,
    names: ["--config", "bad.json", "1, ", "16"],
    english: ["not valid JSON at line", "column"],
    bokmal: ["ikke gyldig JSON på linje", "kolonne"]
  },
  {
    what: "SettingsError: --config naming an unknown setting",
    args: ["aapnekrav", "313367002", "--config", "unknown.json"],
    code: 2,
    names: ["--config", "unknown.json", "bogusSetting"],
    english: ["is not a setting"],
    bokmal: ["er ingen innstilling"]
  },
  {
    what: "SettingsError: an unknown KRAVSYNC_ENV",
    args: ["aapnekrav", "313367002"],
    env: { KRAVSYNC_ENV: "staging" },
    code: 2,
    names: ["KRAVSYNC_ENV", "staging", "sandbox, test, prod, custom"],
    english: ["Expected one of", "received"],
    bokmal: ["må være en av", "fikk"]
  },
  {
    what: "KeyLoadError: a key file that does not exist",
    args: ["aapnekrav", "313367002", "--env", "test", "--client-id", "c", "--key-file", "/nonexistent/key.pem", "--kid", "k"],
    code: 4,
    names: ["/nonexistent/key.pem"],
    english: ["cannot use the signing key", "no such file"],
    bokmal: ["kan ikke bruke signeringsnøkkelen", "filen finnes ikke"]
  },
  {
    what: "KeyLoadError: a key file that holds no key",
    args: ["aapnekrav", "313367002", "--env", "test", "--client-id", "c", "--key-file", "not-a-key.pem", "--kid", "k"],
    code: 4,
    names: ["not-a-key.pem", "-----BEGIN PRIVATE KEY-----"],
    english: ["no PEM private key found", "expected"],
    bokmal: ["fant ingen privat PEM-nøkkel", "ventet"]
  },
  {
    what: "MaskinportenError: the token request refused (kravsync token)",
    args: () => ["token", ...custom("decode", "refuse")],
    code: 4,
    names: ["400", "invalid_client", "MP-100"],
    english: ["refused the token request", "client not found", "check the client id"],
    bokmal: ["avviste forespørselen om token", "klienten finnes ikke"]
  },
  {
    what: "AuthError: no token for the API call (Maskinporten refused)",
    args: () => ["aapnekrav", "313367002", ...custom("decode", "refuse")],
    code: 4,
    names: ["aapnekrav 313367002", "invalid_client", "MP-100"],
    english: ["authentication failed before calling", "refused the token request"],
    bokmal: ["autentiseringen mislyktes før kallet til", "avviste forespørselen om token"]
  },
  {
    what: "DecodeError: a response that is not the model",
    args: () => ["aapnekrav", "313367002", ...custom("decode")],
    code: 3,
    names: ["aapnekrav 313367002", "partIdentifikator"],
    english: ["does not match the model", "Expected", "actual"],
    bokmal: ["svaret stemmer ikke med modellen", "ventet", "fikk"]
  },
  {
    what: "TransportError: the connection dropped on every attempt",
    args: () => ["aapnekrav", "313367002", ...custom("drop")],
    env: quick,
    code: 3,
    names: ["aapnekrav 313367002"],
    english: ["could not reach", "connection failed"],
    bokmal: ["fikk ikke kontakt med", "tilkoblingen feilet"]
  },
  {
    what: "TimeoutError: no answer within the timeout",
    args: () => ["aapnekrav", "313367002", ...custom("hang")],
    env: quick,
    code: 3,
    names: ["aapnekrav 313367002", "1s"],
    english: ["no complete response within"],
    bokmal: ["intet fullstendig svar innen"]
  },
  {
    what: "ClientListError: an unknown column",
    args: ["run", "--clients", "clients.csv", "--out-dir", "run-out"],
    code: 2,
    names: ["clients.csv", "1:", "\"farge\"", "orgnr, navn"],
    english: ["client list", "unknown column", "known"],
    bokmal: ["klientlisten", "ukjent kolonne", "kjente"]
  },
  {
    what: "MappingError: an unknown kravgruppe",
    args: ["reconcile", "--part", "313367002", "--ledger", `saft:${ledger}`, "--mapping", "mapping.json"],
    code: 2,
    names: ["fantasi", "kravgruppe.xml"],
    english: ["unknown kravgruppe", "see"],
    bokmal: ["ukjent kravgruppe", "se"]
  },
  {
    what: "TrekkInputError: --maks-antall below 1",
    args: ["trekkpaalegg", "313367002", "--maks-antall", "0"],
    code: 2,
    names: ["--maks-antall", "1"],
    english: ["or greater"],
    bokmal: ["eller mer"]
  },
  {
    what: "TrekkInputError: --as-of with no such day",
    args: [
      "trekkavstemming",
      "--trekkpliktig",
      "313367002",
      "--ledger",
      `saft:${ledger}`,
      "--fra",
      "2025-01-01",
      "--til",
      "2025-12-31",
      "--as-of",
      "2025-02-30"
    ],
    code: 2,
    names: ["--as-of", "2025-02-30", "30"],
    english: ["has no day", "in that month"],
    bokmal: ["har ingen dag", "i den måneden"]
  },
  {
    what: "WatermarkError: a --state file that is not a watermark",
    args: ["trekkpaalegg", "313367002", "--state", "state.json"],
    code: 2,
    names: ["--state", "state.json", "schemaVersion"],
    english: ["not a kravsync watermark file", "is missing"],
    bokmal: ["ikke en kravsync-vannmerkefil", "mangler"]
  },
  {
    what: "LedgerSourceError (Tripletex): a company id that is not digits",
    args: ["reconcile", "--part", "313367002", "--ledger", "tripletex:abc"],
    code: 2,
    names: ["--ledger tripletex:abc", "0"],
    english: ["the part after", "company id", "your own company"],
    bokmal: ["delen etter", "selskaps-ID", "ditt eget selskap"]
  },
  {
    what: "LedgerSourceError (Tripletex): its settings not set",
    args: ["reconcile", "--part", "313367002", "--ledger", "tripletex"],
    code: 2,
    names: ["KRAVSYNC_TRIPLETEX_CONSUMER_TOKEN", "KRAVSYNC_TRIPLETEX_EMPLOYEE_TOKEN", "docs/connectors.md"],
    english: ["Tripletex settings", "not set", " and "],
    bokmal: ["innstillinger for Tripletex", "er ikke satt"]
  },
  {
    what: "LedgerSourceError (Fiken): no credentials",
    args: ["reconcile", "--part", "313367002", "--ledger", "fiken"],
    code: 2,
    names: ["KRAVSYNC_FIKEN_TOKEN", "KRAVSYNC_FIKEN_CLIENT_ID", "kravsync fiken login"],
    english: ["no Fiken credentials", "personal API token", "your own company"],
    bokmal: ["ingen påloggingsdata for Fiken", "personlig API-token", "ditt eget selskap"]
  },
  {
    what: "@effect/cli: a missing argument",
    args: ["aapnekrav"],
    code: 2,
    names: ["<part>"],
    english: ["Missing argument"],
    bokmal: ["argumentet", "mangler"]
  },
  {
    what: "@effect/cli: an unknown argument",
    args: ["aapnekrav", "313367002", "--farge", "blå"],
    code: 2,
    names: ["--farge"],
    english: ["Received unknown argument"],
    bokmal: ["ukjent argument"]
  },
  {
    what: "ReconcileInputError: reconcile --fra with no such month",
    args: ["reconcile", "--part", "313367002", "--ledger", `saft:${ledger}`, "--fra", "2025-13-01", "--til", "2025-12-31"],
    code: 2,
    names: ["--fra", "2025-13-01", "13"],
    english: ["has no month"],
    bokmal: ["har ingen måned"]
  },
  {
    what: "LedgerSourceError (registry): an unknown --ledger",
    args: ["reconcile", "--part", "313367002", "--ledger", "regneark:bok.ods"],
    code: 2,
    names: ["regneark:bok.ods", "saft:FILE"],
    english: ["unknown ledger", "use one of"],
    bokmal: ["ukjent regnskapskilde", "bruk en av"]
  },
  {
    what: "LedgerSourceError (SAF-T): a file that does not exist",
    args: ["reconcile", "--part", "313367002", "--ledger", "saft:finnes-ikke.xml"],
    code: 2,
    names: ["finnes-ikke.xml"],
    english: ["cannot read", "no such file"],
    bokmal: ["kan ikke lese", "filen finnes ikke"]
  },
  {
    what: "LedgerSourceError (SAF-T): another company's books",
    args: ["reconcile", "--part", "310478717", "--ledger", `saft:${ledger}`],
    code: 2,
    names: ["313367002", "310478717", "--force"],
    english: ["is the books of", "to read it anyway"],
    bokmal: ["er regnskapet til", "for å lese den likevel"]
  },
  {
    what: "LedgerSourceError (SAF-T): malformed XML, with its line",
    args: ["reconcile", "--part", "313367002", "--ledger", "saft:broken.xml"],
    code: 2,
    names: ["broken.xml", "13"],
    english: ["malformed XML", "line 13"],
    bokmal: ["ugyldig XML", "linje 13"]
  },
  {
    what: "LedgerSourceError (Fiken): no stored login for fiken login's OAuth2 client",
    args: ["reconcile", "--part", "313367002", "--ledger", "fiken"],
    env: { KRAVSYNC_FIKEN_CLIENT_ID: "id", KRAVSYNC_FIKEN_CLIENT_SECRET: "secret-fiken-1", KRAVSYNC_FIKEN_TOKEN_FILE: "no-such-token.json" },
    code: 4,
    names: ["kravsync fiken login"],
    english: ["no Fiken login is stored", "first"],
    bokmal: ["ingen Fiken-pålogging er lagret", "først"]
  }
]

describe("every CLI failure in bokmål by default, in English with --lang en", () => {
  for (const c of cases) {
    it(c.what, async () => {
      const args = typeof c.args === "function" ? c.args() : c.args
      const [nbPrefix, enPrefix] = PREFIX[c.code] ?? ["Feil: ", "Error: "]
      const nb = await kravsync(args, c.env)
      const en = await kravsync([...args, "--lang", "en"], c.env)
      const nbLine = lastLine(nb.stderr)
      const enLine = lastLine(en.stderr)
      const label = `nb: ${nbLine}\n  en: ${enLine}`
      expect(nb.status, label).toBe(c.code)
      expect(en.status, label).toBe(c.code)
      expect(nbLine.startsWith(nbPrefix), label).toBe(true)
      expect(enLine.startsWith(enPrefix), label).toBe(true)
      for (const n of c.names) {
        expect(nbLine, label).toContain(n)
        expect(enLine, label).toContain(n)
      }
      for (const w of c.english) {
        expect(enLine, label).toContain(w)
        expect(nbLine, label).not.toContain(w)
      }
      for (const w of c.bokmal) expect(nbLine, label).toContain(w)
    }, 120_000)
  }

  it("KRAVSYNC_LANG=en is the same as --lang en; --lang nb overrides it", async () => {
    const args = ["krav", "313367002", "--fra", "2023-13-01", "--til", "2023-12-31"]
    const flag = lastLine((await kravsync([...args, "--lang", "en"])).stderr)
    expect(flag).toBe(`Invalid input: --fra: "2023-13-01" has no month 13`)
    expect(lastLine((await kravsync(args, { KRAVSYNC_LANG: "en" })).stderr)).toBe(flag)
    expect(lastLine((await kravsync([...args, "--lang", "nb"], { KRAVSYNC_LANG: "en" })).stderr)).toBe(
      "Ugyldig inndata: --fra: «2023-13-01» har ingen måned 13"
    )
  }, 120_000)
})
