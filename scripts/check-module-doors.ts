/**
 * A module has one door: code outside src/server/modules/<module>/ imports it only through its index.ts
 * (DESIGN.md). This check reads every import under src/ (static, dynamic and type-only) and fails when one
 * reaches into another module's files. Tests and benchmarks may open a module's internals; the product may not.
 *
 * Usage: tsx scripts/check-module-doors.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '..');
const modulesDir = path.join(root, 'src/server/modules');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The module a file belongs to, if it is inside one. */
function moduleOf(file: string): string | undefined {
  const rel = path.relative(modulesDir, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep)[0];
}

function importedPaths(file: string): Array<{ spec: string; line: number }> {
  const text = fs.readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Array<{ spec: string; line: number }> = [];
  const add = (node: ts.Node, spec: ts.Expression | undefined) => {
    if (spec && ts.isStringLiteralLike(spec)) {
      found.push({ spec: spec.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    }
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node, node.moduleSpecifier);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const problems: string[] = [];
const modules = fs.readdirSync(modulesDir, { withFileTypes: true }).filter((e) => e.isDirectory());
for (const entry of modules) {
  if (!fs.existsSync(path.join(modulesDir, entry.name, 'index.ts'))) {
    problems.push(`src/server/modules/${entry.name} has no index.ts: give the module its door`);
  }
}
for (const file of sourceFiles(path.join(root, 'src'))) {
  const from = moduleOf(file);
  for (const { spec, line } of importedPaths(file)) {
    if (!spec.startsWith('.')) continue;
    const target = path.resolve(path.dirname(file), spec);
    const to = moduleOf(target);
    if (!to || to === from) continue;
    if (path.relative(path.join(modulesDir, to), target) === 'index.ts') continue;
    problems.push(
      `${path.relative(root, file)}:${line} imports ${spec}: reach the ${to} module through its door (modules/${to}/index.ts)`,
    );
  }
}

if (problems.length > 0) {
  console.error(`Module doors: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log(`Module doors: ${modules.length} modules, each reached from outside only through its index.ts.`);
