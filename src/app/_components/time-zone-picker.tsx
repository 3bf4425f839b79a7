"use client";
import { useSyncExternalStore } from "react";
import { DEFAULT_TIME_ZONE } from "./format";
import { setTimeZoneCookie, useTimeZone } from "./time-zone";

/** The user's choice of zone for every time shown (UTC by default); kept in a cookie. */
export function TimeZonePicker({ className }: { className?: string }) {
  const zone = useTimeZone();
  // The browser's own zone is known only in the browser (after hydration).
  const local = useSyncExternalStore(noSubscribe, browserZone, () => null);
  const options = [...new Set([DEFAULT_TIME_ZONE, zone, ...(local ? [local] : [])])];
  return (
    <label className={className}>
      Times in{" "}
      <select
        value={zone}
        aria-label="Time zone for every time shown"
        data-testid="time-zone"
        onChange={(e) => {
          setTimeZoneCookie(e.target.value);
          window.location.reload();
        }}
      >
        {options.map((z) => (
          <option key={z} value={z}>
            {z === local && z !== DEFAULT_TIME_ZONE ? `${z} (this browser)` : z}
          </option>
        ))}
      </select>
    </label>
  );
}

const noSubscribe = () => () => {};
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
