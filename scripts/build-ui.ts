// `npm run build:ui`: builds the dashboard into build/ui (the service also does it at start when needed).
import { buildUi, UI_BUILD_DIR } from '../server/ui/build';

const started = Date.now();
buildUi().then(
  () =>
    console.log(
      `Built the dashboard into ${UI_BUILD_DIR} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    ),
  (error: unknown) => {
    console.error(`Building the dashboard failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
