"use client";
// Whether this component runs in the browser after hydration: false in the server's render and
// while hydrating, true after. Charts use it to load recharts (380 KB of script, which draws
// nothing on the server) only then, so it is not among the scripts run before the first paint.
import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}
