/**
 * The bokmål of every LedgerSourceError this connector raises (FikenAuth.ts, FikenLedgerSource.ts,
 * login.ts), for the CLI's default language (src/cli/errorText.ts prints an error's
 * `messageNb`). The English texts are written in those files; each rule here matches one of them and
 * keeps its values (path, company, status); what Fiken itself said is quoted as it came.
 */
import { LedgerSourceError } from "../../src/reconcile/LedgerSource.ts"
import { type LedgerSourceFactory, withMessageNb } from "../../src/reconcile/LedgerSourceRegistry.ts"

const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^Fiken settings: /, "innstillinger for Fiken: "],
  [
    /^no Fiken credentials: set KRAVSYNC_FIKEN_TOKEN \(a personal API token, for your own company\) or KRAVSYNC_FIKEN_CLIENT_ID and KRAVSYNC_FIKEN_CLIENT_SECRET and run `kravsync fiken login`$/,
    "ingen påloggingsdata for Fiken: sett KRAVSYNC_FIKEN_TOKEN (et personlig API-token, for ditt eget selskap) eller KRAVSYNC_FIKEN_CLIENT_ID og KRAVSYNC_FIKEN_CLIENT_SECRET og kjør `kravsync fiken login`"
  ],
  [
    /^set KRAVSYNC_FIKEN_CLIENT_ID and KRAVSYNC_FIKEN_CLIENT_SECRET \(your application's OAuth2 client at Fiken\)$/,
    "sett KRAVSYNC_FIKEN_CLIENT_ID og KRAVSYNC_FIKEN_CLIENT_SECRET (applikasjonens OAuth2-klient hos Fiken)"
  ],
  [/^cannot read the Fiken token file (.*?): /, "kan ikke lese Fiken-tokenfilen $1: "],
  [/^cannot write the Fiken token file (.*?): /, "kan ikke skrive Fiken-tokenfilen $1: "],
  [
    /^Fiken refused the stored login \(the refresh token has expired or was revoked\): run `kravsync fiken login` again$/,
    "Fiken avviste den lagrede påloggingen (refresh-tokenet er utløpt eller trukket tilbake): kjør `kravsync fiken login` på nytt"
  ],
  [
    /^Fiken does not recognise the OAuth2 client: check KRAVSYNC_FIKEN_CLIENT_ID and KRAVSYNC_FIKEN_CLIENT_SECRET$/,
    "Fiken kjenner ikke igjen OAuth2-klienten: kontroller KRAVSYNC_FIKEN_CLIENT_ID og KRAVSYNC_FIKEN_CLIENT_SECRET"
  ],
  [/^Fiken's token endpoint answered (.*)$/, "token-endepunktet til Fiken svarte $1"],
  [/^cannot reach Fiken's token endpoint: /, "fikk ikke kontakt med token-endepunktet til Fiken: "],
  [/^Fiken's token endpoint: /, "token-endepunktet til Fiken: "],
  [/^Fiken's token endpoint answered something that is not a token$/, "token-endepunktet til Fiken svarte med noe som ikke er et token"],
  [/^no Fiken login is stored: run `kravsync fiken login` first$/, "ingen Fiken-pålogging er lagret: kjør `kravsync fiken login` først"],
  [/^cannot reach Fiken \((.*?)\): /, "fikk ikke kontakt med Fiken ($1): "],
  [
    /^Fiken refused the token \(HTTP (\d+)\) for (.*): check the API token or run `kravsync fiken login`$/,
    "Fiken avviste tokenet (HTTP $1) for $2: kontroller API-tokenet eller kjør `kravsync fiken login`"
  ],
  [/^Fiken has no (.*) \(HTTP 404\): check the company slug$/, "Fiken har ingen $1 (HTTP 404): kontroller selskapets slug"],
  [/^Fiken kept answering 429 for (.*)$/, "Fiken fortsatte å svare 429 for $1"],
  [/^Fiken answered HTTP (\d+) for (.*)$/, "Fiken svarte HTTP $1 for $2"],
  [/^Fiken's answer for (.*) is not JSON$/, "svaret fra Fiken for $1 er ikke JSON"],
  [/^Fiken's answer for (.*) is not a list$/, "svaret fra Fiken for $1 er ikke en liste"],
  [/^no Fiken company "(.*)" among those this token may read: (.*)$/, "ingen Fiken-selskap «$1» blant dem dette tokenet kan lese: $2"],
  [/: none$/, ": ingen"],
  [
    /^the Fiken company (\S+) is (\S+), not (\S+) \(use --force to read it anyway\)$/,
    "Fiken-selskapet $1 er $2, ikke $3 (bruk --force for å lese det likevel)"
  ],
  [/^Fiken gave no refresh token$/, "Fiken ga ikke noe refresh-token"],
  [/^Fiken's redirect carried no code \((.*)\)$/, "omdirigeringen fra Fiken hadde ingen kode ($1)"],
  [/\(state did not match\)$/, "(state stemte ikke)"],
  [
    /^--port (\d+): the port is in use on 127\.0\.0\.1; stop what listens there or give another --port \(and register its redirect URI with Fiken\)$/,
    "--port $1: porten er i bruk på 127.0.0.1; stopp det som lytter der, eller oppgi en annen --port (og registrer omdirigerings-URI-en hos Fiken)"
  ],
  [/^--port (\d+): not allowed to listen on this port; give another --port$/, "--port $1: ikke tillatt å lytte på denne porten; oppgi en annen --port"],
  [/^--port (\d+): cannot listen on 127\.0\.0\.1 \((.*)\)$/, "--port $1: kan ikke lytte på 127.0.0.1 ($2)"]
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
