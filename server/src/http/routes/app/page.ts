import type { Router } from 'express';
import { bundlePageHtml, bundlePageRoutes, type BundlePageDeps } from '../ui/bundlePage';

export type AppPageDeps = BundlePageDeps;

/** The standalone app's client-side routes: each deep link loads the same page. */
export const APP_PATHS = [
  '/',
  '/accounts',
  '/accounts/:id',
  '/people/:id',
  // The Segments section: the list, a segment (`new` and `upload` are forms), its builder.
  '/segments',
  '/segments/:id',
  '/segments/:id/edit',
  // The Reports section: the list and the two reports (their settings are the query).
  '/reports',
  '/reports/segment-performance',
  '/reports/model-insights',
  // The Models page (model versions, the candidate and its comparison), listed under Reports.
  '/models',
  // The Orchestrations section: the list, the wizard (`new`), a preview, its form, its history.
  '/orchestrations',
  '/orchestrations/:id',
  '/orchestrations/:id/edit',
  '/orchestrations/:id/history',
  // The Admin section: its entrance and its tabs, each at its own address.
  '/admin',
  '/users',
  '/optouts',
  '/audit',
  '/retention',
  '/offboarding',
];

export const APP_HTML = bundlePageHtml({ assetsPath: '/assets', script: 'app.js', stylesheet: 'app.css' });

// Refreshes itself: on a fresh clone the first start builds the UI in the background.
const BUILDING_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><meta http-equiv="refresh" content="5" /><title>Signalfit</title></head>
  <body style="font-family: sans-serif; padding: 2rem">
    <p role="status">Signalfit is building its web app after an install or update (about half a minute on a small machine). This page reloads by itself.</p>
  </body>
</html>
`;

/**
 * The standalone web app at `/`: the same LWC bundle as the framed dashboard (/embed), with the
 * app shell (sf/appShell) as its root. `/assets/*` serves the bundle and the SLDS styles.
 */
export function appPageRoutes(deps: AppPageDeps): Router {
  return bundlePageRoutes(deps, {
    paths: APP_PATHS,
    assetsPath: '/assets',
    html: APP_HTML,
    building: { html: BUILDING_HTML, retryAfterSeconds: 5 },
  });
}
