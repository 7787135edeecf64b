/**
 * The port through which the product writes the Trekkpålegg workbook without importing the Excel
 * connector (connectors/excel/TrekkSheet.ts implements it; bin/ provides it). The JSON form needs
 * no port: it is the section's own encoding (Section.ts).
 */
import { Context, type Effect } from "effect"
import type { ReportSinkError } from "../reconcile/ReportSink.ts"
import type { TrekkSection } from "./Section.ts"

export interface TrekkWorkbookShape {
  /** Writes a workbook holding the *Trekkpålegg* sheet for `section`, atomically, to `path`. */
  readonly write: (section: TrekkSection, path: string, language: "nb" | "en") => Effect.Effect<void, ReportSinkError>
}

export class TrekkWorkbook extends Context.Tag("kravsync/TrekkWorkbook")<TrekkWorkbook, TrekkWorkbookShape>() {}
