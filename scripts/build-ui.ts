// `npm run build:ui`: builds the dashboard into build/ui. With --if-stale (`npm run build`, and
// `npm pack` through prepack) it keeps a bundle already built from the current sources.
import { buildUi, isUiBuildCurrent, UI_BUILD_DIR } from '../server/ui/build';

const started = Date.now();
if (process.argv.includes('--if-stale') && isUiBuildCurrent()) {
  console.log(`The dashboard in ${UI_BUILD_DIR} is up to date`);
} else {
  buildUi().then(
    () =>
      console.log(
        `Built the dashboard into ${UI_BUILD_DIR} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      ),
    (error: unknown) => {
      console.error(
        `Building the dashboard failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exit(1);
    },
  );
}
