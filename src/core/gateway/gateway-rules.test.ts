// Table-driven: every state x module x reduce-only flag x confirmation, plus the hard denials.
import { describe, expect, it } from "vitest";
import { OPERATIONAL_STATES, type OperationalState } from "../toggles";
import type { ExitOrderRequest } from "./exit-order-request";
import { decideExitOrder, type Verdict } from "./gateway-rules";
import { guardBlockedLine } from "./gateway-log-lines";

const base: ExitOrderRequest = {
  module: "exit_executor", kind: "sl", symbol: "BTCUSDT", positionSide: "long", side: "sell",
  orderType: "STOP_MARKET", quantity: 0.01, positionSize: 0.02, stopPrice: 95000, reduceOnly: true, decisionId: "d1",
};

const MODULES = ["exit_executor", "position_monitor", "hybrid_tpsl", "rogue_bot"] as const;

/** The expected verdict, written from the table. */
function expected(state: OperationalState, confirmed: boolean, module: string, reduceOnly: boolean): { verdict: Verdict; blocked: boolean; conflict: boolean } {
  if (module === "rogue_bot" || !reduceOnly) return { verdict: "deny", blocked: false, conflict: false };
  const s = confirmed ? state : "EXIT_BRAIN_V3_SHADOW";
  if (module === "exit_executor") return { verdict: s === "EXIT_BRAIN_V3_LIVE" ? "allow" : "deny", blocked: false, conflict: false };
  if (s === "EXIT_BRAIN_V3_LIVE") return { verdict: "deny", blocked: true, conflict: true };
  if (s === "EXIT_BRAIN_V3_SHADOW") return { verdict: "allow_conflict", blocked: false, conflict: true };
  return { verdict: "allow", blocked: false, conflict: false };
}

describe("decideExitOrder: state x module x reduce-only x confirmed", () => {
  for (const state of OPERATIONAL_STATES)
    for (const module of MODULES)
      for (const reduceOnly of [true, false])
        for (const confirmed of [true, false]) {
          it(`${state} ${module} reduceOnly=${reduceOnly} confirmed=${confirmed}`, () => {
            const d = decideExitOrder({ ...base, module, reduceOnly }, { state, confirmed });
            const want = expected(state, confirmed, module, reduceOnly);
            expect(d.verdict).toBe(want.verdict);
            expect(d.blockedLegacy).toBe(want.blocked);
            expect(d.ownershipConflict).toBe(want.conflict);
            if (!confirmed) expect(d.state).toBe("EXIT_BRAIN_V3_SHADOW");
          });
        }
});

describe.each(["one-way", "hedge"] as const)("hard denials, in every state (%s position mode)", (positionMode) => {
  for (const state of OPERATIONAL_STATES) {
    const ctx = { state, confirmed: true, positionMode };
    it(`${state}: an order on the increasing side is denied`, () => {
      expect(decideExitOrder({ ...base, side: "buy" }, ctx).verdict).toBe("deny");
      expect(decideExitOrder({ ...base, positionSide: "short", side: "sell" }, ctx).verdict).toBe("deny");
    });
    it(`${state}: zero, negative or NaN quantity is denied`, () => {
      for (const quantity of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(decideExitOrder({ ...base, quantity }, ctx).verdict).toBe("deny");
    });
    it(`${state}: a stop order without a stop price is denied`, () => {
      expect(decideExitOrder({ ...base, stopPrice: null }, ctx).verdict).toBe("deny");
    });
    it(`${state}: a stale leader epoch is denied`, () => {
      expect(decideExitOrder(base, { ...ctx, orderEpoch: 3, currentEpoch: 4 })).toMatchObject({ verdict: "deny", reason: expect.stringMatching(/stale leader epoch 3/) });
    });
    it(`${state}: a quantity larger than the position side's size is denied; equal to it is not`, () => {
      expect(decideExitOrder({ ...base, quantity: 0.021 }, ctx)).toMatchObject({ verdict: "deny", reason: expect.stringMatching(/larger than the long position \(0\.02\)/) });
      const live = { ...ctx, state: "EXIT_BRAIN_V3_LIVE" as const };
      expect(decideExitOrder({ ...base, quantity: 0.02 }, live).verdict).toBe("allow");
    });
  }
});

describe("hedge mode: the venue has no reduce-only flag, so the gate needs the position side's size", () => {
  const live = { state: "EXIT_BRAIN_V3_LIVE" as const, confirmed: true };
  it("denies an order without the size in hedge mode, allows it in one-way mode (the venue caps it there); a bad size is denied in both", () => {
    for (const positionSize of [undefined, null]) {
      expect(decideExitOrder({ ...base, positionSize }, { ...live, positionMode: "hedge" })).toMatchObject({ verdict: "deny", reason: expect.stringMatching(/hedge mode: the long position's size is required/) });
      expect(decideExitOrder({ ...base, positionSize }, { ...live, positionMode: "one-way" }).verdict).toBe("allow");
    }
    for (const positionMode of ["one-way", "hedge"] as const)
      for (const positionSize of [0, -1, Number.NaN]) {
        expect(decideExitOrder({ ...base, positionSize }, { ...live, positionMode })).toMatchObject({ verdict: "deny", reason: expect.stringMatching(/size must be a positive number/) });
      }
  });
  it("a short's closing order is a buy no larger than the short", () => {
    const short = { ...base, positionSide: "short" as const, side: "buy" as const, quantity: 0.5, positionSize: 0.5 };
    expect(decideExitOrder(short, { ...live, positionMode: "hedge" }).verdict).toBe("allow");
    expect(decideExitOrder({ ...short, quantity: 0.6 }, { ...live, positionMode: "hedge" }).verdict).toBe("deny");
  });
});

describe("log lines", () => {
  it("are the runbook's words", () => {
    expect(guardBlockedLine({ ...base, module: "position_monitor", symbol: "ETHUSDT" })).toBe(
      "[EXIT_GUARD] 🛑 BLOCKED: Legacy module 'position_monitor' attempted to place sl for ETHUSDT in EXIT_BRAIN_V3 LIVE mode. Executor is the single MUSCLE. Order NOT sent to exchange.",
    );
  });
});

describe("operator actions and handed-back positions (issue 16)", () => {
  const close: ExitOrderRequest = { ...base, module: "operator_action", kind: "close", orderType: "MARKET", stopPrice: null };
  it("an operator's reduce-only market close is allowed in every state, unconfirmed included (it only reduces risk)", () => {
    for (const state of OPERATIONAL_STATES) {
      for (const confirmed of [true, false]) expect(decideExitOrder(close, { state, confirmed }).verdict).toBe("allow");
    }
  });
  it("but never anything else: not a stop, not an increase, not from a stale leader", () => {
    const ctx = { state: "LEGACY" as const, confirmed: true };
    expect(decideExitOrder({ ...close, orderType: "STOP_MARKET", kind: "sl", stopPrice: 100 }, ctx)).toMatchObject({ verdict: "deny", reason: expect.stringMatching(/only send a reduce-only MARKET close/) });
    expect(decideExitOrder({ ...close, reduceOnly: false }, ctx).verdict).toBe("deny");
    expect(decideExitOrder({ ...close, side: "buy" }, ctx).verdict).toBe("deny");
    expect(decideExitOrder(close, { ...ctx, orderEpoch: 1, currentEpoch: 2 }).verdict).toBe("deny");
  });
  it("a legacy order for a handed-back position is allowed in LIVE; without the mark it stays blocked", () => {
    const legacy: ExitOrderRequest = { ...base, module: "position_monitor" };
    const live = { state: "EXIT_BRAIN_V3_LIVE" as const, confirmed: true };
    expect(decideExitOrder({ ...legacy, handedBack: true }, live)).toMatchObject({ verdict: "allow", blockedLegacy: false });
    expect(decideExitOrder(legacy, live)).toMatchObject({ verdict: "deny", blockedLegacy: true });
    // the mark gives the executor nothing
    expect(decideExitOrder({ ...base, module: "exit_executor", handedBack: true }, { state: "LEGACY", confirmed: true }).verdict).toBe("deny");
  });
});
