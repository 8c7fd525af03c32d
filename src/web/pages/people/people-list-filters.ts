import { reachFilters } from '../../../shared/contracts/people.ts';
import { type Category, categories, type RiskTier, riskTiers } from '../../../shared/taxonomy.ts';

/** The list's filters, kept in the address (no personal data: categories, places, tiers, channels). */
export interface PeopleListFilters {
  category?: Category | undefined;
  jurisdiction?: string | undefined;
  risk?: RiskTier | undefined;
  reach?: (typeof reachFilters)[number] | undefined;
}

/** Reads the filters from the address, ignoring whatever does not fit. */
export function parsePeopleListFilters(search: Record<string, unknown>): PeopleListFilters {
  const jurisdiction =
    typeof search.jurisdiction === 'string' && /^[A-Za-z0-9-]{1,20}$/.test(search.jurisdiction)
      ? search.jurisdiction
      : undefined;
  return {
    category: categories.find((c) => c === search.category),
    jurisdiction,
    risk: riskTiers.find((r) => r === search.risk),
    reach: reachFilters.find((r) => r === search.reach),
  };
}

/** The filters as the address and the API write them (unset ones left out). */
export function peopleListSearch(filters: PeopleListFilters): Record<string, string | undefined> {
  return {
    category: filters.category,
    jurisdiction: filters.jurisdiction,
    risk: filters.risk,
    reach: filters.reach,
  };
}
