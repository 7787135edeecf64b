/** SAF-T Financial ledger connector: the streaming reader and the LedgerSource (`--ledger saft:FILE`). A SAF-T writer for tests and demos is on the sandbox side (`kravsync/sandbox`). */
export { factory, make, type SaftSourceOptions } from "./SaftLedgerSource.ts"
export { readSaftFile, SAFT_NAMESPACE, SaftError, type SaftHeader, type SaftRead, type SaftReadOptions } from "./SaftReader.ts"
