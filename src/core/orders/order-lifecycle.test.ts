import { describe, expect, it } from "vitest";
import { cancelledThroughGateway, EXCHANGE_CANCEL_REASON, LIFECYCLE_STATUSES, nextLifecycle, type LifecycleStatus, type OrderObservation } from "./order-lifecycle";

const resting: OrderObservation = { kind: "resting", firing: false };
const firing: OrderObservation = { kind: "resting", firing: true };
const final = (status: "closed" | "canceled" | "expired" | "rejected" | "unknown" | "open", filled = 0, averagePrice: number | null = null, fee: number | null = null): OrderObservation =>
  ({ kind: "final", status, filled, averagePrice, fee, feeAsset: fee === null ? null : "USDT" });

describe("nextLifecycle", () => {
  it("a placed order seen resting becomes open; seen again, nothing changes", () => {
    expect(nextLifecycle(null, resting)?.status).toBe("open");
    expect(nextLifecycle("open", resting)).toBeNull();
  });

  it("a stop whose trigger fired becomes triggered, and does not go back to open", () => {
    expect(nextLifecycle("open", firing)?.status).toBe("triggered");
    expect(nextLifecycle(null, firing)?.status).toBe("triggered");
    expect(nextLifecycle("triggered", resting)).toBeNull();
    expect(nextLifecycle("triggered", firing)).toBeNull();
  });

  it("filled carries quantity, average price and fee", () => {
    const c = nextLifecycle("triggered", final("closed", 0.5, 61_000.5, 12.2));
    expect(c).toMatchObject({ status: "filled", filledQuantity: 0.5, fillPrice: 61_000.5, fee: 12.2, feeAsset: "USDT" });
    expect(c?.detail).toBe("filled 0.5 at 61000.5 (fee 12.2 USDT)");
    expect(nextLifecycle("open", final("closed", 1, 10))?.detail).toContain("fee not reported");
  });

  it("done without a fill is expired, not filled", () => {
    expect(nextLifecycle("open", final("closed", 0))?.status).toBe("expired");
    expect(nextLifecycle("open", final("expired"))?.status).toBe("expired");
  });

  it("a cancel names who sent it and why; one nobody here sent is the exchange's", () => {
    expect(nextLifecycle("open", final("canceled"), { by: "exit_executor", reason: "replaced by a tighter stop" })).toMatchObject({
      status: "cancelled", cancelledBy: "exit_executor", cancelReason: "replaced by a tighter stop",
    });
    expect(nextLifecycle("open", final("canceled"))).toMatchObject({ status: "cancelled", cancelledBy: "exchange", cancelReason: EXCHANGE_CANCEL_REASON });
    expect(cancelledThroughGateway("open", { by: "operator_action", reason: "handed back" })?.cancelledBy).toBe("operator_action");
  });

  it("rejected after acceptance is recorded; unknown says nothing", () => {
    expect(nextLifecycle("open", final("rejected"))?.status).toBe("rejected");
    expect(nextLifecycle("open", final("unknown"))).toBeNull();
  });

  it("terminal statuses never change, whatever is observed later", () => {
    const observations: OrderObservation[] = [resting, firing, final("closed", 1, 1), final("canceled"), final("expired"), final("rejected"), final("open")];
    for (const t of ["filled", "cancelled", "expired", "rejected"] as LifecycleStatus[]) {
      for (const o of observations) expect(nextLifecycle(t, o)).toBeNull();
    }
  });

  it("every change leads to a known status and says what happened", () => {
    const observations: OrderObservation[] = [resting, firing, final("closed", 1, 1), final("closed"), final("canceled", 0.1, 2), final("expired"), final("rejected"), final("open")];
    for (const from of [null, ...LIFECYCLE_STATUSES]) {
      for (const o of observations) {
        const c = nextLifecycle(from, o);
        if (c === null) continue;
        expect(LIFECYCLE_STATUSES).toContain(c.status);
        expect(c.status).not.toBe(from);
        expect(c.detail.length).toBeGreaterThan(5);
      }
    }
  });
});
