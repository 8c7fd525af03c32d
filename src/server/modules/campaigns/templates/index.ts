/**
 * Notice templates: the public door. Templates are data, not code (DESIGN.md invariant 7): Liquid in a strict
 * sandbox, checked when saved (compileTemplate / validateTemplate) against a sample person, then rendered
 * synchronously per person from a context built by buildContext (masked identifiers, localized exposure
 * phrases, guidance and legally required blocks).
 */
export { categoryPhrase } from './category-phrases.ts';
export { type CompiledTemplate, compileTemplate, type TemplateKind, validateTemplate } from './compile.ts';
export { guidanceFor } from './guidance.ts';
export { type Locale, resolveLocale, supportedLocales, systemText } from './locales.ts';
export { maskEmail, maskPhone } from './masking.ts';
export {
  type BuildContextInput,
  buildContext,
  inGuidanceOrder,
  type NoticeContext,
  sampleContext,
} from './notice-context.ts';
export { requiredBlocks } from './required-blocks.ts';
export { smsSegments } from './sms-segments.ts';
export { stripHtml } from './strip-html.ts';
export { TemplateError, type TemplateProblem } from './template-error.ts';
export { checkTextTemplate, compileTextTemplate, type TextTemplate } from './text-template.ts';
