/**
 * The Reconciliation service (what `reconcile`, `demo` and host programs run) with Trekkpålegg
 * asked for in the request, over real HTTP against the sandbox: the report carries the section
 * and the workbook sink writes its sheet; a request without it needs no Trekkpålegg client and
 * gives the report it always gave; asked for without a client, or for a person, it fails saying why.
 */
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Exit, Layer } from "effect"
import ExcelJS from "exceljs"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ExcelReportSink } from "../../connectors/excel/WorkbookSink.ts"
import * as Saft from "../../connectors/saft/index.ts"
import * as SaftWriter from "../../sandbox/saft/SaftWriter.ts"
import * as Sandbox from "../../sandbox/Simulator.ts"
import { generateTrekkBooks } from "../../sandbox/trekkpaalegg/Books.ts"
import * as KravDataLive from "../../src/client/KravDataLive.ts"
import type { Dato } from "../../src/domain/Dato.ts"
import type { PartIdentifikator } from "../../src/domain/PartIdentifikator.ts"
import { jsonChunks, JsonReportSink } from "../../src/reconcile/JsonReportSink.ts"
import * as Registry from "../../src/reconcile/LedgerSourceRegistry.ts"
import { Reconciliation } from "../../src/reconcile/Reconciliation.ts"
import * as ReportSink from "../../src/reconcile/ReportSink.ts"
import * as Loennsgrunnlag from "../../src/trekk/Loennsgrunnlag.ts"
import { clientLayer } from "../support/clientLayer.ts"
import { trekkLayer } from "./support.ts"

const EMPLOYER = "313367002" as PartIdentifikator
const periode = { fraOgMed: "2026-01-01" as Dato, tilOgMed: "2026-11-24" as Dato }

const setup = (h: Sandbox.SandboxHandle, withTrekkClient: boolean) => {
  const ports = Layer.mergeAll(
    KravDataLive.layer.pipe(Layer.provide(clientLayer(h))),
    Registry.layer([Saft.factory]),
    ReportSink.layer([JsonReportSink, ExcelReportSink]),
    withTrekkClient ? trekkLayer(h) : Layer.empty
  )
  return Reconciliation.layer.pipe(Layer.provide(ports))
}

const books = (h: Sandbox.SandboxHandle) => {
  const b = generateTrekkBooks({ data: h.trekk.data, trekkpliktig: EMPLOYER, name: "Sandbox Regnskap AS", periode, asOf: h.today, differences: [] })
  const dir = mkdtempSync(join(tmpdir(), "kravsync-trekk-service-"))
  const file = join(dir, "books.xml")
  writeFileSync(file, SaftWriter.saftText(b.saft))
  const payroll = Either.getOrThrow(Loennsgrunnlag.parse(JSON.stringify({ loennsgrunnlag: b.loennsgrunnlag }), "lønn.json"))
  return { dir, ledger: `saft:${file}`, payroll }
}

const text = (r: Parameters<typeof jsonChunks>[0]) => [...jsonChunks(r)].join("")

describe("Reconciliation with Trekkpålegg", () => {
  it.scopedLive("the section joins the report and the workbook; without the request the report is the same but for it", () =>
    Effect.gen(function*() {
      const h = yield* Sandbox.start()
      const { dir, ledger, payroll } = books(h)
      const request = { party: EMPLOYER, periode, asOf: h.today, ledger }
      const xlsx = join(dir, "r.xlsx")
      const [plain, withTrekk] = yield* Effect.flatMap(Reconciliation, (r) =>
        Effect.all([
          r.run(request),
          r.runAndWrite({ ...request, trekkpaalegg: { loennsgrunnlag: { source: "lønn.json", data: payroll } } }, [xlsx])
        ])).pipe(Effect.provide(setup(h, true)))
      expect(plain.trekkpaalegg).toBeUndefined()
      expect(withTrekk.trekkpaalegg?.findings).toEqual([])
      expect(withTrekk.trekkpaalegg?.totals.conserved).toBe(true)
      const { trekkpaalegg: _, ...rest } = withTrekk
      // What differs between two runs: the time and the request ids.
      const strip = (s: string) => s.replace(/"generatedAt": "[^"]*"/, "").replace(/"korrelasjonsIder": \[[^\]]*\]/, "")
      expect(strip(text(rest))).toBe(strip(text(plain)))
      expect(text(withTrekk)).toContain(`"trekkpaalegg": {\n    "schemaVersion": 1,`)
      const wb = new ExcelJS.Workbook()
      yield* Effect.promise(() => wb.xlsx.readFile(xlsx))
      expect(wb.getWorksheet("Trekkpålegg")).toBeDefined()
    }).pipe(Effect.provide(NodeContext.layer)), 120_000)

  it.scopedLive("asked for without a Trekkpålegg client, it fails saying so; without the request no client is needed", () =>
    Effect.gen(function*() {
      const h = yield* Sandbox.start()
      const { ledger } = books(h)
      const request = { party: EMPLOYER, periode, asOf: h.today, ledger }
      const [without, asked] = yield* Effect.flatMap(Reconciliation, (r) =>
        Effect.all([Effect.exit(r.run(request)), Effect.exit(r.run({ ...request, trekkpaalegg: {} }))])).pipe(
          Effect.provide(setup(h, false))
        )
      expect(Exit.isSuccess(without)).toBe(true)
      expect(Exit.isFailure(asked) && JSON.stringify(asked.cause)).toContain("no-client")
    }).pipe(Effect.provide(NodeContext.layer)), 120_000)
})
