import express, { Router } from 'express';

/** What a page of the LWC bundle needs from the service. */
export interface BundlePageDeps {
  /** The built UI (build/ui); without it the page loads no script (tests of the routes). */
  uiDir?: string;
  /** False while the bundle is being built (first start, or after an update): the page says so. */
  isUiReady?: () => boolean;
}

export interface BundlePage {
  /** The page's paths (client-side routes all get the same page). */
  paths: string | string[];
  /** Where the bundle and the SLDS styles are served, e.g. `/assets`. */
  assetsPath: string;
  /** The page itself. */
  html: string;
  /** The page shown while the bundle is being built, and when to try again (seconds). */
  building: { html: string; retryAfterSeconds: number };
}

/**
 * Serves one page of the LWC bundle and its assets. Both the standalone app and the framed
 * dashboard are such a page; they differ in their root module, their head and their assets path.
 */
export function bundlePageRoutes(deps: BundlePageDeps, page: BundlePage): Router {
  const router = Router();
  router.get(page.paths, (_req, res) => {
    res.set('Cache-Control', 'no-cache');
    if (deps.isUiReady && !deps.isUiReady()) {
      res
        .status(503)
        .set('Retry-After', String(page.building.retryAfterSeconds))
        .type('html')
        .send(page.building.html);
      return;
    }
    res.type('html').send(page.html);
  });
  if (deps.uiDir) {
    router.use(page.assetsPath, express.static(deps.uiDir, { index: false, fallthrough: true, maxAge: 0 }));
  }
  return router;
}

/** The HTML of a bundle page: SLDS, the page's styles and module, one root element. */
export function bundlePageHtml(options: {
  assetsPath: string;
  script: string;
  stylesheet: string;
  extraHead?: string;
}): string {
  const { assetsPath, script, stylesheet } = options;
  const extraHead = options.extraHead ? `\n    ${options.extraHead}` : '';
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />${extraHead}
    <title>Signalfit</title>
    <link rel="stylesheet" href="${assetsPath}/slds/styles/salesforce-lightning-design-system.min.css" />
    <link rel="stylesheet" href="${assetsPath}/${stylesheet}" />
    <script type="module" src="${assetsPath}/${script}"></script>
  </head>
  <body>
    <div id="root" class="slds-scope"></div>
    <noscript>Signalfit needs JavaScript.</noscript>
  </body>
</html>
`;
}
