import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeObligations } from '../../src/server/modules/obligations/engine.ts';
import { loadRules, parseRules } from '../../src/server/modules/obligations/rules/load.ts';
import type { RegimeRule } from '../../src/server/modules/obligations/rules/schema.ts';
import { categories } from '../../src/shared/taxonomy.ts';
import { AWARE, cell, EU27, engineInput, HOUR, obligation, regime } from './fixtures.ts';

/**
 * The real rules data. These spot checks encode the reference research (shared/reference/breach-laws.json)
 * so a slip while editing `regimes.json` shows up here.
 */
const rules = loadRules();
const byId = (id: string): RegimeRule => {
  const found = rules.regimes.find((r) => r.id === id);
  if (!found) throw new Error(`no regime ${id} in regimes.json`);
  return found;
};
const only = (r: RegimeRule, kind: string, variant?: string) => {
  const found = r.obligations.filter((o) => o.kind === kind && (o.variant ?? undefined) === variant);
  expect(found, `${r.id} ${kind}${variant ? `:${variant}` : ''}`).toHaveLength(1);
  return found[0]!;
};

describe('regimes.json', () => {
  it('loads: 70 regimes with unique ids, a version and its source', () => {
    expect(rules.regimes).toHaveLength(70);
    expect(new Set(rules.regimes.map((r) => r.id)).size).toBe(70);
    expect(rules.version.length).toBeGreaterThan(0);
    expect(rules.derivedFrom).toContain('breach-laws.json');
  });

  it('uses only taxonomy categories in its definitions', () => {
    for (const r of rules.regimes) {
      for (const clause of r.personalInformation.clauses) {
        for (const c of [...clause.all, ...(clause.any ?? [])]) expect(categories, `${r.id}`).toContain(c);
      }
    }
  });

  it('has the 50 states, DC and the territories, one regime each', () => {
    const us = rules.regimes.filter((r) => /^US-[A-Z]{2}$/.test(r.id)).map((r) => r.id);
    expect(us).toHaveLength(54);
    expect(us).toEqual(
      expect.arrayContaining(['US-CA', 'US-NY', 'US-TX', 'US-DC', 'US-PR', 'US-GU', 'US-VI']),
    );
  });

  it('California: individuals within 30 days; the AG for more than 500, 15 days after the individual notice', () => {
    const ca = byId('US-CA');
    expect(ca.jurisdictions).toEqual(['US-CA']);
    expect(only(ca, 'individuals').deadline).toMatchObject({ kind: 'days', value: 30, from: 'aware' });
    const ag = only(ca, 'regulator');
    expect(ag.threshold).toEqual({ comparison: 'more_than', count: 500, per: 'regime' });
    expect(ag.deadline).toMatchObject({ kind: 'days', value: 15, from: 'individual_notice' });
  });

  it('EU: the 27 member states; the supervisory authority within 72 hours of awareness', () => {
    const eu = byId('EU');
    expect([...eu.jurisdictions].sort()).toEqual([...EU27].sort());
    expect(only(eu, 'regulator').deadline).toMatchObject({ kind: 'hours', value: 72, from: 'aware' });
  });

  it('HIPAA: a covered entity anywhere; media notice for more than 500 residents of a state', () => {
    const hipaa = byId('US-HIPAA');
    expect(hipaa.appliesToEntity).toBe('hipaa');
    expect(hipaa.jurisdictions).toEqual(['*']);
    expect(only(hipaa, 'media').threshold).toEqual({ comparison: 'more_than', count: 500, per: 'us_state' });
    expect(only(hipaa, 'regulator').threshold).toEqual({ comparison: 'at_least', count: 500, per: 'regime' });
    expect(only(hipaa, 'individuals').deadline).toMatchObject({ kind: 'days', value: 60, from: 'aware' });
  });

  it('SEC 8-K: registrants, 4 business days, whatever the number of people', () => {
    const sec = byId('US-SEC-8K');
    expect(sec.appliesToEntity).toBe('sec');
    expect(sec.personIndependent).toBe(true);
    expect(only(sec, 'regulator').deadline).toEqual({ kind: 'business_days', value: 4, from: 'aware' });
  });

  it('HIPAA: HHS within 60 days for 500 or more; the under-500 report only below 500', () => {
    const hipaa = byId('US-HIPAA');
    const entity = { hipaa: true, sec: false, nydfs: false, ftc_safeguards: false };
    const keys = (n: number) =>
      computeObligations([hipaa], engineInput({ entity, population: [cell('US-CA', ['medical'], n)] }))
        .obligations.map((o) => o.key)
        .filter((k) => k.includes(':regulator'));
    expect(keys(499)).toEqual(['US-HIPAA:regulator:under_500']);
    expect(keys(500)).toEqual(['US-HIPAA:regulator']);
  });

  it('Texas: the AG from 250 residents within 30 days', () => {
    const ag = only(byId('US-TX'), 'regulator');
    expect(ag.threshold).toEqual({ comparison: 'at_least', count: 250, per: 'regime' });
    expect(ag.deadline).toMatchObject({ kind: 'days', value: 30, from: 'aware' });
  });

  it('every regime cites its law and at least one source', () => {
    for (const r of rules.regimes) {
      expect(r.citation.length, r.id).toBeGreaterThan(3);
      expect(r.sourceUrls.length, r.id).toBeGreaterThan(0);
    }
  });
});

describe('the real rules through the engine', () => {
  const run = (extra: Parameters<typeof engineInput>[0]) =>
    computeObligations(rules.regimes, engineInput(extra));

  it('a Californian with name + SSN: California individuals apply, the AG is below its threshold', () => {
    const result = run({ population: [cell('US-CA', ['name', 'national_id'], 3)] });
    expect(result.obligations.find((o) => o.key === 'US-CA:individuals')?.affected).toBe(3);
    expect(result.notApplicable.find((n) => n.key === 'US-CA:regulator')?.reasonCode).toBe('below_threshold');
  });

  it('GDPR: encryption spares the individual notice only, never the notice to the supervisory authority', () => {
    // The rule's own notes: "Encryption alone does not remove this notice: it depends on the risk assessment."
    const result = run({ encryptedWithSafeKey: true, population: [cell('FR', ['name', 'email'], 2)] });
    const regulator = result.obligations.find((o) => o.key === 'EU:regulator');
    expect(regulator?.dueAt).toBe(new Date(AWARE.getTime() + 72 * HOUR).toISOString());
  });
});

describe('a rules file that fails its schema', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-rules-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };
  const file = (regimes: unknown[]) => ({ version: 't', derivedFrom: 'tests', regimes });

  it('names the rule and the field when a category is not in the taxonomy', () => {
    const bad = regime('US-ZZ', {
      personalInformation: { clauses: [{ all: ['name'], any: ['shoe_size'], text: 'name + shoe size' }] },
    });
    expect(() => parseRules(file([regime('US-AA'), bad]))).toThrow(/US-ZZ.*personalInformation/);
    expect(() => loadRules(write('bad-category.json', file([bad])))).toThrow(/US-ZZ/);
  });

  it('names the rule when a deadline is malformed', () => {
    const bad = regime('US-ZY', {
      obligations: [obligation('individuals', { deadline: { kind: 'days', from: 'aware' } })],
    });
    expect(() => parseRules(file([bad]))).toThrow(/US-ZY.*deadline/);
  });

  it('names a rule id that appears twice', () => {
    expect(() => parseRules(file([regime('US-ZX'), regime('US-ZX')]))).toThrow(/US-ZX appears twice/);
  });

  it('names a rule with two obligations of one kind and no variant', () => {
    const bad = regime('US-ZW', { obligations: [obligation('regulator'), obligation('regulator')] });
    expect(() => parseRules(file([bad]))).toThrow(/US-ZW.*variant/);
  });

  it('refuses a file that is not JSON, naming the file', () => {
    const broken = write('broken.json', '{"version": ');
    expect(() => loadRules(broken)).toThrow(/broken\.json/);
  });

  it('refuses a missing file, naming it', () => {
    expect(() => loadRules(path.join(dir, 'missing.json'))).toThrow(/missing\.json/);
  });

  it('accepts a valid one', () => {
    const loaded = loadRules(write('good.json', file([regime('US-AA')])));
    expect(loaded.regimes.map((r) => r.id)).toEqual(['US-AA']);
    expect(loaded.version).toBe('t');
  });
});
