import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { type RenderJob, renderBatch } from '../../src/server/modules/campaigns/render-batch.ts';
import { createRenderPool } from '../../src/server/modules/campaigns/render-pool.ts';
import { campaignInput } from '../../src/shared/contracts/campaigns.ts';
import { categoryMask } from '../../src/shared/taxonomy.ts';

/** Large batches render on worker threads: the result must be exactly what the engine's thread renders. */
const example = campaignInput.parse(JSON.parse(fs.readFileSync('examples/campaign.json', 'utf8')));

function job(n: number): RenderJob {
  return {
    channel: 'email',
    campaign: { id: 'c1', incidentId: 'i1', emailFrom: null, replyTo: null, defaultLocale: 'en' },
    settings: {
      companyName: 'Example Shop',
      contact: example.contact,
      throttle: {},
      errorThreshold: 0.25,
    },
    incident: {
      publicTitle: { en: 'Database exposed' },
      description: 'A backup was public.',
      occurredOn: '2026-11-01',
      awareOn: '2026-11-20',
    },
    variants: example.variants.map((v, i) => ({ id: `v${i}`, version: 1, content: v.content })),
    mailFrom: 'Candor <candor@localhost>',
    items: Array.from({ length: n }, (_, i) => ({
      pn: i,
      variantId: `v${i % 3}`,
      locale: i % 4 === 0 ? 'es' : null,
      messageId: `<c1.${i}.email@test>`,
      verificationCode: `CODE${String(i).padStart(8, '0')}`,
      // Every tenth person has no email: the result says so instead of a message.
      contact:
        i % 10 === 9
          ? null
          : {
              pn: i,
              id: `p${i}`,
              firstName: `Person${i}`,
              lastName: 'Sample',
              email: `person${i}@example.org`,
              phone: null,
              postal: null,
              categories: categoryMask(i % 2 ? ['email', 'password'] : ['name', 'national_id']),
              riskTier: 'high',
              jurisdiction: i % 3 ? 'US-CA' : 'FR',
              locale: null,
            },
      link: `https://notice.example/n/i1/me/token${i}`,
      activationCode: i % 2 ? null : `ACT-${i}`,
    })),
  };
}

describe('the render pool', () => {
  const pool = createRenderPool(2);
  afterAll(() => pool.close());

  it('renders a batch across threads exactly as the engine thread does, in order', async () => {
    const batch = job(150);
    const inThread = renderBatch(batch);
    const inPool = await pool.render(batch);
    expect(inPool).toEqual(inThread);
    expect(inPool).toHaveLength(150);
    expect(inPool.filter((r) => 'missing' in r)).toHaveLength(15);
    const spanish = inPool[4]!;
    expect('message' in spanish && spanish.message.text).toContain('Hola, Person4:');
    expect('message' in inPool[2]! && inPool[2].message.messageId).toBe('<c1.2.email@test>');
  });

  it('reports a template that cannot render as an error for the people of that variant only', async () => {
    const batch = job(70);
    // Refused by the save-time check; were it stored anyway, only its own people fail, and are retried.
    batch.variants[0]!.content.en!.email!.subject = "{% include 'secrets' %}";
    batch.variants[0]!.version = 2; // an edit always makes a new version (compiled templates are cached by it)
    const results = await pool.render(batch);
    expect(results).toHaveLength(70);
    const failed = results.flatMap((r, i) => ('error' in r ? [i] : []));
    expect(failed.length).toBeGreaterThan(0);
    // Only people of variant v0 in English (every third person, not the Spanish quarter) fail.
    for (const i of failed) expect(i % 3 === 0 && i % 4 !== 0).toBe(true);
    expect(results.filter((r) => 'message' in r).length).toBeGreaterThan(40);
  });
});
