#!/usr/bin/env node
// The `candor` command. Candor runs its TypeScript sources directly through tsx's loader: no build step
// for the server, so `npm install && npm start` is all a fresh clone needs.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
