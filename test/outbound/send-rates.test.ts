import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/server/config.ts';
import { sendRates } from '../../src/server/modules/outbound/kinds.ts';

/**
 * An operator caps what their providers accept (CANDOR_SEND_RATES): email= and sms= limit the channel's
 * provider across every process, a message kind's entry overrides its default throttle, 0 lifts a limit.
 */
describe('CANDOR_SEND_RATES', () => {
  it('caps the providers and overrides the kinds it names, leaving the others at their defaults', () => {
    const rates = sendRates(
      parseConfig({ CANDOR_SEND_RATES: 'email=14, sms=2.5,update=0,lookup=5' }).CANDOR_SEND_RATES,
    );
    expect(rates.channels).toEqual({ email: 14, sms: 2.5 });
    expect(rates.kinds.lookup).toBe(5);
    expect(rates.kinds.update).toBeUndefined();
    expect(rates.kinds.contact_ack).toBe(20);
  });

  it('is empty by default: no provider cap, every kind at its default', () => {
    const rates = sendRates(parseConfig({}).CANDOR_SEND_RATES);
    expect(rates.channels).toEqual({ email: undefined, sms: undefined });
    expect(rates.kinds.update).toBe(100);
  });

  it('refuses what it cannot read, saying how to write it', () => {
    expect(() => parseConfig({ CANDOR_SEND_RATES: 'email:14' })).toThrow(/name=messages-per-second/);
    expect(() => sendRates(parseConfig({ CANDOR_SEND_RATES: 'emial=14' }).CANDOR_SEND_RATES)).toThrow(
      /CANDOR_SEND_RATES names emial: use email, sms, or a message kind/,
    );
  });
});
