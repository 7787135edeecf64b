/**
 * Books the business events (events.ts) that are not tax flows: sales and purchase invoices
 * through 1500 / 2400 with VAT on 270x / 271x, their settlement by bank, and cash sales straight
 * to 1920. Lines on 1500 and 2400 name the customer or supplier (SAF-T CustomerID / SupplierID).
 */
import type { Oere } from "../../src/domain/Money.ts"
import type { Ctx } from "./context.ts"
import type { Invoice } from "./events.ts"
import type { Line } from "./ledger.ts"

export const bookInvoice = (ctx: Ctx, inv: Invoice): void => {
  const gross = inv.lines.reduce((s, l) => s + l.base + l.vat, 0) as Oere
  const text = `${inv.kind === "salg" ? "Faktura" : "Leverandørfaktura"} ${inv.no} ${inv.counterparty.name}`
  if (inv.kind === "salg") {
    const cash = inv.settled === inv.date
    const debit: Line = cash
      ? { account: "1920", amount: gross, description: `Kontantsalg ${inv.no}` }
      : { account: "1500", amount: gross, description: text, customerId: inv.counterparty.id }
    ctx.journal.add(inv.date, cash ? `Kontantsalg ${inv.no}` : text, [
      debit,
      ...inv.lines.flatMap((l): Array<Line> => [
        { account: l.account, amount: -l.base as Oere, description: inv.text },
        { account: l.vatAccount, amount: -l.vat as Oere, description: `Utgående mva ${inv.no}` }
      ])
    ])
    if (!cash) {
      ctx.journal.add(inv.settled, `Innbetaling faktura ${inv.no}`, [
        { account: "1920", amount: gross, description: `Innbetaling ${inv.counterparty.name}` },
        { account: "1500", amount: -gross as Oere, description: `Innbetaling faktura ${inv.no}`, customerId: inv.counterparty.id }
      ])
    }
  } else {
    ctx.journal.add(inv.date, text, [
      ...inv.lines.flatMap((l): Array<Line> => [
        { account: l.account, amount: l.base, description: inv.text },
        { account: l.vatAccount, amount: l.vat, description: `Inngående mva ${inv.no}` }
      ]),
      { account: "2400", amount: -gross as Oere, description: text, supplierId: inv.counterparty.id }
    ])
    ctx.journal.add(inv.settled, `Betaling leverandørfaktura ${inv.no}`, [
      { account: "2400", amount: gross, description: `Betaling faktura ${inv.no}`, supplierId: inv.counterparty.id },
      { account: "1920", amount: -gross as Oere, description: `Betaling ${inv.counterparty.name}` }
    ])
  }
}
