import { Button, Divider, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api } from '../../../api/client.ts';
import { sessionQueryKey } from '../../../api/session.ts';
import type { RecoveryCodes } from '../../../api/types.ts';
import { useActiveSession } from '../../../components/ActiveSession.tsx';
import { ConfirmButton } from '../../../components/ConfirmButton.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../../components/format.ts';
import { RecoveryCodesPanel } from '../../../components/RecoveryCodesPanel.tsx';
import { useSignOut } from '../../../components/useSignOut.ts';
import { ChangePasswordForm } from './ChangePasswordForm.tsx';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="lg" component="section" aria-label={title}>
      <Stack gap="sm">
        <Title order={2} fz="h3">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

export function SecurityPage() {
  const session = useActiveSession();
  const queryClient = useQueryClient();
  const signOut = useSignOut();
  const regenerate = useMutation({
    mutationFn: () => api.post<RecoveryCodes>('/api/auth/recovery-codes/regenerate'),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionQueryKey }),
  });

  return (
    <Stack gap="lg" maw={720}>
      <Section title="Password">
        <ChangePasswordForm />
      </Section>

      <Section title="Recovery codes">
        {regenerate.data ? (
          <RecoveryCodesPanel
            codes={regenerate.data.recoveryCodes}
            email={session.user.email}
            continueLabel="Done"
            onContinue={() => regenerate.reset()}
          />
        ) : (
          <>
            <Text size="sm">
              You have {session.unusedRecoveryCodes} unused recovery{' '}
              {session.unusedRecoveryCodes === 1 ? 'code' : 'codes'}. Making new ones cancels all the old
              ones.
            </Text>
            <ErrorAlert error={regenerate.error} />
            <ConfirmButton
              variant="default"
              color="orange"
              w="fit-content"
              loading={regenerate.isPending}
              title="Make new recovery codes?"
              message="Your current recovery codes stop working at once. You will see the new ones only once."
              confirmLabel="Make new codes"
              onConfirm={() => regenerate.mutate()}
            >
              Regenerate recovery codes
            </ConfirmButton>
          </>
        )}
      </Section>

      <Section title="Sessions">
        <Text size="sm">
          This session ends at {formatDateTime(session.expiresAt)}, or earlier after a while without activity.
          Signing out everywhere ends every session of your account, on every device, including this one.
        </Text>
        <ErrorAlert error={signOut.error} />
        <Divider />
        <Button
          color="red"
          variant="light"
          w="fit-content"
          onClick={() => signOut.mutate('everywhere')}
          loading={signOut.isPending}
        >
          Sign out everywhere
        </Button>
      </Section>
    </Stack>
  );
}
