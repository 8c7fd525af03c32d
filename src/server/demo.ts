import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { campaignInput } from '../shared/contracts/campaigns.ts';
import { demoResponse } from '../shared/contracts/people.ts';
import { DEMO_COMPANY, demoIncident, demoMacros, demoQuestions, inCompanyWords } from './demo-content.ts';
import { upsertDisabledStaff } from './modules/auth/index.ts';
import { createCampaignsModule } from './modules/campaigns/index.ts';
import { createInboxModule } from './modules/inbox/index.ts';
import { createIncidentsModule, incidentPublicFacts } from './modules/incidents/index.ts';
import { createNoticeSiteModule, noticeContentSchema } from './modules/notice-site/index.ts';
import {
  createPeopleModule,
  type ImportProgress,
  incidentPeopleFacts,
  parseMappingFile,
} from './modules/people/index.ts';
import { advisoryLocks } from './platform/advisory-locks.ts';
import { type Actor, recordAudit } from './platform/audit/audit-log.ts';
import type { PlatformContext } from './platform/context.ts';
import { actorOf } from './platform/http/actors.ts';
import { nameCompanyIfUnset, readBranding } from './platform/settings/branding.ts';
import { createOutbound } from './wiring.ts';

/**
 * `candor demo` and the console's "Load the demo breach": a realistic synthetic incident for newcomers,
 * built from examples/ (three exports of a fictional shop). Later modules add their parts here.
 */
const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples');
const FILES = ['crm-customers.csv', 'orders.jsonl', 'app-logins.csv'];

export interface DemoResult {
  incidentId: string;
  /** False when the demo was loaded before: the same incident is returned, completed where a run stopped. */
  isNew: boolean;
  imports: Array<{ file: string; importId: string; accepted: number; rejected: number; newPeople: number }>;
  people: number;
  conflicts: number;
  /** A campaign from examples/campaign.json, approved, ready for `candor campaign start`. */
  campaignId: string;
  /** The public notice from examples/notice.json, published at /n/<noticeSlug>. */
  noticeSlug: string;
  noticeUrl: string;
}

type DemoCtx = Pick<PlatformContext, 'db' | 'crypto' | 'logger' | 'config'>;

/**
 * Loads the demo, or completes and returns the one loaded before: every step finds what an earlier run made
 * (the incident marked as demo, imports by file hash, the campaign by name, the published notice, inbox
 * messages by provider id, macros by name), so running it twice creates nothing twice.
 */
export async function createDemo(
  ctx: DemoCtx,
  actor: Actor,
  onProgress?: (file: string, progress: ImportProgress) => void,
): Promise<DemoResult> {
  return ctx.db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${advisoryLocks.demo})`.execute(conn);
    try {
      return await loadDemo(ctx, actor, onProgress);
    } finally {
      await sql`SELECT pg_advisory_unlock(${advisoryLocks.demo})`.execute(conn);
    }
  });
}

async function loadDemo(
  ctx: DemoCtx,
  actor: Actor,
  onProgress?: (file: string, progress: ImportProgress) => void,
): Promise<DemoResult> {
  const incidents = createIncidentsModule(ctx, incidentPeopleFacts);
  const people = createPeopleModule(ctx);
  // The company is named once: the demo names it only where nobody has, and its texts say that name.
  await ctx.db.transaction().execute(async (tx) => {
    if (await nameCompanyIfUnset(tx, DEMO_COMPANY, actor.label)) {
      await recordAudit(tx, {
        actor,
        action: 'settings.branding_changed',
        details: { companyNamed: true, by: 'demo' },
      });
    }
  });
  const companyName = (await readBranding(ctx.db)).companyName;
  const { incident, isNew } = await demoIncidentFor(incidents, actor);
  const imports: DemoResult['imports'] = [];
  for (const file of FILES) {
    const mappingFile = path.join(EXAMPLES, file.replace(/\.(csv|jsonl)$/, '.mapping.json'));
    // A file imported before is recognised by its hash and skipped; one a crash interrupted resumes.
    const summary = await people.service.runImport({
      incidentId: incident.id,
      source: { kind: 'file', path: path.join(EXAMPLES, file) },
      fileName: file,
      mapping: parseMappingFile(JSON.parse(fs.readFileSync(mappingFile, 'utf8'))),
      actor,
      onProgress: (p) => onProgress?.(file, p),
    });
    if (summary.isDuplicate) continue;
    imports.push({
      file,
      importId: summary.importId,
      accepted: summary.accepted,
      rejected: summary.rejected,
      newPeople: summary.newPeople,
    });
  }
  const stats = await people.service.stats(incident.id);
  const { author, approver } = await demoStaff(ctx);
  const campaignId = await createDemoCampaign(ctx, incident.id, companyName, author, approver);
  const notice = await publishDemoNotice(ctx, incident.id, companyName, author, approver);
  await seedDemoInbox(ctx, incident.id, actor);
  return {
    incidentId: incident.id,
    isNew,
    imports,
    people: stats.people,
    conflicts: stats.conflicts,
    campaignId,
    noticeSlug: notice.slug,
    noticeUrl: notice.publicUrl,
  };
}

/** The demo incident made before (the oldest marked as demo), or a new one. */
async function demoIncidentFor(incidents: ReturnType<typeof createIncidentsModule>, actor: Actor) {
  const earlier = (await incidents.service.list())
    .filter((i) => i.isDemo)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
  if (earlier) {
    // Made by a version without public titles: people would read the neutral default; give it the demo's.
    if (!earlier.publicTitle.en) {
      await incidents.service.update(earlier.id, { publicTitle: demoIncident.publicTitle }, { actor });
    }
    return { incident: earlier, isNew: false };
  }
  // Aware two days ago: the 72-hour regulator notices (GDPR, UK GDPR) are a day from due.
  const awareAt = new Date(Date.now() - 2 * 86_400_000);
  const detectedAt = new Date(awareAt.getTime() - 86_400_000);
  const created = await incidents.service.create(
    {
      title: demoIncident.title,
      publicTitle: demoIncident.publicTitle,
      description: demoIncident.description,
      awareAt: awareAt.toISOString(),
      detectedAt: detectedAt.toISOString(),
      occurredAt: new Date(awareAt.getTime() - 20 * 86_400_000).toISOString(),
      status: 'confirmed',
      severity: 'high',
      cause: 'misconfiguration',
      systemsAffected: ['CRM backup bucket', 'Order history database', 'Mobile app accounts'],
      isDemo: true,
    },
    { actor },
  );
  // The notice says access was closed within hours of the researcher's report: so do the incident's times.
  await incidents.service.setKeyTimes(
    created.id,
    {
      times: { containedAt: new Date(detectedAt.getTime() + 3 * 3_600_000).toISOString() },
      reason: 'Public access to the bucket removed a few hours after the researcher’s report.',
    },
    { actor },
  );
  await incidents.service.transition(created.id, 'contained', { actor });
  return { incident: created, isNew: true };
}

/**
 * Demo `comms` and `legal` accounts (disabled: they exist to sign the record, nobody signs in as them), so
 * the demo's notices carry an author and a different approver like real ones.
 */
async function demoStaff(ctx: Pick<PlatformContext, 'db'>): Promise<{ author: Actor; approver: Actor }> {
  const staff = async (email: string, role: 'comms' | 'legal'): Promise<Actor> => {
    const row = await upsertDisabledStaff(ctx.db, { email, role, displayName: `Demo ${role}` });
    return { type: 'user', id: row.id, label: `${row.role} (demo)` };
  };
  return {
    author: await staff('demo-comms@candor.invalid', 'comms'),
    approver: await staff('demo-legal@candor.invalid', 'legal'),
  };
}

/**
 * Questions in the support inbox, as they arrive after a notice (email, SMS, the contact form; affected
 * people and a journalist who is not in the breach), and saved answers for them in both languages, so
 * "answer with a macro" works from the start. Both are found again on a second run.
 */
async function seedDemoInbox(ctx: DemoCtx, incidentId: string, actor: Actor) {
  const inbox = createInboxModule(ctx, { kick: () => {} });
  for (const question of demoQuestions(incidentId)) await inbox.ingest(question);
  const companyName = (await readBranding(ctx.db)).companyName;
  const existing = new Set((await inbox.service.macros()).macros.map((m) => `${m.locale}:${m.name}`));
  for (const macro of inCompanyWords(demoMacros, companyName)) {
    if (existing.has(`${macro.locale}:${macro.name}`)) continue;
    await inbox.service.createMacro(macro, { actor });
  }
}

/** The demo's public notice from examples/notice.json: drafted by comms, approved by legal, published. */
async function publishDemoNotice(
  ctx: DemoCtx,
  incidentId: string,
  companyName: string,
  author: Actor,
  approver: Actor,
) {
  // Publishing sends nothing here (no subscribers yet): the outbound module only takes the site's handlers.
  const notice = createNoticeSiteModule(ctx, { outbound: createOutbound(ctx) });
  const before = await notice.service.overview(incidentId);
  if (before.published) return before;
  const content = noticeContentSchema.parse(
    inCompanyWords(JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'notice.json'), 'utf8')), companyName),
  );
  let pending = before.pending;
  if (!pending) pending = await notice.service.saveDraft(incidentId, content, { actor: author });
  if (pending.status === 'draft') await notice.service.approve(incidentId, pending.id, { actor: approver });
  await notice.service.publish(incidentId, pending.id, { actor: author });
  return notice.service.overview(incidentId);
}

/** The demo's campaign: written by demo comms, approved by demo legal, so `candor campaign start` sends it. */
async function createDemoCampaign(
  ctx: DemoCtx,
  incidentId: string,
  companyName: string,
  author: Actor,
  approver: Actor,
): Promise<string> {
  const campaigns = createCampaignsModule(ctx);
  const file = campaignInput.parse(
    inCompanyWords(JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'campaign.json'), 'utf8')), companyName),
  );
  const earlier = (await campaigns.service.list(incidentId)).find((c) => c.name === file.name);
  let campaign = earlier
    ? await campaigns.service.get(earlier.id)
    : await campaigns.service.create(
        incidentId,
        {
          ...file,
          // The notices send people to this incident's own notice site to check their verification code.
          contact: {
            ...file.contact,
            url: `${ctx.config.noticeUrl}/n/${await slugOf(ctx, incidentId)}/verify`,
          },
        },
        { actor: author },
      );
  // Synthetic credit-monitoring codes, a few more than the people eligible for one.
  const { total, needed } = campaign.activationCodes;
  if (total < needed + 25) {
    const codes = Array.from(
      { length: needed + 25 - total },
      () => `DEMO-${randomBytes(6).toString('hex').toUpperCase()}`,
    );
    await campaigns.service.importCodes(campaign.id, codes.join('\n'), { actor: author });
  }
  for (const variant of campaign.variants) {
    if (variant.approved || campaign.status !== 'draft') continue;
    campaign = await campaigns.service.approve(campaign.id, variant.id, variant.version, { actor: approver });
  }
  return campaign.id;
}

async function slugOf(ctx: DemoCtx, incidentId: string): Promise<string> {
  const facts = await incidentPublicFacts(ctx.db, incidentId);
  if (!facts) throw new Error(`the demo incident ${incidentId} is gone`);
  return facts.slug;
}

/** The console's "Load the demo breach" button. */
export function demoRoutes(ctx: DemoCtx): FastifyPluginAsyncZod {
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
