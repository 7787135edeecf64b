/**
 * Tripletex ledger connector (API v2): `--ledger tripletex[:COMPANY_ID]`.
 * docs/connectors.md, «Tripletex», describes tokens, permissions, settings and limits.
 */
export { ApiError, fromHttpError, fromResponse } from "./errors.ts"
export { config, environments, envNames, type TripletexEnvironment, type TripletexSettings } from "./Settings.ts"
export { make as makeClient, type Params, TripletexClient, type TripletexClientShape } from "./TripletexClient.ts"
export {
  factory,
  type FactoryOptions,
  fields,
  layerConfig,
  loadSettings,
  make,
  makeFactory,
  readLedger,
  type TripletexSourceOptions
} from "./TripletexLedgerSource.ts"
/** Registry entry for bin/main.ts (`LedgerSourceRegistry.layer([..., tripletexLedger])`). */
export { factory as tripletexLedger } from "./TripletexLedgerSource.ts"
