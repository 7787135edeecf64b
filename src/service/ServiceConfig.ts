/** What the handlers need to know about the running service, provided once by src/service/Server.ts. */
import { Context, type Duration } from "effect"
import type { LedgerPolicy } from "./Ledgers.ts"

export interface ServiceConfigShape {
  readonly ledgers: LedgerPolicy
  /** "libSQL <file>" or "PostgreSQL <host>/<db>" (no credentials), for /ready. */
  readonly storeDescription: string
  /** Largest request body accepted, bytes. */
  readonly maxBodyBytes: number
  /** Longest a request may take before the service answers 503. */
  readonly requestTimeout: Duration.Duration
}

export class ServiceConfig extends Context.Tag("kravsync/service/ServiceConfig")<ServiceConfig, ServiceConfigShape>() {}
