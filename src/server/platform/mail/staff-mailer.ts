import type { Config } from '../../config.ts';
import type { Executor } from '../../db/database.ts';
import { createSmtpTransport } from './smtp-transport.ts';

/**
 * Mail to staff (deadline alerts): through SMTP when `SMTP_URL` is set (a pooled nodemailer transport),
 * otherwise into the `staff_outbox` table, which the console shows. Messages to staff carry incident ids,
 * titles and deadlines, never an affected person's data.
 */
export interface StaffMessage {
  to: string[];
  subject: string;
  text: string;
  html?: string | undefined;
  purpose: string;
}

export interface StaffMailer {
  readonly mode: 'smtp' | 'outbox';
  send(message: StaffMessage): Promise<void>;
  close(): void;
}

export function createStaffMailer(
  config: Pick<Config, 'SMTP_URL' | 'CANDOR_MAIL_FROM'>,
  db: Executor,
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
  return {
    mode: 'smtp',
    async send(message) {
      if (message.to.length === 0) return;
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
