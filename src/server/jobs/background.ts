import type { PlatformContext } from '../platform/context.ts';
import { type JobRunner, startJobRunner } from '../platform/jobs/job-runner.ts';
import type { Logger } from '../platform/logging/logger.ts';
import type { ServerModules } from '../wiring.ts';
import { jobRegistry } from './registry.ts';

/**
 * The background work of a Candor process, the same for `candor serve` and `candor worker` (only
 * campaign delivery may be left to workers, with CANDOR_DELIVERY_IN_SERVE=false):
 * - the job runner with every job of the registry (recurring maintenance, run once per tick across all
 *   processes);
 * - the outbound engine: its campaign lane claims `deliveries` rows in batches (per-recipient state is rows,
 *   not one job per recipient), its message lane every other message (lookup answers, confirmations,
 *   update notices, inbox replies and codes), most urgent first.
 */
export interface BackgroundWork {
  /** The jobs this process runs (the registry's names, sorted). */
  readonly jobNames: readonly string[];
  /** Whether this process runs the campaign lane (campaign delivery). */
  readonly isDelivering: boolean;
  addJob: JobRunner['addJob'];
  /** Stops the loops and the runner, waiting for what is in flight. */
  stop(): Promise<void>;
}

export async function startBackgroundWork(
  ctx: PlatformContext,
  modules: Pick<ServerModules, 'auth' | 'people' | 'obligations' | 'outbound'>,
  options: { isDelivering: boolean; applicationName: string },
): Promise<BackgroundWork> {
  const mailer = modules.outbound.staffMailer();
  let runner: JobRunner;
  try {
    runner = await startJobRunner({ db: ctx.db, logger: ctx.logger, mailer }, jobRegistry(ctx, modules), {
      applicationName: `${options.applicationName}-jobs`,
    });
  } catch (error) {
    mailer.close();
    throw error;
  }
  const loops = new AbortController();
  const sending = modules.outbound.run(loops.signal, { campaigns: options.isDelivering });
  ctx.logger.info({ jobs: runner.jobNames, isDelivering: options.isDelivering }, 'background work started');
  let stopping: Promise<void> | undefined;
  return {
    jobNames: runner.jobNames,
    isDelivering: options.isDelivering,
    addJob: (name, payload) => runner.addJob(name, payload),
    stop() {
      stopping ??= (async () => {
        loops.abort();
        await Promise.all([runner.stop(), sending]);
        mailer.close();
      })();
      return stopping;
    },
  };
}

/** SIGINT or SIGTERM: `stop` once, then exit (0, or 1 when stopping failed). */
export function exitOnSignals(logger: Logger, stop: () => Promise<void>): void {
  let isStopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (isStopping) return;
    isStopping = true;
    logger.info({ signal }, 'stopping');
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'could not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}
