// Builds the staff console (dist/web) when it is missing or older than any of its sources, so that
// `npm start` on a fresh clone serves a current console without a separate build step.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const output = path.join(root, 'dist', 'web', 'index.html');
const sources = [path.join(root, 'src', 'web'), path.join(root, 'src', 'shared')];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

const builtAt = fs.existsSync(output) ? fs.statSync(output).mtimeMs : 0;
const changedAt = Math.max(
  ...sources.map(newestMtime),
  fs.statSync(path.join(root, 'package-lock.json')).mtimeMs,
);
if (builtAt > changedAt) process.exit(0);

console.log(
  builtAt
    ? 'candor: the console sources changed; rebuilding…'
    : 'candor: building the staff console (first start)…',
);
const result = spawnSync(
  process.execPath,
  [
    path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
    'build',
    '--config',
    'src/web/vite.config.ts',
    '--logLevel',
    'warn',
  ],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (result.status !== 0) {
  console.error(
    'candor: the console build failed (see above). The API still works; fix the build and restart.',
  );
  process.exit(result.status ?? 1);
}
