import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMeta, staffLabel } from '../../platform/http/actors.ts';
import { bulkReply } from './bulk.ts';
import { inboxSettingsSchema } from './ingest.ts';
import * as macros from './macros.service.ts';
import * as rules from './rules.service.ts';
import * as threads from './threads.service.ts';

/** The console's API for the support inbox. */
const status = z.enum(['open', 'pending', 'solved']);
const channel = z.enum(['web', 'email', 'sms']);
export const listQuery = z.object({
  status: status.optional(),
  topic: z
    .string()
    .regex(/^[a-z0-9_]{1,40}$/)
    .optional(),
  channel: channel.optional(),
  search: z.string().max(200).optional(),
  assignee: z.union([z.enum(['me', 'none']), z.uuid()]).optional(),
  incidentId: z.uuid().optional(),
  sla: z.enum(['breached', 'due_soon']).optional(),
  dsr: z.enum(['open']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).optional(),
});
const threadParams = z.object({ id: z.uuid() });
const macroBody = z.object({
  name: z.string().trim().min(1).max(100),
  locale: z.enum(['en', 'es']),
  subject: z.string().max(300).nullable().optional(),
  body: z.string().min(1).max(20_000),
});
const ruleBody = z.object({
  topic: z.string().regex(/^[a-z0-9_]{1,40}$/, 'Use lowercase letters, digits and underscores.'),
  label: z.string().trim().min(1).max(80),
  keywords: z.array(z.string().max(100)).min(1).max(100),
  weight: z.number().int().min(0).max(60),
  dsrKind: z.enum(['access', 'deletion']).nullable(),
  enabled: z.boolean(),
});

export function inboxRoutes(deps: threads.Deps): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['inbox'];
    const read = { access: { permission: 'inbox:read' as const } };
    const write = { access: { permission: 'inbox:reply' as const } };

    app.get(
      '/api/inbox/threads',
      { config: read, schema: { tags, querystring: listQuery } },
      async (request) => threads.listThreads(deps, request.query, requestMeta(request)),
    );
    app.get(
      '/api/inbox/threads/:id',
      { config: read, schema: { tags, params: threadParams } },
      async (request) => threads.getThread(deps, request.params.id, requestMeta(request)),
    );
    app.post(
      '/api/inbox/threads/:id/reply',
      {
        config: write,
        schema: {
          tags,
          params: threadParams,
          body: z.object({
            body: z.string().min(1).max(20_000),
            subject: z.string().max(300).nullable().optional(),
            status: status.optional(),
          }),
        },
      },
      async (request) => threads.reply(deps, request.params.id, request.body, requestMeta(request)),
    );
    app.post(
      '/api/inbox/threads/:id/notes',
      {
        config: write,
        schema: { tags, params: threadParams, body: z.object({ body: z.string().min(1).max(20_000) }) },
      },
      async (request) => threads.addNote(deps, request.params.id, request.body.body, requestMeta(request)),
    );
    app.patch(
      '/api/inbox/threads/:id',
      {
        config: write,
        schema: {
          tags,
          params: threadParams,
          body: z.object({
            status: status.optional(),
            assigneeId: z.uuid().nullable().optional(),
            dsrCompleted: z.boolean().optional(),
          }),
        },
      },
      async (request) => threads.updateThread(deps, request.params.id, request.body, requestMeta(request)),
    );
    app.post(
      '/api/inbox/threads/:id/verification',
      { config: write, schema: { tags, params: threadParams } },
      async (request) => threads.startVerification(deps, request.params.id, requestMeta(request)),
    );
    app.post(
      '/api/inbox/threads/:id/verification/confirm',
      { config: write, schema: { tags, params: threadParams, body: z.object({ code: z.string().max(20) }) } },
      async (request) =>
        threads.confirmVerification(deps, request.params.id, request.body.code, requestMeta(request)),
    );
    app.get(
      '/api/inbox/threads/:id/attachments/:attachmentId',
      {
        config: read,
        schema: {
          tags,
          params: z.object({ id: z.uuid(), attachmentId: z.coerce.number().int().positive() }),
        },
      },
      async (request, reply) => {
        const file = await threads.attachment(
          deps,
          request.params.id,
          String(request.params.attachmentId),
          requestMeta(request),
        );
        // Never rendered by the browser: a download with a neutral type, whatever the sender claimed.
        const ascii = file.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
        return reply
          .header('content-type', 'application/octet-stream')
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('cache-control', 'no-store')
          .header(
            'content-disposition',
            `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
          )
          .send(file.data);
      },
    );

    // Who a thread can be assigned to, for agents too (they may not list staff accounts).
    app.get('/api/inbox/assignees', { config: read, schema: { tags } }, async () => ({
      assignees: (
        await deps.db
          .selectFrom('users')
          .select(['id', 'display_name', 'email', 'role'])
          .where('status', '=', 'active')
          .where('role', 'in', ['agent', 'admin'])
          .orderBy('display_name')
          .execute()
      ).map((u) => ({ id: u.id, name: staffLabel(u), role: u.role })),
    }));
    app.get('/api/inbox/macros', { config: read, schema: { tags } }, async () => macros.listMacros(deps.db));
    app.post('/api/inbox/macros', { config: write, schema: { tags, body: macroBody } }, async (request) =>
      macros.saveMacro(deps.db, null, request.body, requestMeta(request)),
    );
    app.put(
      '/api/inbox/macros/:macroId',
      { config: write, schema: { tags, params: z.object({ macroId: z.uuid() }), body: macroBody } },
      async (request) =>
        macros.saveMacro(deps.db, request.params.macroId, request.body, requestMeta(request)),
    );
    app.delete(
      '/api/inbox/macros/:macroId',
      { config: write, schema: { tags, params: z.object({ macroId: z.uuid() }) } },
      async (request) => macros.deleteMacro(deps.db, request.params.macroId, requestMeta(request)),
    );
    // Filled in for a verified requester, a macro carries their data: for the agents who answer.
    app.post(
      '/api/inbox/macros/:macroId/render',
      {
        config: write,
        schema: { tags, params: z.object({ macroId: z.uuid() }), body: z.object({ threadId: z.uuid() }) },
      },
      async (request) =>
        macros.renderForThread(deps, request.params.macroId, request.body.threadId, requestMeta(request)),
    );

    app.post(
      '/api/inbox/bulk-reply',
      {
        config: write,
        schema: {
          tags,
          body: z.object({
            // Strict: a mistyped or empty selection is refused, never read as "every open thread".
            filter: z.union([
              z.strictObject({ threadIds: z.array(z.uuid()).min(1).max(50_000) }),
              listQuery
                .omit({ limit: true, cursor: true })
                .strict()
                .refine((f) => Object.values(f).some((v) => v !== undefined && v !== ''), {
                  message: 'Choose threads, or at least one filter (status, topic, search…).',
                }),
            ]),
            macroId: z.uuid(),
            close: z.boolean(),
            bulkId: z.uuid().optional(),
          }),
        },
      },
      async (request) => bulkReply(deps, request.body, requestMeta(request)),
    );

    app.get('/api/inbox/rules', { config: read, schema: { tags } }, async () => rules.listRules(deps.db));
    app.post('/api/inbox/rules', { config: write, schema: { tags, body: ruleBody } }, async (request) =>
      rules.saveRule(deps.db, null, request.body, requestMeta(request)),
    );
    app.put(
      '/api/inbox/rules/:ruleId',
      { config: write, schema: { tags, params: z.object({ ruleId: z.uuid() }), body: ruleBody } },
      async (request) => rules.saveRule(deps.db, request.params.ruleId, request.body, requestMeta(request)),
    );
    app.delete(
      '/api/inbox/rules/:ruleId',
      { config: write, schema: { tags, params: z.object({ ruleId: z.uuid() }) } },
      async (request) => rules.deleteRule(deps.db, request.params.ruleId, requestMeta(request)),
    );
    app.get('/api/inbox/settings', { config: read, schema: { tags } }, async () =>
      rules.getSettings(deps.db),
    );
    app.put(
      '/api/inbox/settings',
      { config: write, schema: { tags, body: inboxSettingsSchema } },
      async (request) => rules.setSettings(deps.db, request.body, requestMeta(request)),
    );
    app.get('/api/inbox/stats', { config: read, schema: { tags } }, async () => rules.inboxStats(deps.db));
  };
}
