// Posts one notification to the webhook sink: JSON with a Slack-compatible `text` field. Bounded by
// a timeout and never throws: a slow or broken chat service must not delay or break the watchdog
// or the delivery loop. The URL is a secret (Slack puts the token in the path): it never appears in
// results or logs. Redirects are refused: the admin chose this URL, not whoever answers it.
export interface WebhookResult {
  ok: boolean;
  /** HTTP status when the server answered */
  status: number | null;
  /** what went wrong, for the log and the deliveries table */
  error: string | null;
}

export async function postWebhook(url: string, body: string | Record<string, unknown>, opts: { timeoutMs: number; fetch?: typeof fetch }): Promise<WebhookResult> {
  const doFetch = opts.fetch ?? fetch;
  try {
    const res = await doFetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(typeof body === "string" ? { text: body } : body),
      redirect: "error",
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    await res.body?.cancel().catch(() => {});
    if (res.ok) return { ok: true, status: res.status, error: null };
    return { ok: false, status: res.status, error: `webhook answered HTTP ${res.status}; check the webhook URL (Settings → Notifications, or WATCHDOG_WEBHOOK_URL)` };
  } catch (err) {
    const e = err as Error;
    const why = e.name === "TimeoutError" || e.name === "AbortError" ? `no answer within ${opts.timeoutMs} ms` : (e.message || String(err));
    return { ok: false, status: null, error: `webhook call failed: ${why}` };
  }
}
