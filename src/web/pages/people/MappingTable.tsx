import { Badge, Select, Table, Text } from '@mantine/core';
import type { FieldSpec, UploadPreview } from '../../api/types.ts';
import { type DraftMapping, fieldOptions } from './mapping-options.ts';

interface MappingTableProps {
  preview: UploadPreview;
  draft: DraftMapping;
  onChange: (header: string, field: FieldSpec | null) => void;
}

const unmappedStyle = { background: 'var(--mantine-color-yellow-light)' };

/** One row per column: a few values, what it is imported as, and how Candor decided. */
export function MappingTable({ preview, draft, onChange }: MappingTableProps) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="xs" aria-label="Column mapping">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Column</Table.Th>
            <Table.Th scope="col">Example values</Table.Th>
            <Table.Th scope="col" w={320}>
              Imported as
            </Table.Th>
            <Table.Th scope="col" w={170}>
              Detected
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {preview.headers.map((header) => {
            const field = draft[header] ?? null;
            const examples = preview.samples
              .map((row) => row[header] ?? '')
              .filter((value) => value.trim() !== '')
              .slice(0, 2);
            return (
              <Table.Tr key={header} style={field ? undefined : unmappedStyle}>
                <Table.Th scope="row" fw={500}>
                  <Text size="sm" ff="monospace" fw={600} style={{ wordBreak: 'break-word' }}>
                    {header}
                  </Text>
                </Table.Th>
                <Table.Td>
                  <Text size="sm" c={examples.length ? undefined : 'dimmed'} lineClamp={2} maw={320}>
                    {examples.length ? examples.join(' · ') : 'empty in the first rows'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Select
                    aria-label={`Field for column ${header}`}
                    placeholder="Not imported: choose a field"
                    data={fieldOptions}
                    value={field}
                    onChange={(value) => onChange(header, value as FieldSpec | null)}
                    searchable
                    nothingFoundMessage="No field matches"
                    maxDropdownHeight={320}
                    comboboxProps={{ withinPortal: true }}
                  />
                  {field ? null : (
                    <Text size="xs" c="orange.9" fw={500} mt={2}>
                      Not imported unless you map it
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <DetectionBadge
                    reason={preview.reasons[header]}
                    isChanged={field !== (preview.mapping[header] ?? null)}
                  />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function DetectionBadge({ reason, isChanged }: { reason: string | undefined; isChanged: boolean }) {
  if (isChanged) {
    return (
      <Badge color="violet" variant="light">
        Set by you
      </Badge>
    );
  }
  if (reason === 'header') {
    return (
      <Badge color="blue" variant="light">
        From the header
      </Badge>
    );
  }
  if (reason === 'values') {
    return (
      <Badge color="teal" variant="light">
        From the values
      </Badge>
    );
  }
  return (
    <Badge color="orange" variant="outline">
      Not detected
    </Badge>
  );
}
