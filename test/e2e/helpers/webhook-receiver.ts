/**
 * A loopback webhook receiver for notification tests: node:http on 127.0.0.1 (a free port), recording
 * every request's path, headers and JSON body; answers with the status `respond` returns (204 by default).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  method: string;
  /** Path and query, e.g. `/hook?sig=x`. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, any>;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/hook` */
  url: string;
  received: ReceivedHook[];
  /** Bodies' `type`s, in order of arrival. */
  types(): string[];
  close(): Promise<void>;
}

export async function startReceiver(respond: (hook: ReceivedHook, n: number) => number = () => 204): Promise<WebhookReceiver> {
  const received: ReceivedHook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, any>;
      try {
        body = JSON.parse(text) as Record<string, any>;
      } catch {
        body = { unparsed: text };
      }
      const hook: ReceivedHook = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      received.push(hook);
      res.statusCode = respond(hook, received.length);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    types: () => received.map((r) => String(r.body.type)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
