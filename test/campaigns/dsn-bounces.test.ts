import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemo } from '../../src/server/demo.ts';
import { createCampaignsModule } from '../../src/server/modules/campaigns/index.ts';
import { parseDsn, startInboundSmtp } from '../../src/server/modules/outbound/index.ts';
import { systemActor } from '../../src/server/platform/audit/audit-log.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

/** A delivery status notification (RFC 3464) as a mail server sends it back to the envelope sender. */
function dsn(messageId: string, action: 'failed' | 'delayed', status: string): string {
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
    'To: bounces@notices.example.com',
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B0UND"',
    '',
    '--B0UND',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'I could not deliver your message.',
    '',
    '--B0UND',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.net',
    '',
    'Final-Recipient: rfc822; someone@example.org',
    `Action: ${action}`,
    `Status: ${status}`,
    'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
    '',
    '--B0UND',
    'Content-Type: text/rfc822-headers',
    '',
    'From: Example Shop Security <security@example.com>',
    `Message-ID: ${messageId}`,
    'Subject: Notice of a security incident',
    '',
    '--B0UND--',
    '',
  ].join('\r\n');
}

describe('delivery status notifications', () => {
  it('reads a permanent failure with the Message-ID of our notice', async () => {
    const parsed = await parseDsn(dsn('<c.1.email@candor.test>', 'failed', '5.1.1'));
    expect(parsed).toEqual({
      messageId: '<c.1.email@candor.test>',
      action: 'failed',
      status: '5.1.1',
      permanent: true,
    });
  });

  it('takes a delay for what it is: not a bounce', async () => {
    const parsed = await parseDsn(dsn('<c.1.email@candor.test>', 'delayed', '4.4.1'));
    expect(parsed?.permanent).toBe(false);
    expect(parsed?.action).toBe('delayed');
  });

  it('is not fooled by an ordinary message', async () => {
    expect(await parseDsn('From: a@b.c\r\nSubject: hi\r\n\r\nJust saying hello.\r\n')).toBeNull();
    expect(await parseDsn(Buffer.from([0, 1, 2, 255, 254]))).toBeNull();
  });
});

describe('the inbound SMTP listener', () => {
  let t: TestApp;
  let inbound: ReturnType<typeof startInboundSmtp>;
  let campaigns: ReturnType<typeof createCampaignsModule>;
  let incidentId: string;
  let campaignId: string;

  beforeAll(async () => {
    t = await createTestApp({
      CANDOR_BOUNCE_ADDRESS: 'bounces@notices.example.com',
      CANDOR_INBOUND_SMTP_PORT: '0',
    });
    const demo = await createDemo(t.ctx, systemActor);
    incidentId = demo.incidentId;
    campaignId = demo.campaignId;
    campaigns = createCampaignsModule(t.ctx);
    await campaigns.service.start(campaignId, null, { actor: systemActor });
    for (let i = 0; i < 50; i++) {
      const status = await campaigns.service.status(campaignId);
      if (status.state === 'finished') break;
      await campaigns.engine().runOnce();
    }
    inbound = startInboundSmtp({ ...t.ctx, engine: campaigns.engine });
    await new Promise((r) => setTimeout(r, 100));
  }, 60_000);
  afterAll(async () => {
    await inbound?.close();
    await campaigns?.close();
    await t?.close();
  });

  async function send(to: string, raw: string) {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: inbound.port(),
      secure: false,
      ignoreTLS: true,
    });
    try {
      return await transport.sendMail({ envelope: { from: '', to }, raw });
    } finally {
      transport.close();
    }
  }

  it('bounces the delivery named by a DSN and moves the person to the next channel', async () => {
    const target = await t.ctx.db
      .selectFrom('deliveries as d')
      .innerJoin('people as p', (j) =>
        j.onRef('p.incident_id', '=', 'd.incident_id').onRef('p.pn', '=', 'd.pn'),
      )
      .select(['d.pn', 'd.message_id'])
      .where('d.campaign_id', '=', campaignId)
      .where('d.channel', '=', 'email')
      .where('d.state', '=', 'sent')
      .where('p.reachable_phone', '=', true)
      .limit(1)
      .executeTakeFirstOrThrow();
    await send('bounces@notices.example.com', dsn(target.message_id, 'failed', '5.1.1'));
    const rows = await t.ctx.db
      .selectFrom('deliveries')
      .select(['channel', 'state', 'error'])
      .where('incident_id', '=', incidentId)
      .where('campaign_id', '=', campaignId)
      .where('pn', '=', target.pn)
      .orderBy('step')
      .execute();
    expect(rows[0]).toMatchObject({ channel: 'email', state: 'fell_back', error: 'bounced (DSN 5.1.1)' });
    expect(rows[1]).toMatchObject({ channel: 'sms', state: 'pending' });
    // The campaign had finished; the late bounce reopens it so the SMS goes out, and it finishes again.
    expect((await campaigns.service.status(campaignId)).state).toBe('running');
    await campaigns.engine().runOnce();
    await campaigns.engine().runOnce();
    const sms = await t.ctx.db
      .selectFrom('deliveries')
      .select('state')
      .where('incident_id', '=', incidentId)
      .where('campaign_id', '=', campaignId)
      .where('pn', '=', target.pn)
      .where('channel', '=', 'sms')
      .executeTakeFirstOrThrow();
    expect(sms.state).toBe('sent');
    expect((await campaigns.service.status(campaignId)).state).toBe('finished');
  });

  it('refuses mail for any other address, and keeps no trace of it', async () => {
    await expect(send('support@notices.example.com', dsn('<x@y>', 'failed', '5.1.1'))).rejects.toThrow(/550/);
  });

  it('ignores a DSN for a message that is not ours', async () => {
    const before = await t.ctx.db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('campaign_id', '=', campaignId)
      .where('state', '=', 'sent')
      .executeTakeFirstOrThrow();
    await send('bounces@notices.example.com', dsn('<someone-else@elsewhere.example>', 'failed', '5.1.1'));
    const after = await t.ctx.db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('campaign_id', '=', campaignId)
      .where('state', '=', 'sent')
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});
