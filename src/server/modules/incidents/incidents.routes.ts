import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams, okResponse } from '../../../shared/contracts/common.ts';
import * as contract from '../../../shared/contracts/incidents.ts';
import { requestMeta } from '../../platform/http/actors.ts';
import { getIncident, getIncidentDetail, listIncidents } from './incident-read.service.ts';
import { addNote, createIncident, updateIncident } from './incident-write.service.ts';
import type { Deps } from './incidents.deps.ts';
import { setKeyTimes } from './key-times.service.ts';
import { transitionIncident } from './lifecycle.service.ts';
import { metricsOverview } from './metrics.service.ts';
import { setOwners } from './owners.service.ts';
import * as tasks from './tasks.service.ts';
import { listTimeline } from './timeline.ts';

export function incidentsRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    const read = { access: { permission: 'incidents:read' as const } };
    const write = { access: { permission: 'incidents:write' as const } };
    const tags = ['incidents'];

    app.get(
      '/api/incidents',
      { config: read, schema: { tags, response: { 200: contract.incidentList } } },
      async () => ({
        incidents: await listIncidents(deps),
      }),
    );
    app.get(
      '/api/incidents/metrics',
      {
        config: { access: { permission: 'insights:read' } },
        schema: { tags, response: { 200: contract.metricsOverview } },
      },
      async () => metricsOverview(deps.db),
    );
    app.get(
      '/api/incidents/:id',
      { config: read, schema: { tags, params: idParams, response: { 200: contract.incidentDetail } } },
      async (request) => getIncidentDetail(deps, request.params.id),
    );
    app.post(
      '/api/incidents',
      {
        config: write,
        schema: { tags, body: contract.createIncidentRequest, response: { 200: contract.incidentSummary } },
      },
      async (request) => createIncident(deps, request.body, requestMeta(request)),
    );
    app.patch(
      '/api/incidents/:id',
      {
        config: write,
        schema: {
          tags,
          params: idParams,
          body: contract.updateIncidentRequest,
          response: { 200: contract.incidentDetail },
        },
      },
      async (request) => updateIncident(deps, request.params.id, request.body, requestMeta(request)),
    );
    app.post(
      '/api/incidents/:id/key-times',
      {
        config: write,
        schema: {
          tags,
          params: idParams,
          body: contract.setKeyTimesRequest,
          response: { 200: contract.incidentDetail },
        },
      },
      async (request) => setKeyTimes(deps, request.params.id, request.body, requestMeta(request)),
    );
    app.post(
      '/api/incidents/:id/transition',
      {
        config: write,
        schema: {
          tags,
          params: idParams,
          body: contract.transitionRequest,
          response: { 200: contract.incidentDetail },
        },
      },
      async (request) =>
        transitionIncident(deps, request.params.id, request.body.to, request.body.note, requestMeta(request)),
    );
    app.put(
      '/api/incidents/:id/owners',
      {
        config: write,
        schema: {
          tags,
          params: idParams,
          body: contract.ownersRequest,
          response: { 200: contract.incidentDetail },
        },
      },
      async (request) => setOwners(deps, request.params.id, request.body.userIds, requestMeta(request)),
    );
    app.get(
      '/api/incidents/:id/timeline',
      { config: read, schema: { tags, params: idParams, response: { 200: contract.timelineResponse } } },
      async (request) => {
        await getIncident(deps, request.params.id);
        return { events: await listTimeline(deps.db, request.params.id) };
      },
    );
    app.post(
      '/api/incidents/:id/timeline',
      {
        config: write,
        schema: { tags, params: idParams, body: contract.addNoteRequest, response: { 200: okResponse } },
      },
      async (request) => {
        await addNote(deps, request.params.id, request.body.text, requestMeta(request));
        return { ok: true as const };
      },
    );
    app.get(
      '/api/incidents/:id/tasks',
      { config: read, schema: { tags, params: idParams, response: { 200: contract.taskList } } },
      async (request) => {
        await getIncident(deps, request.params.id);
        return { tasks: await tasks.listTasks(deps.db, request.params.id) };
      },
    );
    app.post(
      '/api/incidents/:id/tasks',
      {
        config: write,
        schema: {
          tags,
          params: idParams,
          body: contract.createTaskRequest,
          response: { 200: contract.task },
        },
      },
      async (request) => tasks.createTask(deps, request.params.id, request.body, requestMeta(request)),
    );
    app.patch(
      '/api/incidents/:id/tasks/:taskId',
      {
        config: write,
        schema: {
          tags,
          params: contract.taskParams,
          body: contract.updateTaskRequest,
          response: { 200: contract.task },
        },
      },
      async (request) =>
        tasks.updateTask(deps, request.params.id, request.params.taskId, request.body, requestMeta(request)),
    );
  };
}
