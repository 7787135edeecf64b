/** The Fiken ledger connector (Fiken API v2). */
export { exchange, type FikenAuth, fileStore, oauth2, type OAuthClient, personal, type RefreshTokenStore } from "./FikenAuth.ts"
export {
  authFrom,
  config,
  DEFAULT_ENTRY_LINK,
  factory as fikenLedger,
  type FikenLedgerSource,
  type FikenSettings,
  make,
  makeFactory,
  PRODUCTION
} from "./FikenLedgerSource.ts"
export { fikenLoginCommand, login, type LoginOptions } from "./login.ts"
