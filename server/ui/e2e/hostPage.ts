import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A page that plays the Salesforce side of the embed, as the signalfitPanel component does: it
 * frames the service's /embed, answers `signalfit:ready` and `signalfit:token-expired` with a
 * freshly minted token posted to the service's exact origin, accepts messages only from that
 * origin and that frame, sets the frame's height, and records every message for the test.
 */
export async function startHostPage(props: {
  serviceOrigin: string;
  /** Mints a new embed token (the Apex controller's job in Salesforce); `expired` asks for a stale one. */
  mintToken: (options: { expired: boolean }) => Promise<string>;
}): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    void (async () => {
      if (req.url === '/token' || req.url === '/token?expired=1') {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
        res.end(JSON.stringify({ token: await props.mintToken({ expired: req.url.endsWith('expired=1') }) }));
      } else if (req.url === '/' || req.url?.startsWith('/record')) {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(hostHtml(props.serviceOrigin));
      } else {
        res.writeHead(404).end();
      }
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The browser keeps connections alive; they would hold close() open.
        server.closeAllConnections();
      }),
  };
}

function hostHtml(serviceOrigin: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Acme Cloud | Account | Salesforce (test host)</title>
  <style>
    body { margin: 0; background: #f3f3f3; font-family: sans-serif; }
    .page { padding: 12px; }
    .card { background: #fff; border: 1px solid #dddbda; border-radius: 4px; }
    iframe { display: block; width: 100%; border: 0; height: 600px; }
  </style>
</head>
<body>
  <div class="page"><div class="card">
    <iframe id="signalfit" title="Signalfit account intelligence" src="${serviceOrigin}/embed"></iframe>
  </div></div>
  <script>
    const SERVICE = ${JSON.stringify(serviceOrigin)};
    const frame = document.getElementById('signalfit');
    window.__messages = [];
    // ?expiredFirst: the first token handed over is already expired, as after a long-idle tab.
    let expiredFirst = new URLSearchParams(location.search).has('expiredFirst');
    async function postFreshToken() {
      const { token } = await (await fetch(expiredFirst ? '/token?expired=1' : '/token')).json();
      expiredFirst = false;
      frame.contentWindow.postMessage({ type: 'signalfit:token', token }, SERVICE);
    }
    window.addEventListener('message', (event) => {
      if (event.origin !== SERVICE || event.source !== frame.contentWindow) return;
      const data = event.data || {};
      window.__messages.push(data);
      if (data.type === 'signalfit:ready' || data.type === 'signalfit:token-expired') postFreshToken();
      if (data.type === 'signalfit:height') frame.style.height = Math.min(2000, Math.max(200, data.height)) + 'px';
    });
  </script>
</body>
</html>
`;
}
