import { readFileSync } from 'node:fs';
import { type RegimeRule, regimeRule, rulesFile } from './schema.ts';

export interface RulesData {
  version: string;
  derivedFrom: string;
  regimes: RegimeRule[];
}

const defaultPath = new URL('./regimes.json', import.meta.url);

const loaded = new Map<string, RulesData>();

/**
 * Reads and checks the rules data once per file and process (every module instance, reminder pass and CLI
 * command shares it). Any rule that fails its schema (or repeats an id) throws an error naming the rule id
 * and the field, which stops the process at start.
 */
export function loadRules(path: string | URL | undefined = defaultPath): RulesData {
  path ??= defaultPath;
  const key = String(path);
  const cached = loaded.get(key);
  if (cached) return cached;
  const rules = readRules(path);
  loaded.set(key, rules);
  return rules;
}

function readRules(path: string | URL): RulesData {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`obligations rules ${String(path)}: cannot read the file (${(error as Error).message})`);
  }
  return parseRules(raw);
}

export function parseRules(raw: unknown): RulesData {
  const file = rulesFile.safeParse(raw);
  if (!file.success) {
    throw new Error(`obligations rules: ${describe(file.error.issues[0]!)}`);
  }
  const seen = new Set<string>();
  const regimes = file.data.regimes.map((candidate, index) => {
    const id =
      typeof candidate === 'object' && candidate && 'id' in candidate
        ? String(candidate.id)
        : `#${index + 1}`;
    const parsed = regimeRule.safeParse(candidate);
    if (!parsed.success)
      throw new Error(`obligations rule ${id} is invalid: ${describe(parsed.error.issues[0]!)}`);
    if (seen.has(parsed.data.id)) throw new Error(`obligations rule ${id} appears twice`);
    seen.add(parsed.data.id);
    const keys = new Set<string>();
    for (const o of parsed.data.obligations) {
      const key = o.variant ? `${o.kind}:${o.variant}` : o.kind;
      if (keys.has(key))
        throw new Error(`obligations rule ${id} has two "${key}" obligations; give one a variant`);
      keys.add(key);
    }
    return parsed.data;
  });
  return { version: file.data.version, derivedFrom: file.data.derivedFrom, regimes };
}

function describe(issue: { path: PropertyKey[]; message: string }): string {
  const where = issue.path.map(String).join('.');
  return where ? `${where}: ${issue.message}` : issue.message;
}
