import { type Client, clientFor, createIncident, isoDaysAgo } from '../incidents/helpers.ts';
import { csv, importPeople } from '../obligations/helpers.ts';
import { createSignedInUser, createTestApp, type SignedInUser, type TestApp } from '../support/app.ts';

/**
 * The people API on a real app: staff of every role that reads people, and an incident with affected
 * people imported from two files (so per-import figures differ).
 */
export interface PeopleApiSetup {
  t: TestApp;
  responder: Client;
  responderUser: SignedInUser;
  agent: Client;
  comms: Client;
  auditor: Client;
  legal: Client;
  incidentId: string;
}

export const peopleMapping = {
  customer: 'customer_id',
  email: 'email',
  phone: 'phone',
  name: 'full_name',
  ssn: 'national_id',
  card: 'category:payment_card',
  country: 'country',
  state: 'region',
} as const;

export const peopleHeader = 'customer,email,phone,name,ssn,card,country,state';

export async function setupPeopleApi(): Promise<PeopleApiSetup> {
  const t = await createTestApp();
  const responderUser = await createSignedInUser(t, 'responder');
  const [agent, comms, auditor, legal] = await Promise.all(
    (['agent', 'comms', 'auditor', 'legal'] as const).map(async (role) =>
      clientFor(t, await createSignedInUser(t, role)),
    ),
  );
  const responder = clientFor(t, responderUser);
  const incidentId = (await createIncident(responder, { title: 'Shop breach', awareAt: isoDaysAgo(1) })).id;
  return {
    t,
    responder,
    responderUser,
    agent: agent!,
    comms: comms!,
    auditor: auditor!,
    legal: legal!,
    incidentId,
  };
}

export async function importRows(s: PeopleApiSetup, ...rows: string[]) {
  return importPeople(s.t, s.incidentId, csv(peopleHeader, ...rows), peopleMapping);
}
