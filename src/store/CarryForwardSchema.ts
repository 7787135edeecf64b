/**
 * The schemas of carry-forward (src/store/CarryForward.ts): a sign-off, an item's disposition
 * (*kjent avvik* or *følg opp*) and the `carryForward` section a report carries. They depend only on
 * the domain and the item statuses — not on the Report — so the Report's schema can hold the
 * section without an import cycle.
 */
import { Schema } from "effect"
import { Dato } from "../domain/Dato.ts"
import { OereSchema } from "../domain/Money.ts"
import { ItemKind, type Language, Status } from "../reconcile/Status.ts"

/** A recorded sign-off of one item, as carry-forward needs it. */
export const SignOff = Schema.Struct({
  id: Schema.String,
  /** The run whose report the item was signed off in. */
  runId: Schema.String,
  kind: ItemKind,
  itemId: Schema.String,
  /** The item's own amount when it was signed off, øre. */
  amount: OereSchema,
  /** Who signed off (the accountant's name as the calling platform gives it). */
  signedBy: Schema.String,
  /** ISO 8601 timestamp. */
  signedAt: Schema.String,
  comment: Schema.String
}).annotations({ identifier: "SignOff" })
export type SignOff = typeof SignOff.Type

/** kjent-avvik: signed off earlier at this amount; folg-opp: needs action. */
export const Disposition = Schema.Literal("kjent-avvik", "folg-opp").annotations({ identifier: "Disposition" })
export type Disposition = typeof Disposition.Type

export const dispositionLabel: Record<Disposition, Record<Language, string>> = {
  "kjent-avvik": { nb: "Kjent avvik", en: "Known difference" },
  "folg-opp": { nb: "Følg opp", en: "Follow up" }
}

/** FollowUpItem (src/reconcile/FollowUp.ts) as a schema, so the API documents it. */
export const FollowUpItemSchema = Schema.Struct({
  kind: ItemKind,
  status: Status,
  id: Schema.String,
  voucher: Schema.optional(Schema.String),
  date: Schema.optional(Dato),
  amount: OereSchema,
  contribution: OereSchema,
  row: Schema.String,
  matchedTo: Schema.Array(Schema.String),
  kravtype: Schema.optional(Schema.String),
  text: Schema.String
}).annotations({ identifier: "FollowUpItem" })

export const CarriedItem = Schema.Struct({
  ...FollowUpItemSchema.fields,
  disposition: Disposition,
  /** "Kjent avvik" / "Følg opp" (or English) in the report's language. */
  dispositionLabel: Schema.String,
  /** The sign-off that makes it a known difference. */
  signOff: Schema.optional(SignOff),
  /** A sign-off at another amount: the item is open again. */
  reopened: Schema.optional(Schema.Struct({ signOff: SignOff, signedOffAmount: OereSchema }))
}).annotations({ identifier: "CarriedItem" })
export type CarriedItem = typeof CarriedItem.Type

export const CarryForwardSection = Schema.Struct({
  items: Schema.Array(CarriedItem),
  /** Items shown as kjent avvik. */
  known: Schema.Int,
  /** Items shown as følg opp (reopened ones included). */
  followUp: Schema.Int,
  reopened: Schema.Int
}).annotations({ identifier: "CarryForward" })
export type CarryForwardSection = typeof CarryForwardSection.Type
