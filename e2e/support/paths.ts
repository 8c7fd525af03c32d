import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const artifactsDir = path.join(repoRoot, 'e2e', 'artifacts');

/** The server serves dist/web; without a build every page would be the "not built yet" text. */
export function assertConsoleBuilt(): void {
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'web', 'index.html'))) {
    throw new Error('The console is not built: run `npm run build:web` (npm run test:e2e does it for you).');
  }
}
