import type { Template } from 'liquidjs';
import { supportedLocales } from './locales.ts';
import { type NoticeContext, sampleContext } from './notice-context.ts';
import type { NoticeBlock } from './required-blocks.ts';
import {
  createSandboxEngine,
  escapeHtml,
  MAX_NESTING,
  MAX_SOURCE_BYTES,
  MAX_STATEMENTS,
  measureSource,
  problemsFromError,
  renderInSandbox,
  type SandboxEngine,
} from './sandbox.ts';
import { TemplateError, type TemplateProblem } from './template-error.ts';
import { checkVariables, shapeOf } from './variable-check.ts';

export const templateKinds = ['subject', 'html', 'text', 'sms', 'letter'] as const;
export type TemplateKind = (typeof templateKinds)[number];

export interface CompiledTemplate {
  readonly kind: TemplateKind;
  /** Synchronous, so a delivery batch renders thousands of people without awaiting; throws TemplateError. */
  render(context: NoticeContext): string;
}

/**
 * Hard ceilings on what one render may write, against runaway loops; what a channel accepts (SMS segments,
 * email clipping) is the campaign's decision, not this one.
 */
const outputLimits: Record<TemplateKind, number> = {
  subject: 1_000,
  sms: 5_000,
  html: 1_000_000,
  text: 1_000_000,
  letter: 1_000_000,
};

// The engines hold configuration only (parse state and limits are per call), so one per escaping mode serves all.
const htmlEngine = createSandboxEngine(true);
const plainEngine = createSandboxEngine(false);
const contextShape = shapeOf(sampleContext('en'));
/** Enough to fix a template in one go; a template with more is better rewritten than listed. */
const MAX_PROBLEMS = 100;

interface Checked {
  problems: TemplateProblem[];
  templates: Template[];
  placesBlocks: boolean;
}

export function validateTemplate(source: string, kind: TemplateKind): TemplateProblem[] {
  return check(source, kind).problems;
}

export function compileTemplate(source: string, kind: TemplateKind): CompiledTemplate {
  const { problems, templates, placesBlocks } = check(source, kind);
  if (problems.length > 0) throw new TemplateError(problems);
  const engine = engineFor(kind);
  const outputLimit = outputLimits[kind];
  return {
    kind,
    render(context: NoticeContext): string {
      let output: string;
      try {
        output = renderInSandbox(engine, templates, context, { check: false, outputLimit });
      } catch (error) {
        throw new TemplateError(problemsFromError(error, outputLimit));
      }
      if (!placesBlocks && context.blocks.length > 0) output = appendBlocks(output, context.blocks, kind);
      return finish(output, kind);
    },
  };
}

function check(source: string, kind: TemplateKind): Checked {
  const failed = (problems: TemplateProblem[]): Checked => ({ problems, templates: [], placesBlocks: false });
  if (!(templateKinds as readonly string[]).includes(kind)) {
    return failed([problem(`Unknown template kind "${kind}": use one of ${templateKinds.join(', ')}.`)]);
  }
  if (typeof source !== 'string') return failed([problem('The template must be text.')]);
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > MAX_SOURCE_BYTES) {
    return failed([
      problem(
        `The template is ${Math.ceil(bytes / 1024)} kB; at most ${MAX_SOURCE_BYTES / 1024} kB is allowed.`,
      ),
    ]);
  }
  const engine = engineFor(kind);
  const measured = measureSource(engine, source);
  if (measured && measured.statements > MAX_STATEMENTS) {
    const most = MAX_STATEMENTS.toLocaleString('en-US');
    return failed([
      problem(`The template has ${measured.statements} tags and outputs; at most ${most} are allowed.`),
    ]);
  }
  if (measured && measured.depth > MAX_NESTING) {
    return failed([
      problem(`The template nests blocks ${measured.depth} deep; at most ${MAX_NESTING} levels are allowed.`),
    ]);
  }
  const outputLimit = outputLimits[kind];
  let templates: Template[];
  let report: ReturnType<typeof checkVariables>;
  try {
    templates = engine.liquid.parse(source);
    report = checkVariables(templates, contextShape);
  } catch (error) {
    return failed(problemsFromError(error, outputLimit));
  }
  const placesBlocks = report.globals.has('blocks');
  if (report.problems.length > 0) {
    return { problems: report.problems.slice(0, MAX_PROBLEMS), templates, placesBlocks };
  }
  // Rendering the sample person in each language finds what static checks cannot: misspelt properties of
  // loop variables, failing filters, and the work limits. Liquid stops at the first such error, and a
  // template that failed in one language is not run again (a runaway loop would cost its time twice).
  for (const locale of supportedLocales) {
    try {
      renderInSandbox(engine, templates, sampleContext(locale), { check: true, outputLimit });
    } catch (error) {
      return { problems: problemsFromError(error, outputLimit), templates, placesBlocks };
    }
  }
  return { problems: [], templates, placesBlocks };
}

function engineFor(kind: TemplateKind): SandboxEngine {
  return kind === 'html' ? htmlEngine : plainEngine;
}

function problem(message: string): TemplateProblem {
  return { line: null, column: null, variable: null, message };
}

function finish(output: string, kind: TemplateKind): string {
  // A subject is one header line: a newline from a template (or a name) must not start a new header.
  if (kind === 'subject') return output.replace(/\s+/g, ' ').trim();
  if (kind === 'sms') return output.trim();
  return output;
}

/**
 * Required blocks go out even when a template forgets them (a legal requirement, not a design choice).
 * Subjects and SMS have no room for them; the personal page they link to shows them.
 */
function appendBlocks(output: string, blocks: NoticeBlock[], kind: TemplateKind): string {
  if (kind === 'subject' || kind === 'sms') return output;
  if (kind !== 'html') {
    const text = blocks.map((b) => `${b.title}\n\n${b.body}`).join('\n\n');
    return `${output.trimEnd()}\n\n${text}\n`;
  }
  const html = blocks
    .map((b) => {
      const paragraphs = b.body
        .split(/\n{2,}/)
        .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>\n')}</p>`)
        .join('\n');
      return `<h2>${escapeHtml(b.title)}</h2>\n${paragraphs}`;
    })
    .join('\n');
  const section = `<section class="required-information">\n${html}\n</section>\n`;
  const bodyEnd = output.search(/<\/body\s*>(?![\s\S]*<\/body\s*>)/i);
  return bodyEnd < 0
    ? `${output}\n${section}`
    : `${output.slice(0, bodyEnd)}${section}${output.slice(bodyEnd)}`;
}
