import express, { Router } from 'express';

export interface EmbedPageDeps {
  /** Origin patterns allowed to frame the page and post it tokens. */
  allowedOrigins: readonly string[];
  /** The built dashboard (build/ui); without it the page loads no script (tests of the headers). */
  uiDir?: string;
  /** False while the bundle is being built (first start, or after an update): the page says so. */
  isUiReady?: () => boolean;
}

/**
 * `GET /embed`: the dashboard page Salesforce frames. It loads the LWC bundle and waits for its
 * parent to post `{type: 'signalfit:token', token}`; the origins it accepts that message from are
 * written into the page. Framing is decided by the app's CSP `frame-ancestors` (same list); no
 * X-Frame-Options is sent. `/embed/assets/*` serves the built bundle and the SLDS styles.
 */
export function embedPageRoutes(deps: EmbedPageDeps): Router {
  const router = Router();
  const html = embedHtml(deps.allowedOrigins);

  router.get('/embed', (_req, res) => {
    res.set('Cache-Control', 'no-cache');
    if (deps.isUiReady && !deps.isUiReady()) {
      res.status(503).set('Retry-After', '30').type('html').send(BUILDING_HTML);
      return;
    }
    res.type('html').send(html);
  });
  if (deps.uiDir) {
    router.use(
      '/embed/assets',
      express.static(deps.uiDir, { index: false, fallthrough: true, immutable: false, maxAge: 0 }),
    );
  }
  return router;
}

export function embedHtml(allowedOrigins: readonly string[]): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="signalfit-allowed-origins" content="${escapeAttribute(allowedOrigins.join(' '))}" />
    <title>Signalfit</title>
    <link rel="stylesheet" href="/embed/assets/slds/styles/salesforce-lightning-design-system.min.css" />
    <link rel="stylesheet" href="/embed/assets/embed.css" />
    <script type="module" src="/embed/assets/main.js"></script>
  </head>
  <body>
    <div id="root" class="slds-scope"></div>
    <noscript>Signalfit needs JavaScript.</noscript>
  </body>
</html>
`;
}

const BUILDING_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Signalfit</title></head>
  <body><p role="status">The Signalfit dashboard is being built after an install or update. Try again in a minute.</p></body>
</html>
`;

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
