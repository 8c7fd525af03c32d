import { randomBytes } from 'node:crypto';

/**
 * The incident's public address on the notice site (`/n/<slug>`): readable words from the title and a random
 * suffix, so two incidents with the same title never collide and the address says nothing it should not.
 * 'Acme Shop — March credential leak' → 'acme-shop-march-credential-leak-4f2a9c'.
 */
export function slugFromTitle(title: string, suffix = randomBytes(3).toString('hex')): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/g, '');
  return `${base || 'incident'}-${suffix}`;
}
