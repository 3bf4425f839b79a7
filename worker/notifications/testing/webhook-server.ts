// A local HTTP server standing in for Slack: records every request body, answers with the
// configured status, or never answers (to test timeouts).
import http from "node:http";
import type net from "node:net";

export interface WebhookServer {
  url: string;
  bodies: unknown[];
  respondWith: { status: number; hang: boolean };
  close(): Promise<void>;
}

export async function startWebhookServer(): Promise<WebhookServer> {
  const bodies: unknown[] = [];
  const respondWith = { status: 200, hang: false };
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (d: Buffer) => (raw += d.toString()));
    req.on("end", () => {
      bodies.push({ method: req.method, contentType: req.headers["content-type"], json: JSON.parse(raw) as unknown });
      if (respondWith.hang) return;
      res.writeHead(respondWith.status, { "content-type": "text/plain" }).end(respondWith.status === 200 ? "ok" : "no");
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/secret-token`,
    bodies,
    respondWith,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
