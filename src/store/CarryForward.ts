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
import { type FollowUpItem, followUpItems } from "../reconcile/FollowUp.ts"
import type { Report } from "../reconcile/Report.ts"
import type { Language } from "../reconcile/Status.ts"
import { type CarriedItem, type CarryForwardSection, dispositionLabel, type SignOff } from "./CarryForwardSchema.ts"

export * from "./CarryForwardSchema.ts"

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
