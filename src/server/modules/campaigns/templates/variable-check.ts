import { analyzeSync, type Template, type Variable } from 'liquidjs';
import { isForbiddenProperty } from './sandbox.ts';
import type { TemplateProblem } from './template-error.ts';

/**
 * Static checks over every variable a template mentions, in every branch (a sample render only sees the
 * branches the sample person takes): names that are not notice data, and inherited-object names.
 * The shape is read off a sample context, so it cannot drift from the NoticeContext type.
 */
type Shape =
  | { kind: 'leaf' }
  | { kind: 'number' }
  | { kind: 'array'; element: Shape }
  | { kind: 'object'; fields: Map<string, Shape> };

export function shapeOf(value: unknown): Shape {
  if (Array.isArray(value)) return { kind: 'array', element: shapeOf(value[0]) };
  if (value !== null && typeof value === 'object') {
    return {
      kind: 'object',
      fields: new Map(Object.entries(value).map(([key, field]) => [key, shapeOf(field)])),
    };
  }
  return { kind: 'leaf' };
}

export interface VariableReport {
  problems: TemplateProblem[];
  /** Root names the template reads from the context (not its own assigns or loop variables). */
  globals: Set<string>;
}

export function checkVariables(templates: Template[], root: Shape): VariableReport {
  const analysis = analyzeSync(templates, { partials: false });
  const problems: TemplateProblem[] = [];
  for (const name of Object.keys(analysis.locals)) {
    if (isForbiddenProperty(name)) {
      const [first] = analysis.locals[name] ?? [];
      problems.push({
        line: first?.location.row ?? null,
        column: first?.location.col ?? null,
        variable: name,
        message: `"${name}" cannot be used as a variable name.`,
      });
    }
  }
  for (const variable of Object.values(analysis.variables).flat()) {
    const forbidden = variable.segments.find(
      (s): s is string => typeof s === 'string' && isForbiddenProperty(s),
    );
    if (forbidden !== undefined) {
      problems.push({
        ...at(variable),
        variable: pathOf(variable.segments),
        message: `"${forbidden}" cannot be used in a template: templates read notice data only.`,
      });
    }
  }
  for (const variable of Object.values(analysis.globals).flat()) {
    if (variable.segments.some((s) => typeof s === 'string' && isForbiddenProperty(s))) continue;
    const problem = checkPath(variable, root);
    if (problem) problems.push(problem);
  }
  return { problems, globals: new Set(Object.keys(analysis.globals)) };
}

function checkPath(variable: Variable, root: Shape): TemplateProblem | null {
  let shape = root;
  const { segments } = variable;
  for (const [i, segment] of segments.entries()) {
    // A computed key (`person.exposed[i]`) cannot be checked statically; the sample render covers it.
    if (typeof segment === 'object') {
      if (shape.kind === 'array') {
        shape = shape.element;
        continue;
      }
      return null;
    }
    const next = step(shape, segment);
    if (!next) {
      const path = pathOf(segments.slice(0, i + 1));
      const parent = i === 0 ? null : pathOf(segments.slice(0, i));
      return { ...at(variable), variable: path, message: unknownMessage(path, parent, shape) };
    }
    shape = next;
  }
  return null;
}

function step(shape: Shape, segment: string | number): Shape | null {
  switch (shape.kind) {
    case 'object':
      if (typeof segment === 'string' && shape.fields.has(segment)) return shape.fields.get(segment) ?? null;
      return segment === 'size' ? { kind: 'number' } : null;
    case 'array':
      if (typeof segment === 'number' || segment === 'first' || segment === 'last') return shape.element;
      return segment === 'size' ? { kind: 'number' } : null;
    case 'leaf':
      return segment === 'size' ? { kind: 'number' } : null;
    case 'number':
      return null;
  }
}

function unknownMessage(path: string, parent: string | null, shape: Shape): string {
  const fields = shape.kind === 'object' ? [...shape.fields.keys()].join(', ') : null;
  if (parent === null)
    return `Unknown variable "${path}": the notice data has no such value. Available: ${fields}.`;
  if (fields) return `Unknown variable "${path}": "${parent}" has ${fields}.`;
  return `Unknown variable "${path}": "${parent}" has no such property.`;
}

function at(variable: Variable): { line: number; column: number } {
  return { line: variable.location.row, column: variable.location.col };
}

function pathOf(segments: ReadonlyArray<string | number | Variable>): string {
  return segments
    .map((s, i) => {
      if (typeof s === 'number') return `[${s}]`;
      if (typeof s === 'string') return i === 0 ? s : `.${s}`;
      return `[${pathOf(s.segments)}]`;
    })
    .join('');
}
