/** A Maskinporten access token: opaque to us, but its claims are shown by `kravsync token` when it is a JWT. */
import { Redacted } from "effect"

export interface AccessToken {
  readonly token: Redacted.Redacted<string>
  /** Epoch ms when Maskinporten said it expires (issued + expires_in). */
  readonly expiresAt: number
  readonly issuedAt: number
  readonly scope: string
  /** The token's own claims when it is a JWT (never the signature). */
  readonly claims?: Readonly<Record<string, unknown>> | undefined
}

/** The claims of a JWT without verifying it (for display only), or undefined for an opaque token. */
export const peekClaims = (token: string): Record<string, unknown> | undefined => {
  const parts = token.split(".")
  if (parts.length !== 3 || parts[1] === undefined) return undefined
  try {
    const v = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as unknown
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** "eyJhbGciOi…(redacted, 812 chars)" — enough to tell tokens apart, never usable. */
export const redactedPreview = (token: Redacted.Redacted<string>): string => {
  const v = Redacted.value(token)
  return `${v.slice(0, 6)}…(redacted, ${v.length} chars)`
}
