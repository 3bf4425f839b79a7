"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../trpc/react";

/** "worker: up, last beat 2 s ago" — refreshed every second. */
export function WorkerStatusBadge() {
  const trpc = useTRPC();
  const { data, error } = useQuery(trpc.health.workerStatus.queryOptions(undefined, { refetchInterval: 1000 }));
  let text = "worker: …";
  let tone = "muted";
  if (error) {
    text = "worker: status unavailable";
    tone = "bad";
  } else if (data) {
    if (data.secondsSinceBeat === null) {
      text = "worker: never seen";
      tone = "bad";
    } else {
      text = `worker: ${data.up ? "up" : "DOWN"}, last beat ${data.secondsSinceBeat} s ago`;
      tone = data.up ? "ok" : "bad";
    }
  }
  return (
    <span className={`badge badge-${tone}`} data-testid="worker-status">
      {text}
    </span>
  );
}
