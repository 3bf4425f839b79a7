"use client";
import { useEffect, useRef, type ReactNode } from "react";

/** A modal with one clear confirm and one cancel; Escape cancels. Focus starts on `autofocus` content or confirm. */
export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  confirmClass?: string;
  busy?: boolean;
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
}) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  const { onCancel } = props;
  useEffect(() => {
    const box = confirmRef.current?.closest("[role=dialog]");
    const first = box?.querySelector<HTMLElement>("textarea, input");
    (first ?? confirmRef.current)?.focus();
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onCancel();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onCancel]);
  return (
    <div className="overlay" onClick={(e) => e.target === e.currentTarget && props.onCancel()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label={props.title} data-testid={props.testId}>
        <h2>{props.title}</h2>
        {props.children}
        <div className="btn-row">
          <button ref={confirmRef} type="button" className={`btn ${props.confirmClass ?? ""}`} disabled={props.busy || props.confirmDisabled} onClick={props.onConfirm}>
            {props.busy ? "Working…" : props.confirmLabel}
          </button>
          <button type="button" className="btn" onClick={props.onCancel} disabled={props.busy}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
