// @ts-check
// Sent on every page and API answer (issue 13), by next.config.js for what Next serves and by
// src/proxy.ts for the answers the proxy makes itself (401, 403, 415, redirects): no other site
// may frame the dashboard (clickjacking a kill-switch or go-LIVE click), browsers must not guess
// content types, and no URL with a query leaks to another site in Referer.
// Plain JS so next.config.js can import it.

/** @type {ReadonlyArray<{ key: string, value: string }>} */
export const SECURITY_HEADERS = [
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

/**
 * @template {{ headers: Headers }} R
 * @param {R} res
 * @returns {R}
 */
export function withSecurityHeaders(res) {
  for (const { key, value } of SECURITY_HEADERS) res.headers.set(key, value);
  return res;
}
