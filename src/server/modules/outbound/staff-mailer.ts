import type { Config } from '../../config.ts';
import type { Executor } from '../../db/database.ts';
import { createSmtpTransport } from '../../platform/mail/smtp-transport.ts';
import type { StaffMailer } from '../../platform/mail/staff-mailer.ts';
import type { ThrottleKey, Throttles } from './throttle.ts';

/**
 * Mail to staff (deadline alerts, a campaign's test send): through SMTP when `SMTP_URL` is set (a small
 * pooled transport of its own: no bounce envelope, several recipients), otherwise into the `staff_outbox`
 * table. Sent at once, not queued: the caller keeps its own record of what was sent (an alert's `emailed`)
 * and retries on its next pass. It shares the email provider's throttle with every other message, at the
 * highest priority. Messages to staff carry incident ids, titles and deadlines, never a person's data.
 */
export function createStaffMailer(
  config: Pick<Config, 'SMTP_URL' | 'CANDOR_MAIL_FROM'>,
  db: Executor,
  shared?: { throttles: Throttles; providerRate: number | undefined },
): StaffMailer {
  if (!config.SMTP_URL) {
    return {
      mode: 'outbox',
      async send(message) {
        if (message.to.length === 0) return;
        await db
          .insertInto('staff_outbox')
          .values(
            message.to.map((to) => ({
              to_address: to,
              subject: message.subject,
              body_text: message.text,
              purpose: message.purpose,
            })),
          )
          .execute();
      },
      close() {},
    };
  }
  const transport = createSmtpTransport(config.SMTP_URL, { maxConnections: 2 });
  const throttle: ThrottleKey[] = shared?.providerRate
    ? [{ key: 'provider:email:smtp', rate: shared.providerRate }]
    : [];
  return {
    mode: 'smtp',
    async send(message) {
      if (message.to.length === 0) return;
      if (throttle.length > 0) await shared!.throttles.take(throttle, 0);
      await transport.sendMail({
        from: config.CANDOR_MAIL_FROM,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: { 'X-Candor-Purpose': message.purpose },
      });
    },
    close() {
      transport.close();
    },
  };
}
