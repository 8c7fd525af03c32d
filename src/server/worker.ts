import { type BackgroundWork, exitOnSignals, startBackgroundWork } from './jobs/background.ts';
import type { PlatformContext } from './platform/context.ts';
import { openRuntime } from './runtime.ts';
import { createServerModules } from './wiring.ts';

/**
 * `candor worker`: the background work of `candor serve` without the HTTP server, on as many machines as
 * needed: the jobs of the registry (`jobs/registry.ts`) and the outbound engine (campaigns and every other
 * message).
 */
export async function runWorker(): Promise<void> {
  const runtime = await openRuntime({ applicationName: 'candor-worker' });
  const worker = await startWorker(runtime.ctx);
  exitOnSignals(runtime.ctx.logger, async () => {
    await worker.stop();
    await runtime.close();
  });
}

export interface RunningWorker {
  background: BackgroundWork;
  stop(): Promise<void>;
}

export async function startWorker(ctx: PlatformContext): Promise<RunningWorker> {
  const modules = createServerModules(ctx);
  const background = await startBackgroundWork(ctx, modules, {
    isDelivering: true,
    applicationName: 'candor-worker',
  });
  return {
    background,
    async stop() {
      await background.stop();
      await modules.noticeSite.close();
      await modules.outbound.close();
      await modules.campaigns.close();
    },
  };
}
