// node:http front of the simulator: /fapi/* (Binance's futures REST subset, with signature
// checks and injected faults) and /admin/* (JSON control API). Answers are JSON; errors use
// Binance's {"code","msg"} shape and HTTP status.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { SimApiError } from "../engine/sim-error";
import { verifyApiKey, verifySignedRequest, type Credentials } from "../api/signature";
import type { Route } from "../api/fapi-routes";
import type { AdminRouter } from "../admin/admin-routes";
import { malformBody, type FaultInjector } from "./faults";
import type { WeightLimiter } from "./weight-limiter";

export interface HttpDeps {
  routes: Route[];
  admin: AdminRouter;
  faults: FaultInjector;
  /** Binance's per-IP request weight: X-MBX-USED-WEIGHT-1M on every answer, 429/418 past the limit */
  weights: WeightLimiter;
  creds: Credentials;
  wallNow: () => number;
  log: (line: string) => void;
}

const MAX_BODY = 64 * 1024;

export function createHttpServer(deps: HttpDeps): http.Server {
  const byKey = new Map(deps.routes.map((r) => [`${r.method} ${r.path}`, r]));
  const held = new Set<Socket>();
  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      deps.log(`internal error on ${req.method} ${req.url}: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) send(res, 500, { code: -1000, msg: "An unknown error occurred while processing the request." });
    });
  });
  server.on("close", () => held.forEach((s) => s.destroy()));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sim");
    const method = (req.method ?? "GET").toUpperCase();
    const rawBody = await readBody(req);
    if (url.pathname.startsWith("/admin")) {
      const out = await deps.admin.handle(method, url, rawBody, req.headers);
      return send(res, out.status, out.body);
    }
    const route = byKey.get(`${method} ${url.pathname}`);
    const decision = deps.faults.decide(method, url.pathname, route?.placesOrder === true);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    const fault = decision.terminal;
    if (fault?.kind === "timeout") return hold(res, fault.holdMs);
    if (fault?.kind === "http-5xx") {
      res.writeHead(fault.status, { "content-type": "text/html" });
      res.end(`<html><body><h1>${fault.status} Service Unavailable (injected by the simulator)</h1></body></html>`);
      return;
    }
    if (fault?.kind === "rate-limit") {
      res.setHeader("retry-after", String(fault.retryAfterS));
      return send(res, 429, { code: -1003, msg: "Too many requests; current limit of IP is 2400 requests per minute (injected by the simulator)." });
    }
    if (!route) {
      return send(res, 404, { code: -5000, msg: `Path ${method} ${url.pathname} is not served by the simulator; see sim/README.md for the endpoints it implements.` });
    }
    const params = mergeParams(url.searchParams, rawBody);
    const weight = deps.weights.admit(req.socket.remoteAddress ?? "unknown", route.weight(params), `${method} ${url.pathname}`);
    res.setHeader("x-mbx-used-weight-1m", String(weight.used));
    if (weight.kind !== "ok") {
      res.setHeader("retry-after", String(weight.retryAfterS));
      return send(res, weight.kind === "banned" ? 418 : 429, { code: -1003, msg: weight.message });
    }
    let status = 200;
    let body: unknown;
    try {
      const apiKey = header(req, "x-mbx-apikey");
      if (route.security === "USER_STREAM") verifyApiKey(apiKey, deps.creds);
      if (route.security === "SIGNED") {
        verifySignedRequest(
          { apiKeyHeader: apiKey, rawQuery: url.search.replace(/^\?/, ""), rawBody, timestamp: params.timestamp, recvWindow: params.recvWindow },
          deps.creds,
          deps.wallNow(),
        );
      }
      if (fault?.kind === "reject") throw new SimApiError(fault.code, fault.msg);
      body = route.handle(params);
    } catch (err) {
      if (!(err instanceof SimApiError)) throw err;
      status = err.httpStatus;
      body = { code: err.code, msg: err.message };
    }
    if (fault?.kind === "accept-then-timeout") return hold(res, fault.holdMs);
    if (fault?.kind === "malformed") {
      const text = malformBody(body, fault.malform);
      res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    send(res, status, body);
  }

  /** Never answers: keeps the connection open for holdMs, then drops it. */
  function hold(res: ServerResponse, holdMs: number): void {
    const socket = res.socket;
    if (!socket) return;
    held.add(socket);
    const timer = setTimeout(() => socket.destroy(), holdMs);
    socket.once("close", () => {
      clearTimeout(timer);
      held.delete(socket);
    });
  }

  return server;
}

function mergeParams(query: URLSearchParams, rawBody: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of query) out[k] = v;
  for (const [k, v] of new URLSearchParams(rawBody)) out[k] = v;
  return out;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body ?? {});
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new SimApiError(-1100, "request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
