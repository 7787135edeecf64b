/**
 * `kravsync sandbox`: runs the simulator of Skatteetaten, Maskinporten and Altinn on a port until
 * interrupted, and prints its URLs and the demo client (the private key only with --show-key).
 */
import { Command, Options } from "@effect/cli"
import { Console, Effect, Either, Option, Schema } from "effect"
import { commandHelp } from "../src/cli/format.ts"
import * as Dato from "../src/domain/Dato.ts"
import * as Faults from "./Faults.ts"
import * as Sandbox from "./Simulator.ts"

export class SandboxOptionError extends Schema.TaggedError<SandboxOptionError>()("InvalidInput", { message: Schema.String }) {}

const port = Options.integer("port").pipe(Options.withDefault(8780), Options.withDescription("port to listen on; 0 picks any free port. Default: 8780"))
const host = Options.text("host").pipe(
  Options.withDefault("127.0.0.1"),
  Options.withDescription("address to listen on. Default: 127.0.0.1 (this machine only)")
)
const data = Options.directory("data").pipe(
  Options.optional,
  Options.withDescription("directory of scenario files, one JSON per party (docs/sandbox.md). Default: the generated parties")
)
const faults = Options.text("faults").pipe(
  Options.optional,
  Options.withDescription(
    "faults to inject, comma-separated: kb002=0.3 (share of KB-002 answers), latency=50 (ms), drop=0.1, 429=0.05, retry-after=1, rate=20, concurrency (docs/sandbox.md). Default: none"
  )
)
const seed = Options.integer("seed").pipe(Options.withDefault(1), Options.withDescription("seed of the generated data and the faults. Default: 1"))
const today = Options.text("today").pipe(
  Options.withDefault(Sandbox.DEFAULT_TODAY as string),
  Options.withDescription(`the sandbox's "today" (YYYY-MM-DD), which decides what is due and open. Default: ${Sandbox.DEFAULT_TODAY}`)
)
const showKey = Options.boolean("show-key").pipe(
  Options.withDescription("also print the demo client's private JWK (to point a client at the sandbox with --env custom). Default: off")
)

export const sandboxCommand = Command.make("sandbox", { port, host, data, faults, seed, today, showKey }, (a) =>
  Effect.gen(function*() {
    const parsedFaults = Option.isSome(a.faults) ? Faults.parse(a.faults.value) : Either.right({})
    if (Either.isLeft(parsedFaults)) return yield* new SandboxOptionError({ message: `--faults: ${parsedFaults.left}` })
    const day = Dato.parse(a.today)
    if (Either.isLeft(day)) return yield* new SandboxOptionError({ message: `--today: ${day.left}` })
    const h = yield* Sandbox.start({
      port: a.port,
      host: a.host,
      seed: a.seed,
      today: day.right,
      faults: parsedFaults.right,
      ...(Option.isSome(a.data) ? { dataDir: a.data.value } : {})
    })
    yield* Console.log(
      [
        `kravsync sandbox (test data, not Skatteetaten) — today is ${h.today}`,
        `  Krav og betalinger API  ${h.apiBaseUrl}/{regnskapssystem|finans}/{part}/{aapnekrav|krav|innbetalinger|utbetalinger}`,
        `  older path layout       ${h.legacyApiBaseUrl}/…`,
        `  Maskinporten issuer     ${h.maskinportenIssuer}  (token: ${h.maskinportenIssuer}token)`,
        `  Altinn consent          ${h.altinnUrl}/consent/{part}`,
        `  parties                 ${h.parties.join(", ")}`,
        `  demo client             client_id ${h.demoClient.clientId}, kid ${h.demoClient.kid}, organisation ${h.demoClient.orgnr}`,
        ...(a.showKey ? [`  demo client key (JWK)   ${JSON.stringify(h.demoClient.privateJwk)}`] : ["  (--show-key prints the demo client's private JWK)"]),
        "Ctrl-C stops it."
      ].join("\n")
    )
    return yield* Effect.never
  }).pipe(Effect.scoped)).pipe(Command.withDescription(commandHelp({
    purpose: "Run the sandbox — simulators of Skatteetaten's Krav og betalinger API, Maskinporten and Altinn, with test data — on a port until Ctrl-C",
    details: [
      "Prints its URLs, parties and demo client. Every other command uses an in-process sandbox by default; this one is for other programs, or for kravsync with --env custom --api-url … --maskinporten-url …."
    ],
    examples: [
      ["kravsync sandbox", "listen on 127.0.0.1:8780 with the generated parties"],
      ["kravsync sandbox --port 0 --faults kb002=0.3,drop=0.1 --seed 7", "any free port, with KB-002 answers and dropped connections, reproducibly"],
      ["kravsync sandbox --data sandbox/demo/full --show-key", "serve the demo's scenarios and print the demo client's key"]
    ]
  })))
