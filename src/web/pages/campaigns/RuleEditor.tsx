import { Checkbox, Group, MultiSelect, SimpleGrid, Stack, TagsInput, Text } from '@mantine/core';
import { useState } from 'react';
import {
  type Category,
  categories,
  categoryLabels,
  type RiskTier,
  riskTiers,
} from '../../../shared/taxonomy.ts';
import { riskTierLabels } from '../people/labels.ts';
import { type DraftRule, jurisdictionPattern, localePattern } from './campaign-draft.ts';

export const categoryOptions = categories.map((c) => ({ value: c, label: categoryLabels[c] }));

/** A tags input that takes only codes matching a pattern, and says why it refused one. */
function CodesInput({
  label,
  description,
  value,
  onChange,
  pattern,
  normalize,
  example,
}: {
  label: string;
  description: string;
  value: string[];
  onChange: (next: string[]) => void;
  pattern: RegExp;
  normalize: (raw: string) => string;
  example: string;
}) {
  const [refused, setRefused] = useState<string | null>(null);
  return (
    <TagsInput
      label={label}
      description={description}
      value={value}
      splitChars={[',', ' ', ';']}
      onChange={(next) => {
        const normalized = next.map(normalize);
        const bad = normalized.find((code) => !pattern.test(code));
        setRefused(bad ? `“${bad}” is not a code like ${example}.` : null);
        onChange([...new Set(normalized.filter((code) => pattern.test(code)))]);
      }}
      error={refused}
      clearable
    />
  );
}

/** Who gets a variant: every condition given must hold; an empty condition does not restrict. */
export function RuleEditor({ rule, onChange }: { rule: DraftRule; onChange: (rule: DraftRule) => void }) {
  const set = <K extends keyof DraftRule>(key: K, value: DraftRule[K]) => onChange({ ...rule, [key]: value });
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        Every condition you fill in must hold; leave one empty to not restrict on it. Variants are checked in
        order and the first that matches wins; the default variant catches everyone else.
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <MultiSelect
          label="Exposed any of"
          description="People with at least one of these categories exposed."
          data={categoryOptions}
          value={rule.categoriesAny}
          onChange={(value) => set('categoriesAny', value as Category[])}
          searchable
          clearable
        />
        <MultiSelect
          label="Exposed all of"
          description="People with every one of these categories exposed."
          data={categoryOptions}
          value={rule.categoriesAll}
          onChange={(value) => set('categoriesAll', value as Category[])}
          searchable
          clearable
        />
        <CodesInput
          label="Living in"
          description="Country or region codes; US covers US-CA. Press Enter after each."
          value={rule.jurisdictions}
          onChange={(value) => set('jurisdictions', value)}
          pattern={jurisdictionPattern}
          normalize={(raw) => raw.trim().toUpperCase()}
          example="US, US-CA or DE"
        />
        <CodesInput
          label="Writing in"
          description="Language codes of the people’s records; en covers en-GB. Press Enter after each."
          value={rule.locales}
          onChange={(value) => set('locales', value)}
          pattern={localePattern}
          normalize={normalizeLocale}
          example="en or es-MX"
        />
      </SimpleGrid>
      <Checkbox.Group
        label="Risk tier"
        description="From what leaked about each person."
        value={rule.riskTiers}
        onChange={(value) => set('riskTiers', value as RiskTier[])}
      >
        <Group gap="lg" mt={6}>
          {riskTiers.map((tier) => (
            <Checkbox key={tier} value={tier} label={riskTierLabels[tier]} />
          ))}
        </Group>
      </Checkbox.Group>
    </Stack>
  );
}

/** "ES-mx" → "es-MX", the form the schema accepts. */
export function normalizeLocale(raw: string): string {
  const [language = '', region] = raw.trim().replace('_', '-').split('-');
  return region === undefined ? language.toLowerCase() : `${language.toLowerCase()}-${region.toUpperCase()}`;
}

/** The rule in one sentence, for the variant's header and the campaign page. */
export function describeRule(rule: Partial<DraftRule>, isDefault: boolean): string {
  if (isDefault) return 'Everyone no other variant matches.';
  const parts: string[] = [];
  const names = (list: Category[]) => list.map((c) => categoryLabels[c]).join(', ');
  if (rule.categoriesAny?.length) parts.push(`any of ${names(rule.categoriesAny)} exposed`);
  if (rule.categoriesAll?.length) parts.push(`all of ${names(rule.categoriesAll)} exposed`);
  if (rule.riskTiers?.length)
    parts.push(`${rule.riskTiers.map((t) => riskTierLabels[t].toLowerCase()).join(' or ')} risk`);
  if (rule.jurisdictions?.length) parts.push(`living in ${rule.jurisdictions.join(', ')}`);
  if (rule.locales?.length) parts.push(`writing in ${rule.locales.join(', ')}`);
  return parts.length === 0 ? 'Everyone (no condition set).' : `Matches ${parts.join('; ')}.`;
}
