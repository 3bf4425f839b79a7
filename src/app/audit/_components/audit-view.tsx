"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../../trpc/react";
import { ErrorBox } from "../../_components/error-box";
import { AuditTable } from "./audit-table";

const SOURCES = ["dashboard", "api", "cli", "env", "watchdog"] as const;
const KINDS = ["escalation", "rollback", "neutral"] as const;

export function AuditView() {
  const trpc = useTRPC();
  const [source, setSource] = useState<(typeof SOURCES)[number] | "">("");
  const [kind, setKind] = useState<(typeof KINDS)[number] | "">("");
  const [actor, setActor] = useState("");
  const q = useQuery(
    trpc.audit.list.queryOptions(
      { ...(source ? { source } : {}), ...(kind ? { kind } : {}), ...(actor.trim() ? { actor: actor.trim() } : {}), limit: 200 },
      { refetchInterval: 1000, placeholderData: keepPreviousData },
    ),
  );
  return (
    <div className="stack">
      <div className="filters card" role="search" aria-label="Filters">
        <label className="field">
          <span>Source</span>
          <select className="input" value={source} onChange={(e) => setSource(e.target.value as typeof source)}>
            <option value="">any</option>
            {SOURCES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Kind</span>
          <select className="input" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            <option value="">any</option>
            {KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Who (contains)</span>
          <input className="input" value={actor} onChange={(e) => setActor(e.target.value)} placeholder="e.g. alice@" />
        </label>
      </div>
      <ErrorBox error={q.error} />
      {q.data ? <AuditTable rows={q.data} /> : <p className="muted">Loading…</p>}
    </div>
  );
}
