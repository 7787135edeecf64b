/**
 * What `reconcile --store` does with a report made by the CLI: keeps it in the store as a finished
 * run (so the portfolio run and the service share history and sign-offs), and returns the report's
 * follow-up items with the party's earlier sign-offs carried forward, for the summary and the sinks.
 */
import { Effect } from "effect"
import type { Report } from "../reconcile/Report.ts"
import { carryForwardReport, type CarryForwardSection } from "./CarryForward.ts"
import type { Run } from "./Records.ts"
import { Store } from "./Store.ts"
import type { StoreError } from "./StoreError.ts"

export const storeReport = (
  report: Report,
  options: { readonly ledger: string }
): Effect.Effect<{ readonly run: Run; readonly carryForward: CarryForwardSection }, StoreError, Store> =>
  Effect.gen(function*() {
    const store = yield* Store
    const run = yield* store.saveReport(report, { ledger: options.ledger, origin: "cli" })
    const signOffs = yield* store.signOffs(report.metadata.party)
    return { run, carryForward: carryForwardReport(report, signOffs) }
  })
