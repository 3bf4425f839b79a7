// Long rows (time, series, value) -> one row per time with a column per series, for recharts.
export interface Pivoted {
  rows: Array<Record<string, number | string>>;
  series: string[];
}

export function pivot<T>(points: readonly T[], at: (p: T) => Date, series: (p: T) => string, value: (p: T) => number, label: (d: Date) => string): Pivoted {
  const byTime = new Map<number, Record<string, number | string>>();
  const names = new Set<string>();
  for (const p of points) {
    const d = at(p);
    const key = d.getTime();
    const row = byTime.get(key) ?? { t: label(d) };
    const name = series(p);
    const v = value(p);
    if (v === 0) {
      byTime.set(key, row);
      continue;
    }
    names.add(name);
    row[name] = (typeof row[name] === "number" ? row[name] : 0) + v;
    byTime.set(key, row);
  }
  return { rows: [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r), series: [...names].sort() };
}

/** Axis labels in the user's zone (the chart names the zone beside them: zoneName in format.ts). */
export function bucketLabel(bucketSeconds: number, zone = "UTC"): (d: Date) => string {
  return (d) =>
    bucketSeconds >= 86_400
      ? d.toLocaleDateString("en-GB", { month: "2-digit", day: "2-digit", timeZone: zone })
      : d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", ...(bucketSeconds < 60 ? { second: "2-digit" } : {}), hour12: false, timeZone: zone });
}
