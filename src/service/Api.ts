/**
 * The service's HTTP contract, as one `HttpApi` (@effect/platform): the handlers
 * (src/service/Handlers.ts) implement it and the OpenAPI 3.1 document at /openapi.json is generated
 * from it (`OpenApi.fromApi`), so the document and the code cannot disagree. A platform on the JVM
 * or .NET generates its client from that document (docs/service.md).
 *
 * Every endpoint but /health and /ready needs an API key (`Authorization: Bearer <key>` or
 * `X-Api-Key: <key>`) scoped to the parties it may see (src/service/Auth.ts).
 */
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiMiddleware, HttpApiSchema, HttpApiSecurity, OpenApi } from "@effect/platform"
import { Context, Schema } from "effect"
import { Report } from "../reconcile/Report.ts"
import { ItemKind } from "../reconcile/Status.ts"
import { CarriedItem, CarryForwardSection, SignOff } from "../store/CarryForward.ts"
import { Comment, Run } from "../store/Records.ts"
import { KRAVSYNC_VERSION } from "../version.ts"
import { Forbidden, InvalidInput, NotFound, NotReady, PayloadTooLarge, ServerError, Unauthorized, Unavailable } from "./Errors.ts"

// ---- schemas --------------------------------------------------------------------------------

const Text = (max: number, description: string) => Schema.String.pipe(Schema.minLength(1), Schema.maxLength(max)).annotations({ description })

export const StartRun = Schema.Struct({
  party: Text(40, "organisasjonsnummer (spaces and NO…MVA accepted) or fødselsnummer of the party whose tax account is reconciled"),
  ledger: Text(
    400,
    "the books: saft:FILE (a SAF-T Financial export, a path inside the service's ledger folder), tripletex or tripletex:COMPANY-ID, fiken or fiken:COMPANY — the kinds the service allows"
  ),
  fra: Schema.optional(Text(10, "first day of the period, YYYY-MM-DD or dd.mm.yyyy. Default: the period the ledger states, else 1 January of the as-of year")),
  til: Schema.optional(Text(10, "last day of the period. Default: the period the ledger states, else the as-of date")),
  asOf: Schema.optional(Text(10, "the date balances are compared at. Default: today, or the period's last day if that is earlier")),
  mapping: Schema.optional(
    Schema.Record({ key: Schema.String, value: Schema.Unknown }).annotations({
      description: "the account mapping, as the --mapping file's JSON (docs/reconciliation.md). Default: the standard chart"
    })
  ),
  language: Schema.optional(Schema.Literal("nb", "en").annotations({ description: "language of the report's texts. Default nb" }))
}).annotations({ identifier: "StartRun" })
export type StartRun = typeof StartRun.Type

export const RunStarted = Schema.Struct({
  run: Run,
  /** false: the same reconciliation was already queued or running (or the Idempotency-Key was used before), and this is that run. */
  created: Schema.Boolean
}).annotations({ identifier: "RunStarted" })

export const ProgressEntry = Schema.Struct({
  step: Schema.Literal("saft", "api", "ledger", "workbook", "json", "clients"),
  unit: Schema.String,
  done: Schema.Number,
  total: Schema.optional(Schema.Number),
  subject: Schema.optional(Schema.String),
  finished: Schema.Boolean
}).annotations({ identifier: "ProgressEntry" })
export type ProgressEntry = typeof ProgressEntry.Type

export const RunStatus = Schema.Struct({
  ...Run.fields,
  /** The steps of a run in progress (kept in memory while it runs). */
  progress: Schema.Array(ProgressEntry),
  comments: Schema.Array(Comment)
}).annotations({ identifier: "RunStatus" })

// The Report with its optional carryForward required: the service always computes it.
export const ReportWithCarryForward = Schema.Struct({ ...Report.fields, carryForward: CarryForwardSection }).annotations({
  identifier: "ReportWithCarryForward",
  description: "The JSON report (docs/report.md) with carryForward: each follow-up item as kjent avvik (with its sign-off) or følg opp"
})

export const RunFollowUp = Schema.Struct({ runId: Schema.String, party: Schema.String, carryForward: CarryForwardSection }).annotations({
  identifier: "RunFollowUp"
})

export const SignOffRequest = Schema.Struct({
  signedBy: Text(200, "who signs off: the accountant's name as the platform knows them"),
  comment: Text(4000, "why: \"bokført i april\", \"Skatteetatens feil, klage sendt\""),
  items: Schema.optional(
    Schema.Array(Schema.Struct({ kind: ItemKind, id: Text(200, "the item's id as the report's follow-up list gives it") })).pipe(
      Schema.minItems(1),
      Schema.maxItems(10000)
    )
      .annotations({ description: "the items to sign off; leave out to sign off the whole reconciliation (every follow-up item)" })
  )
}).annotations({ identifier: "SignOffRequest" })

export const SignOffResult = Schema.Struct({
  runId: Schema.String,
  scope: Schema.Literal("item", "run"),
  signOffs: Schema.Array(SignOff)
}).annotations({ identifier: "SignOffResult" })

export const CommentRequest = Schema.Struct({
  author: Text(200, "who writes"),
  text: Text(4000, "the comment"),
  kind: Schema.optional(ItemKind),
  itemId: Schema.optional(Text(200, "the item the comment is about, if one"))
}).annotations({ identifier: "CommentRequest" })

export const History = Schema.Struct({
  party: Schema.String,
  runs: Schema.Array(Run),
  signOffs: Schema.Array(SignOff)
}).annotations({ identifier: "History" })

export const PortfolioFollowUp = Schema.Struct({
  parties: Schema.Array(Schema.Struct({
    party: Schema.String,
    partyName: Schema.optional(Schema.String),
    /** The party's newest finished run. */
    run: Run,
    items: Schema.Array(CarriedItem)
  }))
}).annotations({ identifier: "PortfolioFollowUp" })

export const Health = Schema.Struct({ status: Schema.Literal("ok"), version: Schema.String }).annotations({ identifier: "Health" })
export const Ready = Schema.Struct({
  status: Schema.Literal("ready"),
  /** "libSQL <file>" or "PostgreSQL <host>/<db>", without credentials. */
  store: Schema.String,
  runsInProgress: Schema.Int
}).annotations({ identifier: "Ready" })

const RunId = Schema.Struct({ id: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)) })
const PartyPath = Schema.Struct({ party: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(40)) })

export const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// ---- security -------------------------------------------------------------------------------

export interface CallerShape {
  /** The key's name from the configuration (never the key). */
  readonly name: string
  /** The parties (organisasjonsnumre, fødselsnumre) the key may see, or "all". */
  readonly organisations: ReadonlySet<string> | "all"
}

export class Caller extends Context.Tag("kravsync/service/Caller")<Caller, CallerShape>() {}

export const canSee = (caller: CallerShape, party: string): boolean => caller.organisations === "all" || caller.organisations.has(party)

export class Authentication extends HttpApiMiddleware.Tag<Authentication>()("kravsync/service/Authentication", {
  failure: Unauthorized,
  provides: Caller,
  security: {
    bearer: HttpApiSecurity.bearer.pipe(HttpApiSecurity.annotate(OpenApi.Description, "Authorization: Bearer <API key>")),
    apiKey: HttpApiSecurity.apiKey({ key: "X-Api-Key", in: "header" }).pipe(HttpApiSecurity.annotate(OpenApi.Description, "X-Api-Key: <API key>"))
  }
}) {}

// ---- endpoints ------------------------------------------------------------------------------

export const SystemGroup = HttpApiGroup.make("system")
  .add(HttpApiEndpoint.get("health", "/health").addSuccess(Health).annotate(OpenApi.Summary, "The process is up"))
  .add(
    HttpApiEndpoint.get("ready", "/ready").addSuccess(Ready).addError(Unavailable).annotate(
      OpenApi.Summary,
      "The store answers and the service takes work (503 while starting or shutting down)"
    )
  )
  .annotate(OpenApi.Description, "Health and readiness, without an API key")

export const RunsGroup = HttpApiGroup.make("runs")
  .add(
    HttpApiEndpoint.post("startRun", "/runs")
      .setPayload(StartRun)
      .setHeaders(Schema.Struct({
        "idempotency-key": Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200))).annotations({
          description: "the caller's key for this request: the same key always answers with the same run"
        })
      }))
      .addSuccess(RunStarted, { status: 202 })
      .addError(Forbidden)
      .annotate(
        OpenApi.Description,
        "Starts a reconciliation for a party and answers with its run at once (poll GET /runs/{id}). The same party, period, as-of date, ledger and mapping started again while the first is queued or running answers with the first run (created: false)."
      )
  )
  .add(
    HttpApiEndpoint.get("getRun", "/runs/:id").setPath(RunId).addSuccess(RunStatus).addError(NotFound).annotate(OpenApi.Summary, "A run's status and progress")
  )
  .add(
    HttpApiEndpoint.get("getReport", "/runs/:id/report").setPath(RunId).addSuccess(ReportWithCarryForward).addError(NotFound).addError(NotReady).annotate(
      OpenApi.Summary,
      "The JSON report of a finished run, with each follow-up item's sign-off carried forward"
    )
  )
  .add(
    HttpApiEndpoint.get("getWorkbook", "/runs/:id/workbook")
      .setPath(RunId)
      .addSuccess(HttpApiSchema.Uint8Array({ contentType: XLSX }))
      .addError(NotFound)
      .addError(NotReady)
      .annotate(OpenApi.Summary, "The Excel workbook of a finished run")
  )
  .add(
    HttpApiEndpoint.get("getFollowUp", "/runs/:id/follow-up").setPath(RunId).addSuccess(RunFollowUp).addError(NotFound).addError(NotReady).annotate(
      OpenApi.Summary,
      "The run's follow-up items, each kjent avvik (signed off earlier at the same amount) or følg opp"
    )
  )
  .add(
    HttpApiEndpoint.post("signOff", "/runs/:id/sign-offs")
      .setPath(RunId)
      .setPayload(SignOffRequest)
      .addSuccess(SignOffResult, { status: 201 })
      .addError(NotFound)
      .addError(NotReady)
      .annotate(
        OpenApi.Description,
        "Signs off items of a finished run (or, without items, the whole reconciliation) with a comment. Next month's run shows them as kjent avvik while their amount stays the same."
      )
  )
  .add(
    HttpApiEndpoint.post("addComment", "/runs/:id/comments")
      .setPath(RunId)
      .setPayload(CommentRequest)
      .addSuccess(Comment, { status: 201 })
      .addError(NotFound)
      .annotate(OpenApi.Summary, "Adds a comment to a run or one of its items")
  )
  .middleware(Authentication)

export const PartiesGroup = HttpApiGroup.make("parties")
  .add(
    HttpApiEndpoint.get("history", "/parties/:party/runs")
      .setPath(PartyPath)
      .setUrlParams(Schema.Struct({ limit: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 1000))) }))
      .addSuccess(History)
      .addError(Forbidden)
      .annotate(OpenApi.Summary, "A party's runs, newest first, and every sign-off of its items")
  )
  .add(
    HttpApiEndpoint.get("portfolioFollowUp", "/follow-up")
      .setUrlParams(Schema.Struct({ include: Schema.optional(Schema.Literal("open", "all")) }))
      .addSuccess(PortfolioFollowUp)
      .annotate(
        OpenApi.Description,
        "Across every party the key may see: the newest finished run's items needing follow-up (include=all: the known differences too)"
      )
  )
  .middleware(Authentication)

export class KravsyncApi extends HttpApi.make("kravsync")
  .add(SystemGroup)
  .add(RunsGroup)
  .add(PartiesGroup)
  .addError(InvalidInput)
  .addError(NotFound)
  .addError(PayloadTooLarge)
  .addError(ServerError)
  .addError(Unavailable)
  .annotate(OpenApi.Title, "kravsync")
  .annotate(OpenApi.Version, KRAVSYNC_VERSION)
  .annotate(
    OpenApi.Description,
    "Reconciles Skatteetaten's Krav og betalinger against a company's general ledger, exact to the øre; keeps each party's history and sign-offs. Amounts are integer øre. docs/service.md."
  )
{}
