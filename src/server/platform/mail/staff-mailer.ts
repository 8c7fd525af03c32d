/**
 * Mail to staff (deadline alerts), as the job runner hands it to jobs. The outbound module implements it
 * (`createStaffMailer` at its door): SMTP when `SMTP_URL` is set, otherwise the staff outbox.
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
