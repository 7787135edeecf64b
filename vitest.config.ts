import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "connectors/**/*.test.ts"],
    // Tests start real loopback servers; two cores in CI, so keep parallelism modest.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // Generous: a test that runs the CLI several times waits on child processes, and on a loaded
    // 2-core machine one start of the CLI can take tens of seconds. Hung tests still end.
    testTimeout: 180_000,
    hookTimeout: 180_000
    // No test runs a child process synchronously (test/support/run.ts): a blocked worker cannot answer
    // vitest's RPC, which fails the run with "Timeout calling onTaskUpdate" after 60 s.
  }
})
