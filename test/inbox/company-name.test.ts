import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../incidents/helpers.ts';
import { bob, file, type InboxSetup, setupInbox, threadOf } from './helpers.ts';

/**
 * Replies and verification codes name the company. While its name is not set, people would read "Our
 * company" as the sender: the thread the agent answers from says so, and stops saying it once it is set.
 */
let s: InboxSetup;
beforeAll(async () => {
  s = await setupInbox();
});
afterAll(async () => s?.t.close());

describe('an agent about to reply', () => {
  it('is told the company name is not set, until an admin sets it', async () => {
    const { threadId } = await file(s.t, { channel: 'email', from: bob.email, body: 'Was I affected?' });
    const before = await threadOf(s.agent, threadId);
    expect(before.warnings).toEqual([
      expect.stringMatching(/^The company name is not set: .*Settings → Branding/),
    ]);

    ok(await s.admin.put('/api/settings/branding', { companyName: 'Example Shop', primaryColor: '#1a5fb4' }));
    expect((await threadOf(s.agent, threadId)).warnings).toEqual([]);
  });
});
