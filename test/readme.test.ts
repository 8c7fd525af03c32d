import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeConfig } from '../src/server/config.ts';

describe('README', () => {
  it('documents every configuration variable, as generated from the schema', () => {
    const readme = fs.readFileSync('README.md', 'utf8');
    const block = readme.split('<!-- config-table:start -->')[1]?.split('<!-- config-table:end -->')[0] ?? '';
    const names = [...block.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(names).toEqual(describeConfig().map((row) => row.name));
    for (const row of describeConfig()) {
      expect(block, `README row for ${row.name}`).toContain(row.description);
    }
  });

  it('shows the two commands that set Candor up', () => {
    const readme = fs.readFileSync('README.md', 'utf8');
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });
});
