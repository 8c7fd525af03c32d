import PDFDocument from 'pdfkit';
import { keyTimeLabels, keyTimes } from '../../../shared/contracts/incidents.ts';
import type { NotApplicable, Obligation } from '../../../shared/contracts/obligations.ts';
import { categoriesOf, categoryLabels } from '../../../shared/taxonomy.ts';
import type { Executor } from '../../db/database.ts';
import { notFound } from '../../platform/errors.ts';
import { formatMoment } from '../../platform/time/format-time.ts';
import { fullTimeline, incidentLegalFacts } from '../incidents/index.ts';
import { peopleByJurisdictionAndExposure } from '../people/index.ts';
import { inJurisdiction, meetsDefinition } from './engine.ts';
import { computeReport } from './obligations.service.ts';
import type { RulesData } from './rules/load.ts';

/**
 * The regulator-ready report: the incident's facts, counts by jurisdiction, each obligation with its
 * deadline, required content and decision records, the regimes that do not apply and why, and the timeline.
 * For one regime or all. Rendered as JSON or PDF. Counts and staff actions only: no affected person's data.
 */
export interface RegulatorReport {
  generatedAt: string;
  /** The company's time zone (company profile): the PDF prints every time in it, naming it. */
  timezone: string;
  disclaimer: string;
  rulesVersion: string;
  regime: { id: string; name: string; citation: string; sourceUrls: string[]; confidence: string } | null;
  incident: {
    id: string;
    title: string;
    description: string;
    status: string;
    cause: string | null;
    severity: string;
    systemsAffected: string[];
    dataCategories: string[];
    encryptedWithSafeKey: boolean;
    lawEnforcementDelayUntil: string | null;
    times: Record<string, string | null>;
  };
  affected: { total: number; byJurisdiction: Record<string, number> };
  obligations: Obligation[];
  notApplicable: NotApplicable[];
  timeline: Array<{ at: string; kind: string; actor: string; summary: string }>;
}

export async function buildReport(
  db: Executor,
  rules: RulesData,
  incidentId: string,
  regimeId?: string,
): Promise<RegulatorReport> {
  const regime = regimeId ? rules.regimes.find((r) => r.id === regimeId) : undefined;
  if (regimeId && !regime) throw notFound(`A regime "${regimeId}"`);
  const [computed, incident, population, timeline] = await Promise.all([
    computeReport(db, rules, incidentId),
    incidentLegalFacts(db, incidentId),
    peopleByJurisdictionAndExposure(db, incidentId),
    fullTimeline(db, incidentId),
  ]);
  if (!incident) throw notFound('An incident with this id');
  const byJurisdiction: Record<string, number> = {};
  let mask = 0;
  for (const cell of population) {
    if (
      regime &&
      !(inJurisdiction(cell.jurisdiction, regime.jurisdictions) && meetsDefinition(regime, cell.categories))
    )
      continue;
    byJurisdiction[cell.jurisdiction] = (byJurisdiction[cell.jurisdiction] ?? 0) + cell.people;
    mask |= cell.categories;
  }
  if (population.length === 0) mask = incident.categoriesEntered;
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    generatedAt: new Date().toISOString(),
    timezone: computed.basis.timezone,
    disclaimer: computed.disclaimer,
    rulesVersion: computed.rulesVersion,
    regime: regime
      ? {
          id: regime.id,
          name: regime.name,
          citation: regime.citation,
          sourceUrls: regime.sourceUrls,
          confidence: regime.confidence,
        }
      : null,
    incident: {
      id: incident.id,
      title: incident.title,
      description: incident.description,
      status: incident.status,
      cause: incident.cause,
      severity: incident.severity,
      systemsAffected: incident.systemsAffected,
      dataCategories: categoriesOf(mask).map((c) => categoryLabels[c]),
      encryptedWithSafeKey: incident.encryptedWithSafeKey,
      lawEnforcementDelayUntil: iso(incident.lawEnforcementDelayUntil),
      times: Object.fromEntries(keyTimes.map((k) => [k, iso(incident.times[k])])),
    },
    affected: { total: Object.values(byJurisdiction).reduce((a, b) => a + b, 0), byJurisdiction },
    obligations: computed.obligations.filter((o) => !regime || o.regime === regime.id),
    notApplicable: computed.notApplicable.filter((n) => !regime || n.regime === regime.id),
    timeline: timeline.map((e) => ({ ...e, at: e.at.toISOString() })),
  };
}

/** The report as a PDF (pdfkit's built-in Helvetica; text only, so it prints and archives plainly). */
export function renderReportPdf(report: RegulatorReport): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: `Breach notification report: ${report.incident.title}`, Producer: 'Candor' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const text = (value: string) =>
    value.replace(
      /[^\x20-\x7E\xA0-\xFF\n]/g,
      (c) => ({ '’': "'", '“': '"', '”': '"', '→': '->', '•': '-', '—': '-', '–': '-' })[c] ?? '?',
    );
  const h1 = (s: string) => doc.font('Helvetica-Bold').fontSize(18).text(text(s)).moveDown(0.5);
  const h2 = (s: string) => doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text(text(s)).moveDown(0.3);
  const h3 = (s: string) => doc.moveDown(0.4).font('Helvetica-Bold').fontSize(11).text(text(s));
  const p = (s: string) => doc.font('Helvetica').fontSize(10).text(text(s));
  // Times as people read them: in the company's zone, its abbreviation printed with each (the JSON keeps ISO).
  const at = (iso: string) => formatMoment(iso, report.timezone, 'en');
  const kv = (k: string, v: string) => {
    doc
      .font('Helvetica-Bold')
      .fontSize(10)
      .text(`${text(k)}: `, { continued: true });
    doc.font('Helvetica').text(text(v));
  };

  h1(report.regime ? `${report.regime.name}: breach notification report` : 'Breach notification report');
  p(`Incident: ${report.incident.title}`);
  p(`Generated ${at(report.generatedAt)} by Candor (rules version ${report.rulesVersion}).`);
  p(`Times are in ${report.timezone}, the company's time zone.`);
  doc.moveDown(0.3).font('Helvetica-Oblique').fontSize(9).text(text(report.disclaimer));
  if (report.regime) {
    doc.moveDown(0.3);
    kv('Citation', report.regime.citation);
    kv('Confidence of this rule', report.regime.confidence);
    kv('Sources', '');
    for (const url of report.regime.sourceUrls) p(`  ${url}`);
  }

  h2('Incident facts');
  kv('Status', report.incident.status);
  kv('Cause', report.incident.cause ?? 'not recorded');
  kv('Severity', report.incident.severity);
  kv('Systems affected', report.incident.systemsAffected.join(', ') || 'not recorded');
  kv('Data involved', report.incident.dataCategories.join(', ') || 'not recorded');
  kv('Encrypted with an uncompromised key', report.incident.encryptedWithSafeKey ? 'yes' : 'no');
  if (report.incident.lawEnforcementDelayUntil)
    kv('Law-enforcement delay until', at(report.incident.lawEnforcementDelayUntil));
  if (report.incident.description) p(report.incident.description);
  for (const k of keyTimes) {
    const value = report.incident.times[k];
    kv(keyTimeLabels[k], value ? at(value) : 'not set');
  }

  h2(`Affected people: ${report.affected.total.toLocaleString('en-US')}`);
  const rows = Object.entries(report.affected.byJurisdiction).sort((a, b) => b[1] - a[1]);
  for (const [j, n] of rows.slice(0, 200)) p(`${j}: ${n.toLocaleString('en-US')}`);
  if (rows.length > 200) p(`… and ${rows.length - 200} more jurisdictions (see the JSON report).`);

  h2('Obligations');
  if (report.obligations.length === 0) p('None apply.');
  for (const o of report.obligations) {
    h3(`${o.regimeName}: ${o.kind.replace('_', ' ')}${o.variant ? ` (${o.variant})` : ''} - ${o.body}`);
    kv('Status', o.status.replace('_', ' '));
    kv('Due', o.dueAt ? at(o.dueAt) : 'not computable');
    p(o.deadlineBasis);
    kv(
      'Affected',
      `${o.affected.toLocaleString('en-US')}${o.threshold ? ` (threshold: ${o.threshold.text})` : ''}`,
    );
    kv('Citation', `${o.citation} (confidence: ${o.confidence})`);
    if (o.content.length > 0) {
      p('The notice must contain:');
      for (const item of o.content) p(`  - ${item}`);
    }
    for (const d of o.history) {
      p(
        `Decision ${at(d.at)} by ${d.by}: ${d.status.replace('_', ' ')}${d.reasons ? `. Reasons: ${d.reasons}` : ''}${d.evidence ? `. Evidence: ${d.evidence}` : ''}`,
      );
    }
  }
  if (report.notApplicable.length > 0) {
    h2('Not applicable');
    for (const n of report.notApplicable)
      p(`${n.regimeName}${n.kind ? ` (${n.kind.replace('_', ' ')})` : ''}: ${n.reason}`);
  }
  h2('Timeline');
  for (const e of report.timeline) p(`${at(e.at)}  ${e.actor}: ${e.summary}`);
  doc.end();
  return done;
}
