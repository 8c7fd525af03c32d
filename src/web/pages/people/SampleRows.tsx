import { Table, Text } from '@mantine/core';
import type { UploadPreview } from '../../api/types.ts';
import { fieldLabel } from './labels.ts';
import type { DraftMapping } from './mapping-options.ts';

const unmappedCell = { background: 'var(--mantine-color-yellow-light)' };
const cell = { maxWidth: 220, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } as const;

/** The first rows of the file, each column headed by what it will be imported as. */
export function SampleRows({ preview, draft }: { preview: UploadPreview; draft: DraftMapping }) {
  if (preview.samples.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        The first rows could not be read, so there is nothing to show.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={Math.max(600, preview.headers.length * 140)}>
      <Table striped withTableBorder withColumnBorders verticalSpacing={6} fz="sm" aria-label="First rows">
        <Table.Thead>
          <Table.Tr>
            {preview.headers.map((header) => {
              const field = draft[header];
              return (
                <Table.Th key={header} scope="col" style={field ? undefined : unmappedCell}>
                  <Text size="sm" fw={600} ff="monospace">
                    {header}
                  </Text>
                  <Text size="xs" c={field ? 'dimmed' : 'orange.9'} fw={field ? 400 : 600}>
                    {field ? fieldLabel(field) : 'Not imported'}
                  </Text>
                </Table.Th>
              );
            })}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {preview.samples.map((row, index) => (
            // Sample rows have no identity of their own; their order never changes.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <Table.Tr key={index}>
              {preview.headers.map((header) => (
                <Table.Td
                  key={header}
                  style={draft[header] ? cell : { ...cell, ...unmappedCell }}
                  title={row[header]}
                >
                  {row[header] ?? ''}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
