import { esc } from '../../platform/html-escape.ts';
import type { MessageKind } from './outbound.types.ts';

/**
 * How a kind of message is decided and written at send time. The feature that owns a kind registers its
 * handler with outbound at composition time (`outbound.handle(kind, handler)`): the notice site decides a
 * lookup's answer (affected or not) when it is sent, never while the visitor waits. Prepared kinds (the
 * inbox's replies and codes) need no handler: their text is in the payload.
 */
export interface ClaimedMessage {
  /** The queue row's id (the Message-ID derives from it). */
  id: string;
  incidentId: string | null;
  kind: MessageKind;
  /** The sealed payload, opened; null for rows that reference their content (update notices). */
  payload: Record<string, unknown> | null;
  subscriptionId: string | null;
  updateId: string | null;
  /** Attempts so far, this one included. */
  attempts: number;
}

export interface OutgoingMessage {
  channel: 'email' | 'sms';
  to: string;
  subject?: string | undefined;
  text: string;
  html?: string | undefined;
  headers?: Record<string, string> | undefined;
}

export type MessageDecision = { send: OutgoingMessage } | { skip: string };

export type MessageHandler = (message: ClaimedMessage) => Promise<MessageDecision>;

/** The kinds whose text is written when they are queued (`kindPolicies[kind].isPrepared`). */
export type PreparedKind = 'inbox_reply' | 'inbox_verification' | 'inbox_csat';

/** What a prepared kind carries (written by the feature that enqueues it). */
export interface PreparedPayload {
  kind: PreparedKind;
  channel: 'email' | 'sms';
  to: string;
  subject: string | null;
  text: string;
  locale: string;
}

/**
 * A short plain email in the house style of the site's messages: paragraphs, an optional link, the
 * company's name last; the same words as text and as escaped HTML.
 */
export function plainEmail(
  companyName: string,
  parts: { subject: string; lines: string[]; link?: { href: string; label: string } | undefined },
): { subject: string; text: string; html: string } {
  const text = [...parts.lines, ...(parts.link ? [parts.link.href] : []), '', companyName].join('\n\n');
  const html = `<div style="font-family:system-ui,sans-serif;max-width:36rem">${parts.lines
    .map((line) => `<p>${esc(line)}</p>`)
    .join('')}${
    parts.link ? `<p><a href="${esc(parts.link.href)}">${esc(parts.link.label)}</a></p>` : ''
  }<p>${esc(companyName)}</p></div>`;
  return { subject: parts.subject, text, html };
}

/** A prepared message as it goes out: an email in the house style, or the SMS text as written. */
export function preparedMessage(payload: PreparedPayload, companyName: string): OutgoingMessage {
  if (payload.channel === 'sms') return { channel: 'sms', to: payload.to, text: payload.text };
  return {
    channel: 'email',
    to: payload.to,
    ...plainEmail(companyName, { subject: payload.subject ?? '', lines: payload.text.split(/\n\s*\n/) }),
  };
}
