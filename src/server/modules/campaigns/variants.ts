import { sql } from 'kysely';
import type { VariantRule } from '../../../shared/contracts/campaigns.ts';
import { type Category, categoryMask } from '../../../shared/taxonomy.ts';

/**
 * Variant selection as SQL: a CASE over the variants in order (first match wins, the default last), so
 * choosing a variant for millions of people is one set-based statement, and counting each variant's audience
 * is one GROUP BY. Conditions read the `people` row: categories bitmask, risk tier, jurisdiction, locale.
 */
export interface VariantForSelection {
  id: string;
  isDefault: boolean;
  rule: VariantRule;
}

function condition(rule: VariantRule) {
  const parts = [];
  if (rule.categoriesAny?.length) {
    parts.push(sql`(p.categories & ${categoryMask(rule.categoriesAny as Category[])}) <> 0`);
  }
  if (rule.categoriesAll?.length) {
    const mask = categoryMask(rule.categoriesAll as Category[]);
    parts.push(sql`(p.categories & ${mask}) = ${mask}`);
  }
  if (rule.riskTiers?.length) parts.push(sql`p.risk_tier = ANY(${rule.riskTiers}::text[])`);
  if (rule.jurisdictions?.length) {
    parts.push(
      sql`(p.jurisdiction = ANY(${rule.jurisdictions}::text[]) OR split_part(p.jurisdiction, '-', 1) = ANY(${rule.jurisdictions}::text[]))`,
    );
  }
  if (rule.locales?.length) {
    parts.push(
      sql`(p.locale = ANY(${rule.locales}::text[]) OR split_part(p.locale, '-', 1) = ANY(${rule.locales}::text[]))`,
    );
  }
  return parts.length === 0 ? sql`true` : sql.join(parts, sql` AND `);
}

/** `CASE WHEN … THEN variant … END`: null for a person no variant matches (no default). */
export function variantCase(variants: readonly VariantForSelection[]) {
  const ordered = [...variants.filter((v) => !v.isDefault), ...variants.filter((v) => v.isDefault)];
  if (ordered.length === 0) return sql<string | null>`NULL::uuid`;
  const whens = ordered.map((v) =>
    v.isDefault ? sql`WHEN true THEN ${v.id}::uuid` : sql`WHEN ${condition(v.rule)} THEN ${v.id}::uuid`,
  );
  return sql<string | null>`CASE ${sql.join(whens, sql` `)} ELSE NULL::uuid END`;
}

/** The first channel of the chain that can reach the person, or null. */
export function firstChannelCase(channels: readonly string[], from = 0) {
  const reach: Record<string, ReturnType<typeof sql>> = {
    email: sql`p.reachable_email`,
    sms: sql`p.reachable_phone`,
    letter: sql`p.reachable_postal`,
  };
  const whens = channels.slice(from).map((c) => sql`WHEN ${reach[c]!} THEN ${c}::text`);
  if (whens.length === 0) return sql<string | null>`NULL::text`;
  return sql<string | null>`CASE ${sql.join(whens, sql` `)} ELSE NULL::text END`;
}
