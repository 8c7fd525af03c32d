import type { Macro, MacroInput, MacroLocale, RenderedMacro } from '../../../shared/contracts/inbox.ts';
import { publicTitleFor } from '../../../shared/contracts/incidents.ts';
import { categoriesOf } from '../../../shared/taxonomy.ts';
import type { Db } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { readBranding } from '../../platform/settings/branding.ts';
import { staffNames } from '../auth/index.ts';
import {
  assignedActivationCode,
  checkTextTemplate,
  compileTextTemplate,
  guidanceFor,
  TemplateError,
} from '../campaigns/index.ts';
import { type IncidentPublicFacts, incidentPublicFacts } from '../incidents/index.ts';
import { contactsFor } from '../people/index.ts';
import type { Deps, Meta } from './inbox.deps.ts';
import { threadFound } from './thread-view.ts';
import { findThread, type ThreadRecord } from './threads.repository.ts';

export type { MacroInput } from '../../../shared/contracts/inbox.ts';

/**
 * Saved answers. Liquid in the notices' sandbox, per locale, checked at save time against the variables a
 * macro may use. What the person's records say (first name, guidance for what leaked, activation code) is
 * filled only once the requester is verified; before that those variables are empty and reported missing,
 * so an agent never sends what leaked to someone who has not proved who they are.
 */
export const macroSample = {
  person: { first_name: 'Alex' },
  incident: { title: 'Data incident' },
  guidance: [{ title: 'Change your password', steps: ['Choose a new password.'] }],
  activation_code: 'SAMPLE-CODE',
  link: 'https://example.com/n/incident',
  company: { name: 'Example' },
};

function check(input: MacroInput): void {
  const problems = [
    ...checkTextTemplate(input.body, macroSample).map((p) => ({ path: 'body', ...p })),
    ...(input.subject
      ? checkTextTemplate(input.subject, macroSample).map((p) => ({ path: 'subject', ...p }))
      : []),
  ];
  if (problems.length > 0) {
    throw new AppError('validation_failed', problems[0]!.message, {
      fields: problems.map((p) => ({
        path: p.path,
        message: p.line ? `Line ${p.line}: ${p.message}` : p.message,
      })),
    });
  }
}

function dto(
  r: {
    id: string;
    name: string;
    locale: string;
    subject: string | null;
    body: string;
    updated_by: string;
    updated_by_id: string | null;
    updated_at: Date;
  },
  names: Map<string, string> = new Map(),
): Macro {
  return {
    id: r.id,
    name: r.name,
    // Saved only through macroRequest, which takes "en" or "es".
    locale: r.locale as MacroLocale,
    subject: r.subject,
    body: r.body,
    // Who last changed it, by current name (macros saved before names were recorded carry a role).
    updatedBy: (r.updated_by_id && names.get(r.updated_by_id)) || r.updated_by,
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export async function listMacros(db: Db): Promise<{ macros: Macro[] }> {
  const rows = await db.selectFrom('inbox_macros').selectAll().orderBy('name').orderBy('locale').execute();
  const names = await staffNames(
    db,
    rows.map((r) => r.updated_by_id),
  );
  return { macros: rows.map((r) => dto(r, names)) };
}

export async function saveMacro(db: Db, id: string | null, input: MacroInput, meta: Meta): Promise<Macro> {
  check(input);
  return db.transaction().execute(async (tx) => {
    const values = {
      name: input.name.trim(),
      locale: input.locale,
      subject: input.subject?.trim() || null,
      body: input.body,
      updated_by: meta.actor.label,
      updated_by_id: meta.actor.type === 'user' ? meta.actor.id : null,
      updated_at: new Date(),
    };
    const clash = await tx
      .selectFrom('inbox_macros')
      .select('id')
      .where('name', '=', values.name)
      .where('locale', '=', values.locale)
      .$if(id !== null, (q) => q.where('id', '<>', id!))
      .executeTakeFirst();
    if (clash)
      throw new AppError('conflict', `A ${values.locale} macro named "${values.name}" exists already.`);
    const row = id
      ? await tx
          .updateTable('inbox_macros')
          .set(values)
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst()
      : await tx.insertInto('inbox_macros').values(values).returningAll().executeTakeFirst();
    if (!row) throw notFound('The macro');
    await recordAudit(tx, {
      actor: meta.actor,
      action: id ? 'inbox.macro_updated' : 'inbox.macro_created',
      requestId: meta.requestId,
      target: { type: 'inbox_macro', id: row.id },
    });
    return dto(row);
  });
}

export async function deleteMacro(db: Db, id: string, meta: Meta) {
  await db.transaction().execute(async (tx) => {
    const result = await tx.deleteFrom('inbox_macros').where('id', '=', id).executeTakeFirst();
    if (Number(result.numDeletedRows) !== 1) throw notFound('The macro');
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'inbox.macro_deleted',
      requestId: meta.requestId,
      target: { type: 'inbox_macro', id },
    });
  });
  return { ok: true as const };
}

export interface MacroContextFacts {
  verified: boolean;
  locale: 'en' | 'es';
  incidentTitle: string | null;
  noticeLink: string | null;
  companyName: string;
  firstName: string | null;
  categories: string[];
  jurisdiction: string | null;
  activationCode: string | null;
}

/** The variables for one thread; personal ones only when verified (else empty, and named in `missing`). */
export function macroContext(facts: MacroContextFacts) {
  const guidance = facts.verified
    ? facts.categories.flatMap((c) => {
        const g = guidanceFor(c, facts.locale, facts.jurisdiction ?? undefined);
        return g ? [g] : [];
      })
    : [];
  return {
    context: {
      person: { first_name: facts.verified ? facts.firstName : null },
      incident: { title: facts.incidentTitle ?? '' },
      guidance,
      activation_code: facts.verified ? facts.activationCode : null,
      link: facts.noticeLink ?? '',
      company: { name: facts.companyName },
    },
    withheld: facts.verified ? [] : ['person.first_name', 'guidance', 'activation_code'],
  };
}

export function renderMacro(
  macro: { subject: string | null; body: string },
  context: object,
): { subject: string | null; body: string } {
  try {
    return {
      subject: macro.subject ? compileTextTemplate(macro.subject, macroSample).render(context).trim() : null,
      body: compileTextTemplate(macro.body, macroSample).render(context).trim(),
    };
  } catch (error) {
    if (error instanceof TemplateError) {
      throw new AppError('bad_request', `The macro could not be filled in: ${error.message}`);
    }
    throw error;
  }
}

/** Which of the withheld variables the macro actually uses (what the agent is warned about). */
export function missingIn(macro: { subject: string | null; body: string }, withheld: string[]): string[] {
  const source = `${macro.subject ?? ''}\n${macro.body}`;
  return withheld.filter((name) => source.includes(name));
}

/** What every thread of one bulk reply shares: read once, not once per thread. */
export interface FactsMemo {
  branding?: ReturnType<typeof readBranding>;
  incidents: Map<string, Promise<IncidentPublicFacts | undefined>>;
}

/** The facts a macro may use for one thread, read (and decrypted) only when the requester is verified. */
export async function factsFor(
  deps: Deps,
  row: ThreadRecord,
  memo: FactsMemo = { incidents: new Map() },
): Promise<MacroContextFacts> {
  memo.branding ??= readBranding(deps.db);
  const branding = await memo.branding;
  let incidentRead = row.incident_id ? memo.incidents.get(row.incident_id) : undefined;
  if (row.incident_id && !incidentRead) {
    incidentRead = incidentPublicFacts(deps.db, row.incident_id);
    memo.incidents.set(row.incident_id, incidentRead);
  }
  const incident = await incidentRead;
  const locale = row.locale === 'es' ? 'es' : 'en';
  const base: MacroContextFacts = {
    verified: row.verified_at !== null && row.pn !== null,
    locale,
    // What people read: the public title in their language, never the internal one.
    incidentTitle: incident ? publicTitleFor(incident.publicTitle, locale) : null,
    noticeLink: incident ? `${deps.config.noticeUrl}/n/${incident.slug}` : null,
    companyName: branding.companyName,
    firstName: null,
    categories: [],
    jurisdiction: null,
    activationCode: null,
  };
  if (!base.verified || !row.incident_id || row.pn === null) return base;
  const [contacts, activationCode] = await Promise.all([
    contactsFor(deps.db, deps.crypto, row.incident_id, [row.pn]),
    assignedActivationCode(deps.db, deps.crypto, row.incident_id, row.pn),
  ]);
  const contact = contacts.get(row.pn);
  return {
    ...base,
    firstName: contact?.firstName ?? null,
    categories: contact ? categoriesOf(contact.categories) : [],
    jurisdiction: contact?.jurisdiction || null,
    activationCode,
  };
}

/** A macro filled in for a thread, for the agent to edit before sending. */
export async function renderForThread(
  deps: Deps,
  macroId: string,
  threadId: string,
  meta: Meta,
): Promise<RenderedMacro> {
  const macro = await deps.db
    .selectFrom('inbox_macros')
    .selectAll()
    .where('id', '=', macroId)
    .executeTakeFirst();
  if (!macro) throw notFound('The macro');
  const row = threadFound(await findThread(deps.db, threadId));
  const facts = await factsFor(deps, row);
  const { context, withheld } = macroContext(facts);
  const rendered = renderMacro(macro, context);
  if (facts.verified) {
    await deps.db.transaction().execute((tx) =>
      recordAudit(tx, {
        actor: meta.actor,
        action: 'inbox.macro_filled',
        requestId: meta.requestId,
        target: { type: 'inbox_thread', id: threadId },
        details: { macroId },
      }),
    );
  }
  return { ...rendered, missing: missingIn(macro, withheld) };
}
