// Posts a Slack-compatible message ({"text": ...}) to the configured webhook. Bounded by a
// timeout and never throws: a slow or broken chat service must not delay or break the watchdog.
// The URL is a secret (Slack puts the token in the path): it never appears in results or logs.
export interface WebhookResult {
  ok: boolean;
  /** HTTP status when the server answered */
  status: number | null;
  /** what went wrong, for the log */
  error: string | null;
}

export async function postWebhook(url: string, text: string, opts: { timeoutMs: number; fetch?: typeof fetch }): Promise<WebhookResult> {
  const doFetch = opts.fetch ?? fetch;
  try {
    const res = await doFetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text }),
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    await res.body?.cancel().catch(() => {});
    if (res.ok) return { ok: true, status: res.status, error: null };
    return { ok: false, status: res.status, error: `webhook answered HTTP ${res.status}; check WATCHDOG_WEBHOOK_URL` };
  } catch (err) {
    const e = err as Error;
    const why = e.name === "TimeoutError" || e.name === "AbortError" ? `no answer within ${opts.timeoutMs} ms` : (e.message || String(err));
    return { ok: false, status: null, error: `webhook call failed: ${why}` };
  }
}
