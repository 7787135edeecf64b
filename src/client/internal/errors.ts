/**
 * Error mapping for Krav og betalinger calls: a non-200 answer becomes the tagged error of its KB
 * code (the `Feil` body in JSON or XML, om/feilkoder.md; the korrelasjonsid from the body, else
 * the header), and a transport failure a TimeoutError or TransportError naming the call.
 */
import type { HttpClientError } from "@effect/platform"
import { Duration } from "effect"
import * as PartIdentifikator from "../../domain/PartIdentifikator.ts"
import type { ResilienceOptions } from "../../http/Resilience.ts"
import { isTimeout } from "../../http/Resilience.ts"
import * as Errors from "../errors.ts"
import { parseFeil } from "../xml.ts"
import { megabytes, tooLarge } from "./request.ts"

/** The fields of Skatteetaten's `Feil` body. */
export interface Feil {
  readonly kode: string | undefined
  readonly melding: string | undefined
  readonly korrelasjonsid: string | undefined
}

const noFeil: Feil = { kode: undefined, melding: undefined, korrelasjonsid: undefined }

const stringField = (j: Record<string, unknown>, key: string): string | undefined => (typeof j[key] === "string" ? j[key] : undefined)

/** The `Feil` fields of an error body, XML or JSON; none for anything else (a gateway page: status and endpoint say enough). */
export const feilFrom = (text: string, contentType: string): Feil => {
  if (contentType.includes("xml") || text.trimStart().startsWith("<")) return parseFeil(text)
  try {
    const j = JSON.parse(text) as Record<string, unknown>
    return { kode: stringField(j, "kode"), melding: stringField(j, "melding"), korrelasjonsid: stringField(j, "korrelasjonsid") }
  } catch {
    return noFeil
  }
}

/** A non-200 answer as the error of its KB code (or status), naming the call and the masked party. */
export const fromErrorResponse = (
  response: { readonly text: string; readonly contentType: string; readonly status: number; readonly korrelasjonsid: string | undefined },
  label: string,
  part: PartIdentifikator.PartIdentifikator
): Errors.ApiResponseError => {
  const feil = feilFrom(response.text, response.contentType)
  return Errors.fromResponse({ ...feil, korrelasjonsid: feil.korrelasjonsid ?? response.korrelasjonsid }, response.status, label, PartIdentifikator.mask(part))
}

/**
 * A response over the size limit: the call reached the API, which answered with more than is
 * read (a TransportError by kind, so hosts that classify by tag see it as before; its own class
 * and message).
 */
export class ResponseTooLargeError extends Errors.TransportError {
  override get message() {
    return `${this.endpoint}: ${this.reason}`
  }
}

/** A transport failure as a TimeoutError (with the configured timeout), a ResponseTooLargeError or a TransportError. */
export const fromHttpError =
  (resilience: ResilienceOptions, label: string) => (e: HttpClientError.HttpClientError): Errors.TimeoutError | Errors.TransportError => {
    const large = tooLarge(e)
    if (large !== undefined) {
      return new ResponseTooLargeError({
        endpoint: label,
        reason: `the response is ${large.declared ? "" : "more than "}${megabytes(large.bytes)}, over the limit of ${
          megabytes(large.limit)
        } that kravsync reads; ask for a shorter period`
      })
    }
    return isTimeout(e)
      ? new Errors.TimeoutError({
        endpoint: label,
        timeout: resilience.timeout === false ? "?" : Duration.format(Duration.decode(resilience.timeout ?? "30 seconds"))
      })
      : new Errors.TransportError({
        endpoint: label,
        reason: e._tag === "RequestError" ? `connection failed (${e.reason})` : `response could not be read (${e.reason})`
      })
  }
