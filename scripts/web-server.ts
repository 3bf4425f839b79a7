// The Exit Brain web server: Next.js behind a few lines of node:http, started by `npm start`
// (and `npm run dev` with --dev). Two things `next start` cannot do:
//  - listen on WEB_HOST only (default 127.0.0.1; set WEB_HOST=0.0.0.0 to expose the dashboard);
//  - decide the client address from the socket: X-Forwarded-For is believed only from
//    TRUSTED_PROXIES (src/server/auth/forwarded-for.ts) and replaced by the one resolved address
//    before Next sees the request, so sign-in throttling per address cannot be dodged with a
//    made-up header. Forwarded host/proto/port headers from anyone else are dropped.
import http from "node:http";
import { env, EnvError } from "../src/env.js";
import { normalizeAddress, parseTrustedProxies, resolveClientAddress, RESOLVED_MARK, TrustedProxiesError } from "../src/server/auth/forwarded-for";
import { SECURITY_HEADERS } from "../src/server/auth/security-headers.js";

/** Sign-in attempts one client address may have in progress; more are refused before Next runs. */
const SIGNIN_IN_FLIGHT_PER_ADDRESS = 4;
const SIGNIN_PATH = "/api/auth/callback/credentials";
const SIGNIN_BUSY_MESSAGE = "Sign-in is busy (too many attempts at once); try again in a few seconds.";

const dev = process.argv.includes("--dev");
const say = (line: string) => console.log(`[WEB] ${line}`);

let config;
let proxies;
try {
  config = env();
  proxies = parseTrustedProxies(config.TRUSTED_PROXIES);
} catch (err) {
  console.error(err instanceof EnvError || err instanceof TrustedProxiesError ? err.message : err);
  process.exit(2);
}
(process.env as Record<string, string>).NODE_ENV ??= dev ? "development" : "production";

const { default: next } = await import("next");
const app = next({ dev, hostname: config.WEB_HOST, port: config.WEB_PORT });
const handle = app.getRequestHandler();
await app.prepare();
(globalThis as Record<symbol, unknown>)[RESOLVED_MARK] = true;

const signinInFlight = new Map<string, number>();
const server = http.createServer((req, res) => {
  const peer = req.socket.remoteAddress;
  const peerIp = normalizeAddress(peer);
  const fromProxy = peerIp !== null && proxies.check(peerIp, peerIp.includes(":") ? "ipv6" : "ipv4");
  req.headers["x-forwarded-for"] = resolveClientAddress(peer, req.headers["x-forwarded-for"], proxies);
  delete req.headers["x-real-ip"];
  if (!fromProxy) {
    delete req.headers["x-forwarded-host"];
    delete req.headers["x-forwarded-proto"];
    delete req.headers["x-forwarded-port"];
  }
  // A flood of sign-in POSTs from one address is answered here, for a fraction of what Next's
  // pipeline costs per request, so it cannot crowd operators' requests out of this event loop.
  // (verify-login.ts applies the same limit, and the delays, behind it.)
  if (req.method === "POST" && (req.url ?? "").split("?")[0] === SIGNIN_PATH) {
    const client = String(req.headers["x-forwarded-for"]);
    const n = signinInFlight.get(client) ?? 0;
    if (n >= SIGNIN_IN_FLIGHT_PER_ADDRESS) {
      const host = String(req.headers.host ?? `${config.WEB_HOST}:${config.WEB_PORT}`);
      res.writeHead(429, { "content-type": "application/json", "retry-after": "2", ...Object.fromEntries(SECURITY_HEADERS.map((h) => [h.key, h.value])) });
      res.end(JSON.stringify({ url: `http://${host}/signin?error=${encodeURIComponent(SIGNIN_BUSY_MESSAGE)}` }));
      return;
    }
    signinInFlight.set(client, n + 1);
    res.once("close", () => {
      const left = (signinInFlight.get(client) ?? 1) - 1;
      if (left <= 0) signinInFlight.delete(client);
      else signinInFlight.set(client, left);
    });
  }
  handle(req, res).catch((err: unknown) => {
    console.error(`[WEB] ${req.method} ${req.url}: ${err instanceof Error ? err.message : String(err)}`);
    if (!res.headersSent) {
      res.statusCode = 500;
      res.end("Internal error; see the web server's log.");
    }
  });
});
if (dev) {
  const upgrade = app.getUpgradeHandler();
  server.on("upgrade", (req, socket, head) => void upgrade(req, socket, head));
}
// Longer than the usual 5 s so a client (or a proxy) never reuses a connection this server is
// closing at that very moment ("other side closed"); headers must arrive within the same time.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.on("error", (err: NodeJS.ErrnoException) => {
  console.error(
    err.code === "EADDRINUSE"
      ? `[WEB] cannot listen: ${config.WEB_HOST}:${config.WEB_PORT} is in use; set WEB_PORT (or stop the other process).`
      : err.code === "EADDRNOTAVAIL"
        ? `[WEB] cannot listen on WEB_HOST=${config.WEB_HOST}: no such address on this machine; use 127.0.0.1, 0.0.0.0 or one of its addresses.`
        : `[WEB] cannot listen: ${err.message}`,
  );
  process.exit(1);
});
server.listen(config.WEB_PORT, config.WEB_HOST, () => {
  const host = config.WEB_HOST.includes(":") ? `[${config.WEB_HOST}]` : config.WEB_HOST;
  say(`listening on http://${host}:${config.WEB_PORT}${config.WEB_HOST === "127.0.0.1" ? " (this machine only; WEB_HOST=0.0.0.0 exposes it)" : ""}`);
});

let stopping = false;
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeAllConnections();
    void app.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
