/**
 * The built CLI (`bin/kravsync.mjs`, `npm run build` first) as a user runs it, in a child process
 * that does not block the test worker (test/support/run.ts says why). The environment is the test
 * process's less every KRAVSYNC_* variable, so the default is the sandbox whatever the shell has set.
 */
import { Effect } from "effect"
import { join } from "node:path"
import { type Finished, run } from "./run.ts"

export const root = join(import.meta.dirname, "..", "..")

/** The test process's environment without KRAVSYNC_* settings. */
export const cleanEnv: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("KRAVSYNC_")))

/** Runs `kravsync args` to its end; the exit status and both streams come back as a value. */
export const kravsync = (
  args: ReadonlyArray<string>,
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {}
): Promise<Finished> =>
  run(process.execPath, [join(root, "bin", "kravsync.mjs"), ...args], {
    cwd: options.cwd ?? root,
    env: { ...cleanEnv, ...options.env },
    timeout: 170_000
  })

/** `kravsync args` as an Effect (for `it.effect`/`it.live` tests): the exit code (1 when a signal ended it) and both streams. */
export const kravsyncEffect = (
  args: ReadonlyArray<string>,
  env: NodeJS.ProcessEnv = {}
): Effect.Effect<{ readonly code: number; readonly stdout: string; readonly stderr: string }> =>
  Effect.promise(() => kravsync(args, { env })).pipe(Effect.map((r) => ({ code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr })))
