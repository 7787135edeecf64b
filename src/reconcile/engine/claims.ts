/**
 * A claim, its kravforfall and its interest as the engine works on them and as the report gives
 * them out: one object each, no second copy (as engine/lines.ts does for the ledger lines). The
 * engine fills in the working fields while it prepares and matches; `settle` records the status,
 * the contribution and the report's shared context, and the report's fields (`ClaimResult`,
 * `ForfallResult`, `InterestResult`) are getters over the Skatteetaten documents and that outcome.
 * The explanation is made again from the settled item when read (engine/outcomes.ts), and its
 * sentence rendered then: a report of 100 000 claims holds no explanation objects and no text
 * (issue #13). `toJSON` gives the fields in the schema's order, so the JSON sink writes exactly
 * what a plain result object would (test/reconcile/digest.test.ts).
 */
import type { Dato } from "../../domain/Dato.ts"
import { kravperiodeTekst, tekst } from "../../domain/Felles.ts"
import type { Krav, Kravforfall } from "../../domain/Krav.ts"
import type { Oere } from "../../domain/Money.ts"
import * as Explanation from "../Explanation.ts"
import type * as R from "../Report.ts"
import type { Phase, Target } from "./model.ts"
import * as Outcomes from "./outcomes.ts"
import { SettledItem } from "./settled.ts"

export class Claim implements R.ClaimResult {
  forfall: Array<Forfall> = []
  renter: Interest | undefined = undefined
  constructor(readonly krav: Krav, readonly row: string, readonly kravgruppe: string | undefined, readonly aapen: boolean) {}

  get kravidentifikator(): string {
    return this.krav.kravidentifikator
  }
  get kravtype(): string {
    return this.krav.kravtype
  }
  get kravbeskrivelse(): string | undefined {
    return tekst(this.krav.kravbeskrivelse)
  }
  get kravperiode(): string | undefined {
    return kravperiodeTekst(this.krav.kravperiode)
  }
  get opprettelsesdato(): Dato | undefined {
    return this.krav.opprettelsesdatoForKrav ?? undefined
  }
  get opprinneligBeloep(): Oere {
    return this.krav.opprinneligBeloep
  }
  get gjenstaaendeBeloep(): Oere {
    return this.krav.gjenstaaendeBeloep
  }

  toJSON(): R.ClaimResult {
    const k = this.krav
    return {
      kravidentifikator: k.kravidentifikator,
      kravtype: k.kravtype,
      kravgruppe: this.kravgruppe,
      kravbeskrivelse: tekst(k.kravbeskrivelse),
      kravperiode: kravperiodeTekst(k.kravperiode),
      opprettelsesdato: k.opprettelsesdatoForKrav ?? undefined,
      row: this.row,
      opprinneligBeloep: k.opprinneligBeloep,
      gjenstaaendeBeloep: k.gjenstaaendeBeloep,
      aapen: this.aapen,
      forfall: this.forfall,
      renter: this.renter
    }
  }
}

export class Forfall extends SettledItem implements R.ForfallResult {
  /** Σ placements (payments and set-offs) counted for this forfall, oriented to reduce what is owed. */
  placed = 0
  /** The part of `placed` made by payments present in the data. */
  placedKnown = 0
  /** `placed` by kind of placement: innbetalinger, utbetalinger (tilgode paid out), set-offs (either side). */
  placedInn = 0
  placedUt = 0
  placedMot = 0
  /**
   * The part of opprinneligBeloep (owed orientation) that the row's opening balance covers: all of
   * it for a "pre" forfall whose kravperiode ended before the period, part of it for the one
   * where the opening balance runs out (the rest is then expected as a booking in the period).
   */
  openingCovered = 0
  target: Target | undefined = undefined
  constructor(
    readonly claim: Claim,
    readonly forfall: Kravforfall,
    public phase: Phase,
    /** True when the kravperiode ended before the period start although the claim was created in it. */
    readonly priorPeriod: boolean,
    readonly refDate: string
  ) {
    super()
  }

  get kravforfallsIdentifikator(): string {
    return this.forfall.kravforfallsIdentifikator
  }
  get forfallsdato(): Dato {
    return this.forfall.forfallsdato
  }
  get opprinneligBeloep(): Oere {
    return this.forfall.opprinneligBeloep
  }
  get gjenstaaendeBeloep(): Oere {
    return this.forfall.gjenstaaendeBeloep
  }
  get kid(): string | undefined {
    return this.forfall.betalingsinformasjon?.kidnummer ?? undefined
  }
  get plassert(): Oere {
    return this.placed as Oere
  }
  get sourceResidual(): Oere {
    return (this.phase === "in" ? Outcomes.residual(this) : 0) as Oere
  }
  get explanation(): Explanation.Explanation {
    const c = this.ctx
    return Outcomes.forfallOutcome(this, c.entries, c.periodStart, c.asOf).explanation
  }

  toJSON(): R.ForfallResult {
    const f = this.forfall
    const explanation = this.explanation
    return {
      kravforfallsIdentifikator: f.kravforfallsIdentifikator,
      forfallsdato: f.forfallsdato,
      opprinneligBeloep: f.opprinneligBeloep,
      gjenstaaendeBeloep: f.gjenstaaendeBeloep,
      kid: this.kid,
      plassert: this.plassert,
      sourceResidual: this.sourceResidual,
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

export class Interest extends SettledItem implements R.InterestResult {
  constructor(readonly claim: Claim, readonly amount: Oere, readonly phase: Phase, readonly target: Target | undefined) {
    super()
  }

  get explanation(): Explanation.Explanation {
    return Outcomes.interestOutcome(this, this.ctx.entries, this.ctx.asOf).explanation
  }

  toJSON(): R.InterestResult {
    const explanation = this.explanation
    return {
      amount: this.amount,
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
