"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../../trpc/react";
import { ErrorBox } from "../../_components/error-box";
import { TimeText } from "../../_components/time-zone";

const LEVEL_TONE: Record<string, string> = { warn: "tone-warn", error: "tone-bad", fatal: "tone-bad" };

export function LogView() {
  const trpc = useTRPC();
  const [tag, setTag] = useState("");
  const [symbol, setSymbol] = useState("");
  const [paused, setPaused] = useState(false);
  const sym = symbol.trim().toUpperCase();
  const symOk = sym === "" || /^[A-Z0-9]{2,40}$/.test(sym);
  const q = useQuery(
    trpc.logs.exitLines.queryOptions(
      { ...(tag ? { tag } : {}), ...(sym && symOk ? { symbol: sym } : {}), limit: 300 },
      { refetchInterval: paused ? false : 2000, placeholderData: keepPreviousData },
    ),
  );
  const tags = [...new Set([...(q.data?.tags ?? []), ...(tag ? [tag] : [])])].sort();
  return (
    <div className="stack">
      <div className="filters card" role="search" aria-label="Log filters">
        <label className="field">
          <span>Tag</span>
          <select className="input" value={tag} onChange={(e) => setTag(e.target.value)} data-testid="log-tag">
            <option value="">any [EXIT_*]</option>
            {tags.map((t) => (
              <option key={t} value={t}>{t}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Symbol</span>
          <input className="input" value={symbol} onChange={(e) => setSymbol(e.target.value)} placeholder="e.g. BTCUSDT" aria-invalid={!symOk} data-testid="log-symbol" />
        </label>
        <label className="field">
          <span>Live</span>
          <button type="button" className="btn" onClick={() => setPaused(!paused)} data-testid="log-pause">{paused ? "Resume" : "Pause"}</button>
        </label>
      </div>
      {!symOk ? <p className="error" role="alert">A symbol is letters and digits only, e.g. BTCUSDT.</p> : null}
      <ErrorBox error={q.error} />
      {q.data && !q.data.found ? (
        <p className="muted">{q.data.file ? `No log file at ${q.data.file} yet (the worker creates it when it starts).` : "LOG_FILE is empty: the worker logs to the console only."}</p>
      ) : null}
      {q.data?.found ? (
        <p className="muted small" style={{ margin: 0 }}>
          {q.data.lines.length} line{q.data.lines.length === 1 ? "" : "s"} from the last {(q.data.readBytes / 1024).toFixed(0)} KiB of {q.data.file} ({(q.data.fileBytes / 1024 / 1024).toFixed(1)} MiB){paused ? " — paused" : ""}
        </p>
      ) : null}
      {q.data?.found && q.data.lines.length === 0 ? <p className="muted">No [EXIT_*] line matches.</p> : null}
      {q.data && q.data.lines.length > 0 ? (
        <ol className="plain log-lines" data-testid="log-lines">
          {q.data.lines.map((l, i) => (
            <li key={`${l.time}-${i}`} className="card small" data-tag={l.tag} style={{ padding: "6px 10px" }}>
              <span className="muted nowrap"><TimeText at={l.time} /></span>{" "}
              <span className={`pill ${LEVEL_TONE[l.level] ?? "tone-muted"}`}>{l.level}</span>{" "}
              <span className="mono" style={{ overflowWrap: "anywhere" }}>{l.msg}</span>
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
