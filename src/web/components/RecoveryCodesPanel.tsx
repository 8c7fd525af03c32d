import { Button, Checkbox, CopyButton, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { downloadText } from './format.ts';

interface RecoveryCodesPanelProps {
  codes: string[];
  email: string;
  continueLabel: string;
  onContinue: () => void;
}

/** Recovery codes are shown once: the user keeps them somewhere safe before moving on. */
export function RecoveryCodesPanel({ codes, email, continueLabel, onContinue }: RecoveryCodesPanelProps) {
  const [isSaved, setSaved] = useState(false);
  const text = [
    `Candor recovery codes for ${email}`,
    `Created ${new Date().toISOString()}`,
    'Each code signs you in once if you lose your authenticator app. Keep them somewhere safe.',
    '',
    ...codes,
    '',
  ].join('\n');

  return (
    <Stack gap="md">
      <Text>
        If you lose your phone or authenticator app, each of these codes lets you sign in once. This is the
        only time Candor shows them: save them in a password manager or print them.
      </Text>
      <Paper withBorder p="md" bg="gray.0" aria-label="Recovery codes" component="section">
        <SimpleGrid cols={2} spacing="xs" component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {codes.map((code) => (
            <Text component="li" key={code} ff="monospace" fz="lg">
              {code}
            </Text>
          ))}
        </SimpleGrid>
      </Paper>
      <Group gap="sm">
        <Button variant="default" onClick={() => downloadText('candor-recovery-codes.txt', text)}>
          Download as text
        </Button>
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button variant="default" onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Checkbox
        label="I have saved these codes"
        checked={isSaved}
        onChange={(event) => setSaved(event.currentTarget.checked)}
      />
      <Button onClick={onContinue} disabled={!isSaved}>
        {continueLabel}
      </Button>
    </Stack>
  );
}
