/**
 * A child process for tests, run without blocking the test worker. vitest's worker answers its
 * parent over RPC; a synchronous child that runs for a minute (tsc over a host project, npm pack on a
 * loaded machine) blocks that answer and the run fails with "Timeout calling onTaskUpdate" although
 * every test passed. Long children therefore go through here, never through execFileSync/spawnSync.
 */
import { execFile } from "node:child_process"

export interface Finished {
  /** The exit code, or null when a signal ended the child. */
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `file args` to its end and resolves with its exit status and output (a non-zero exit is a value, not a rejection). */
export const run = (
  file: string,
  args: ReadonlyArray<string>,
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv; readonly timeout?: number } = {}
): Promise<Finished> =>
  new Promise((resolve, reject) => {
    execFile(file, args, { ...options, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error === null) return resolve({ status: 0, stdout, stderr })
      const code = (error as { code?: unknown }).code
      // a spawn failure (ENOENT …) has a string code: that is the test's setup failing, not the child
      if (typeof code === "string") return reject(error)
      resolve({ status: typeof code === "number" ? code : null, stdout, stderr })
    })
  })

/** Like `run`, but a non-zero exit rejects with the child's stderr, for steps that must succeed. */
export const runOk = async (
  file: string,
  args: ReadonlyArray<string>,
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv; readonly timeout?: number } = {}
): Promise<string> => {
  const done = await run(file, args, options)
  if (done.status !== 0) throw new Error(`${file} ${args.join(" ")} exited ${done.status}:\n${done.stderr}${done.stdout}`)
  return done.stdout
}
