/**
 * What is wrong with a template, in words its author can act on, with where it is. Messages name template
 * text (a variable, a tag, a filter), never a person's data, so they can be logged and shown in the console.
 */
export interface TemplateProblem {
  line: number | null;
  column: number | null;
  variable: string | null;
  message: string;
}

export class TemplateError extends Error {
  readonly problems: TemplateProblem[];

  constructor(problems: TemplateProblem[]) {
    super(summarize(problems));
    this.name = 'TemplateError';
    this.problems = problems;
  }
}

function summarize(problems: TemplateProblem[]): string {
  const first = problems[0];
  if (!first) return 'The template could not be used.';
  const where =
    first.line === null
      ? ''
      : ` (line ${first.line}${first.column === null ? '' : `, column ${first.column}`})`;
  const more =
    problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return `${first.message}${where}${more}`;
}
