/** The reconcile arguments of the full demo (sandbox/demo/full: Skatteetaten's own example extended with every status), for tests that run it. */
export const FULL_DEMO_LEDGER = "saft:sandbox/demo/full/212201782-2023-full.xml"

/** `--part … --ledger … --sandbox-data … --fra … --til … --as-of …`, with another ledger spec when given. */
export const fullDemoArgs = (ledger: string = FULL_DEMO_LEDGER): Array<string> => [
  "--part",
  "212201782",
  "--ledger",
  ledger,
  "--sandbox-data",
  "sandbox/demo/full",
  "--fra",
  "2023-01-01",
  "--til",
  "2023-12-31",
  "--as-of",
  "2023-09-30"
]
