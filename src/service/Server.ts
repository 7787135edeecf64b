/**
 * The service as one Layer: the API (src/service/Api.ts) with its handlers, API-key authentication,
 * the job runner and /openapi.json and /docs (Swagger UI, from @effect/platform's HttpApiSwagger,
 * whose page carries its own script and styles: nothing is loaded from a CDN), served on whatever
 * HttpServer the caller provides (bin/ provides Node's; tests one on a free loopback port).
 *
 * Around every request: a body larger than `maxBodyBytes` is refused (413) before it is read, a
 * request taking longer than `requestTimeout` is answered 503, an unknown path 404, and the
 * platform's own decode errors are answered in the service's error shape (category "input", exit
 * code 2, the field at fault) — every error body is JSON with the CLI's category and exit code.
 */
import {
  HttpApiBuilder,
  HttpApiError,
  HttpApiSwagger,
  HttpIncomingMessage,
  type HttpRouter,
  type HttpServer,
  HttpServerError,
  HttpServerRequest,
  HttpServerResponse
} from "@effect/platform"
import { Cause, Duration, Effect, Either, Layer, Option, Schema } from "effect"
import { ExitCategoryId } from "../ExitCategory.ts"
import type { KravData } from "../reconcile/KravData.ts"
import type { LedgerSourceRegistry } from "../reconcile/LedgerSourceRegistry.ts"
import { Reconciliation } from "../reconcile/Reconciliation.ts"
import type { ReportSinks } from "../reconcile/ReportSink.ts"
import type { Store } from "../store/Store.ts"
import type { StoreError } from "../store/StoreError.ts"
import { KravsyncApi } from "./Api.ts"
import * as Auth from "./Auth.ts"
import { InvalidInput, invalidInput, notFound, payloadTooLarge, ServerError, unavailable } from "./Errors.ts"
import * as Handlers from "./Handlers.ts"
import * as Jobs from "./Jobs.ts"
import type { LedgerPolicy } from "./Ledgers.ts"
import { ServiceConfig } from "./ServiceConfig.ts"

export interface ServiceOptions {
  readonly apiKeys: ReadonlyArray<Auth.ApiKeyConfig>
  readonly ledgers?: LedgerPolicy | undefined
  readonly maxConcurrentRuns?: number | undefined
  readonly shutdownGrace?: Duration.DurationInput | undefined
  /** Default 30 seconds. */
  readonly requestTimeout?: Duration.DurationInput | undefined
  /** Default 1 MiB. */
  readonly maxBodyBytes?: number | undefined
  /** For /ready: where the store is, without credentials. */
  readonly storeDescription?: string | undefined
}

export class ServiceSetupError extends Schema.TaggedError<ServiceSetupError>()("ServiceSetupError", { setting: Schema.String, message: Schema.String }) {
  readonly [ExitCategoryId] = "input" as const
}

/** The platform's HttpApiDecodeError as the service's InvalidInput (the field: the first issue's path). */
const fromDecodeError = (e: HttpApiError.HttpApiDecodeError): InvalidInput => {
  const issues = e.issues.map((i) => ({ path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)), message: i.message }))
  const first = issues[0]
  const field = first === undefined || first.path.length === 0 ? undefined : first.path.join(".")
  return new InvalidInput({
    category: "input",
    exitCode: 2,
    message: first === undefined ? e.message : `${field ?? "the request"}: ${first.message}`,
    ...(field === undefined ? {} : { field }),
    issues
  })
}

const OWN = new Set(["InvalidInput", "Unauthorized", "Forbidden", "NotFound", "NotReady", "PayloadTooLarge", "ServerError", "Unavailable"])

/**
 * Around every request, inside the API so that what it fails with is encoded like any endpoint's
 * error: the body limit, the timeout, unknown paths, the platform's decode errors, and any defect
 * (logged, answered as a ServerError without detail).
 */
const guard = (maxBodyBytes: number, timeout: Duration.Duration) =>
  HttpApiBuilder.middleware(KravsyncApi, (app) =>
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const length = Number(request.headers["content-length"] ?? "0")
      if (Number.isFinite(length) && length > maxBodyBytes) {
        return yield* Effect.fail(payloadTooLarge(`the request body is ${length} bytes; this service accepts at most ${maxBodyBytes}`))
      }
      const answered = yield* app.pipe(HttpIncomingMessage.withMaxBodySize(Option.some(maxBodyBytes)), Effect.timeoutOption(timeout))
      if (Option.isNone(answered)) return yield* Effect.fail(unavailable(`the request took longer than ${Duration.format(timeout)}; try again`))
      return answered.value
    }).pipe(
      Effect.catchAllCause((cause) =>
        Effect.gen(function*() {
          if (Cause.isInterruptedOnly(cause)) return yield* Effect.failCause(cause)
          const e = Cause.squash(cause)
          const tag = typeof e === "object" && e !== null && "_tag" in e ? String(e._tag) : ""
          if (OWN.has(tag)) return yield* Effect.failCause(cause)
          if (e instanceof HttpApiError.HttpApiDecodeError) return yield* Effect.fail(fromDecodeError(e))
          const request = yield* HttpServerRequest.HttpServerRequest
          if (HttpServerError.isServerError(e) && e._tag === "RouteNotFound") {
            return yield* Effect.fail(notFound(`no endpoint ${request.method} ${request.url.split("?")[0]}; see /openapi.json`))
          }
          if (HttpServerError.isServerError(e) && e._tag === "RequestError") {
            return yield* Effect.fail(
              /body|size|large/i.test(e.message)
                ? payloadTooLarge(`the request body is larger than ${maxBodyBytes} bytes`)
                : invalidInput(`the request could not be read: ${e.message}`)
            )
          }
          yield* Effect.logError("unexpected failure", cause)
          return yield* Effect.fail(new ServerError({ category: "unexpected", exitCode: 1, message: "unexpected failure in the service" }))
        })
      ),
      Effect.map((response) => response.headers["cache-control"] === undefined ? HttpServerResponse.setHeader(response, "cache-control", "no-store") : response)
    ))

/**
 * The whole service on the HttpServer of the context. Its ports — KravData (one client for
 * every run: one shared gate of 5 concurrent API calls), LedgerSourceRegistry, ReportSinks (.json,
 * and .xlsx for the workbook endpoint) and the Store — come from the caller.
 */
export const layer = (
  options: ServiceOptions
): Layer.Layer<
  never,
  ServiceSetupError | StoreError,
  HttpServer.HttpServer | HttpRouter.HttpRouter.DefaultServices | Store | KravData | LedgerSourceRegistry | ReportSinks
> =>
  Layer.unwrapEffect(Effect.gen(function*() {
    const entries = yield* Either.match(Auth.compile(options.apiKeys), {
      onLeft: (message) => Effect.fail(new ServiceSetupError({ setting: "apiKeys", message })),
      onRight: Effect.succeed
    })
    if (entries.length === 0) {
      return yield* Effect.fail(
        new ServiceSetupError({ setting: "apiKeys", message: "no API keys configured: every endpoint but /health and /ready would refuse every caller" })
      )
    }
    const maxBodyBytes = options.maxBodyBytes ?? 1 << 20
    const requestTimeout = Duration.decode(options.requestTimeout ?? "30 seconds")
    const config = Layer.succeed(ServiceConfig, {
      ledgers: options.ledgers ?? {},
      storeDescription: options.storeDescription ?? "store",
      maxBodyBytes,
      requestTimeout
    })
    const jobs = Jobs.layer({ maxConcurrentRuns: options.maxConcurrentRuns, shutdownGrace: options.shutdownGrace }).pipe(Layer.provide(Reconciliation.layer))
    const api = HttpApiBuilder.api(KravsyncApi).pipe(Layer.provide(Handlers.layer), Layer.provide(Auth.layer(entries)))
    return HttpApiBuilder.serve().pipe(
      Layer.provide(guard(maxBodyBytes, requestTimeout)),
      Layer.provide(HttpApiSwagger.layer({ path: "/docs" })),
      Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: "/openapi.json" })),
      Layer.provide(api),
      Layer.provide(jobs),
      Layer.provide(config)
    )
  }))
