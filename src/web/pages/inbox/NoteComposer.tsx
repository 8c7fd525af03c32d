import { Button, Group, Paper, Stack, Textarea } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { ThreadDetail } from '../../../shared/contracts/inbox.ts';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { threadPath, useThreadChange } from './inbox-queries.ts';

/** A note for colleagues on the thread; never sent to the requester. */
export function NoteComposer({ threadId }: { threadId: string }) {
  const [body, setBody] = useState('');
  const add = useThreadChange(
    threadId,
    (text: string) => api.post<ThreadDetail>(`${threadPath(threadId)}/notes`, { body: text }),
    () => setBody(''),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    if (body.trim()) add.mutate(body.trim());
  }

  return (
    <Paper
      withBorder
      p="md"
      bg="var(--mantine-color-yellow-0)"
      style={{ borderColor: 'var(--mantine-color-yellow-4)' }}
    >
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Textarea
            label="Internal note"
            description="Seen by staff only; never sent to the requester."
            value={body}
            onChange={(event) => setBody(event.currentTarget.value)}
            autosize
            minRows={2}
            maxRows={10}
            maxLength={20_000}
          />
          <ErrorAlert error={add.error} />
          <Group justify="flex-end">
            <Button type="submit" variant="default" loading={add.isPending} disabled={!body.trim()}>
              Add note
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
