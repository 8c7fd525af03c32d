import { isDeepStrictEqual } from 'node:util';
import { type CampaignInput, variantLocaleContent } from '../../../shared/contracts/campaigns.ts';
import { smsSegments, type TemplateKind, validateTemplate } from './templates/index.ts';

/**
 * Pure rules of a campaign's definition: what stops a save (templates that do not compile, channels without
 * content), what only warns (long SMS texts), and the settings every notice prints besides its variant.
 */

export interface CampaignSettings {
  /** The campaign's own name for the company; empty: the company name setting (see company-name.ts). */
  companyName: string;
  contact: CampaignInput['contact'];
  throttle: CampaignInput['throttle'];
  errorThreshold: number;
}

export function settingsOf(row: { settings: Record<string, unknown> }): CampaignSettings {
  const s = row.settings as Partial<CampaignSettings>;
  return {
    companyName: s.companyName ?? '',
    contact: s.contact ?? {},
    throttle: s.throttle ?? {},
    errorThreshold: s.errorThreshold ?? 0.25,
  };
}

/** The settings column as a save writes it. */
export function settingsJson(input: CampaignInput): string {
  return JSON.stringify({
    companyName: input.companyName ?? '',
    contact: input.contact,
    throttle: input.throttle,
    errorThreshold: input.errorThreshold,
  } satisfies CampaignSettings);
}

const SMS_SEGMENT_LIMIT = 3;

/** Problems that stop a save: templates that do not compile, channels without content. */
export function checkDefinition(input: CampaignInput): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  for (const variant of input.variants) {
    if (!variant.content[input.defaultLocale]) {
      problems.push({
        path: `variants.${variant.name}.content`,
        message: `Variant "${variant.name}" has no text in the default locale "${input.defaultLocale}".`,
      });
    }
    for (const [locale, content] of Object.entries(variant.content)) {
      for (const channel of input.channels) {
        const c = content[channel];
        if (!c) {
          problems.push({
            path: `variants.${variant.name}.content.${locale}.${channel}`,
            message: `Variant "${variant.name}" (${locale}) has no ${channel} message, but the campaign sends by ${channel}.`,
          });
          continue;
        }
        const parts: Array<[TemplateKind, string, string]> =
          channel === 'email'
            ? [
                ['subject', 'subject', (c as { subject: string }).subject],
                ['html', 'html', (c as { html: string }).html],
                ['text', 'text', (c as { text: string }).text],
              ]
            : [[channel === 'sms' ? 'sms' : 'letter', 'text', (c as { text: string }).text]];
        for (const [kind, field, source] of parts) {
          for (const p of validateTemplate(source, kind)) {
            problems.push({
              path: `variants.${variant.name}.content.${locale}.${channel}.${field}`,
              message: `Variant "${variant.name}" (${locale}) ${channel} ${field}${p.line ? `, line ${p.line}` : ''}: ${p.message}`,
            });
          }
        }
      }
    }
  }
  return problems;
}

export function warningsFor(content: Record<string, unknown>): string[] {
  const warnings: string[] = [];
  for (const [locale, raw] of Object.entries(content)) {
    const parsed = variantLocaleContent.safeParse(raw);
    const sms = parsed.success ? parsed.data.sms?.text : undefined;
    if (!sms) continue;
    // Count the fixed text: Liquid markup never reaches a phone (each brace would count double).
    const count = smsSegments(sms.replace(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g, ''));
    if (count.segments > SMS_SEGMENT_LIMIT) {
      warnings.push(
        `The ${locale} SMS text is ${count.segments} segments (${count.encoding}, ${count.characters} characters) before personal values are added, over the limit of ${SMS_SEGMENT_LIMIT}: shorten it or expect higher cost and split messages.`,
      );
    }
  }
  return warnings;
}

/** Contact fields left empty or null are the same as absent. */
export const stripEmpty = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined && v !== ''));

/** Deep equality: PostgreSQL's jsonb reorders keys, so comparing serialized JSON would see changes that are not. */
export const sameJson = (a: unknown, b: unknown) => isDeepStrictEqual(a, b);
