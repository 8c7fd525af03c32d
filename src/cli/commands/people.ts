import fs from 'node:fs';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import {
  createPeopleModule,
  type ImportProgress,
  type Mapping,
  parseMappingFile,
  parseMappingFileOptions,
} from '../../server/modules/people/index.ts';
import { cliActor, printJson, withRuntime } from '../runtime.ts';

interface ImportOptions {
  format?: 'csv' | 'jsonl';
  map?: string;
  defaultCountry?: string;
  encoding?: 'utf8' | 'latin1';
  caseSensitiveIds?: boolean;
  json?: boolean;
}

function readMapping(file: string): { mapping: Mapping; caseSensitiveIds?: boolean } {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `--map ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not valid JSON'}.`,
    );
  }
  return { mapping: parseMappingFile(json), ...parseMappingFileOptions(json) };
}

/** A progress bar on a terminal; otherwise a line every few seconds on stderr (stdout stays for results). */
function progressPrinter(isQuiet: boolean) {
  if (process.stderr.isTTY && !isQuiet) {
    const bar = new SingleBar({
      format:
        ' {phase} |{bar}| {percentage}% | {rows} rows | {rate} rows/s | {accepted} accepted | {rejected} rejected | {warnings} warnings',
      hideCursor: true,
      stream: process.stderr,
    });
    let started = false;
    return {
      update(p: ImportProgress) {
        const values = {
          phase: p.detail ?? p.phase,
          rows: p.accepted + p.rejected,
          rate: p.rowsPerSecond,
          accepted: p.accepted,
          rejected: p.rejected,
          warnings: p.warnings,
        };
        if (!started) {
          bar.start(p.bytesTotal || 1, 0, values);
          started = true;
        }
        bar.update(p.phase === 'parsing' || p.phase === 'hashing' ? p.bytesDone : p.bytesTotal, values);
      },
      stop: () => started && bar.stop(),
    };
  }
  let last = 0;
  let lastStep = '';
  return {
    update(p: ImportProgress) {
      const now = Date.now();
      const step = `${p.phase} ${p.detail ?? ''}`;
      if (now - last < 3000 && step === lastStep) return;
      last = now;
      lastStep = step;
      const pct = p.bytesTotal ? Math.round((100 * p.bytesDone) / p.bytesTotal) : 0;
      process.stderr.write(
        `candor import: ${p.detail ?? p.phase} ${pct}% ${p.accepted + p.rejected} rows (${p.rowsPerSecond} rows/s), ${p.rejected} rejected, ${p.warnings} warnings\n`,
      );
    },
    stop: () => {},
  };
}

export function registerPeopleCommands(program: Command): void {
  program
    .command('import')
    .description(
      'Import a breach export (CSV or JSON lines, optionally .gz) into an incident, resolving people. Re-run the same command to resume after an interruption.',
    )
    .argument('<incident-id>', 'the incident')
    .argument('[file]', 'the file (omit with --resume)')
    .option('--format <format>', 'csv or jsonl (default: from the name or content)')
    .option('--map <mapping.json>', 'column mapping {"columns": {"<header>": "<field>"}} (default: detected)')
    .option('--default-country <CC>', 'ISO country for rows without one (reads national phone numbers)')
    .option('--encoding <encoding>', 'utf8 (default) or latin1')
    .option(
      '--case-sensitive-ids',
      'compare customer ids case-sensitively (C9002 and c9002 are two customers); the default ignores case. One rule per incident',
    )
    .option('--resume <importId>', 'resume an interrupted import by id')
    .option('--json', 'print one JSON summary')
    .action(
      async (incidentId: string, file: string | undefined, options: ImportOptions & { resume?: string }) => {
        if (options.format && !['csv', 'jsonl'].includes(options.format))
          throw new Error('--format must be csv or jsonl.');
        if (options.encoding && !['utf8', 'latin1'].includes(options.encoding))
          throw new Error('--encoding must be utf8 or latin1.');
        if (options.defaultCountry && !/^[A-Za-z]{2}$/.test(options.defaultCountry)) {
          throw new Error('--default-country takes a two-letter ISO code, like US or DE.');
        }
        const mapFile = options.map ? readMapping(options.map) : undefined;
        const caseSensitiveIds = options.caseSensitiveIds === true ? true : mapFile?.caseSensitiveIds;
        const printer = progressPrinter(false);
        const summary = await withRuntime(async (runtime) => {
          const people = createPeopleModule(runtime.ctx);
          if (options.resume) {
            const job = await runtime.ctx.db
              .selectFrom('imports')
              .select(['incident_id'])
              .where('id', '=', options.resume)
              .executeTakeFirst();
            if (!job || job.incident_id !== incidentId)
              throw new Error(`No import ${options.resume} in incident ${incidentId}.`);
            return people.service.resumeImport(options.resume, cliActor());
          }
          if (!file) throw new Error('Name the file to import (or --resume <importId>).');
          const source = path.resolve(file);
          return people.service.runImport({
            incidentId,
            source: { kind: 'file', path: source },
            fileName: path.basename(source),
            format: options.format,
            encoding: options.encoding,
            mapping: mapFile?.mapping,
            defaultCountry: options.defaultCountry?.toUpperCase(),
            caseSensitiveIds,
            actor: cliActor(),
            onProgress: (p) => printer.update(p),
          });
        });
        printer.stop();
        const result = {
          importId: summary.importId,
          rows: summary.rows,
          accepted: summary.accepted,
          rejected: summary.rejected,
          warnings: summary.warnings,
          people: summary.people,
          newPeople: summary.newPeople,
          conflicts: summary.conflicts,
        };
        if (options.json) return printJson(result);
        if (summary.isDuplicate)
          process.stdout.write('This file was already imported into this incident: nothing added.\n');
        process.stdout.write(
          `Mapping used:\n${Object.entries(summary.mapping)
            .map(([h, f]) => `  ${h} → ${f}`)
            .join('\n')}\n`,
        );
        if (summary.unmapped.length)
          process.stdout.write(`Unmapped columns (not imported): ${summary.unmapped.join(', ')}\n`);
        process.stdout.write(
          `import ${result.importId}: ${result.rows} rows, ${result.accepted} accepted, ${result.rejected} rejected; ` +
            `${result.people} people (${result.newPeople} new), ${result.conflicts} conflicts to review\n`,
        );
        if (result.warnings.total > 0) {
          process.stdout.write(
            `warnings on kept rows: ${Object.entries(result.warnings.byKind)
              .map(([kind, n]) => `${kind.replaceAll('_', ' ')} ${n}`)
              .join(', ')}\n`,
          );
        }
      },
    );

  const people = program.command('people').description('Affected people of an incident.');
  people
    .command('stats')
    .description('Counts by category, jurisdiction, risk tier and reachability.')
    .argument('<incident-id>')
    .option('--json', 'print JSON')
    .action(async (incidentId: string, options: { json?: boolean }) => {
      const stats = await withRuntime((runtime) => createPeopleModule(runtime.ctx).service.stats(incidentId));
      if (options.json) return printJson(stats);
      process.stdout.write(
        `${stats.people} people from ${stats.records} records (${stats.rejected} rows rejected, ${stats.conflicts} conflicts open)\n`,
      );
      process.stdout.write(
        `risk: ${Object.entries(stats.byRiskTier)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}\n`,
      );
      process.stdout.write(
        `reachable: ${Object.entries(stats.reachable)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}\n`,
      );
      process.stdout.write(
        `categories: ${Object.entries(stats.byCategory)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}\n`,
      );
      process.stdout.write(
        `jurisdictions: ${Object.entries(stats.byJurisdiction)
          .slice(0, 20)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}\n`,
      );
    });
  people
    .command('find')
    .description('Find people by email, phone or customer id (exact match; audited).')
    .argument('<incident-id>')
    .option('--email <email>')
    .option('--phone <phone>')
    .option('--customer-id <id>')
    .option('--default-country <CC>', 'for national phone numbers')
    .option('--json', 'print JSON')
    .action(
      async (
        incidentId: string,
        options: {
          email?: string;
          phone?: string;
          customerId?: string;
          defaultCountry?: string;
          json?: boolean;
        },
      ) => {
        const given = (['email', 'phone', 'customerId'] as const).filter((k) => options[k] !== undefined);
        if (given.length !== 1) throw new Error('Give exactly one of --email, --phone or --customer-id.');
        const kind = given[0] === 'customerId' ? 'customer_id' : given[0]!;
        const found = await withRuntime((runtime) =>
          createPeopleModule(runtime.ctx).service.find(
            incidentId,
            { kind, value: options[given[0]!]!, defaultCountry: options.defaultCountry?.toUpperCase() },
            { actor: cliActor() },
          ),
        );
        if (options.json) return printJson(found);
        if (found.length === 0) process.stdout.write('No one in this incident matches.\n');
        for (const p of found)
          process.stdout.write(`${p.id}  ${p.riskTier}  ${p.jurisdiction}  ${p.categories.join(', ')}\n`);
      },
    );
}
