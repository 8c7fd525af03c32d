export * from './audit.ts';
export * from './auth.ts';
export * from './common.ts';
export * from './incidents.ts';
export * from './keys.ts';
export * from './population.ts';
export * from './tokens.ts';
export * from './users.ts';
