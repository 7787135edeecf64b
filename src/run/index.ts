/** The accounting firm's run over many clients (`kravsync run`, docs/run.md), as a library. */
export { type ClientDefaults, type ClientList, ClientListError, type ClientRow, parseClientList, type RowProblem } from "./ClientList.ts"
export { parseCsv } from "./csv.ts"
export {
  compareRows,
  decodeOverview,
  encodeOverview,
  JsonOverviewWriter,
  makeOverview,
  type Overview,
  OverviewRow,
  OverviewWriters,
  type OverviewWriterShape
} from "./Overview.ts"
export { CredentialsError, credentialsPrefix, runClients, type RunOptions, type RunResult, withCredentials } from "./Run.ts"
export { clientDir, inputsDigest, readStatus, reportFiles, RunFolderError, statusPath } from "./RunFolder.ts"
export { type ClientStep, makeRenderer, type RunProgressView, silentView } from "./RunProgress.ts"
export { type ClientFailure, type Outcome, StatusRecord } from "./StatusRecord.ts"
