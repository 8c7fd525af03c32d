import { Code, Paper, Stack, Table, Text } from '@mantine/core';

/** What a macro can read (the server refuses any other variable). */
const variables: Array<[string, string]> = [
  ['person.first_name', 'The requester’s first name, once linked to an affected person'],
  ['incident.title', 'The incident they were affected in'],
  ['guidance', 'What they can do: a list of { title, steps } for what leaked about them'],
  ['activation_code', 'Their credit-monitoring code; only once they are verified, else empty'],
  ['link', 'The public notice page'],
  ['company.name', 'Your company'],
];

export function MacroHelp() {
  return (
    <Paper withBorder p="sm" bg="var(--mantine-color-gray-0)">
      <Stack gap="xs">
        <Text size="sm">
          Macros are written in <strong>Liquid</strong>: <Code>{'{{ person.first_name }}'}</Code> prints a
          value, <Code>{'{% for item in guidance %}{{ item.title }}{% endfor %}'}</Code> repeats,{' '}
          <Code>{'{% if activation_code %}…{% endif %}'}</Code> decides. Agents edit the result before it is
          sent.
        </Text>
        <Table withRowBorders={false} verticalSpacing={2} aria-label="Macro variables">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Variable</Table.Th>
              <Table.Th scope="col">What it holds</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {variables.map(([name, meaning]) => (
              <Table.Tr key={name}>
                <Table.Td>
                  <Code>{name}</Code>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{meaning}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}
