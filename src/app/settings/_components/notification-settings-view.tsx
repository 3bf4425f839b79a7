"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../../trpc/react";
import { ErrorBox } from "../../_components/error-box";
import { TimeText } from "../../_components/time-zone";

const STATUS_TONE: Record<string, string> = { delivered: "tone-ok", pending: "tone-warn", failed: "tone-bad", no_sink: "tone-muted" };

/**
 * The webhook sink: a Slack-compatible incoming webhook (JSON POST with `text`) for every state
 * change, LIVE request, approval, rollback, watchdog action and unprotected position. The stored
 * URL is a secret: the page only ever receives its masked form, so saving without typing a new
 * URL keeps the old one.
 */
export function NotificationSettingsView() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const settings = useQuery(trpc.notifications.settings.queryOptions());
  const deliveries = useQuery(trpc.notifications.deliveries.queryOptions({ limit: 20 }, { refetchInterval: 2000 }));
  const [url, setUrl] = useState("");
  const [edited, setEdited] = useState<{ enabled: boolean; grace: string } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const refresh = () => void qc.invalidateQueries();
  const save = useMutation(trpc.notifications.setSettings.mutationOptions({ onSuccess: () => { setUrl(""); setEdited(null); setSaved("Saved."); refresh(); } }));
  const test = useMutation(trpc.notifications.sendTest.mutationOptions({ onSuccess: (r) => { setSaved(`Test notification #${r.id} queued: the worker delivers it within a second (see the deliveries below).`); refresh(); } }));
  const s = settings.data;
  const enabled = edited?.enabled ?? s?.enabled ?? true;
  const grace = edited?.grace ?? String(s?.unprotectedGraceS ?? 60);
  const graceN = Number(grace);
  const graceOk = Number.isInteger(graceN) && graceN >= 0 && graceN <= 86_400;
  const submit = (removeUrl = false) => {
    setSaved(null);
    save.mutate({ webhookUrl: removeUrl ? null : url.trim() ? url.trim() : undefined, enabled, unprotectedGraceS: graceN });
  };
  return (
    <div className="stack">
      <section className="card stack" aria-label="Notifications" data-testid="notification-settings">
        <h2 style={{ margin: 0 }}>Notifications (webhook)</h2>
        <p className="muted small" style={{ margin: 0 }}>
          A JSON POST with a Slack-compatible <span className="mono">text</span> field for every toggle change, LIVE request and approval, rollback, watchdog kill switch, and position left
          without an exchange-side stop past the grace period. Failed deliveries are retried with back-off (8 tries, up to 10 minutes apart) and listed below.
        </p>
        <ErrorBox error={settings.error} />
        {s ? (
          <>
            <p style={{ margin: 0 }} data-testid="webhook-current">
              Current URL:{" "}
              {s.webhookUrlMasked ? (
                <span className="mono">{s.webhookUrlMasked}</span>
              ) : s.fallbackFromEnvironment ? (
                <span>none set here; WATCHDOG_WEBHOOK_URL from the environment is used</span>
              ) : (
                <span className="tone-warn">none: notifications are recorded but not sent</span>
              )}
              {s.updatedBy ? (
                <span className="muted small">
                  {" "}
                  (changed by {s.updatedBy}, <TimeText at={s.updatedAt} />)
                </span>
              ) : null}
            </p>
            <div className="field">
              <label htmlFor="webhook-url">
                <span>New webhook URL (https://…; plain http only to {s.httpHosts.length ? s.httpHosts.join(", ") : "hosts listed in NOTIFY_HTTP_HOSTS"})</span>
              </label>
              <input
                id="webhook-url"
                className="input mono"
                type="url"
                value={url}
                onChange={(e) => setUrl(e.target.value)}
                placeholder={s.webhookUrlMasked ? "leave empty to keep the current URL" : "https://hooks.slack.com/services/…"}
                autoComplete="off"
                spellCheck={false}
                data-testid="webhook-url"
              />
            </div>
            <label className="small" style={{ display: "flex", gap: 8, alignItems: "center" }}>
              <input type="checkbox" checked={enabled} onChange={(e) => setEdited({ enabled: e.target.checked, grace })} data-testid="webhook-enabled" />
              Send notifications
            </label>
            <div className="field" style={{ maxWidth: 320 }}>
              <label htmlFor="unprotected-grace">
                <span>Notify about a position without a stop after (seconds)</span>
              </label>
              <input id="unprotected-grace" className="input" inputMode="numeric" value={grace} onChange={(e) => setEdited({ enabled, grace: e.target.value })} aria-invalid={!graceOk} />
              {!graceOk ? <span className="small tone-bad">A whole number of seconds from 0 to 86400.</span> : null}
            </div>
            <div className="btn-row">
              <button type="button" className="btn" disabled={save.isPending || !graceOk} onClick={() => submit()} data-testid="webhook-save">
                {save.isPending ? "Saving…" : "Save"}
              </button>
              <button type="button" className="btn" disabled={test.isPending} onClick={() => { setSaved(null); test.mutate(); }} data-testid="webhook-test">
                Send a test notification
              </button>
              {s.webhookUrlMasked ? (
                <button type="button" className="btn" disabled={save.isPending} onClick={() => submit(true)}>
                  Remove the URL
                </button>
              ) : null}
            </div>
            <ErrorBox error={save.error ?? test.error} />
            {saved ? (
              <p className="success" role="status" style={{ margin: 0 }} data-testid="webhook-saved">
                {saved}
              </p>
            ) : null}
          </>
        ) : null}
      </section>
      <section className="card" aria-label="Deliveries" data-testid="deliveries">
        <h2>
          Deliveries <span className="muted small">the latest 20</span>
        </h2>
        <ErrorBox error={deliveries.error} />
        {deliveries.data && deliveries.data.length === 0 ? <p className="muted">Nothing to deliver yet.</p> : null}
        {deliveries.data && deliveries.data.length > 0 ? (
          <div className="table-wrap">
            <table className="table cards-sm">
              <thead>
                <tr>
                  <th>Queued</th>
                  <th>Event</th>
                  <th>Status</th>
                  <th className="num">Attempts</th>
                  <th>Last answer</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.data.map((d) => (
                  <tr key={d.id} data-testid="delivery-row" data-event={d.event} data-status={d.status}>
                    <td data-label="Queued" className="nowrap small">
                      <TimeText at={d.createdAt} />
                      <div className="muted">#{d.id}</div>
                    </td>
                    <td data-label="Event" className="mono small">{d.event}</td>
                    <td data-label="Status">
                      <span className={`pill ${STATUS_TONE[d.status] ?? ""}`}>{d.status === "no_sink" ? "not sent" : d.status}</span>
                      {d.status === "pending" && d.attempts > 0 && d.nextAttemptAt ? (
                        <div className="muted small">
                          retry at <TimeText at={d.nextAttemptAt} />
                        </div>
                      ) : null}
                    </td>
                    <td data-label="Attempts" className="num">
                      {d.attempts} / {d.maxAttempts}
                    </td>
                    <td data-label="Last answer" className="small wrap">
                      {d.status === "delivered" ? `HTTP ${d.lastHttpStatus ?? "?"}` : (d.lastError ?? "—")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}
