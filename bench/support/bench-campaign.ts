import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { createCampaignsModule } from '../../src/server/modules/campaigns/index.ts';
import type { Actor } from '../../src/server/platform/audit/audit-log.ts';
import type { PlatformContext } from '../../src/server/platform/context.ts';
import { campaignInput } from '../../src/shared/contracts/campaigns.ts';
import { categoryMask, riskTierOf } from '../../src/shared/taxonomy.ts';

type Ctx = Pick<PlatformContext, 'db' | 'crypto' | 'logger' | 'config'>;

const EXAMPLE = path.resolve(import.meta.dirname, '../../examples/campaign.json');

/** Demo-style staff accounts (disabled, they only sign the record): a comms author and a legal approver. */
export async function benchStaff(ctx: Ctx): Promise<{ author: Actor; approver: Actor }> {
  const staff = async (email: string, role: 'comms' | 'legal'): Promise<Actor> => {
    const row = await ctx.db
      .insertInto('users')
      .values({ email, role, status: 'disabled', display_name: `Bench ${role}` })
      .onConflict((oc) => oc.column('email').doUpdateSet({ updated_at: new Date() }))
      .returning(['id', 'role'])
      .executeTakeFirstOrThrow();
    return { type: 'user', id: row.id, label: `${row.role} (bench)` };
  };
  return {
    author: await staff('bench-comms@candor.invalid', 'comms'),
    approver: await staff('bench-legal@candor.invalid', 'legal'),
  };
}

/**
 * examples/campaign.json as `candor demo` creates it (written by comms, activation codes for everyone
 * eligible, every variant approved by legal), except its 200 emails/s throttle, which is removed: the
 * benchmark measures how fast the engine can go, not the example's chosen rate.
 */
export async function createApprovedExampleCampaign(
  ctx: Ctx,
  incidentId: string,
  staff: { author: Actor; approver: Actor },
  options: { withCodes: boolean },
): Promise<string> {
  const campaigns = createCampaignsModule(ctx);
  const file = campaignInput.parse({ ...JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')), throttle: {} });
  let campaign = await campaigns.service.create(incidentId, file, { actor: staff.author });
  if (options.withCodes && campaign.activationCodes.needed > 0) {
    const codes = Array.from(
      { length: campaign.activationCodes.needed + 25 },
      () => `BENCH-${randomBytes(6).toString('hex').toUpperCase()}`,
    );
    await campaigns.service.importCodes(campaign.id, codes.join('\n'), { actor: staff.author });
  }
  for (const variant of campaign.variants) {
    campaign = await campaigns.service.approve(campaign.id, variant.id, variant.version, {
      actor: staff.approver,
    });
  }
  return campaign.id;
}

/**
 * `count` people straight into the incident's `people` partition with generate_series (no source records:
 * fine for creating deliveries, which read only `people`), spread like the imported audience: 30% with a
 * national id, 30% with a password, the rest contact data only; 10% Spanish-speaking.
 */
export async function insertPeopleDirectly(ctx: Pick<Ctx, 'db'>, incidentId: string, count: number) {
  const basic = categoryMask(['email', 'name', 'postal_address', 'phone']);
  const identity = basic | categoryMask(['national_id', 'date_of_birth']);
  const credentials = basic | categoryMask(['password']);
  await sql`
    INSERT INTO people (incident_id, pn, categories, risk_tier, jurisdiction, locale, reachable_email,
                        reachable_phone, reachable_postal, record_count)
    SELECT ${incidentId}::uuid, g,
           CASE WHEN g % 10 < 3 THEN ${identity}::int WHEN g % 10 < 6 THEN ${credentials}::int ELSE ${basic}::int END,
           CASE WHEN g % 10 < 3 THEN ${riskTierOf(identity)} WHEN g % 10 < 6 THEN ${riskTierOf(credentials)}
                ELSE ${riskTierOf(basic)} END,
           (ARRAY['US-CA', 'US-NY', 'US-TX', 'DE', 'FR', 'GB'])[1 + g % 6],
           CASE WHEN g % 10 = 9 THEN 'es' END,
           true, true, true, 1
    FROM generate_series(1, ${count}::int) AS g`.execute(ctx.db);
  // What a resolution writes with its people: the incident's cells, read by obligations and the incident list.
  await sql`DELETE FROM people_cells WHERE incident_id = ${incidentId}::uuid`.execute(ctx.db);
  await sql`
    INSERT INTO people_cells (incident_id, jurisdiction, categories, people)
    SELECT incident_id, jurisdiction, categories, count(*) FROM people WHERE incident_id = ${incidentId}::uuid
    GROUP BY incident_id, jurisdiction, categories`.execute(ctx.db);
  await sql`ANALYZE people`.execute(ctx.db);
}
