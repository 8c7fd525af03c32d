/**
 * A module owns its tables: other code reaches that data only through the owner's door (DESIGN.md).
 * This check reads who owns each table from the migrations (`COMMENT ON TABLE t IS 'owner: <module>'`),
 * then finds every place under src/server that names a table (Kysely's selectFrom/insertInto/updateTable/
 * deleteFrom/joins and `sql` templates after FROM, JOIN, INTO, UPDATE, TABLE) and fails when the code is
 * not the owner's. Known exceptions live in scripts/table-owners.allow.json, which should only shrink.
 *
 * Usage: tsx scripts/check-table-owners.ts [--update-allow-list]
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '..');
const migrationsDir = path.join(root, 'src/server/db/migrations');
const allowFile = path.join(root, 'scripts/table-owners.allow.json');

/** Code outside src/server/modules/<module>/ counts as this owner (platform may own tables too). */
function ownerOfFile(file: string): string {
  const rel = path.relative(path.join(root, 'src/server'), file).split(path.sep);
  if (rel[0] === 'modules') return rel[1]!;
  if (rel[0] === 'platform') return 'platform';
  if (rel[0] === 'db') return 'db';
  return `server/${rel.join('/')}`;
}

function readOwners(): { owners: Map<string, string>; problems: string[] } {
  const created = new Set<string>();
  const owners = new Map<string, string>();
  const problems: string[] = [];
  for (const name of fs.readdirSync(migrationsDir).sort()) {
    if (!name.endsWith('.sql')) continue;
    const text = fs.readFileSync(path.join(migrationsDir, name), 'utf8').replace(/--[^\n]*/g, '');
    for (const m of text.matchAll(
      /\bCREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)\b/gi,
    )) {
      const table = m[1]!.toLowerCase();
      if (table === 'if' || table === 'format') continue; // dynamic partitions: CREATE TABLE IF NOT EXISTS %I
      created.add(table);
    }
    // A renamed table keeps its data under the new name: it is created, and owned, under that name now.
    for (const m of text.matchAll(
      /\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?([a-z_][a-z0-9_]*)\s+RENAME\s+TO\s+([a-z_][a-z0-9_]*)/gi,
    )) {
      const [from, to] = [m[1]!.toLowerCase(), m[2]!.toLowerCase()];
      if (created.delete(from)) created.add(to);
      const owner = owners.get(from);
      owners.delete(from);
      if (owner) owners.set(to, owner);
    }
    for (const m of text.matchAll(/\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?([a-z_][a-z0-9_]*)/gi)) {
      created.delete(m[1]!.toLowerCase());
      owners.delete(m[1]!.toLowerCase());
    }
    for (const m of text.matchAll(
      /\bCOMMENT\s+ON\s+TABLE\s+([a-z_][a-z0-9_]*)\s+IS\s+'owner:\s*([a-z-]+)/gi,
    )) {
      owners.set(m[1]!.toLowerCase(), m[2]!);
    }
  }
  for (const table of created) {
    if (!owners.has(table)) {
      problems.push(
        `table ${table} has no owner: add COMMENT ON TABLE ${table} IS 'owner: <module>' in its migration`,
      );
    }
  }
  return { owners, problems };
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

const KYSELY_TABLE_METHODS = new Set([
  'selectFrom',
  'insertInto',
  'updateTable',
  'deleteFrom',
  'innerJoin',
  'leftJoin',
  'rightJoin',
  'fullJoin',
  'mergeInto',
  'with',
]);
const SQL_TABLE_CONTEXT = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE|USING)\s+(?:ONLY\s+)?([a-z_][a-z0-9_]*)/gi;

/** Every table a file names, with the line. */
function tablesNamed(file: string, tables: Set<string>): Array<{ table: string; line: number }> {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Array<{ table: string; line: number }> = [];
  const add = (name: string, node: ts.Node) => {
    const table = name.split('.')[0]!.split(' ')[0]!.toLowerCase();
    if (tables.has(table))
      found.push({ table, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
  };
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const first = node.arguments[0];
      if (KYSELY_TABLE_METHODS.has(method) && first && ts.isStringLiteralLike(first)) add(first.text, first);
    }
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && node.tag.text === 'sql') {
      const parts = ts.isNoSubstitutionTemplateLiteral(node.template)
        ? [node.template.text]
        : [node.template.head.text, ...node.template.templateSpans.map((s) => s.literal.text)];
      for (const part of parts) for (const m of part.matchAll(SQL_TABLE_CONTEXT)) add(m[1]!, node);
    }
    // sql.table('x') / sql.ref('x.y')
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ts.isIdentifier(node.expression.expression) &&
      node.expression.expression.text === 'sql' &&
      ['table', 'ref', 'id'].includes(node.expression.name.text)
    ) {
      const first = node.arguments[0];
      if (first && ts.isStringLiteralLike(first)) add(first.text, first);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const { owners, problems } = readOwners();
const tables = new Set(owners.keys());
const violations = new Map<string, string[]>();
for (const file of sourceFiles(path.join(root, 'src/server'))) {
  const owner = ownerOfFile(file);
  if (owner === 'db') continue; // migrations runner and schema types
  for (const { table, line } of tablesNamed(file, tables)) {
    const tableOwner = owners.get(table)!;
    if (tableOwner === owner) continue;
    const key = `${owner} -> ${tableOwner}.${table}`;
    const where = `${path.relative(root, file)}:${line}`;
    violations.set(key, [...(violations.get(key) ?? []), where]);
  }
}

const allowed: Record<string, number> = fs.existsSync(allowFile)
  ? (JSON.parse(fs.readFileSync(allowFile, 'utf8')) as { allowed: Record<string, number> }).allowed
  : {};
if (process.argv.includes('--update-allow-list')) {
  const next = Object.fromEntries([...violations].sort().map(([key, places]) => [key, places.length]));
  fs.writeFileSync(
    allowFile,
    `${JSON.stringify({ note: 'Known cross-module table uses; the issue that filed this list empties it. Only shrink it.', allowed: next }, null, 2)}\n`,
  );
  console.log(`wrote ${Object.keys(next).length} entries to ${path.relative(root, allowFile)}`);
  process.exit(0);
}

for (const [key, places] of violations) {
  const limit = allowed[key] ?? 0;
  if (places.length > limit) {
    problems.push(
      `${key}: named ${places.length} time(s) outside its owner (allowed ${limit}): ${places.join(', ')}. ` +
        `Use the owning module's door (src/server/modules/<owner>/index.ts) instead.`,
    );
  }
}
for (const [key, limit] of Object.entries(allowed)) {
  const count = violations.get(key)?.length ?? 0;
  // The list only shrinks: an entry larger than what is left would hide a new use.
  if (count < limit)
    problems.push(
      `${key}: allowed ${limit} but ${count} left: lower it in ${path.relative(root, allowFile)}`,
    );
}
if (problems.length > 0) {
  console.error(
    `Table ownership: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}`,
  );
  process.exit(1);
}
const total = [...violations.values()].reduce((n, places) => n + places.length, 0);
console.log(
  `Table ownership: ${tables.size} tables with owners; ${total} allowed cross-module use(s) left in ${violations.size} pair(s).`,
);
