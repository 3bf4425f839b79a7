"use client";
import { createContext, useCallback, useContext, type ReactNode } from "react";
import { DEFAULT_TIME_ZONE, fmtTime, TIME_ZONE_COOKIE, validTimeZone } from "./format";

const TimeZoneContext = createContext<string>(DEFAULT_TIME_ZONE);

/** The user's zone, read from the cookie by the (server) layout, for every client component below. */
export function TimeZoneProvider({ zone, children }: { zone: string; children: ReactNode }) {
  return <TimeZoneContext.Provider value={validTimeZone(zone) ?? DEFAULT_TIME_ZONE}>{children}</TimeZoneContext.Provider>;
}

export function useTimeZone(): string {
  return useContext(TimeZoneContext);
}

/** fmtTime in the user's zone. */
export function useFmtTime(): (d: Date | string | number | null | undefined, opts?: { simulator?: boolean }) => string {
  const zone = useTimeZone();
  return useCallback((d, opts) => fmtTime(d, zone, opts), [zone]);
}

/** A <time> element: the formatted time in the user's zone, the exact instant in its attribute. */
export function TimeText({ at, simulator }: { at: Date | string | number | null | undefined; simulator?: boolean }) {
  const fmt = useFmtTime();
  if (at === null || at === undefined) return <>—</>;
  const iso = new Date(at).toISOString();
  return (
    <time dateTime={iso} title={simulator ? "simulator time (the replayed market's clock, not the wall clock)" : iso}>
      {fmt(at, { simulator })}
    </time>
  );
}

/** Stores the choice for a year; the page reloads so server-rendered parts use it too. */
export function setTimeZoneCookie(zone: string): void {
  const z = validTimeZone(zone) ?? DEFAULT_TIME_ZONE;
  document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(z)}; path=/; max-age=31536000; samesite=lax`;
}
