/**
 * Carry-forward of sign-offs (issue #16): a pure function over a report's follow-up items
 * (src/reconcile/FollowUp.ts) and the party's earlier sign-offs. An item that matches a signed-off
 * item — same kind and same identifier (the kravforfallsIdentifikator, kravidentifikator,
 * innbetalings-/utbetalingsidentifikator or set-off id Skatteetaten gives it, or the ledger line's
 * id) and the same amount to the øre — is a *kjent avvik* (known difference) and keeps its sign-off
 * and comment; every other item is *følg opp*. An item signed off at another amount is reopened:
 * *følg opp*, with the sign-off it had and the amount it was signed off at.
 *
 * The JSON report (as served by the service) and the workbook show the result; the store
 * (src/store/Store.ts) supplies the sign-offs.
 */
import { Schema } from "effect"
import { Dato } from "../domain/Dato.ts"
import { OereSchema } from "../domain/Money.ts"
import { type FollowUpItem, followUpItems } from "../reconcile/FollowUp.ts"
import type { Report } from "../reconcile/Report.ts"
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

/** The key an item is matched on across runs. */
export const itemKey = (kind: string, id: string): string => `${kind}\u0000${id}`

/**
 * Each item as kjent avvik or følg opp, in the items' order. The latest sign-off of an item (by
 * signedAt, then id) decides; sign-offs of items not in the list are ignored.
 */
export const carryForward = (
  items: ReadonlyArray<FollowUpItem>,
  signOffs: ReadonlyArray<SignOff>,
  language: Language = "nb"
): Array<CarriedItem> => {
  const latest = new Map<string, SignOff>()
  for (const s of signOffs) {
    const k = itemKey(s.kind, s.itemId)
    const had = latest.get(k)
    if (had === undefined || s.signedAt > had.signedAt || (s.signedAt === had.signedAt && s.id > had.id)) latest.set(k, s)
  }
  return items.map((item) => {
    const s = latest.get(itemKey(item.kind, item.id))
    const base = {
      kind: item.kind,
      status: item.status,
      id: item.id,
      voucher: item.voucher,
      date: item.date,
      amount: item.amount,
      contribution: item.contribution,
      row: item.row,
      matchedTo: item.matchedTo,
      kravtype: item.kravtype,
      text: item.text
    }
    if (s !== undefined && s.amount === item.amount) {
      return { ...base, disposition: "kjent-avvik" as const, dispositionLabel: dispositionLabel["kjent-avvik"][language], signOff: s }
    }
    return {
      ...base,
      disposition: "folg-opp" as const,
      dispositionLabel: dispositionLabel["folg-opp"][language],
      ...(s === undefined ? {} : { reopened: { signOff: s, signedOffAmount: s.amount } })
    }
  })
}

/** carryForward over a report's follow-up items, with the counts. */
export const carryForwardReport = (report: Report, signOffs: ReadonlyArray<SignOff>): CarryForwardSection => {
  const items = carryForward(followUpItems(report), signOffs, report.metadata.language)
  const known = items.filter((i) => i.disposition === "kjent-avvik").length
  return { items, known, followUp: items.length - known, reopened: items.filter((i) => i.reopened !== undefined).length }
}
