import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../../shared/contracts/common.ts';
import * as contract from '../../../shared/contracts/obligations.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { actorOf } from '../../platform/http/actors.ts';
import { writeSetting } from '../../platform/settings/settings.ts';
import { COMPANY_PROFILE_KEY, readCompanyProfile } from '../incidents/index.ts';
import { isValidZone } from './deadlines.ts';
import * as service from './obligations.service.ts';
import { buildReport, renderReportPdf } from './report.ts';
import type { RulesData } from './rules/load.ts';
import { regimeRule } from './rules/schema.ts';

const reportQuery = z.object({
  format: z.enum(['json', 'pdf']).default('json'),
  regime: z
    .string()
    .regex(/^[A-Z]{2}(-[A-Z0-9]{1,12})*$/, 'A regime id looks like US-CA or EU.')
    .optional(),
});

/** The rules data as loaded (checked against the same schema at start), with the disclaimer. */
const rulesResponse = z.object({
  version: z.string(),
  derivedFrom: z.string(),
  disclaimer: z.string(),
  regimes: z.array(regimeRule),
});

export function obligationsRoutes(
  deps: Pick<PlatformContext, 'db'>,
  rules: RulesData,
): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['obligations'];
    const read = { access: { permission: 'obligations:read' as const } };

    app.get(
      '/api/incidents/:id/obligations',
      { config: read, schema: { tags, params: idParams, response: { 200: contract.obligationsReport } } },
      async (request) => service.computeReport(deps.db, rules, request.params.id),
    );
    app.post(
      '/api/incidents/:id/obligations/:key/decision',
      {
        config: { access: { permission: 'obligations:decide' } },
        schema: {
          tags,
          params: contract.obligationKeyParams,
          body: contract.decideRequest,
          response: { 200: contract.obligationsReport },
        },
      },
      async (request) =>
        service.decide(deps, rules, request.params.id, request.params.key, request.body, {
          actor: actorOf(request.principal!),
          requestId: request.id,
        }),
    );
    app.get(
      '/api/incidents/:id/obligations/report',
      { config: read, schema: { tags, params: idParams, querystring: reportQuery } },
      async (request, reply) => {
        const report = await buildReport(deps.db, rules, request.params.id, request.query.regime);
        await deps.db.transaction().execute((tx) =>
          recordAudit(tx, {
            actor: actorOf(request.principal!),
            action: 'obligation.report_exported',
            requestId: request.id,
            target: { type: 'incident', id: request.params.id },
            details: { format: request.query.format, regime: request.query.regime ?? 'all' },
          }),
        );
        const name = `candor-obligations-${request.query.regime ?? 'all'}-${request.params.id.slice(0, 8)}`;
        reply.header('cache-control', 'no-store');
        if (request.query.format === 'pdf') {
          const pdf = await renderReportPdf(report);
          return reply
            .type('application/pdf')
            .header('content-disposition', `attachment; filename="${name}.pdf"`)
            .send(pdf);
        }
        return reply
          .type('application/json')
          .header('content-disposition', `attachment; filename="${name}.json"`)
          .send(JSON.stringify(report, null, 2));
      },
    );
    app.get(
      '/api/obligations/upcoming',
      { config: read, schema: { tags, response: { 200: contract.upcomingList } } },
      async () => service.upcoming(deps.db, rules),
    );
    app.get(
      '/api/obligations/alerts',
      { config: read, schema: { tags, response: { 200: contract.alertList } } },
      async () => ({ alerts: await service.recentAlerts(deps.db, rules) }),
    );
    app.get(
      '/api/settings/company-profile',
      {
        config: { access: { permission: 'settings:read' } },
        schema: { tags, response: { 200: contract.companyProfile } },
      },
      async () => readCompanyProfile(deps.db),
    );
    app.put(
      '/api/settings/company-profile',
      {
        config: { access: { permission: 'settings:manage' } },
        schema: { tags, body: contract.companyProfile, response: { 200: contract.companyProfile } },
      },
      async (request) => {
        if (!isValidZone(request.body.timezone)) {
          throw new AppError(
            'validation_failed',
            `"${request.body.timezone}" is not a time zone; use an IANA name like Europe/Paris.`,
            {
              fields: [{ path: 'timezone', message: 'Unknown time zone.' }],
            },
          );
        }
        await deps.db.transaction().execute(async (tx) => {
          await writeSetting(tx, COMPANY_PROFILE_KEY, request.body, actorOf(request.principal!).label);
          await recordAudit(tx, {
            actor: actorOf(request.principal!),
            action: 'settings.company_profile_changed',
            requestId: request.id,
            details: {
              policyDays: request.body.policyDays,
              timezone: request.body.timezone,
              entities: Object.entries(request.body.entity)
                .filter(([, v]) => v)
                .map(([k]) => k),
            },
          });
        });
        return readCompanyProfile(deps.db);
      },
    );
    app.get(
      '/api/obligations/rules',
      { config: read, schema: { tags, response: { 200: rulesResponse } } },
      async () => ({
        version: rules.version,
        derivedFrom: rules.derivedFrom,
        disclaimer: contract.NOT_LEGAL_ADVICE,
        regimes: rules.regimes,
      }),
    );
  };
}
