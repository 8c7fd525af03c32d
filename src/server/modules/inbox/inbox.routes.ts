import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { okResponse } from '../../../shared/contracts/common.ts';
import * as contract from '../../../shared/contracts/inbox.ts';
import { canCredential } from '../../../shared/permissions.ts';
import { requestMeta } from '../../platform/http/actors.ts';
import { listAssignableStaff } from '../auth/index.ts';
import { bulkReply } from './bulk.ts';
import type { Deps } from './inbox.deps.ts';
import * as macros from './macros.service.ts';
import * as rules from './rules.service.ts';
import { attachment, getThread } from './thread-read.service.ts';
import { addNote, reply } from './thread-reply.service.ts';
import { updateThread } from './thread-update.service.ts';
import { listThreads } from './threads-list.service.ts';
import { confirmVerification, startVerification } from './verification.service.ts';

/**
 * The console's API for the support inbox. Every JSON answer goes through its response schema
 * (src/shared/contracts/inbox.ts), so only the fields named there leave the server.
 */
export function inboxRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['inbox'];
    const read = { access: { permission: 'inbox:read' as const } };
    const write = { access: { permission: 'inbox:reply' as const } };
    const params = contract.threadParams;
    const thread = { 200: contract.threadDetail };

    app.get(
      '/api/inbox/threads',
      {
        config: read,
        schema: { tags, querystring: contract.threadListQuery, response: { 200: contract.threadPage } },
      },
      async (request) => listThreads(deps, request.query, requestMeta(request)),
    );
    app.get(
      '/api/inbox/threads/:id',
      { config: read, schema: { tags, params, response: thread } },
      // What leaked is shown to those who answer (inbox:reply), not to every role that reads the inbox.
      async (request) =>
        getThread(deps, request.params.id, {
          ...requestMeta(request),
          mayDisclose: canCredential(request.principal!.kind, request.principal!.role, 'inbox:reply'),
        }),
    );
    app.post(
      '/api/inbox/threads/:id/reply',
      { config: write, schema: { tags, params, body: contract.replyRequest, response: thread } },
      async (request) => reply(deps, request.params.id, request.body, requestMeta(request)),
    );
    app.post(
      '/api/inbox/threads/:id/notes',
      { config: write, schema: { tags, params, body: contract.noteRequest, response: thread } },
      async (request) => addNote(deps, request.params.id, request.body.body, requestMeta(request)),
    );
    app.patch(
      '/api/inbox/threads/:id',
      { config: write, schema: { tags, params, body: contract.threadPatchRequest, response: thread } },
      async (request) => updateThread(deps, request.params.id, request.body, requestMeta(request)),
    );
    app.post(
      '/api/inbox/threads/:id/verification',
      { config: write, schema: { tags, params, response: thread } },
      async (request) => startVerification(deps, request.params.id, requestMeta(request)),
    );
    app.post(
      '/api/inbox/threads/:id/verification/confirm',
      {
        config: write,
        schema: { tags, params, body: contract.confirmVerificationRequest, response: thread },
      },
      async (request) =>
        confirmVerification(deps, request.params.id, request.body.code, requestMeta(request)),
    );
    // A file, not JSON: no response schema (the route-table test lists it as a download).
    app.get(
      '/api/inbox/threads/:id/attachments/:attachmentId',
      { config: read, schema: { tags, params: contract.attachmentParams } },
      async (request, reply) => {
        const file = await attachment(
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
    app.get(
      '/api/inbox/assignees',
      { config: read, schema: { tags, response: { 200: contract.assigneeList } } },
      async () => ({ assignees: await listAssignableStaff(deps.db) }),
    );
    app.get(
      '/api/inbox/macros',
      { config: read, schema: { tags, response: { 200: contract.macroList } } },
      async () => macros.listMacros(deps.db),
    );
    app.post(
      '/api/inbox/macros',
      { config: write, schema: { tags, body: contract.macroRequest, response: { 200: contract.macro } } },
      async (request) => macros.saveMacro(deps.db, null, request.body, requestMeta(request)),
    );
    app.put(
      '/api/inbox/macros/:macroId',
      {
        config: write,
        schema: {
          tags,
          params: contract.macroParams,
          body: contract.macroRequest,
          response: { 200: contract.macro },
        },
      },
      async (request) =>
        macros.saveMacro(deps.db, request.params.macroId, request.body, requestMeta(request)),
    );
    app.delete(
      '/api/inbox/macros/:macroId',
      { config: write, schema: { tags, params: contract.macroParams, response: { 200: okResponse } } },
      async (request) => macros.deleteMacro(deps.db, request.params.macroId, requestMeta(request)),
    );
    // Filled in for a verified requester, a macro carries their data: for the agents who answer.
    app.post(
      '/api/inbox/macros/:macroId/render',
      {
        config: write,
        schema: {
          tags,
          params: contract.macroParams,
          body: contract.renderMacroRequest,
          response: { 200: contract.renderedMacro },
        },
      },
      async (request) =>
        macros.renderForThread(deps, request.params.macroId, request.body.threadId, requestMeta(request)),
    );

    app.post(
      '/api/inbox/bulk-reply',
      {
        config: write,
        schema: { tags, body: contract.bulkReplyRequest, response: { 200: contract.bulkReplyResult } },
      },
      async (request) => bulkReply(deps, request.body, requestMeta(request)),
    );

    app.get(
      '/api/inbox/rules',
      { config: read, schema: { tags, response: { 200: contract.topicRuleList } } },
      async () => rules.listRules(deps.db),
    );
    app.post(
      '/api/inbox/rules',
      {
        config: write,
        schema: { tags, body: contract.topicRuleRequest, response: { 200: contract.topicRule } },
      },
      async (request) => rules.saveRule(deps.db, null, request.body, requestMeta(request)),
    );
    app.put(
      '/api/inbox/rules/:ruleId',
      {
        config: write,
        schema: {
          tags,
          params: contract.ruleParams,
          body: contract.topicRuleRequest,
          response: { 200: contract.topicRule },
        },
      },
      async (request) => rules.saveRule(deps.db, request.params.ruleId, request.body, requestMeta(request)),
    );
    app.delete(
      '/api/inbox/rules/:ruleId',
      { config: write, schema: { tags, params: contract.ruleParams, response: { 200: okResponse } } },
      async (request) => rules.deleteRule(deps.db, request.params.ruleId, requestMeta(request)),
    );
    app.get(
      '/api/inbox/settings',
      { config: read, schema: { tags, response: { 200: contract.inboxSettings } } },
      async () => rules.getSettings(deps.db),
    );
    app.put(
      '/api/inbox/settings',
      {
        config: write,
        schema: { tags, body: contract.inboxSettings, response: { 200: contract.inboxSettings } },
      },
      async (request) => rules.setSettings(deps.db, request.body, requestMeta(request)),
    );
    app.get(
      '/api/inbox/stats',
      { config: read, schema: { tags, response: { 200: contract.inboxStats } } },
      async () => rules.inboxStats(deps.db),
    );
  };
}
