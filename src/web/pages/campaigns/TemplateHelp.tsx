import { Button, Code, Collapse, Paper, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useId } from 'react';

/** What a template can read, as the notice context names it (the server refuses any other variable). */
const variables: Array<[string, string]> = [
  ['person.first_name', 'First name; “Customer” when the records have none'],
  ['person.last_name, person.full_name', 'Last and full name'],
  ['person.masked_email, person.masked_phone', 'Their address and number, masked (a•••@example.com)'],
  ['person.exposed', 'What leaked about them, as phrases in their language (a list)'],
  ['person.risk, person.jurisdiction, person.locale', 'Risk tier, place of residence, language'],
  ['incident.title', 'The incident’s public title in their language (never the internal title)'],
  [
    'incident.description',
    'From the incident, as written (one language: write “what happened” in each locale’s text instead if the notice speaks several)',
  ],
  ['incident.occurred_on, incident.aware_on', 'Dates written out in their language'],
  ['guidance', 'What they can do: a list of { title, steps } for what leaked about them'],
  ['link', 'Their personal page: what is held about them and how to reach you'],
  ['activation_code', 'Their credit-monitoring code, when they get one (else empty)'],
  ['verification_code', 'The code that proves the message is genuine'],
  ['contact.phone, contact.phone_hours, contact.email, contact.url, contact.postal', 'From the campaign'],
  ['company.name', 'The company name (Settings → Branding), unless the campaign overrides it'],
  [
    'blocks',
    'Required legal paragraphs ({ title, body }); added at the end if the template does not place them',
  ],
];

export function TemplateHelp() {
  const [isOpen, { toggle }] = useDisclosure(false);
  const id = useId();
  return (
    <Paper withBorder p="sm" bg="var(--mantine-color-gray-0)">
      <Stack gap="xs">
        <Text size="sm">
          Templates are written in <strong>Liquid</strong>: <Code>{'{{ person.first_name }}'}</Code> prints a
          value, <Code>{'{% for item in person.exposed %}…{% endfor %}'}</Code> repeats,{' '}
          <Code>{'{% if activation_code %}…{% endif %}'}</Code> decides. Values are escaped in HTML.
        </Text>
        <Button
          variant="subtle"
          size="compact-sm"
          onClick={toggle}
          aria-expanded={isOpen}
          aria-controls={id}
          style={{ alignSelf: 'flex-start' }}
        >
          {isOpen ? 'Hide the variables' : 'Show the variables'}
        </Button>
        <Collapse expanded={isOpen} id={id}>
          <Table withRowBorders={false} verticalSpacing={4} aria-label="Template variables">
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
        </Collapse>
      </Stack>
    </Paper>
  );
}
