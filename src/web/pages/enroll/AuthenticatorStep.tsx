import { Button, Center, Image, List, Loader, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.ts';
import { refreshSession } from '../../api/session.ts';
import type { EnrollStart, RecoveryCodes } from '../../api/types.ts';
import { CodeInput, isSixDigits } from '../../components/CodeInput.tsx';
import { CopyField } from '../../components/CopyField.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

/** "ABCD EFGH …": easier to type into an app by hand than one long run of letters. */
export function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

export function AuthenticatorStep({ onConfirmed }: { onConfirmed: (codes: string[]) => void }) {
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  // Starting enrollment makes a new secret: do it once per visit, never again in the background.
  const start = useQuery({
    queryKey: ['auth', 'enroll-start'],
    queryFn: () => api.post<EnrollStart>('/api/auth/mfa/enroll/start'),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
  const confirm = useMutation({
    mutationFn: () => api.post<RecoveryCodes>('/api/auth/mfa/enroll/confirm', { code }),
    onSuccess: async ({ recoveryCodes }) => {
      onConfirmed(recoveryCodes);
      await refreshSession(queryClient);
    },
    onError: () => setCode(''),
  });

  if (start.isPending) {
    return (
      <Center py="lg">
        <Loader aria-label="Preparing your authenticator secret" />
      </Center>
    );
  }
  if (start.error) return <ErrorAlert error={start.error} />;

  const { secret, qrCode } = start.data;
  function submit(event: FormEvent) {
    event.preventDefault();
    if (isSixDigits(code)) confirm.mutate();
  }

  return (
    <Stack gap="md">
      <List type="ordered" spacing="xs" size="sm">
        <List.Item>
          Open an authenticator app (for example 1Password, Google Authenticator or Aegis).
        </List.Item>
        <List.Item>Scan the QR code, or type the secret key into the app.</List.Item>
        <List.Item>Enter the 6-digit code the app shows.</List.Item>
      </List>
      <Center>
        <Image
          src={qrCode}
          alt="QR code to add Candor to your authenticator app. If you cannot scan it, type the secret key shown below."
          w={200}
          h={200}
          fit="contain"
        />
      </Center>
      <CopyField
        label="Secret key"
        value={groupSecret(secret)}
        copyValue={secret}
        description="Type it in if you cannot scan the code. Spaces don’t matter."
      />
      <form onSubmit={submit}>
        <Stack gap="md">
          <ErrorAlert error={confirm.error} />
          <CodeInput value={code} onChange={setCode} data-autofocus />
          <Button type="submit" loading={confirm.isPending} disabled={!isSixDigits(code)}>
            Confirm code
          </Button>
        </Stack>
      </form>
      <Text size="xs" c="dimmed">
        Keep this secret private: anyone who has it can make your codes.
      </Text>
    </Stack>
  );
}
