/** The trekk commands, wired into the CLI by bin/main.ts (filled in by the work on that capability). */
export const trekkCommands = [] as ReadonlyArray<never>
