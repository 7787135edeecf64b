/** One HTTP client for tests that call connectors directly (the CLI provides its own, once, in bin/main.ts). */
import { NodeHttpClient } from "@effect/platform-node"
import { Agent } from "undici"

export const testHttp = NodeHttpClient.makeUndici(new Agent())
