"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../../trpc/react";
import { ErrorBox } from "../../_components/error-box";
import { ComparisonCard } from "./comparison-card";
import { DecisionsOverTime } from "./decisions-over-time";
import { DistributionCharts } from "./distribution-charts";
import { EmergencyExits } from "./emergency-exits";
import { filterInput, ShadowFilters, type ShadowFilterState } from "./shadow-filters";

export function ShadowView({ simulatorClock }: { simulatorClock: boolean }) {
  const trpc = useTRPC();
  const [filter, setFilter] = useState<ShadowFilterState>({ range: "24h", symbol: "" });
  const input = filterInput(filter);
  const live = { refetchInterval: 2000, placeholderData: keepPreviousData } as const;
  const symbols = useQuery(trpc.shadow.symbols.queryOptions(undefined, { refetchInterval: 10_000 }));
  const dist = useQuery(trpc.shadow.distribution.queryOptions(input, live));
  const over = useQuery(trpc.shadow.overTime.queryOptions(input, live));
  const emergency = useQuery(trpc.shadow.emergencyExits.queryOptions(input, live));
  const comparison = useQuery(trpc.shadow.comparison.queryOptions(input, live));
  const error = dist.error ?? over.error ?? emergency.error ?? comparison.error;
  return (
    <div className="stack">
      <ShadowFilters value={filter} onChange={setFilter} symbols={symbols.data ?? []} input={input} />
      <ErrorBox error={error} />
      {dist.data ? <DistributionCharts total={dist.data.total} rows={dist.data.byType} /> : <p className="muted">Loading…</p>}
      {over.data ? <DecisionsOverTime data={over.data} /> : null}
      <div className="grid">{emergency.data ? <EmergencyExits rows={emergency.data} /> : null}</div>
      {comparison.data ? <ComparisonCard data={comparison.data} simulatorClock={simulatorClock} /> : null}
    </div>
  );
}
