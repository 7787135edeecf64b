/**
 * An innbetaling or utbetaling as the engine works on it and as the report gives it out (as
 * engine/claims.ts does for claims): the working fields set while preparing and matching, the
 * status and contribution by `settle`, the report's fields (`PaymentResult`, `UtbetalingResult`)
 * as getters, and the explanation, its sentence and the contributions per row made when read.
 */
import type { Dato } from "../../domain/Dato.ts"
import type { Innbetaling } from "../../domain/Innbetaling.ts"
import type { Oere } from "../../domain/Money.ts"
import type { Utbetaling } from "../../domain/Utbetaling.ts"
import * as Explanation from "../Explanation.ts"
import type * as R from "../Report.ts"
import type { Target } from "./model.ts"
import * as Outcomes from "./outcomes.ts"
import { SettledItem } from "./settled.ts"

type RowAmount = { readonly row: string; readonly amount: Oere }

const rowAmounts = (m: ReadonlyMap<string, number>): Array<RowAmount> => [...m].map(([row, amount]) => ({ row, amount: amount as Oere }))

/** What an innbetaling and an utbetaling share: matched the same way, with opposite signs. */
export abstract class MoneyMovement extends SettledItem {
  abstract readonly kind: "innbetaling" | "utbetaling"
  constructor(
    readonly id: string,
    readonly dato: string,
    /** The ledger amount expected on the tax accounts: +innbetaltBeloep (a debit), −utbetaltBeloep (a credit). */
    readonly expected: number,
    readonly uplassert: Oere,
    /** "in" (in the period, ≤ as-of), "after" (after as-of), "before" (before the period). */
    readonly phase: "in" | "after" | "before",
    /** Counted placements per row. */
    readonly placedByRow: ReadonlyMap<string, number>,
    readonly target: Target | undefined
  ) {
    super()
  }

  /** Placed against kravforfall in this data, per row. */
  get placed(): ReadonlyArray<RowAmount> {
    return rowAmounts(this.placedByRow)
  }
  /** Contribution per row: made again from the matched lines when read. */
  get contributions(): ReadonlyArray<RowAmount> {
    return rowAmounts(Outcomes.paymentContributions(this, this.ctx.entries))
  }
  get explanation(): Explanation.Explanation {
    const c = this.ctx
    return Outcomes.paymentOutcome(this, c.entries, this.contribution, c.periodStart, c.asOf, c.rowName).explanation
  }

  /** The fields after the movement's own, in the schema's order. */
  protected resultFields() {
    const explanation = this.explanation
    return {
      placed: this.placed,
      contributions: this.contributions,
      status: this.status,
      matchMethod: this.matchMethod,
      entryIds: this.entryIds,
      booked: this.booked,
      contribution: this.contribution,
      explanation,
      text: Explanation.render(explanation, this.ctx.language)
    }
  }
}

export class InnbetalingItem extends MoneyMovement implements R.PaymentResult {
  readonly kind = "innbetaling" as const
  constructor(
    readonly innbetaling: Innbetaling,
    phase: "in" | "after" | "before",
    placedByRow: ReadonlyMap<string, number>,
    target: Target | undefined
  ) {
    super(
      innbetaling.innbetalingsidentifikator,
      innbetaling.innbetalingsdato,
      innbetaling.innbetaltBeloep,
      (innbetaling.uplassertBeloep ?? 0) as Oere,
      phase,
      placedByRow,
      target
    )
  }
  get innbetalingsidentifikator(): string {
    return this.innbetaling.innbetalingsidentifikator
  }
  get innbetalingsdato(): Dato {
    return this.innbetaling.innbetalingsdato
  }
  get innbetaltBeloep(): Oere {
    return this.innbetaling.innbetaltBeloep
  }
  get uplassertBeloep(): Oere {
    return this.uplassert
  }
  get kid(): string | undefined {
    const i = this.innbetaling
    return i.innbetaltFra?.kidnummer ?? i.betaltFra?.kidnummer ?? undefined
  }
  get innbetalingstype(): string | undefined {
    return this.innbetaling.innbetalingstype ?? undefined
  }

  toJSON(): R.PaymentResult {
    const i = this.innbetaling
    return {
      innbetalingsidentifikator: i.innbetalingsidentifikator,
      innbetalingsdato: i.innbetalingsdato,
      innbetaltBeloep: i.innbetaltBeloep,
      uplassertBeloep: this.uplassert,
      kid: this.kid,
      innbetalingstype: this.innbetalingstype,
      ...this.resultFields()
    }
  }
}

export class UtbetalingItem extends MoneyMovement implements R.UtbetalingResult {
  readonly kind = "utbetaling" as const
  constructor(
    readonly utbetaling: Utbetaling,
    phase: "in" | "after" | "before",
    placedByRow: ReadonlyMap<string, number>,
    target: Target | undefined
  ) {
    super(utbetaling.utbetalingsidentifikator, utbetaling.utbetaltdato, -utbetaling.utbetaltBeloep, 0 as Oere, phase, placedByRow, target)
  }
  get utbetalingsidentifikator(): string {
    return this.utbetaling.utbetalingsidentifikator
  }
  get utbetaltdato(): Dato {
    return this.utbetaling.utbetaltdato
  }
  get utbetaltBeloep(): Oere {
    return this.utbetaling.utbetaltBeloep
  }
  get utbetalingstatus(): string | undefined {
    return this.utbetaling.utbetalingstatus ?? undefined
  }

  toJSON(): R.UtbetalingResult {
    const u = this.utbetaling
    return {
      utbetalingsidentifikator: u.utbetalingsidentifikator,
      utbetaltdato: u.utbetaltdato,
      utbetaltBeloep: u.utbetaltBeloep,
      utbetalingstatus: this.utbetalingstatus,
      ...this.resultFields()
    }
  }
}
