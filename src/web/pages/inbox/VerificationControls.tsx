import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { ThreadDetail, Verification } from '../../../shared/contracts/inbox.ts';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../components/format.ts';
import { verificationStateLabels } from './inbox-labels.ts';
import { inboxKeys, threadPath, useThreadChange } from './inbox-queries.ts';

interface Props {
  threadId: string;
  verification: Verification;
  canReply: boolean;
}

/**
 * Starts verification and takes back the code. The code goes to the contact point on file for the person,
 * never to the address the message came from: whoever wrote may not be who they claim.
 */
export function VerificationControls({ threadId, verification: v, canReply }: Props) {
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const send = useThreadChange(threadId, () =>
    api.post<ThreadDetail>(`${threadPath(threadId)}/verification`),
  );
  const confirm = useThreadChange(
    threadId,
    (value: string) =>
      api.post<ThreadDetail>(`${threadPath(threadId)}/verification/confirm`, { code: value }),
    () => setCode(''),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    if (code.trim()) {
      confirm.mutate(code.trim(), {
        // A wrong, expired or locked code changes the attempts left: show the state as it is now.
        onError: () => void queryClient.invalidateQueries({ queryKey: inboxKeys.thread(threadId) }),
      });
    }
  }

  return (
    <Stack gap="sm">
      <VerificationState verification={v} />
      {canReply ? (
        <>
          <div>
            <Button
              variant={v.state === 'sent' ? 'default' : 'filled'}
              onClick={() => send.mutate(undefined)}
              loading={send.isPending}
            >
              Send verification code
            </Button>
            <Text size="xs" c="dimmed" mt={4}>
              The code goes to the email or phone on file for this person, not to the address in the message.
            </Text>
          </div>
          <ErrorAlert error={send.error} />
          {v.state === 'sent' ? (
            <form onSubmit={submit} aria-label="Confirm the verification code">
              <Stack gap="xs">
                <TextInput
                  label="Code from the requester"
                  description="Ask them to read or forward the code they received."
                  value={code}
                  onChange={(event) => setCode(event.currentTarget.value)}
                  autoComplete="off"
                  maxLength={20}
                  styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                />
                <Group>
                  <Button type="submit" loading={confirm.isPending} disabled={!code.trim()}>
                    Confirm code
                  </Button>
                </Group>
                <ErrorAlert error={confirm.error} />
              </Stack>
            </form>
          ) : null}
        </>
      ) : null}
    </Stack>
  );
}

function VerificationState({ verification: v }: { verification: Verification }) {
  const where = v.channel === 'sms' ? 'by SMS' : v.channel === 'email' ? 'by email' : null;
  return (
    <Stack gap={2} role="status">
      <Text size="sm" fw={600} c={v.state === 'locked' || v.state === 'expired' ? 'red.8' : undefined}>
        {verificationStateLabels[v.state]}
        {v.state === 'sent' && where ? ` ${where}` : ''}
      </Text>
      {v.state === 'sent' ? (
        <Text size="xs" c="dimmed">
          Sent {formatDateTime(v.sentAt)} · expires {formatDateTime(v.expiresAt)} · {v.attemptsLeft}{' '}
          {v.attemptsLeft === 1 ? 'attempt' : 'attempts'} left
        </Text>
      ) : v.state === 'expired' || v.state === 'locked' ? (
        <Text size="xs" c="dimmed">
          Send a new code to start again.
        </Text>
      ) : null}
    </Stack>
  );
}
