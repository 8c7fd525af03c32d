import fs from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/**
 * `npm install` on the Node.js the README promises must not warn EBADENGINE: every package the lock file
 * installs has to accept the minimum version in package.json's "engines" (found when two transitive
 * dependencies moved to Node >= 22 while the README said 20.19).
 */
describe('supported Node.js versions', () => {
  const manifest = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { engines: { node: string } };
  const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8')) as {
    packages: Record<string, { engines?: Record<string, string> | string[]; optional?: boolean }>;
  };
  const minimum = semver.minVersion(manifest.engines.node)?.version;

  it('states a minimum that the README repeats', () => {
    expect(minimum).toBe('20.19.0');
    expect(fs.readFileSync('README.md', 'utf8')).toContain('Node.js 20.19 or newer');
  });

  it('installs no package that refuses that minimum', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([name, entry]) => name !== '' && entry.engines && !Array.isArray(entry.engines))
      .filter(([, entry]) => {
        const range = (entry.engines as Record<string, string>).node;
        return range !== undefined && !semver.satisfies(minimum ?? '', range, { includePrerelease: true });
      })
      .map(([name, entry]) => `${name} wants node ${(entry.engines as Record<string, string>).node}`);
    expect(refusing).toEqual([]);
  });
});
