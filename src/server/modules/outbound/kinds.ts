import type { MessageKind } from './outbound.types.ts';

/**
 * Every kind of message the outbound queue carries, with its priority and its default throttle. Lower
 * priority goes first: claims take the most urgent due messages, so a verification code someone is waiting
 * for never queues behind update notices, and campaign notices (their own rows, see `campaign-lane.ts`) come
 * last. Throttles are messages per second across every process (`throttle.ts`); CANDOR_SEND_RATES (or the
 * module's `rates` option) overrides them (`{ lookup: 20 }`) and caps a channel's provider (`{ email: 200, sms: 10 }`).
 *
 * A prepared kind carries its finished text in its sealed payload (the inbox writes it); the other kinds are
 * decided and written at send time by the handler the owning feature registers (`MessageHandler`).
 */
export interface KindPolicy {
  priority: number;
  isPrepared: boolean;
  /** Messages per second, all channels, all processes; none when unset. */
  rate?: number;
}

export const kindPolicies: Record<MessageKind, KindPolicy> = {
  inbox_verification: { priority: 0, isPrepared: true },
  // The person is on the page waiting for this email.
  lookup: { priority: 1, isPrepared: false, rate: 20 },
  subscribe_confirm: { priority: 1, isPrepared: false, rate: 20 },
  inbox_reply: { priority: 2, isPrepared: true },
  contact_ack: { priority: 3, isPrepared: false, rate: 20 },
  inbox_csat: { priority: 4, isPrepared: true },
  // One per subscriber when an update is published: a burst worth spreading.
  update: { priority: 5, isPrepared: false, rate: 100 },
};

export const messageKinds = Object.keys(kindPolicies) as MessageKind[];

/** Campaign notices: the bulk, below every other kind (used for the order of throttle waiters). */
export const CAMPAIGN_PRIORITY = 9;

export const isMessageKind = (value: string): value is MessageKind => value in kindPolicies;

/**
 * Throttles by name: kind entries override a kind's throttle, `email=` and `sms=` cap the
 * channel's provider. Returns the throttle of each kind and channel (0 or absent: no limit).
 */
export function sendRates(setting: Readonly<Record<string, number>>): {
  kinds: Record<MessageKind, number | undefined>;
  channels: { email?: number | undefined; sms?: number | undefined };
} {
  const unknown = Object.keys(setting).filter(
    (name) => name !== 'email' && name !== 'sms' && !isMessageKind(name),
  );
  if (unknown.length > 0) {
    throw new Error(
      `CANDOR_SEND_RATES names ${unknown.join(', ')}: use email, sms, or a message kind (${messageKinds.join(', ')}).`,
    );
  }
  const kinds = Object.fromEntries(
    messageKinds.map((kind) => {
      const rate = setting[kind] ?? kindPolicies[kind].rate;
      return [kind, rate && rate > 0 ? rate : undefined];
    }),
  ) as Record<MessageKind, number | undefined>;
  const channel = (name: 'email' | 'sms') => (setting[name] && setting[name] > 0 ? setting[name] : undefined);
  return { kinds, channels: { email: channel('email'), sms: channel('sms') } };
}
