// Entry of an import build worker thread: load TypeScript the way the parent process does (tsx), then
// run the worker. Node 20 workers do not honour `--import` in execArgv, hence this small file.
import { register } from 'tsx/esm/api';

register();
await import('./build-worker.ts');
