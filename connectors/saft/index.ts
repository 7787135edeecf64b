/** SAF-T Financial ledger connector: streaming reader, LedgerSource, and a SAF-T 1.30 writer for tests and demos. */
export { factory, make, type SaftSourceOptions } from "./SaftLedgerSource.ts"
export { readSaftFile, SAFT_NAMESPACE, SaftError, type SaftHeader, type SaftRead, type SaftReadOptions } from "./SaftReader.ts"
export * as SaftWriter from "./testing/SaftWriter.ts"
