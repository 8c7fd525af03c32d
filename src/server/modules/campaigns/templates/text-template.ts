import type { Template } from 'liquidjs';
import {
  createSandboxEngine,
  MAX_NESTING,
  MAX_SOURCE_BYTES,
  MAX_STATEMENTS,
  measureSource,
  problemsFromError,
  renderInSandbox,
} from './sandbox.ts';
import { TemplateError, type TemplateProblem } from './template-error.ts';
import { checkVariables, shapeOf } from './variable-check.ts';

/**
 * A plain-text Liquid template in the notices' sandbox, for other texts than notices (the inbox's macros):
 * checked against a sample of the variables it may use (unknown variables and filters refused, with the
 * line), then rendered leniently for a real context.
 */
const engine = createSandboxEngine(false);
const OUTPUT_LIMIT = 100_000;

export interface TextTemplate {
  render(context: object): string;
}

export function checkTextTemplate(source: string, sample: object): TemplateProblem[] {
  return parse(source, sample).problems;
}

export function compileTextTemplate(source: string, sample: object): TextTemplate {
  const { problems, templates } = parse(source, sample);
  if (problems.length > 0) throw new TemplateError(problems);
  return {
    render(context) {
      try {
        return renderInSandbox(engine, templates, context, { check: false, outputLimit: OUTPUT_LIMIT });
      } catch (error) {
        throw new TemplateError(problemsFromError(error, OUTPUT_LIMIT));
      }
    },
  };
}

function parse(source: string, sample: object): { problems: TemplateProblem[]; templates: Template[] } {
  const fail = (message: string) => ({
    problems: [{ line: null, column: null, variable: null, message }],
    templates: [],
  });
  if (Buffer.byteLength(source, 'utf8') > MAX_SOURCE_BYTES) {
    return fail(`The template is over ${MAX_SOURCE_BYTES / 1024} kB.`);
  }
  const measured = measureSource(engine, source);
  if (measured && measured.statements > MAX_STATEMENTS)
    return fail('The template has too many tags and outputs.');
  if (measured && measured.depth > MAX_NESTING)
    return fail(`The template nests blocks deeper than ${MAX_NESTING}.`);
  let templates: Template[];
  try {
    templates = engine.liquid.parse(source);
    const report = checkVariables(templates, shapeOf(sample));
    if (report.problems.length > 0) return { problems: report.problems.slice(0, 20), templates };
    renderInSandbox(engine, templates, sample, { check: true, outputLimit: OUTPUT_LIMIT });
  } catch (error) {
    return { problems: problemsFromError(error, OUTPUT_LIMIT), templates: [] };
  }
  return { problems: [], templates };
}
