/**
 * The bokmål of every LedgerSourceError this connector raises (errors.ts, TripletexClient.ts,
 * TripletexLedgerSource.ts), for the CLI's default language (src/cli/errorText.ts prints an error's
 * `messageNb`). The English texts are written in those files; each rule here matches one of them and
 * keeps its values (operation, company, request id); what Tripletex itself said is quoted as it came.
 */
import { LedgerSourceError } from "../../src/reconcile/LedgerSource.ts"
import { type LedgerSourceFactory, withMessageNb } from "../../src/reconcile/LedgerSourceRegistry.ts"

const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^Tripletex settings: (.*) \(docs\/connectors\.md, «Tripletex»\)$/, "innstillinger for Tripletex: $1 (docs/connectors.md, «Tripletex»)"],
  [/ not set\b/, " er ikke satt"],
  [/(KRAVSYNC_\w+) and (KRAVSYNC_\w+)/g, "$1 og $2"],
  [
    /^--ledger tripletex:(.*): the part after "tripletex:" is a company id \(digits\), 0 for your own company$/,
    "--ledger tripletex:$1: delen etter «tripletex:» er en selskaps-ID (sifre), 0 for ditt eget selskap"
  ],
  [/^cannot read client company (\d+) \((\S+)\): /, "kan ikke lese klientselskapet $1 ($2): "],
  [/; the employee has login access to no client companies$/, "; den ansatte har ikke innloggingstilgang til noen klientselskaper"],
  [/; companies the employee can act for: /, "; selskaper den ansatte kan opptre for: "],
  [/Tripletex answered (\d+) \(code (\d+)\) on /, "Tripletex svarte $1 (kode $2) på "],
  [/Tripletex answered (\d+) on /, "Tripletex svarte $1 på "],
  [/ — the session was refused; check the consumer and employee tokens/, " — sesjonen ble avvist; kontroller consumer- og employee-tokenet"],
  [
    / — the employee token lacks the permission \(or company access\) this needs/,
    " — employee-tokenet mangler tilgangen (eller selskapstilgangen) dette krever"
  ],
  [/ — Tripletex's rate limit was still hit after waiting/, " — Tripletex' grense for antall kall ble nådd også etter venting"],
  [/ \(request id ([^)]*)\)$/, " (forespørsels-ID $1)"],
  [/Tripletex \((.*)\) did not answer (.*) in time: /, "Tripletex ($1) svarte ikke på $2 i tide: "],
  [/Tripletex's answer to (.*) could not be read: /, "svaret fra Tripletex på $1 kunne ikke leses: "],
  [/could not reach Tripletex at (\S+) for (.*?): /, "fikk ikke kontakt med Tripletex på $1 for $2: "],
  [/Tripletex's answer to (.*) has no session token \(value\.token\)$/, "svaret fra Tripletex på $1 har ikke noe sesjonstoken (value.token)"],
  [/Tripletex's answer to (.*) is not JSON$/, "svaret fra Tripletex på $1 er ikke JSON"],
  [/Tripletex's answer to (.*) is not a list \(ListResponse with values\)$/, "svaret fra Tripletex på $1 er ikke en liste (ListResponse med values)"],
  [/Tripletex's answer to (.*) is not a single value \(\{ value \}\)$/, "svaret fra Tripletex på $1 er ikke én verdi ({ value })"],
  [
    /the books in Tripletex kept changing while GET (.*) was read \((\d+) tries\); try again when nobody is posting$/,
    "regnskapet i Tripletex ble endret mens GET $1 ble lest ($2 forsøk); prøv igjen når ingen fører bilag"
  ],
  [/^Tripletex sent an account that cannot be read: /, "Tripletex sendte en konto som ikke kan leses: "],
  [/^Tripletex sent a balance sheet row that cannot be read: /, "Tripletex sendte en saldolinje som ikke kan leses: "],
  [/^Tripletex sent the logged-in user that cannot be read: /, "Tripletex sendte en innlogget bruker som ikke kan leses: "],
  [/^Tripletex sent the company that cannot be read: /, "Tripletex sendte et selskap som ikke kan leses: "],
  [/^Tripletex sent a client company that cannot be read: /, "Tripletex sendte et klientselskap som ikke kan leses: "],
  [/^Tripletex account numbers are whole numbers; the mapping asks for "(.*)"$/, "kontonumre i Tripletex er hele tall; tilordningen ber om «$1»"],
  [
    /^Tripletex company (\d+) \((.*)\) has no organisation number, so it cannot be checked against (\S+); use --force to read it anyway$/,
    "Tripletex-selskapet $1 ($2) har ikke noe organisasjonsnummer, så det kan ikke kontrolleres mot $3; bruk --force for å lese det likevel"
  ],
  [
    /^the Tripletex company is (\S+) \((.*)\), not (\S+); set (\S+) \(or --ledger tripletex:ID\) to the right client company, or use --force$/,
    "Tripletex-selskapet er $1 ($2), ikke $3; sett $4 (eller --ledger tripletex:ID) til riktig klientselskap, eller bruk --force"
  ]
]

/** The bokmål of a message this connector wrote. */
export const messageNb = (message: string): string => RULES.reduce((t, [re, nb]) => t.replace(re, nb), message)

/** The error with its bokmål text beside the English one (for errors raised outside a ledger source). */
export const withNb = (e: LedgerSourceError): LedgerSourceError =>
  e.messageNb !== undefined
    ? e
    : new LedgerSourceError({ system: e.system, kind: e.kind, message: e.message, messageNb: messageNb(e.message), location: e.location })

/** A registry entry whose failures (making the source, reading it) carry their bokmål text. */
export const factoryWithNb = (f: LedgerSourceFactory): LedgerSourceFactory => withMessageNb(f, messageNb)
