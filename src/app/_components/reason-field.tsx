"use client";
import { useId } from "react";
import { REASON_MAX_CHARS } from "../../core/toggles/reason";

/**
 * A reason textarea with a live character counter. It does not cut the text: a reason over the
 * limit is shown as such and the server refuses it with the same limit (one rule, in the service).
 */
export function ReasonField(props: { label: string; value: string; onChange: (v: string) => void; disabled?: boolean; placeholder?: string; testId?: string }) {
  const n = props.value.trim().length;
  const over = n > REASON_MAX_CHARS;
  const id = useId();
  // The counter sits outside the <label>, so the field's accessible name is the label alone.
  return (
    <div className="field">
      <label htmlFor={id}>
        <span>{props.label}</span>
      </label>
      <textarea
        id={id}
        className="input"
        rows={2}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        disabled={props.disabled}
        placeholder={props.placeholder}
        aria-invalid={over}
        data-testid={props.testId}
      />
      <span className={`small reason-count${over ? " over" : ""}`} aria-live="polite" data-testid={props.testId ? `${props.testId}-count` : undefined}>
        {n} / {REASON_MAX_CHARS}
        {over ? ` — ${n - REASON_MAX_CHARS} too many: shorten it` : ""}
      </span>
    </div>
  );
}

export function reasonTooLong(value: string): boolean {
  return value.trim().length > REASON_MAX_CHARS;
}
