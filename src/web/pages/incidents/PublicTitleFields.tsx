import { SimpleGrid, Text, TextInput } from '@mantine/core';
import { neutralPublicTitle, type PublicTitle } from '../../../shared/contracts/incidents.ts';

/**
 * What affected people read as the incident's name, per language: notice templates (`incident.title`),
 * inbox macros and the notice site's address use it, never the internal title. Left empty, people read the
 * neutral default in their language.
 */
export function PublicTitleFields({
  value,
  onChange,
  error,
}: {
  value: PublicTitle;
  onChange: (value: PublicTitle) => void;
  error?: string | undefined;
}) {
  return (
    <div>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label="Public name (English)"
          placeholder={neutralPublicTitle.en}
          value={value.en ?? ''}
          onChange={(e) => onChange({ ...value, en: e.currentTarget.value })}
          maxLength={200}
          error={error}
        />
        <TextInput
          label="Public name (Spanish)"
          placeholder={neutralPublicTitle.es}
          value={value.es ?? ''}
          onChange={(e) => onChange({ ...value, es: e.currentTarget.value })}
          maxLength={200}
        />
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt={4}>
        What affected people read as this incident’s name: in notices, replies and the notice site’s address.
        The title above is for the team only. Left empty, people read “{neutralPublicTitle.en}” (“
        {neutralPublicTitle.es}”).
      </Text>
    </div>
  );
}

/** The public title as the API wants it: empty languages left out. */
export function cleanPublicTitle(value: PublicTitle): PublicTitle {
  const out: PublicTitle = {};
  if (value.en?.trim()) out.en = value.en.trim();
  if (value.es?.trim()) out.es = value.es.trim();
  return out;
}
