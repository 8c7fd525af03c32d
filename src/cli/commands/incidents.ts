import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createIncidentsModule } from '../../server/modules/incidents/index.ts';
import { createObligationsModule } from '../../server/modules/obligations/index.ts';
import { incidentPeopleFacts } from '../../server/modules/people/index.ts';
import {
  createIncidentRequest,
  type IncidentStatus,
  incidentCauses,
  incidentSeverities,
  incidentStatuses,
  type KeyTime,
  keyTimes,
  publicTitleFor,
  setKeyTimesRequest,
} from '../../shared/contracts/incidents.ts';
import type { ObligationsReport } from '../../shared/contracts/obligations.ts';
import { cliActor, printJson, withRuntime } from '../runtime.ts';

const flagOf = (field: string) => `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Zod's first problem as a one-line error naming the flag. */
function flagError(issue: { path: PropertyKey[]; message: string }): Error {
  const field =
    issue.path[0] === 'publicTitle'
      ? issue.path[1] === 'es'
        ? 'publicTitleEs'
        : 'publicTitle'
      : String(issue.path.at(-1) ?? '');
  const message =
    issue.message === 'Invalid ISO datetime'
      ? 'use an ISO 8601 time like 2026-11-02T09:00:00Z'
      : issue.message;
  return new Error(field ? `${flagOf(field)}: ${message}` : message);
}

export function registerIncidentCommands(program: Command): void {
  const incident = program.command('incident').description('Incidents (one per breach you respond to).');
  incident
    .command('create')
    .description('Create an incident.')
    .requiredOption('--title <title>', 'internal short name, e.g. "CRM export exposed" (staff only)')
    .option(
      '--public-title <text>',
      'what affected people read as its name, in English (default: "Data security incident")',
    )
    .option('--public-title-es <text>', 'the same in Spanish (default: "Incidente de seguridad de datos")')
    .requiredOption('--aware-at <iso>', 'when the company became aware (starts most legal clocks), ISO 8601')
    .option('--occurred-at <iso>', 'when the breach began')
    .option('--occurred-until <iso>', 'when the breach ended, if it ran over a period')
    .option('--detected-at <iso>', 'first signal of it')
    .option('--description <text>', 'what happened')
    .option(
      '--status <status>',
      `starting status: ${incidentStatuses.filter((s) => s !== 'closed').join(', ')}`,
    )
    .option('--severity <severity>', incidentSeverities.join(', '))
    .option('--cause <cause>', incidentCauses.join(', '))
    .option('--encrypted-safe-key', 'the data was encrypted and the key was not compromised')
    .option('--json', 'print the incident as JSON')
    .action(
      async (options: {
        title: string;
        publicTitle?: string;
        publicTitleEs?: string;
        awareAt: string;
        occurredAt?: string;
        occurredUntil?: string;
        detectedAt?: string;
        description?: string;
        status?: string;
        severity?: string;
        cause?: string;
        encryptedSafeKey?: boolean;
        json?: boolean;
      }) => {
        const parsed = createIncidentRequest.safeParse({
          title: options.title,
          publicTitle: { en: options.publicTitle, es: options.publicTitleEs },
          awareAt: options.awareAt,
          occurredAt: options.occurredAt,
          occurredUntil: options.occurredUntil,
          detectedAt: options.detectedAt,
          description: options.description,
          status: options.status,
          severity: options.severity,
          cause: options.cause,
          encryptedWithSafeKey: options.encryptedSafeKey,
        });
        if (!parsed.success) throw flagError(parsed.error.issues[0]!);
        const created = await withRuntime((runtime) =>
          createIncidentsModule(runtime.ctx, incidentPeopleFacts).service.create(parsed.data, {
            actor: cliActor(),
          }),
        );
        if (options.json) return printJson(created);
        process.stdout.write(`incident ${created.id} created: ${created.title}\n`);
      },
    );
  incident
    .command('list')
    .description('List incidents.')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const incidents = await withRuntime((runtime) =>
        createIncidentsModule(runtime.ctx, incidentPeopleFacts).service.list(),
      );
      if (options.json) return printJson(incidents);
      for (const i of incidents)
        process.stdout.write(
          `${i.id}  ${i.createdAt.slice(0, 10)}  ${i.status.padEnd(13)} ${String(i.people).padStart(8)} people  ${i.title}\n`,
        );
      if (incidents.length === 0)
        process.stdout.write('No incidents yet. Create one with `candor incident create`.\n');
    });
  incident
    .command('show')
    .description('Show one incident: details, key times, timings.')
    .argument('<id>', 'incident id')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const found = await withRuntime((runtime) =>
        createIncidentsModule(runtime.ctx, incidentPeopleFacts).service.detail(id),
      );
      if (options.json) return printJson(found);
      const lines = [
        found.title,
        `  public    ${publicTitleFor(found.publicTitle, 'en')} / ${publicTitleFor(found.publicTitle, 'es')}`,
        `  id        ${found.id}`,
        `  status    ${found.status} (next: ${found.nextStatuses.join(', ') || 'none'})`,
        `  severity  ${found.severity}${found.cause ? `, cause ${found.cause}` : ''}`,
        `  people    ${found.people}`,
        `  data      ${found.categories.join(', ') || 'not known yet'} (${found.categoriesSource})`,
        ...keyTimes.map((k) => `  ${k.padEnd(16)} ${found.times[k] ?? '-'}`),
        `  time to identify ${found.metrics.identifyDays ?? '-'} d, contain ${found.metrics.containDays ?? '-'} d, notify ${found.metrics.notifyDays ?? '-'} d`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
  const set = incident
    .command('set')
    .description('Change key times (audited with a reason) or move the status.')
    .argument('<id>', 'incident id');
  for (const k of keyTimes.filter((k) => k !== 'closedAt')) {
    set.option(`${flagOf(k)} <iso>`, `${k} as ISO 8601, or "none" to clear`);
  }
  set
    .option('--status <status>', `move the lifecycle: ${incidentStatuses.join(' → ')}`)
    .option('--reason <text>', 'why the times change (kept on the timeline and in the audit log)')
    .option('--json', 'print the incident as JSON')
    .action(async (id: string, options: Record<string, string | boolean | undefined>) => {
      const times: Partial<Record<KeyTime, string | null>> = {};
      for (const k of keyTimes) {
        const value = options[k];
        if (typeof value === 'string') times[k] = value === 'none' ? null : value;
      }
      const status = options.status as string | undefined;
      if (Object.keys(times).length === 0 && !status) {
        throw new Error('Nothing to set: give a key time such as --contained-at, or --status.');
      }
      if (status && !(incidentStatuses as readonly string[]).includes(status)) {
        throw new Error(`--status: one of ${incidentStatuses.join(', ')}`);
      }
      const actor = cliActor();
      const result = await withRuntime(async (runtime) => {
        const incidents = createIncidentsModule(runtime.ctx, incidentPeopleFacts).service;
        let detail = await incidents.detail(id);
        // Refuse a status move that cannot happen before changing any time, so a refused command changes nothing.
        if (status && status !== detail.status && !detail.nextStatuses.includes(status as IncidentStatus)) {
          throw new Error(
            `--status: the incident is ${detail.status}; it can move to ${detail.nextStatuses.join(' or ')}.`,
          );
        }
        if (Object.keys(times).length > 0) {
          const parsed = setKeyTimesRequest.safeParse({
            times,
            reason:
              (options.reason as string | undefined) ?? `Set with \`candor incident set\` by ${actor.label}`,
          });
          if (!parsed.success) throw flagError(parsed.error.issues[0]!);
          detail = await incidents.setKeyTimes(id, parsed.data, { actor });
        }
        if (status) detail = await incidents.transition(id, status as IncidentStatus, { actor });
        return detail;
      });
      if (options.json) return printJson(result);
      process.stdout.write(`incident ${result.id}: ${result.status}\n`);
    });
}

export function registerObligationCommands(program: Command): void {
  program
    .command('obligations')
    .description('Legal notification obligations of an incident, computed from its affected people.')
    .argument('<incident-id>', 'incident id')
    .option(
      '--json',
      'print [{regime, kind, body, affected, threshold, dueAt, deadlineBasis, citation, confidence, status}, …]',
    )
    .option('--report <format>', 'write the regulator-ready report: pdf or json')
    .option('--regime <id>', 'with --report: one regime only, e.g. US-CA')
    .option('--out <path>', 'with --report: the file to write')
    .action(
      async (
        incidentId: string,
        options: { json?: boolean; report?: string; regime?: string; out?: string },
      ) => {
        if (options.report) {
          if (options.report !== 'pdf' && options.report !== 'json') throw new Error('--report: pdf or json');
          if (!options.out) throw new Error('--out: say where to write the report');
          const bytes = await withRuntime(async (runtime) => {
            const obligations = createObligationsModule(runtime.ctx);
            const report = await obligations.service.exportReport(incidentId, options.regime);
            return options.report === 'pdf'
              ? obligations.service.renderPdf(report)
              : Buffer.from(JSON.stringify(report, null, 2));
          });
          writeFileSync(options.out, bytes);
          process.stdout.write(`wrote ${options.out} (${bytes.length} bytes)\n`);
          return;
        }
        const report = await withRuntime((runtime) =>
          createObligationsModule(runtime.ctx).service.report(incidentId),
        );
        if (options.json) return printJson(flatten(report));
        printHuman(report);
      },
    );
}

/** The CLI's JSON: applicable obligations, then the regimes and notices that do not apply with the reason. */
function flatten(report: ObligationsReport) {
  return [
    ...report.obligations.map((o) => ({
      key: o.key,
      regime: o.regime,
      regimeName: o.regimeName,
      kind: o.kind,
      body: o.body,
      affected: o.affected,
      threshold: o.threshold?.count ?? null,
      thresholdRule: o.threshold?.text ?? null,
      dueAt: o.dueAt,
      deadlineBasis: o.deadlineBasis,
      deadlineIsPolicy: o.deadlineIsPolicy,
      citation: o.citation,
      confidence: o.confidence,
      content: o.content,
      status: o.status,
      decision: o.decision,
    })),
    ...report.notApplicable.map((n) => ({
      key: n.key,
      regime: n.regime,
      regimeName: n.regimeName,
      kind: n.kind,
      affected: n.affected,
      citation: n.citation,
      confidence: n.confidence,
      status: n.status,
      reasonCode: n.reasonCode,
      reason: n.reason,
    })),
  ];
}

function countdown(dueAt: string | null, now = Date.now()): string {
  if (!dueAt) return 'no date';
  const ms = Date.parse(dueAt) - now;
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86_400_000);
  const h = Math.floor((abs % 86_400_000) / 3_600_000);
  const span = d > 0 ? `${d}d ${h}h` : `${h}h ${Math.floor((abs % 3_600_000) / 60_000)}m`;
  return ms < 0 ? `OVERDUE ${span}` : `${span} left`;
}

function printHuman(report: ObligationsReport): void {
  const out: string[] = [
    `${report.obligations.length} obligations for ${report.basis.people} affected people (rules ${report.rulesVersion})`,
    '',
  ];
  for (const o of report.obligations) {
    out.push(
      `${(o.status === 'open' ? countdown(o.dueAt) : o.status).padEnd(16)} ${o.key.padEnd(28)} ${o.dueAt ?? '-'}  ${o.affected} affected  [${o.confidence}]${o.deadlineIsPolicy ? ' (policy target)' : ''}`,
    );
  }
  const skipped = report.notApplicable.filter((n) => n.reasonCode !== 'no_residents');
  if (skipped.length > 0) {
    out.push('', 'Not applicable:');
    for (const n of skipped) out.push(`  ${n.key.padEnd(28)} ${n.reason}`);
  }
  if (report.basis.unknownJurisdiction > 0) {
    out.push(
      '',
      `${report.basis.unknownJurisdiction} people have no known jurisdiction and count toward no regime.`,
    );
  }
  out.push('', report.disclaimer);
  process.stdout.write(`${out.join('\n')}\n`);
}
