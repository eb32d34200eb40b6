import express, { Router } from 'express';

export interface AppPageDeps {
  /** The built UI (build/ui); without it the page loads no script (tests of the routes). */
  uiDir?: string;
  /** False while the bundle is being built (first start, or after an update): the page says so. */
  isUiReady?: () => boolean;
}

/** The standalone app's client-side routes: each deep link loads the same page. */
export const APP_PATHS = ['/', '/accounts', '/accounts/:id', '/people/:id'];

/**
 * The standalone web app at `/`: the same LWC bundle as the framed dashboard (/embed), with the
 * app shell (sf/appShell) as its root. `/assets/*` serves the bundle and the SLDS styles.
 */
export function appPageRoutes(deps: AppPageDeps): Router {
  const router = Router();

  router.get(APP_PATHS, (_req, res) => {
    res.set('Cache-Control', 'no-cache');
    if (deps.isUiReady && !deps.isUiReady()) {
      res.status(503).set('Retry-After', '5').type('html').send(BUILDING_HTML);
      return;
    }
    res.type('html').send(APP_HTML);
  });
  if (deps.uiDir) {
    router.use('/assets', express.static(deps.uiDir, { index: false, fallthrough: true, maxAge: 0 }));
  }
  return router;
}

export const APP_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Signalfit</title>
    <link rel="stylesheet" href="/assets/slds/styles/salesforce-lightning-design-system.min.css" />
    <link rel="stylesheet" href="/assets/app.css" />
    <script type="module" src="/assets/app.js"></script>
  </head>
  <body>
    <div id="root" class="slds-scope"></div>
    <noscript>Signalfit needs JavaScript.</noscript>
  </body>
</html>
`;

// Refreshes itself: on a fresh clone the first start builds the UI in the background.
const BUILDING_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><meta http-equiv="refresh" content="5" /><title>Signalfit</title></head>
  <body style="font-family: sans-serif; padding: 2rem">
    <p role="status">Signalfit is building its web app after an install or update (about half a minute on a small machine). This page reloads by itself.</p>
  </body>
</html>
`;
