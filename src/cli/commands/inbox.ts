import type { Command } from 'commander';
import { createInboxModule } from '../../server/modules/inbox/index.ts';
import type { InboxCliThread } from '../../shared/contracts/inbox.ts';
import { cliActor, fail, printJson, withRuntime } from '../runtime.ts';

const STATUSES = ['open', 'pending', 'solved'];

export function registerInboxCommands(program: Command): void {
  const inbox = program.command('inbox').description('The support inbox: questions from affected people.');
  inbox
    .command('list')
    .description('List inbox threads, highest priority first (no message content, no addresses).')
    .option('--topic <topic>', 'only threads with this topic (e.g. delete_my_data, legal_threat)')
    .option('--status <status>', `only threads in this status (${STATUSES.join(', ')})`)
    .option('--limit <n>', 'at most this many threads', '1000')
    .option(
      '--json',
      'print [{"id", "channel", "status", "topics", "priority", "personLinked", "incidentId", "verified"}]',
    )
    .action(async (options: { topic?: string; status?: string; limit: string; json?: boolean }) => {
      if (options.status && !STATUSES.includes(options.status)) {
        fail(new Error(`--status must be one of ${STATUSES.join(', ')}, not "${options.status}"`));
      }
      if (options.topic && !/^[a-z0-9_]{1,40}$/.test(options.topic)) {
        fail(
          new Error(
            `--topic "${options.topic}" is not a topic name (lowercase letters, digits, underscores)`,
          ),
        );
      }
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) fail(new Error('--limit must be a positive whole number'));
      const threads = await withRuntime(async (runtime) => {
        const module = createInboxModule(runtime.ctx, { kick: () => {} });
        const rows: InboxCliThread[] = [];
        let cursor: string | undefined;
        do {
          const page = await module.service.list(
            {
              status: options.status as 'open' | 'pending' | 'solved' | undefined,
              topic: options.topic,
              limit: Math.min(200, limit - rows.length),
              cursor,
            },
            { actor: cliActor() },
          );
          for (const t of page.threads) {
            rows.push({
              id: t.id,
              channel: t.channel,
              status: t.status,
              topics: t.topics,
              priority: t.priority,
              personLinked: t.personLinked,
              incidentId: t.incidentId,
              verified: t.verified,
            });
          }
          cursor = page.nextCursor ?? undefined;
        } while (cursor && rows.length < limit);
        return rows;
      });
      if (options.json) return printJson(threads);
      if (threads.length === 0) {
        process.stdout.write('No threads match.\n');
        return;
      }
      for (const t of threads) {
        process.stdout.write(
          `${String(t.priority).padStart(3)}  ${String(t.status).padEnd(7)} ${String(t.channel).padEnd(5)} ${t.id}  ${
            t.topics.join(',') || '-'
          }${t.personLinked ? `  affected${t.verified ? ', verified' : ''}` : ''}\n`,
        );
      }
    });
}
