"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../trpc/react";

/** On every page: a LIVE request waiting for a second operator (it expires in 15 minutes). */
export function ApprovalBadge() {
  const trpc = useTRPC();
  const q = useQuery(trpc.toggles.liveRequests.queryOptions(undefined, { refetchInterval: 3000 }));
  const pending = (q.data ?? []).filter((r) => r.status === "pending");
  if (pending.length === 0) return null;
  const r = pending[0]!;
  return (
    <a className="badge-approval" href="/controls#live-requests" data-testid="approval-badge" title={`LIVE request #${r.id} by ${r.requestedBy} waits for a different operator's approval`}>
      LIVE approval pending #{r.id}
    </a>
  );
}
