/**
 * `kravsync/sandbox`: the offline simulator of Skatteetaten's Krav og betalinger API with
 * Maskinporten and Altinn in front of it, for hosts' own tests and for kravsync's default
 * environment. Not part of the product (`kravsync`): the product reaches it only through the
 * SandboxEnvironment port, which `environment` provides.
 * - `start` / `layer`: the simulator on loopback (docs/sandbox.md);
 * - `layerSandbox` / `environment`: a Krav og betalinger client talking to it;
 * - `generateCompany`: a company's books kept the way Norwegian accountants keep them, with
 *   Skatteetaten's side as of any date (docs/test-books.md);
 * - `SaftWriter`: SAF-T Financial 1.30/1.10 files from a ledger description.
 */
export * as Books from "./books/index.ts"
export { generateCompany } from "./books/index.ts"
export { consentUrl, environment, layerSandbox, startSandbox } from "./client.ts"
export * as SaftWriter from "./saft/SaftWriter.ts"
export * from "./Simulator.ts"
