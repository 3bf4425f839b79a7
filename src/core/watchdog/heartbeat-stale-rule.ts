// The executor stopped beating: it crashed, hangs, or lost the database. Nobody may be managing
// exits while LIVE blocks the legacy modules, so hand them back.
import { fire, seconds, type WatchdogRule } from "./watchdog-rule";

export const heartbeatStaleRule: WatchdogRule = (s, cfg) => {
  if (s.heartbeatAgeMs === null) return fire("heartbeat_stale", "no executor heartbeat has ever been recorded");
  if (s.heartbeatAgeMs <= cfg.heartbeatStaleS * 1000) return null;
  return fire("heartbeat_stale", `executor heartbeat ${seconds(s.heartbeatAgeMs)} old > ${cfg.heartbeatStaleS} s`);
};
