// The executor's view of the toggles while the database refuses writes (disk full): the same as
// when the stored state cannot be confirmed, SHADOW: no executor order, no cancel, no replace, so
// what rests on the exchange stays. The gateway still checks the committed state itself.
import type { ToggleView, ToggleWatcher } from "../toggles/toggle-watcher";

type Watcher = Pick<ToggleWatcher, "view" | "on" | "off">;
type ChangeListener = (view: ToggleView, prev: ToggleView | null) => void;

export interface DemotingToggles extends Watcher {
  /** call when `refused()` may have changed: listeners get the new view */
  refresh(): void;
}

export function demoteWhileWritesRefused(toggles: Watcher, refused: () => boolean): DemotingToggles {
  const wrapped = new Map<ChangeListener, ChangeListener>();
  const listeners = new Set<ChangeListener>();
  const demote = (v: ToggleView): ToggleView => (refused() && v.state === "EXIT_BRAIN_V3_LIVE" ? { ...v, state: "EXIT_BRAIN_V3_SHADOW", confirmed: false } : v);
  const self: DemotingToggles = {
    view: () => demote(toggles.view()),
    // The watcher has one event, "change"; its listeners get the demoted view.
    on(event, listener) {
      const l = listener as unknown as ChangeListener;
      const w: ChangeListener = (v, prev) => l(demote(v), prev);
      wrapped.set(l, w);
      listeners.add(l);
      return toggles.on(event, w as unknown as typeof listener);
    },
    off(event, listener) {
      const l = listener as unknown as ChangeListener;
      const w = wrapped.get(l);
      wrapped.delete(l);
      listeners.delete(l);
      return toggles.off(event, (w ?? l) as unknown as typeof listener);
    },
    refresh() {
      const v = self.view();
      for (const l of listeners) l(v, null);
    },
  };
  return self;
}
