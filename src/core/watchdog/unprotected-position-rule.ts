// A position has had no exchange-side stop for too long: if the worker died now it would be
// exposed (docs/safety-invariants.md, invariant 7).
import { fire, seconds, type WatchdogRule } from "./watchdog-rule";

export const unprotectedPositionRule: WatchdogRule = (s, cfg) => {
  const limitMs = cfg.unprotectedMaxS * 1000;
  const over = s.positions
    .filter((p) => p.unprotectedForMs !== null && p.unprotectedForMs > limitMs)
    .sort((a, b) => (b.unprotectedForMs ?? 0) - (a.unprotectedForMs ?? 0));
  if (over.length === 0) return null;
  const list = over.map((p) => `${p.symbol} ${p.side} for ${seconds(p.unprotectedForMs ?? 0)}`).join(", ");
  return fire("unprotected_position", `no exchange-side stop: ${list} > ${cfg.unprotectedMaxS} s`);
};
