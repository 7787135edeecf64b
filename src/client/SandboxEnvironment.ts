/**
 * The port through which the product reaches the offline sandbox (a simulator of Skatteetaten,
 * Maskinporten and Altinn) without importing it. The composition root (bin/) provides it from
 * the sandbox (`kravsync/sandbox`, `sandbox/client.ts`); a host can provide it the same way to run
 * its own tests against the simulator, or leave it out — then `--env sandbox` says so instead of
 * starting anything.
 */
import type { HttpClient } from "@effect/platform"
import { Context, Effect, Layer, Option, Schema } from "effect"
import type * as Mp from "../auth/Maskinporten.ts"
import type { ClientOptions, KravOgBetalingerClient } from "./KravOgBetalingerClient.ts"

/** What a running sandbox tells the user ("test data from the simulator at …"). */
export interface SandboxInfo {
  readonly url: string
}

/** The running sandbox, when the client talks to one. */
export class RunningSandbox extends Context.Tag("kravsync/RunningSandbox")<RunningSandbox, SandboxInfo>() {}

export class SandboxUnavailable extends Schema.TaggedError<SandboxUnavailable>()("SandboxUnavailable", { reason: Schema.String }) {
  override get message() {
    return `the sandbox could not start: ${this.reason}`
  }
}

export interface SandboxLayerOptions {
  /** Scenario files and saved responses to serve (`--sandbox-data DIR`). */
  readonly dataDir?: string | undefined
  readonly client?: Partial<ClientOptions> | undefined
}

export interface SandboxEnvironmentShape {
  /** A client (with Maskinporten) talking to a freshly started sandbox, stopped with the layer's scope. */
  readonly layer: (options: SandboxLayerOptions) => Layer.Layer<KravOgBetalingerClient | Mp.Maskinporten | RunningSandbox, unknown, HttpClient.HttpClient>
}

export class SandboxEnvironment extends Context.Tag("kravsync/SandboxEnvironment")<SandboxEnvironment, SandboxEnvironmentShape>() {}

/** The sandbox client from whatever SandboxEnvironment the context holds, or a SandboxUnavailable naming the way out. */
export const layer = (options: SandboxLayerOptions): Layer.Layer<KravOgBetalingerClient | Mp.Maskinporten | RunningSandbox, unknown, HttpClient.HttpClient> =>
  Layer.unwrapEffect(
    Effect.map(Effect.serviceOption(SandboxEnvironment), (env) =>
      Option.isSome(env)
        ? env.value.layer(options)
        : Layer.fail(new SandboxUnavailable({ reason: "this program was built without the sandbox; choose --env test, prod or custom (KRAVSYNC_ENV)" })))
  )
