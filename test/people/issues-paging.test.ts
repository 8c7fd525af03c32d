import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listIssues } from '../../src/server/modules/people/imports.service.ts';
import { createPeopleHarness, csv, type PeopleHarness } from './helpers.ts';

describe('paging through an import’s issues', () => {
  let h: PeopleHarness;
  beforeAll(async () => {
    h = await createPeopleHarness();
  });
  afterAll(() => h.close());

  it('never drops an issue at a page boundary when one line has several', async () => {
    const incident = await h.createIncident();
    // Every data line has two warnings (bad email, bad phone) but is kept by its customer id.
    const lines = Array.from({ length: 7 }, (_, i) => `C${i},not-an-email,12`);
    const summary = await h.importText(incident, 'two-issues.csv', csv('customer_id,email,phone', ...lines));
    const seen: string[] = [];
    let afterLine = 0;
    for (let pages = 0; pages < 20; pages++) {
      const page = await listIssues(h.ctx.db, summary.importId, { afterLine, limit: 3 });
      for (const issue of page.issues) seen.push(`${issue.line}:${issue.field}`);
      if (page.nextAfterLine === null) break;
      afterLine = page.nextAfterLine;
    }
    expect(seen).toHaveLength(14);
    expect(new Set(seen).size).toBe(14);
  });
});
