import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../incidents/helpers.ts';
import { bob, file, type InboxSetup, lastCodeTo, setupInbox, threadOf } from './helpers.ts';

/**
 * What leaked about a verified requester is for the agents who answer them (inbox:reply), not for every
 * role that may read the inbox: a comms or auditor account reading a verified thread learned the person's
 * exposure, identifiers and activation code (the read route never said who may see it).
 */
let s: InboxSetup;
beforeAll(async () => {
  s = await setupInbox();
});
afterAll(async () => s?.t.close());

describe('a verified thread read by each role', () => {
  it('shows the exposure to agents and admins only; comms and auditors see that the requester is verified', async () => {
    const { threadId } = await file(s.t, {
      channel: 'email',
      from: bob.email,
      body: 'What leaked about me?',
    });
    ok(await s.agent.post(`/api/inbox/threads/${threadId}/verification`));
    const code = await lastCodeTo(s.t, bob.email);
    ok(await s.agent.post(`/api/inbox/threads/${threadId}/verification/confirm`, { code }));

    for (const reader of [s.agent, s.admin]) {
      const thread = await threadOf(reader, threadId);
      expect(thread.person).toMatchObject({ verified: true, exposure: { firstName: 'Bob' } });
    }
    for (const reader of [s.comms, s.auditor]) {
      const thread = await threadOf(reader, threadId);
      expect(thread.verified).toBe(true);
      expect(thread.person).not.toHaveProperty('exposure');
      expect(JSON.stringify(thread)).not.toContain('Social Security');
    }
  });
});
