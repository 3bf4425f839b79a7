// Case-insensitive parsing. Anything that is not one of the words counts as the toggle's
// safest value and yields a warning naming the variable and the bad value (docs/safety-invariants.md).
import { TOGGLE_VALUES, type ToggleKey, type ToggleSet } from "./toggle-definitions";

export interface ParsedToggle<K extends ToggleKey> {
  value: ToggleSet[K];
  warning: string | null;
}

export function parseToggle<K extends ToggleKey>(key: K, raw: string): ParsedToggle<K> {
  const allowed = TOGGLE_VALUES[key] as unknown as readonly ToggleSet[K][];
  const word = raw.trim().toUpperCase();
  const hit = allowed.find((v) => v === word);
  if (hit !== undefined) return { value: hit, warning: null };
  const safest = allowed[0]!;
  return {
    value: safest,
    warning: `${key}=${JSON.stringify(raw)} is not one of ${allowed.join(", ")}; treating it as ${safest} (the safest value).`,
  };
}

export interface ParsedFlag {
  value: boolean | null;
  warning: string | null;
}

/** EXIT_BRAIN_V3_ENABLED: consistency flag only (true/false, 1/0, yes/no). */
export function parseEnabledFlag(raw: string | undefined): ParsedFlag {
  if (raw === undefined || raw.trim() === "") return { value: null, warning: null };
  const w = raw.trim().toLowerCase();
  if (["true", "1", "yes"].includes(w)) return { value: true, warning: null };
  if (["false", "0", "no"].includes(w)) return { value: false, warning: null };
  return { value: null, warning: `EXIT_BRAIN_V3_ENABLED=${JSON.stringify(raw)} is not true or false; ignoring it.` };
}

export interface ParsedCeilings {
  ceilings: Partial<ToggleSet>;
  enabledFlag: boolean | null;
  warnings: string[];
}

/** Reads the deployment ceilings from environment-style strings (unset = no ceiling). */
export function parseCeilings(source: Partial<Record<ToggleKey | "EXIT_BRAIN_V3_ENABLED", string | undefined>>): ParsedCeilings {
  const ceilings: Partial<ToggleSet> = {};
  const warnings: string[] = [];
  for (const key of Object.keys(TOGGLE_VALUES) as ToggleKey[]) {
    const raw = source[key];
    if (raw === undefined || raw.trim() === "") continue;
    const parsed = parseToggle(key, raw);
    (ceilings as Record<ToggleKey, string>)[key] = parsed.value;
    if (parsed.warning) warnings.push(parsed.warning);
  }
  const flag = parseEnabledFlag(source.EXIT_BRAIN_V3_ENABLED);
  if (flag.warning) warnings.push(flag.warning);
  return { ceilings, enabledFlag: flag.value, warnings };
}
