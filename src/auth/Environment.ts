/**
 * Where the API and Maskinporten live for each environment.
 * Sources: om/url.md (API hosts), maskinporten/README.md (issuers; token at {issuer}token).
 */
export type EnvironmentName = "sandbox" | "test" | "prod"

export interface Endpoints {
  /** "sandbox", "test", "prod" or "custom". */
  readonly name: EnvironmentName | "custom"
  /** Up to and including /v1; endpoints follow as /{rettighetspakke}/{part}/{endepunkt}. */
  readonly apiBaseUrl: string
  /** The issuer identifier, with the trailing slash; also the grant's `aud`. */
  readonly maskinportenIssuer: string
  readonly tokenUrl: string
}

const withSlash = (u: string) => (u.endsWith("/") ? u : `${u}/`)
const withoutSlash = (u: string) => u.replace(/\/+$/, "")

export const endpoints = (apiBaseUrl: string, maskinportenIssuer: string, name: Endpoints["name"] = "custom", tokenUrl?: string): Endpoints => ({
  name,
  apiBaseUrl: withoutSlash(apiBaseUrl),
  maskinportenIssuer: withSlash(maskinportenIssuer),
  tokenUrl: tokenUrl ?? `${withSlash(maskinportenIssuer)}token`
})

export const test: Endpoints = endpoints("https://kravogbetalinger.api.skatteetaten-test.no/v1", "https://test.maskinporten.no/", "test")
export const prod: Endpoints = endpoints("https://kravogbetalinger.api.skatteetaten.no/v1", "https://maskinporten.no/", "prod")
