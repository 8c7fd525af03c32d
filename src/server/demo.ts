import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { campaignInput } from '../shared/contracts/campaigns.ts';
import { demoResponse } from '../shared/contracts/population.ts';
import { createCampaignsModule } from './modules/campaigns/index.ts';
import { createInboxModule } from './modules/inbox/index.ts';
import { createIncidentsModule } from './modules/incidents/index.ts';
import { createNoticeModule, noticeContentSchema } from './modules/notice/index.ts';
import { createPopulationModule, type ImportProgress, parseMappingFile } from './modules/population/index.ts';
import type { Actor } from './platform/audit/audit-log.ts';
import type { PlatformContext } from './platform/context.ts';
import { actorOf } from './platform/http/actors.ts';

/**
 * `candor demo` and the console's "Load the demo breach": a realistic synthetic incident for newcomers,
 * built from examples/ (three exports of a fictional shop). Later modules add their parts here.
 */
const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples');
const FILES = ['crm-customers.csv', 'orders.jsonl', 'app-logins.csv'];

export interface DemoResult {
  incidentId: string;
  imports: Array<{ file: string; importId: string; accepted: number; rejected: number; newPeople: number }>;
  people: number;
  conflicts: number;
  /** A campaign from examples/campaign.json, approved, ready for `candor campaign start`. */
  campaignId: string;
  /** The public notice from examples/notice.json, published at /n/<noticeSlug>. */
  noticeSlug: string;
  noticeUrl: string;
}

export async function createDemo(
  ctx: Pick<PlatformContext, 'db' | 'crypto' | 'logger' | 'config'>,
  actor: Actor,
  onProgress?: (file: string, progress: ImportProgress) => void,
): Promise<DemoResult> {
  const incidents = createIncidentsModule(ctx);
  const population = createPopulationModule(ctx);
  // Aware two days ago: the 72-hour regulator notices (GDPR, UK GDPR) are a day from due.
  const awareAt = new Date(Date.now() - 2 * 86_400_000);
  const incident = await incidents.service.create(
    {
      title: 'Demo: customer database exposed (synthetic data)',
      description:
        'A misconfigured backup of the shop’s CRM, order history and app logins was reachable from the internet. ' +
        'All people in this incident are fictional.',
      awareAt: awareAt.toISOString(),
      detectedAt: new Date(awareAt.getTime() - 86_400_000).toISOString(),
      occurredAt: new Date(awareAt.getTime() - 20 * 86_400_000).toISOString(),
      status: 'confirmed',
      severity: 'high',
      cause: 'misconfiguration',
      systemsAffected: ['CRM backup bucket', 'Order history database', 'Mobile app accounts'],
      isDemo: true,
    },
    { actor },
  );
  const imports: DemoResult['imports'] = [];
  for (const file of FILES) {
    const mappingFile = path.join(EXAMPLES, file.replace(/\.(csv|jsonl)$/, '.mapping.json'));
    const summary = await population.service.runImport({
      incidentId: incident.id,
      source: { kind: 'file', path: path.join(EXAMPLES, file) },
      fileName: file,
      mapping: parseMappingFile(JSON.parse(fs.readFileSync(mappingFile, 'utf8'))),
      actor,
      onProgress: (p) => onProgress?.(file, p),
    });
    imports.push({
      file,
      importId: summary.importId,
      accepted: summary.accepted,
      rejected: summary.rejected,
      newPeople: summary.newPeople,
    });
  }
  const stats = await population.service.stats(incident.id);
  const { author, approver } = await demoStaff(ctx);
  const campaignId = await createDemoCampaign(ctx, incident.id, author, approver);
  const notice = await publishDemoNotice(ctx, incident.id, author, approver);
  await seedDemoInbox(ctx, incident.id);
  return {
    incidentId: incident.id,
    imports,
    people: stats.people,
    conflicts: stats.conflicts,
    campaignId,
    noticeSlug: notice.slug,
    noticeUrl: notice.publicUrl,
  };
}

/**
 * Demo `comms` and `legal` accounts (disabled: they exist to sign the record, nobody signs in as them), so
 * the demo's notices carry an author and a different approver like real ones.
 */
async function demoStaff(ctx: Pick<PlatformContext, 'db'>): Promise<{ author: Actor; approver: Actor }> {
  const staff = async (email: string, role: 'comms' | 'legal'): Promise<Actor> => {
    const row = await ctx.db
      .insertInto('users')
      .values({ email, role, status: 'disabled', display_name: `Demo ${role}` })
      .onConflict((oc) => oc.column('email').doUpdateSet({ updated_at: new Date() }))
      .returning(['id', 'role'])
      .executeTakeFirstOrThrow();
    return { type: 'user', id: row.id, label: `${row.role} (demo)` };
  };
  return {
    author: await staff('demo-comms@candor.invalid', 'comms'),
    approver: await staff('demo-legal@candor.invalid', 'legal'),
  };
}

/**
 * A few questions in the support inbox, as they arrive after a notice: by email, SMS and the contact form,
 * from affected people (linked, not verified) and from someone who is not in the breach.
 */
async function seedDemoInbox(
  ctx: Pick<PlatformContext, 'db' | 'crypto' | 'logger' | 'config'>,
  incidentId: string,
) {
  const inbox = createInboxModule(ctx, { kick: () => {} });
  const questions: Parameters<typeof inbox.ingest>[0][] = [
    {
      channel: 'email',
      from: 'tariq.okafor.369@post.example',
      name: 'Tariq Okafor',
      subject: 'Is this email real?',
      body: 'I received an email saying my data was exposed. Is this real or a phishing scam? I am worried.',
      providerMessageId: `demo:${incidentId}:1`,
    },
    {
      channel: 'sms',
      from: '+49 30 30000151',
      body: 'Got your text about the breach. How do I get the free credit monitoring? Where is my activation code?',
      providerMessageId: `demo:${incidentId}:2`,
    },
    {
      channel: 'web',
      from: 'yusuf.nakamura.572@example.net',
      name: 'Yusuf Nakamura',
      body: 'This is unacceptable. Delete my data and my account now, or I will talk to a lawyer.',
      incidentId,
      locale: 'en',
    },
    {
      channel: 'email',
      from: 'journalist@news.example',
      name: 'A. Reporter',
      subject: 'Press inquiry about the data incident',
      body: 'I am a journalist writing a story about the exposed backup. Could you comment on how many customers were affected?',
      providerMessageId: `demo:${incidentId}:4`,
    },
  ];
  for (const question of questions) await inbox.ingest(question);
}

/** The demo's public notice from examples/notice.json: drafted by comms, approved by legal, published. */
async function publishDemoNotice(
  ctx: Pick<PlatformContext, 'db' | 'crypto' | 'logger' | 'config'>,
  incidentId: string,
  author: Actor,
  approver: Actor,
) {
  const notice = createNoticeModule(ctx, { senders: createCampaignsModule(ctx).senders });
  const content = noticeContentSchema.parse(
    JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'notice.json'), 'utf8')),
  );
  const draft = await notice.service.saveDraft(incidentId, content, { actor: author });
  await notice.service.approve(incidentId, draft.id, { actor: approver });
  await notice.service.publish(incidentId, draft.id, { actor: author });
  return notice.service.overview(incidentId);
}

/** The demo's campaign: written by demo comms, approved by demo legal, so `candor campaign start` sends it. */
async function createDemoCampaign(
  ctx: Pick<PlatformContext, 'db' | 'crypto' | 'logger' | 'config'>,
  incidentId: string,
  author: Actor,
  approver: Actor,
): Promise<string> {
  const campaigns = createCampaignsModule(ctx);
  const file = campaignInput.parse(JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'campaign.json'), 'utf8')));
  // The notices send people to this incident's own notice site to check their verification code.
  const { public_slug: slug } = await ctx.db
    .selectFrom('incidents')
    .select('public_slug')
    .where('id', '=', incidentId)
    .executeTakeFirstOrThrow();
  file.contact = { ...file.contact, url: `${ctx.config.noticeUrl}/n/${slug}/verify` };
  let campaign = await campaigns.service.create(incidentId, file, { actor: author });
  // Synthetic credit-monitoring codes, a few more than the people eligible for one.
  const codes = Array.from(
    { length: campaign.activationCodes.needed + 25 },
    () => `DEMO-${randomBytes(6).toString('hex').toUpperCase()}`,
  );
  if (codes.length > 0) await campaigns.service.importCodes(campaign.id, codes.join('\n'), { actor: author });
  for (const variant of campaign.variants) {
    campaign = await campaigns.service.approve(campaign.id, variant.id, variant.version, { actor: approver });
  }
  return campaign.id;
}

/** The console's "Load the demo breach" button. */
export function demoRoutes(
  ctx: Pick<PlatformContext, 'db' | 'crypto' | 'logger' | 'config'>,
): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/demo',
      {
        config: { access: { permission: 'people:import' } },
        schema: { tags: ['incidents'], response: { 200: demoResponse } },
      },
      async (request) => {
        const result = await createDemo(ctx, actorOf(request.principal!));
        return {
          incidentId: result.incidentId,
          people: result.people,
          conflicts: result.conflicts,
          campaignId: result.campaignId,
          noticeSlug: result.noticeSlug,
        };
      },
    );
  };
}
