import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { RollupLwcOptions } from '@lwc/rollup-plugin';
import type { RollupReplaceOptions } from '@rollup/plugin-replace';
import type { Plugin } from 'rollup';

/**
 * Builds the dashboard (LWC OSS components in server/ui/src) into build/ui with rollup and the
 * LWC compiler, and copies the SLDS stylesheet beside it. `npm run build` (and `npm pack`, through
 * `prepack`) builds it. In a clone with the dev dependencies the service also builds a missing or
 * stale bundle at start, so `npm install && npm start` serves the dashboard; an install without
 * the build tools (the packed package, `npm ci --omit=dev`) serves the bundle it has, as it is.
 */
const ROOT = path.resolve(__dirname, '..', '..');
export const UI_SOURCE_DIR = path.join(ROOT, 'server', 'ui', 'src');
export const UI_BUILD_DIR = path.join(ROOT, 'build', 'ui');
const STAMP_FILE = 'build-stamp.txt';
/** Packages whose versions change the bundle. */
const BUILD_PACKAGES = [
  'lwc',
  'rollup',
  '@lwc/rollup-plugin',
  '@lwc/synthetic-shadow',
  '@rollup/plugin-replace',
  'lightning-base-components',
  '@salesforce-ux/design-system',
  'chart.js',
  '@kurkle/color',
];
/** Plain ES-module packages the components import (the LWC plugin resolves only LWC modules). */
const ES_MODULE_PACKAGES = ['chart.js', '@kurkle/color'];
const SLDS_CSS = path.join('assets', 'styles', 'salesforce-lightning-design-system.min.css');

/** A digest of everything the bundle is built from: the sources, this file, the package versions. */
export function uiSourceStamp(): string {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(UI_SOURCE_DIR), __filename]) {
    hash.update(path.relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  for (const name of BUILD_PACKAGES) hash.update(`${name}@${packageVersion(name)}\0`);
  return hash.digest('hex');
}

/** True when build/ui holds a bundle of the current sources. */
export function isUiBuildCurrent(dir = UI_BUILD_DIR): boolean {
  const stamp = path.join(dir, STAMP_FILE);
  return existsSync(stamp) && readFileSync(stamp, 'utf8') === uiSourceStamp();
}

/** True when build/ui holds a finished bundle (the stamp is written last), whatever it was built from. */
export function hasUiBundle(dir = UI_BUILD_DIR): boolean {
  return existsSync(path.join(dir, STAMP_FILE));
}

/**
 * True when this copy can build the dashboard: the UI sources and every build package are
 * installed beside it, as in a clone with its dev dependencies. The packed package ships neither.
 */
export function canBuildUi(): boolean {
  return existsSync(UI_SOURCE_DIR) && BUILD_PACKAGES.every((name) => packageVersion(name) !== 'missing');
}

export interface UiBundle {
  /** True once build/ui holds the current bundle. */
  isReady(): boolean;
  /** Settles when the bundle is ready (or its build failed). */
  settled: Promise<void>;
}

/**
 * Makes sure the service has a current bundle without delaying its start: a missing or stale
 * bundle is built in the background (about 30 s) while the service already answers. The build
 * runs in a child process (`npm run build:ui`): rollup in the service's own process would hold
 * its event loop for most of those seconds, and every request with it.
 */
export function prepareUi(log: { info(msg: string): void; error(obj: object, msg: string): void }): UiBundle {
  if (!canBuildUi()) {
    // Production install: the bundle was built before packing; no staleness check, no build.
    const ready = hasUiBundle();
    if (!ready)
      log.error(
        { uiDir: UI_BUILD_DIR },
        'no dashboard bundle in build/ui and no build tools to make one: /embed answers 503; run `npm run build` where the dev dependencies are installed',
      );
    return { isReady: () => ready, settled: Promise.resolve() };
  }
  let ready = isUiBuildCurrent();
  const settled = ready
    ? Promise.resolve()
    : (async () => {
        log.info('building the dashboard (build/ui) in the background');
        try {
          await buildUiInChildProcess();
          ready = true;
          log.info('dashboard built');
        } catch (error) {
          log.error({ err: error }, 'building the dashboard failed: /embed answers 503 until it is fixed');
        }
      })();
  return { isReady: () => ready, settled };
}

/** Runs scripts/build-ui.ts in a child process; rejects with its error output when it fails. */
function buildUiInChildProcess(): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'bin', 'tsx.js'), path.join(ROOT, 'scripts', 'build-ui.ts')],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) => (error ? reject(new Error(stderr.trim() || error.message)) : resolve()),
    );
  });
}

/** Builds the bundle unless the current one is up to date; returns whether it built. */
export async function ensureUiBuilt(onBuildStart?: () => void): Promise<boolean> {
  if (isUiBuildCurrent()) return false;
  onBuildStart?.();
  await buildUi();
  return true;
}

/** Builds into a temporary folder, then swaps it in, so a running service never sees half a bundle. */
export async function buildUi(outDir = UI_BUILD_DIR): Promise<void> {
  // Loaded here, not at the top: a service whose bundle is current never loads the build tools.
  const { rollup } = await import('rollup');
  const lwc = pluginFactory<RollupLwcOptions>(await import('@lwc/rollup-plugin'));
  const replace = pluginFactory<RollupReplaceOptions>(await import('@rollup/plugin-replace'));

  const stamp = uiSourceStamp();
  removeStaleStaging(outDir);
  const staging = `${outDir}.tmp-${process.pid}-${Date.now()}`;
  try {
    const bundle = await rollup({
      // Two entrances, one code base: the framed dashboard (/embed) and the standalone app (/).
      input: { main: path.join(UI_SOURCE_DIR, 'main.js'), app: path.join(UI_SOURCE_DIR, 'app.js') },
      plugins: [
        // lightning-base-components read these at run time; outside Salesforce they must be constants.
        replace({
          preventAssignment: true,
          values: { 'import.meta.env.SSR': 'false', 'process.env.NODE_ENV': JSON.stringify('production') },
        }),
        esModulePackages(ES_MODULE_PACKAGES),
        lwc({
          rootDir: path.join(UI_SOURCE_DIR, 'modules'),
          modules: [{ dir: path.join(UI_SOURCE_DIR, 'modules') }, { npm: 'lightning-base-components' }],
        }),
      ],
      onwarn(warning, warn) {
        // lightning/card declares a slot twice (LWC1137); harmless and not ours to fix.
        if (/LWC1137/.test(warning.message)) return;
        warn(warning);
      },
    });
    // Icons are code-split into chunks, so the output is a folder.
    await bundle.write({
      dir: staging,
      format: 'esm',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
    });
    await bundle.close();
    mkdirSync(path.join(staging, 'slds', 'styles'), { recursive: true });
    copyFileSync(
      path.join(packageDir('@salesforce-ux/design-system'), SLDS_CSS),
      path.join(staging, 'slds', 'styles', path.basename(SLDS_CSS)),
    );
    copyFileSync(path.join(UI_SOURCE_DIR, 'embed.css'), path.join(staging, 'embed.css'));
    copyFileSync(path.join(UI_SOURCE_DIR, 'app.css'), path.join(staging, 'app.css'));
    writeFileSync(path.join(staging, STAMP_FILE), stamp);
    swapIn(staging, outDir, stamp);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Replaces outDir with the staged build; when another build won the race with the same stamp, keeps it. */
function swapIn(staging: string, outDir: string, stamp: string): void {
  try {
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(path.dirname(outDir), { recursive: true });
    renameSync(staging, outDir);
  } catch (error) {
    const current = path.join(outDir, STAMP_FILE);
    if (!(existsSync(current) && readFileSync(current, 'utf8') === stamp)) throw error;
  }
}

/** Staging folders of builds whose process died (killed mid-build) are removed. */
function removeStaleStaging(outDir: string): void {
  const parent = path.dirname(outDir);
  if (!existsSync(parent)) return;
  const prefix = `${path.basename(outDir)}.tmp-`;
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (pid !== process.pid && !isAlive(pid))
      rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves each named package to its ES-module entry (`exports["."].import`, else `module`, else `main`). */
function esModulePackages(names: string[]): Plugin {
  return {
    name: 'signalfit-es-module-packages',
    resolveId(source) {
      if (!names.includes(source)) return null;
      const dir = packageDir(source);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        exports?: { '.'?: { import?: string | { default?: string } } };
        module?: string;
        main?: string;
      };
      const entryImport = manifest.exports?.['.']?.import;
      const entry =
        (typeof entryImport === 'string' ? entryImport : entryImport?.default) ??
        manifest.module ??
        manifest.main;
      if (!entry) throw new Error(`${source} names no ES-module entry`);
      return path.join(dir, entry);
    },
  };
}

/** A plugin package's factory, whichever way the CommonJS interop wrapped it. */
function pluginFactory<Options>(loaded: unknown): (options: Options) => Plugin {
  let candidate = loaded;
  while (
    typeof candidate !== 'function' &&
    candidate &&
    typeof candidate === 'object' &&
    'default' in candidate
  ) {
    candidate = (candidate as { default: unknown }).default;
  }
  if (typeof candidate !== 'function') throw new Error('rollup plugin package has no factory');
  return candidate as (options: Options) => Plugin;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const file = path.join(dir, name);
      return statSync(file).isDirectory() ? filesUnder(file) : [file];
    });
}

function packageDir(name: string): string {
  return path.join(ROOT, 'node_modules', name);
}

function packageVersion(name: string): string {
  try {
    return (
      JSON.parse(readFileSync(path.join(packageDir(name), 'package.json'), 'utf8')) as { version: string }
    ).version;
  } catch {
    return 'missing';
  }
}
