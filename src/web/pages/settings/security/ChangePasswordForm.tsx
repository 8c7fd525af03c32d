import { Alert, Button, PasswordInput, Stack } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, isApiError } from '../../../api/client.ts';
import { sessionQueryKey } from '../../../api/session.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { PASSWORD_MIN, passwordRule } from '../../../components/passwords.ts';

export function ChangePasswordForm() {
  const queryClient = useQueryClient();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [isSubmitted, setSubmitted] = useState(false);
  const change = useMutation({
    mutationFn: () => api.post<unknown>('/api/auth/password', { currentPassword, newPassword }),
    onSuccess: async () => {
      // The server may rotate the session on a password change: pick up its new CSRF token.
      await queryClient.invalidateQueries({ queryKey: sessionQueryKey });
      setCurrentPassword('');
      setNewPassword('');
      setConfirm('');
      setSubmitted(false);
    },
  });

  const tooShort = newPassword.length < PASSWORD_MIN;
  const mismatch = confirm !== newPassword;
  const weakPassword = isApiError(change.error, 'weak_password') ? change.error.message : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!currentPassword || tooShort || mismatch) return;
    change.mutate();
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Change password">
      <Stack gap="sm" maw={420}>
        {change.isSuccess ? (
          <Alert color="green" role="status">
            Your password is changed. Use the new one next time you sign in.
          </Alert>
        ) : null}
        {weakPassword ? null : <ErrorAlert error={change.error} />}
        <PasswordInput
          label="Current password"
          autoComplete="current-password"
          value={currentPassword}
          onChange={(event) => setCurrentPassword(event.currentTarget.value)}
          error={isSubmitted && !currentPassword ? 'Enter your current password.' : null}
          required
        />
        <PasswordInput
          label="New password"
          description={passwordRule}
          autoComplete="new-password"
          value={newPassword}
          onChange={(event) => setNewPassword(event.currentTarget.value)}
          error={
            weakPassword ?? (isSubmitted && tooShort ? `Use at least ${PASSWORD_MIN} characters.` : null)
          }
          required
        />
        <PasswordInput
          label="Confirm new password"
          autoComplete="new-password"
          value={confirm}
          onChange={(event) => setConfirm(event.currentTarget.value)}
          error={isSubmitted && mismatch ? 'The two passwords differ.' : null}
          required
        />
        <Button type="submit" loading={change.isPending} w="fit-content">
          Change password
        </Button>
      </Stack>
    </form>
  );
}
