import type { Router } from 'express';
import { bundlePageHtml, bundlePageRoutes, type BundlePageDeps } from '../ui/bundlePage';

export interface EmbedPageDeps extends BundlePageDeps {
  /** Origin patterns allowed to frame the page and post it tokens. */
  allowedOrigins: readonly string[];
}

/**
 * `GET /embed`: the dashboard page Salesforce frames. It loads the LWC bundle and waits for its
 * parent to post `{type: 'signalfit:token', token}`; the origins it accepts that message from are
 * written into the page. Framing is decided by the app's CSP `frame-ancestors` (same list); no
 * X-Frame-Options is sent. `/embed/assets/*` serves the built bundle and the SLDS styles.
 */
export function embedPageRoutes(deps: EmbedPageDeps): Router {
  return bundlePageRoutes(deps, {
    paths: '/embed',
    assetsPath: '/embed/assets',
    html: embedHtml(deps.allowedOrigins),
    building: { html: BUILDING_HTML, retryAfterSeconds: 30 },
  });
}

export function embedHtml(allowedOrigins: readonly string[]): string {
  return bundlePageHtml({
    assetsPath: '/embed/assets',
    script: 'main.js',
    stylesheet: 'embed.css',
    extraHead: `<meta name="signalfit-allowed-origins" content="${escapeAttribute(allowedOrigins.join(' '))}" />`,
  });
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
