import { Anchor, Button, Group, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.ts';
import { refreshSession } from '../../api/session.ts';
import type { StageResponse } from '../../api/types.ts';
import { CodeInput, isSixDigits } from '../../components/CodeInput.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useSignOut } from '../../components/useSignOut.ts';

const recoveryCodePattern = /^[a-z0-9]{5}-?[a-z0-9]{5}$/i;

/** The second factor: a code from the authenticator app, or one of the recovery codes. */
export function MfaPrompt() {
  const queryClient = useQueryClient();
  const signOut = useSignOut();
  const [isRecovery, setRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');

  const verify = useMutation({
    mutationFn: () =>
      api.post<StageResponse>(
        '/api/auth/mfa/verify',
        isRecovery ? { recoveryCode: recoveryCode.trim() } : { code },
      ),
    onSuccess: () => refreshSession(queryClient),
    onError: () => setCode(''),
  });

  const canSubmit = isRecovery ? recoveryCodePattern.test(recoveryCode.trim()) : isSixDigits(code);
  function submit(event: FormEvent) {
    event.preventDefault();
    if (canSubmit) verify.mutate();
  }
  function toggleMode() {
    verify.reset();
    setRecovery(!isRecovery);
  }

  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <ErrorAlert error={verify.error ?? signOut.error} />
        {isRecovery ? (
          <TextInput
            key="recovery"
            label="Recovery code"
            description="One of the codes you saved when you set up your authenticator app. Each works once."
            placeholder="abcde-12345"
            autoComplete="off"
            spellCheck={false}
            value={recoveryCode}
            onChange={(event) => setRecoveryCode(event.currentTarget.value)}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            required
            data-autofocus
            autoFocus
          />
        ) : (
          <CodeInput key="totp" value={code} onChange={setCode} data-autofocus autoFocus />
        )}
        <Button type="submit" loading={verify.isPending} disabled={!canSubmit}>
          Verify
        </Button>
        <Group justify="space-between">
          <Anchor component="button" type="button" size="sm" onClick={toggleMode}>
            {isRecovery ? 'Use your authenticator app instead' : 'Use a recovery code instead'}
          </Anchor>
          <Anchor
            component="button"
            type="button"
            size="sm"
            c="dimmed"
            onClick={() => signOut.mutate('this')}
          >
            Use another account
          </Anchor>
        </Group>
      </Stack>
    </form>
  );
}
