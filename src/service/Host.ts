/**
 * The port through which `kravsync serve` gets an HTTP server without src/ depending on a runtime:
 * the composition root (bin/commands/service.ts) provides it from @effect/platform-node.
 */
import type { HttpRouter, HttpServer, HttpServerError } from "@effect/platform"
import { Context, type Layer } from "effect"

export interface ServiceHostShape {
  /** An HTTP server listening on host:port (0: a free port), with the platform services the router needs. */
  readonly server: (options: { readonly port: number; readonly host: string }) => Layer.Layer<
    HttpServer.HttpServer | HttpRouter.HttpRouter.DefaultServices,
    HttpServerError.ServeError
  >
}

export class ServiceHost extends Context.Tag("kravsync/service/ServiceHost")<ServiceHost, ServiceHostShape>() {}
