import {
  CaptureTag,
  Context,
  CycleTag,
  Drop,
  EchoTag,
  type Emitter,
  Liquid,
  LiquidError,
  type Scope,
  type Template,
  Tokenizer,
  TypeGuards,
  toValue,
  toValueSync,
} from 'liquidjs';
import { stripHtml } from './strip-html.ts';
import type { TemplateProblem } from './template-error.ts';

/**
 * The Liquid sandbox (invariant 7: templates are data, not code). What a template can reach is the notice
 * context it is given and nothing else:
 * - no files: include/render/layout are refused when parsing, and the engine's file system is an empty map;
 * - in HTML, every value is escaped: `{{ }}` by Liquid's outputEscape, and `{% echo %}` and `{% cycle %}`
 *   (which outputEscape misses) by our own versions of those tags. `| raw` leaves alone only what the template
 *   itself built as HTML (a `{% capture %}`, whose values were escaped as it rendered); anything else, a person
 *   field or whatever a filter made of one, is escaped through `raw` too (see `TrustedHtml`);
 * - no prototypes: only own properties are readable (ownPropertyOnly), and names that exist on
 *   Object.prototype (constructor, __proto__, toString…) are unreadable even on Liquid's own drops (forloop);
 *   the tag and filter registries have no prototype, so `{{ x | constructor }}` is an unknown filter;
 * - bounded work: source size and tag count, a memory budget (ranges, filter results and captures), a
 *   render-time budget and an output-size budget per render, and no filter that is slower than linear.
 */
export const MAX_SOURCE_BYTES = 100 * 1024;
/**
 * Tags, outputs and `{% liquid %}` lines (comment bodies included). Checking a template costs time per statement times the source length
 * (Liquid locates each variable by scanning from the start): about 1.5 s for 16,000 in 100 kB. Real notices
 * have a few hundred.
 */
export const MAX_STATEMENTS = 3_000;
/** Items Liquid may allocate in one render (ranges, arrays and strings built by filters). */
export const MEMORY_LIMIT = 1_000_000;
export const RENDER_LIMIT_MS = 1_000;

const REFUSED_TAGS = ['include', 'render', 'layout'] as const;
const OUTPUT_LIMIT_MESSAGE = 'output size limit exceeded';

export type LiquidOptionsResolved = Liquid['options'];

export interface SandboxEngine {
  readonly liquid: Liquid;
  /** Strict about undefined values: for checking a template against the sample context. */
  readonly checkOptions: LiquidOptionsResolved;
  /** Lenient about a value one person lacks (an empty list's `first`), which renders as nothing: for sending. */
  readonly sendOptions: LiquidOptionsResolved;
}

export function createSandboxEngine(isHtml: boolean): SandboxEngine {
  const liquid = new Liquid({
    outputEscape: isHtml ? 'escape' : undefined,
    strictFilters: true,
    strictVariables: true,
    ownPropertyOnly: true,
    // Never collect errors: each Liquid error copies the offending source line into its stack, so a long line
    // with thousands of errors (or a deep nest of them) runs the process out of memory. One error per run.
    catchAllErrors: false,
    dynamicPartials: false,
    templates: Object.create(null) as Record<string, string>,
    parseLimit: MAX_SOURCE_BYTES,
    memoryLimit: MEMORY_LIMIT,
    renderLimit: RENDER_LIMIT_MS,
    // Fixed so the date filter gives the same answer on every server.
    timezoneOffset: 0,
    locale: 'en-US',
  });
  Object.setPrototypeOf(liquid.filters, null);
  Object.setPrototypeOf(liquid.tags, null);
  liquid.registerTag('capture', BoundedCaptureTag);
  if (isHtml) {
    unwrapTrustedHtmlForFilters(liquid);
    liquid.registerFilter('raw', { raw: true, handler: rawIfTrusted });
    liquid.registerTag('echo', EscapingEchoTag);
    liquid.registerTag('cycle', EscapingCycleTag);
  }
  liquid.registerFilter('strip_html', function (this: { context: Context }, value: unknown) {
    const text = stringify(value);
    this.context.memoryLimit.use(text.length);
    return stripHtml(text);
  });
  for (const name of REFUSED_TAGS) {
    liquid.registerTag(name, {
      parse() {
        throw new Error(
          `The {% ${name} %} tag is not allowed: templates cannot read other files. Put the text in this template instead.`,
        );
      },
      render() {},
    });
  }
  return {
    liquid,
    checkOptions: { ...liquid.options, strictVariables: true },
    sendOptions: { ...liquid.options, strictVariables: false },
  };
}

/**
 * Block tags nested inside one another. Liquid parses and renders nesting by recursion, and past about a
 * thousand levels the stack overflows (caught, but where depends on the machine); real notices nest a few.
 */
export const MAX_NESTING = 50;
const blockTags = new Set(['if', 'unless', 'for', 'case', 'capture', 'tablerow', 'block']);

/**
 * How many statements a template has and how deeply its blocks nest, from Liquid's tokenizer (one linear
 * pass, no parsing). Null when the source does not even tokenize: the parser then reports why, with the
 * position. Comment bodies are skipped, as Liquid skips them.
 */
export function measureSource(
  engine: SandboxEngine,
  source: string,
): { statements: number; depth: number } | null {
  let tokens: ReturnType<Tokenizer['readTopLevelTokens']>;
  try {
    tokens = new Tokenizer(source, engine.liquid.options.operators).readTopLevelTokens(engine.liquid.options);
  } catch {
    return null;
  }
  const names: string[] = [];
  for (const token of tokens) {
    if (TypeGuards.isOutputToken(token)) names.push('');
    if (!TypeGuards.isTagToken(token)) continue;
    if (token.name !== 'liquid') {
      names.push(token.name);
      continue;
    }
    for (const line of token.args.split('\n')) {
      const name = line.trim().split(/\s/, 1)[0];
      if (name) names.push(name);
    }
  }
  let depth = 0;
  let deepest = 0;
  let inComment = false;
  for (const name of names) {
    if (inComment) {
      inComment = name !== 'endcomment';
    } else if (name === 'comment') {
      inComment = true;
    } else if (blockTags.has(name)) {
      depth += 1;
      deepest = Math.max(deepest, depth);
    } else if (name.startsWith('end') && blockTags.has(name.slice(3))) {
      depth = Math.max(0, depth - 1);
    }
  }
  return { statements: names.length, depth: deepest };
}

/** Names every JavaScript object inherits; none of them is notice data. */
export function isForbiddenProperty(name: string): boolean {
  return name in Object.prototype || name === 'prototype' || name.startsWith('__');
}

/**
 * Liquid's Context with one more rule: inherited-object names read as undefined everywhere, including on
 * Liquid's own drops (which ownPropertyOnly lets through, so `forloop.__proto__` would otherwise work).
 * `spawn` is overridden so filters that evaluate per item (where, group_by…) keep the rule.
 */
class SandboxContext extends Context {
  override readProperty(obj: Scope, key: PropertyKey | Drop): unknown {
    const name = toValue(key);
    if (typeof name === 'string' && isForbiddenProperty(name)) return undefined;
    return super.readProperty(obj, key as Parameters<Context['readProperty']>[1]);
  }

  override spawn(scope: object = {}): Context {
    return new SandboxContext(
      scope,
      this.opts,
      { sync: this.sync, globals: this.globals, strictVariables: this.strictVariables },
      { renderLimit: this.renderLimit, memoryLimit: this.memoryLimit },
    );
  }
}

/**
 * HTML the template itself produced: the output of a `{% capture %}` in an HTML template, where the author's
 * own markup sits between values that were escaped as they were written. The only thing `| raw` passes
 * unescaped. Nothing else can make one (context values are plain strings, filters return plain values), so
 * text from a breached record (a first name of `<a href=…>`) never becomes markup, whatever the filters.
 * For everything else it reads as its text (comparisons, `size`, filters); the text is a private field, so
 * a template cannot reach it as a property.
 */
export class TrustedHtml extends Drop {
  readonly #html: string;

  constructor(html: string) {
    super();
    this.#html = html;
  }

  override valueOf(): string {
    return this.#html;
  }

  override toString(): string {
    return this.#html;
  }

  toLiquid(): string {
    return this.#html;
  }
}

/** `raw` in HTML: only the template's own HTML passes; any other value is escaped like `{{ }}` would. */
function rawIfTrusted(value: unknown): string {
  return value instanceof TrustedHtml ? value.valueOf() : escapeHtml(stringify(value));
}

/**
 * Every filter gets the text of a `TrustedHtml`, never the mark: Liquid's filters read strings (`size` counts
 * `.length`), and what a filter returns is a plain value again, so `| raw` escapes it.
 */
function unwrapTrustedHtmlForFilters(liquid: Liquid): void {
  const unwrap = (value: unknown) => (value instanceof TrustedHtml ? value.valueOf() : value);
  for (const [name, filter] of Object.entries(liquid.filters)) {
    const handler = typeof filter === 'function' ? filter : filter.handler;
    const raw = typeof filter === 'function' ? false : Boolean(filter.raw);
    liquid.registerFilter(name, {
      raw,
      handler(this: ThisParameterType<typeof handler>, value: unknown, ...args: unknown[]) {
        return handler.call(this, unwrap(value), ...args.map(unwrap));
      },
    });
  }
}

/**
 * `capture` counted against the memory budget like the filters are: otherwise a loop that captures a variable
 * twice into itself doubles it each turn (20 turns: 10 MB; 30: past V8's string limit) for free. In HTML
 * the result is `TrustedHtml`: everything written into it was escaped on the way.
 */
class BoundedCaptureTag extends CaptureTag {
  override *render(ctx: Context): Generator<unknown, void, string> {
    yield* super.render(ctx);
    const scope = ctx.bottom() as Record<string, unknown>;
    const captured = scope[this.variable];
    if (typeof captured !== 'string') return;
    ctx.memoryLimit.use(captured.length);
    if (this.liquid.options.outputEscape) scope[this.variable] = new TrustedHtml(captured);
  }
}

/** `{% echo %}` escaped like `{{ }}` in HTML, and like it left to `raw` (rawIfTrusted) when that is its last filter. */
class EscapingEchoTag extends EchoTag {
  override *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    const inner = new CollectingEmitter();
    yield* super.render(ctx, inner);
    // The parsed value is private in Liquid's typings; its filters carry the `raw` flag.
    const filters =
      (this as unknown as { value?: { filters: Array<{ raw: boolean }> } }).value?.filters ?? [];
    emitter.write(filters.at(-1)?.raw ? inner.buffer : escapeHtml(inner.buffer));
  }
}

/** `{% cycle %}` returns its value for Liquid to write, past outputEscape; escaped here. */
class EscapingCycleTag extends CycleTag {
  override *render(ctx: Context, emitter: Emitter): Generator<unknown, unknown, unknown> {
    const value = yield* super.render(ctx, emitter);
    return escapeHtml(stringify(value));
  }
}

class CollectingEmitter implements Emitter {
  buffer = '';

  write(html: unknown): void {
    this.buffer += stringify(html);
  }
}

/** The same entities as Liquid's `escape` filter, so escaped output looks the same wherever it came from. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEntities[c] ?? c);
}
const htmlEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  "'": '&#39;',
};

/** Liquid's own emitter, with a ceiling on what one render may write. */
class BoundedEmitter implements Emitter {
  buffer = '';

  constructor(private readonly limit: number) {}

  write(html: unknown): void {
    const text = stringify(html);
    if (this.buffer.length + text.length > this.limit) throw new Error(OUTPUT_LIMIT_MESSAGE);
    this.buffer += text;
  }
}

function stringify(value: unknown): string {
  const plain = toValue(value);
  if (typeof plain === 'string') return plain;
  if (plain === null || plain === undefined) return '';
  if (Array.isArray(plain)) return plain.map(stringify).join('');
  return String(plain);
}

export function renderInSandbox(
  engine: SandboxEngine,
  templates: Template[],
  data: object,
  options: { check: boolean; outputLimit: number },
): string {
  // A shallow copy, so `{% increment x %}` (which writes to the top-level scope) never touches the caller's data.
  const context = new SandboxContext({ ...data }, options.check ? engine.checkOptions : engine.sendOptions, {
    sync: true,
  });
  const emitter = new BoundedEmitter(options.outputLimit);
  toValueSync(engine.liquid.renderer.renderTemplates(templates, context, emitter));
  return emitter.buffer;
}

/** Turns whatever Liquid (or the JavaScript engine under it) threw into problems an author can act on. */
export function problemsFromError(error: unknown, outputLimit: number): TemplateProblem[] {
  if (LiquidError.is(error)) {
    const nested = (error as { errors?: unknown[] }).errors;
    if (Array.isArray(nested)) return nested.flatMap((inner) => problemsFromError(inner, outputLimit));
    const [line, column] = error.token ? error.token.getPosition() : [null, null];
    const raw = (error.originalError?.message ?? error.message).replace(/, line:\d+, col:\d+$/, '');
    return [{ line, column, ...explain(raw, outputLimit) }];
  }
  const raw = error instanceof Error ? error.message : String(error);
  return [{ line: null, column: null, ...explain(raw, outputLimit) }];
}

function explain(raw: string, outputLimit: number): { variable: string | null; message: string } {
  const undefinedVariable = /^undefined variable: (.+)$/.exec(raw);
  if (undefinedVariable) {
    const variable = undefinedVariable[1] ?? '';
    return { variable, message: `Unknown variable "${variable}": the notice data has no such value.` };
  }
  const undefinedFilter = /^undefined filter: (.+)$/.exec(raw);
  if (undefinedFilter) return { variable: null, message: `Unknown filter "${undefinedFilter[1]}".` };
  const unknownTag = /^tag "(.+)" not found$/.exec(raw);
  if (unknownTag) return { variable: null, message: `Unknown tag "${unknownTag[1]}".` };
  const known: Array<[RegExp, string]> = [
    [
      /^memory alloc limit exceeded$/,
      `The template builds too much data while rendering (for example a loop over a huge range); at most ${MEMORY_LIMIT.toLocaleString('en-US')} items are allowed.`,
    ],
    [
      /^template render limit exceeded$/,
      `The template took more than ${RENDER_LIMIT_MS} ms to render (for example a loop that runs too many times).`,
    ],
    [/^parse length limit exceeded$/, `The template is larger than ${MAX_SOURCE_BYTES / 1024} kB.`],
    [
      new RegExp(`^${OUTPUT_LIMIT_MESSAGE}$`),
      `The template writes more than ${outputLimit.toLocaleString('en-US')} characters for one person.`,
    ],
    [/^Invalid string length$/, 'The template builds a text too large to handle.'],
    [/^Maximum call stack size exceeded$/, 'The template is nested too deeply.'],
  ];
  for (const [pattern, message] of known) if (pattern.test(raw)) return { variable: null, message };
  return { variable: null, message: `${raw.charAt(0).toUpperCase()}${raw.slice(1)}.`.replace(/\.\.$/, '.') };
}
