import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import { fold } from './classify.ts';

/**
 * Search without plaintext: a thread stores keyed hashes of the words of its messages (`search_terms`, GIN
 * indexed); a search hashes its words the same way and asks for threads holding all of them. Whole words
 * only, accent- and case-insensitive; the key is the blind-index key, so the hashes say nothing without it.
 */
const MAX_TERMS = 300;

function words(text: string): string[] {
  return [
    ...new Set(fold(text).match(/[\p{L}\p{N}][\p{L}\p{N}@._+-]*[\p{L}\p{N}]|[\p{L}\p{N}]{2}/gu) ?? []),
  ].filter((w) => w.length >= 2 && w.length <= 64);
}

export function searchTerms(crypto: Pick<PiiCrypto, 'blindIndex'>, text: string): string[] {
  return words(text)
    .slice(0, MAX_TERMS)
    .map((w) => crypto.blindIndex('inbox_search', w).subarray(0, 8).toString('hex'));
}

/** The terms a search box query must all match (empty when it has no searchable word). */
export function queryTerms(crypto: Pick<PiiCrypto, 'blindIndex'>, query: string): string[] {
  return searchTerms(crypto, query).slice(0, 10);
}
