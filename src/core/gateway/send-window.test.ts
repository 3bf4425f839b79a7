import { describe, expect, it } from "vitest";
import { sendWindow, type SendWindowInput } from "./send-window";

const base: SendWindowInput = { orderEpoch: 4, term: { epoch: 4, holderId: "w1", leaseLeftMs: 2_800 }, maxSendMs: 2_000, leaseMarginMs: 300, minSendMs: 200 };

describe("sendWindow: the send's deadline ends before the lease it was checked under", () => {
  it("single worker (no fencing): the gateway's own deadline", () => {
    expect(sendWindow({ ...base, orderEpoch: undefined, term: null })).toEqual({ ok: true, sendMs: 2_000 });
  });

  it("the shorter of the gateway's deadline and the lease left minus the margin", () => {
    expect(sendWindow(base)).toEqual({ ok: true, sendMs: 2_000 });
    expect(sendWindow({ ...base, term: { ...base.term!, leaseLeftMs: 1_500 } })).toEqual({ ok: true, sendMs: 1_200 });
  });

  it("every window ends before the lease can expire, for any lease left", () => {
    for (let left = -500; left <= 4_000; left += 37) {
      const w = sendWindow({ ...base, term: { ...base.term!, leaseLeftMs: left } });
      if (w.ok) expect(w.sendMs + base.leaseMarginMs).toBeLessThanOrEqual(left);
    }
  });

  it("refuses: no epoch, no term, a stale epoch, an expired lease, a lease about to end", () => {
    expect(sendWindow({ ...base, orderEpoch: null })).toMatchObject({ ok: false, reason: expect.stringMatching(/not the leader/) });
    expect(sendWindow({ ...base, term: null })).toMatchObject({ ok: false, reason: expect.stringMatching(/no leader term/) });
    expect(sendWindow({ ...base, term: { ...base.term!, epoch: 5 } })).toMatchObject({ ok: false, reason: expect.stringMatching(/stale leader epoch 4 \(committed epoch 5/) });
    expect(sendWindow({ ...base, term: { ...base.term!, leaseLeftMs: 0 } })).toMatchObject({ ok: false, reason: expect.stringMatching(/has expired/) });
    expect(sendWindow({ ...base, term: { ...base.term!, leaseLeftMs: 450 } })).toMatchObject({ ok: false, reason: expect.stringMatching(/too soon for a send/) });
  });
});
