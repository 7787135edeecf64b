/** Workbook labels: Norwegian bokmål by default, English on request (`--lang en`). */
export interface Labels {
  readonly sheets: {
    readonly summary: string
    readonly bridge: string
    readonly deviations: string
    readonly claims: string
    readonly payments: string
    readonly ledger: string
    readonly about: string
  }
  readonly account: string
  readonly accountName: string
  readonly kravgrupper: string
  readonly skatteetatenSaldo: string
  readonly ledgerSaldo: string
  readonly difference: string
  readonly explained: string
  readonly unexplained: string
  readonly attention: string
  readonly statusCounts: string
  readonly total: string
  readonly yes: string
  readonly conserved: string
  readonly notConserved: string
  readonly needsAttention: string
  readonly allReconciled: string
  readonly kind: string
  readonly status: string
  readonly id: string
  readonly date: string
  readonly amount: string
  readonly contribution: string
  readonly explanation: string
  /** Carry-forward of sign-offs (Avvik, when the report has them). */
  readonly disposition: string
  readonly signedBy: string
  readonly signedAt: string
  readonly signOffComment: string
  readonly reopened: (amount: string) => string
  readonly setAside: string
  readonly unmapped: string
  /** `gruppe`: the kravgruppe's name and code, or "" when the claims carry none. */
  readonly unmappedHint: (n: number, gruppe: string) => string
  readonly kravidentifikator: string
  readonly kravtype: string
  readonly kravgruppe: string
  /** The raw code beside the name from Skatteetaten's code list. */
  readonly kravtypeCode: string
  readonly kravgruppeCode: string
  /** Sammendrag: the raw kravgruppe (or kravtype) codes of a row. */
  readonly codes: string
  /** A code Skatteetaten's code lists do not have (a new one): the name column says so. */
  readonly notInCodeList: string
  readonly description: string
  readonly period: string
  readonly forfall: string
  readonly dueDate: string
  readonly original: string
  readonly remaining: string
  readonly entries: string
  readonly booked: string
  readonly paid: string
  readonly unplaced: string
  readonly paymentType: string
  readonly voucher: string
  readonly reference: string
  readonly counterparty: string
  readonly matchedTo: string
  readonly link: string
  readonly field: string
  readonly value: string
  readonly party: string
  readonly partyName: string
  readonly asOf: string
  readonly ledgerSource: string
  readonly environment: string
  readonly mapping: string
  readonly korrelasjonsIder: string
  readonly generatedAt: string
  readonly version: string
  readonly schemaVersion: string
  readonly skjermetNote: string
  readonly skjermetShort: string
  readonly ledgerPeriod: string
  readonly titleHeading: string
  /** The title block's lines for the party: its name and organisasjonsnummer. */
  readonly company: string
  readonly orgnr: string
  /** The title block's line for the Trekkpålegg section, when the report has one. */
  readonly trekkpaalegg: (accounts: string) => string
  readonly trekkpaaleggLine: (p: { orders: number; owed: string; overdue: string; findings: number; needsPayroll: number; sheet: string }) => string
  readonly ledgerNote: string
  readonly disbursement: string
  readonly setOff: string
  readonly side: string
  readonly bridgeLines: Readonly<
    Record<"opening" | "claims" | "payments" | "setOffs" | "refunds" | "stipulerteRenter" | "accruedNotClaimed" | "other" | "closing", string>
  >
  readonly skatteetatenSide: string
  readonly ledgerSide: string
  readonly differencePart: string
  readonly differenceParts: Readonly<Record<string, string>>
}

const nb: Labels = {
  sheets: {
    summary: "Sammendrag",
    bridge: "Avstemmingsbro",
    deviations: "Avvik",
    claims: "Krav",
    payments: "Innbetalinger",
    ledger: "Hovedbok",
    about: "Om rapporten"
  },
  account: "Konto",
  accountName: "Kontonavn",
  kravgrupper: "Kravgrupper",
  skatteetatenSaldo: "Skatteetaten saldo",
  ledgerSaldo: "Regnskap saldo",
  difference: "Differanse",
  explained: "Forklart",
  unexplained: "Uforklart",
  attention: "Følg opp",
  statusCounts: "Antall per status",
  total: "Sum",
  yes: "Ja",
  conserved: "Alle poster er med nøyaktig én gang, summene stemmer til øret.",
  notConserved: "FEIL: poster gikk tapt eller ble telt to ganger.",
  needsAttention: "Rapporten har avvik som må følges opp (se arket Avvik).",
  allReconciled: "Alt er avstemt.",
  kind: "Type",
  status: "Status",
  id: "Id",
  date: "Dato",
  amount: "Beløp",
  contribution: "Virkning på differansen",
  explanation: "Forklaring",
  disposition: "Vurdering",
  signedBy: "Kvittert av",
  signedAt: "Kvittert",
  signOffComment: "Kommentar",
  reopened: (amount) => `gjenåpnet: kvittert for ${amount}, beløpet er endret`,
  setAside: "Satt til side",
  unmapped: "Ikke tilordnet konto",
  unmappedHint: (n, gruppe) =>
    `${n} krav med denne kravtypen${gruppe === "" ? "" : ` (kravgruppe ${gruppe})`} har ingen konto i kontoplanoppsettet (--mapping)`,
  kravidentifikator: "Kravidentifikator",
  kravtype: "Kravtype",
  kravgruppe: "Kravgruppe",
  kravtypeCode: "Kravtypekode",
  kravgruppeCode: "Kravgruppekode",
  codes: "Koder",
  notInCodeList: "(ukjent kode, ikke i Skatteetatens kodeliste)",
  description: "Beskrivelse",
  period: "Periode",
  forfall: "Kravforfall",
  dueDate: "Forfallsdato",
  original: "Opprinnelig beløp",
  remaining: "Gjenstående beløp",
  entries: "Bilagslinjer",
  booked: "Bokført",
  paid: "Innbetalt",
  unplaced: "Uplassert",
  paymentType: "Innbetalingstype",
  voucher: "Bilag",
  reference: "Referanse/KID",
  counterparty: "Motpart",
  matchedTo: "Avstemt mot",
  link: "Lenke",
  field: "Felt",
  value: "Verdi",
  party: "Part",
  partyName: "Navn",
  asOf: "Avstemt per",
  ledgerSource: "Regnskapskilde",
  environment: "API-miljø",
  mapping: "Kontooppsett",
  korrelasjonsIder: "Korrelasjonsid-er",
  generatedAt: "Laget",
  version: "kravsync-versjon",
  schemaVersion: "Rapportformat",
  skjermetNote: "Parten er skjermet: Skatteetaten gir ingen detaljer, og rapporten viser dem ikke.",
  skjermetShort: "(skjermet)",
  ledgerPeriod: "Regnskapets egen periode",
  titleHeading: "Avstemming av skattekontoen",
  company: "Firma",
  orgnr: "Organisasjonsnummer",
  trekkpaalegg: (accounts) => `Trekkpålegg (${accounts})`,
  trekkpaaleggLine: (p) =>
    `${p.orders} trekkpålegg, skyldig ${p.owed}, herav forfalt ${p.overdue}; ${p.findings === 0 ? "ingen avvik" : `${p.findings} avvik`}${
      p.needsPayroll > 0 ? `, ${p.needsPayroll} måneder krever lønnsgrunnlag` : ""
    } (se arket ${p.sheet})`,
  ledgerNote: "Merknad om regnskapet",
  disbursement: "Utbetaling",
  setOff: "Motregning",
  side: "Side",
  bridgeLines: {
    opening: "Inngående saldo",
    claims: "+ krav opprettet / bokført",
    payments: "− innbetalinger",
    setOffs: "− motregninger",
    refunds: "+ utbetalinger",
    stipulerteRenter: "+ stipulerte renter",
    accruedNotClaimed: "+ påløpt, ikke krevd ennå",
    other: "+ annet",
    closing: "= Utgående saldo"
  },
  skatteetatenSide: "Skatteetaten",
  ledgerSide: "Regnskapet",
  differencePart: "Differansen består av",
  differenceParts: {
    "opening-accrued-not-claimed": "Inngående saldo påløpt, ikke krevd ennå",
    "opening-skjermet": "Inngående saldo (skjermet part, kan ikke avstemmes)",
    "opening-balance-differs": "Inngående saldo avviker",
    "source-inconsistency": "Skatteetatens tall går ikke opp",
    other: "Annet (innbetalinger eller motkrav utenfor dataene)"
  }
}

const en: Labels = {
  sheets: { summary: "Summary", bridge: "Bridge", deviations: "Deviations", claims: "Claims", payments: "Payments", ledger: "Ledger", about: "About" },
  account: "Account",
  accountName: "Account name",
  kravgrupper: "Claim groups",
  skatteetatenSaldo: "Skatteetaten balance",
  ledgerSaldo: "Ledger balance",
  difference: "Difference",
  explained: "Explained",
  unexplained: "Unexplained",
  attention: "Follow up",
  statusCounts: "Count per status",
  total: "Total",
  yes: "Yes",
  conserved: "Every item is included exactly once; totals tie out to the øre.",
  notConserved: "ERROR: items were lost or counted twice.",
  needsAttention: "The report has deviations to follow up (see the Deviations sheet).",
  allReconciled: "Everything reconciles.",
  kind: "Type",
  status: "Status",
  id: "Id",
  date: "Date",
  amount: "Amount",
  contribution: "Effect on the difference",
  explanation: "Explanation",
  disposition: "Assessment",
  signedBy: "Signed off by",
  signedAt: "Signed off",
  signOffComment: "Comment",
  reopened: (amount) => `reopened: signed off at ${amount}, the amount has changed`,
  setAside: "Set aside",
  unmapped: "No account mapped",
  unmappedHint: (n, gruppe) => `${n} claims of this type${gruppe === "" ? "" : ` (claim group ${gruppe})`} have no account in the mapping (--mapping)`,
  kravidentifikator: "Claim id",
  kravtype: "Claim type",
  kravgruppe: "Claim group",
  kravtypeCode: "Claim type code",
  kravgruppeCode: "Claim group code",
  codes: "Codes",
  notInCodeList: "(unknown code, not in Skatteetaten's code list)",
  description: "Description",
  period: "Period",
  forfall: "Instalment",
  dueDate: "Due date",
  original: "Original amount",
  remaining: "Remaining amount",
  entries: "Ledger entries",
  booked: "Booked",
  paid: "Paid",
  unplaced: "Unplaced",
  paymentType: "Payment type",
  voucher: "Voucher",
  reference: "Reference/KID",
  counterparty: "Counterparty",
  matchedTo: "Matched to",
  link: "Link",
  field: "Field",
  value: "Value",
  party: "Party",
  partyName: "Name",
  asOf: "As of",
  ledgerSource: "Ledger source",
  environment: "API environment",
  mapping: "Account mapping",
  korrelasjonsIder: "Correlation ids",
  generatedAt: "Generated",
  version: "kravsync version",
  schemaVersion: "Report format",
  skjermetNote: "The party is shielded (skjermet): Skatteetaten gives no details and the report shows none.",
  skjermetShort: "(shielded)",
  ledgerPeriod: "The ledger's own period",
  titleHeading: "Tax account reconciliation",
  company: "Company",
  orgnr: "Organisation number",
  trekkpaalegg: (accounts) => `Withholding orders (${accounts})`,
  trekkpaaleggLine: (p) =>
    `${p.orders} ${p.orders === 1 ? "order" : "orders"}, owed ${p.owed}, of which overdue ${p.overdue}; ${
      p.findings === 0 ? "no findings" : `${p.findings} ${p.findings === 1 ? "finding" : "findings"}`
    }${p.needsPayroll > 0 ? `, ${p.needsPayroll} months need the payroll` : ""} (see the ${p.sheet} sheet)`,
  ledgerNote: "Note on the ledger",
  disbursement: "Disbursement",
  setOff: "Set-off",
  side: "Side",
  bridgeLines: {
    opening: "Opening balance",
    claims: "+ claims created / booked",
    payments: "− payments",
    setOffs: "− set-offs",
    refunds: "+ refunds paid out",
    stipulerteRenter: "+ stipulated interest",
    accruedNotClaimed: "+ accrued, not claimed yet",
    other: "+ other",
    closing: "= Closing balance"
  },
  skatteetatenSide: "Skatteetaten",
  ledgerSide: "Ledger",
  differencePart: "The difference consists of",
  differenceParts: {
    "opening-accrued-not-claimed": "Opening balance accrued, not claimed yet",
    "opening-skjermet": "Opening balance (shielded party, cannot be reconciled)",
    "opening-balance-differs": "Opening balance differs",
    "source-inconsistency": "Skatteetaten's figures do not add up",
    other: "Other (payments or counter-claims outside the data)"
  }
}

export const labels: Record<"nb" | "en", Labels> = { nb, en }
