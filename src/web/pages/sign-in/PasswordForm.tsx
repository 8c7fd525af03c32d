import { Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.ts';
import { refreshSession } from '../../api/session.ts';
import type { StageResponse } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

export function PasswordForm() {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // The page re-renders from the refreshed session: MFA prompt, enrollment or the console.
  const login = useMutation({
    mutationFn: () => api.post<StageResponse>('/api/auth/login', { email: email.trim(), password }),
    onSuccess: () => refreshSession(queryClient),
    onError: () => setPassword(''),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    login.mutate();
  }

  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <ErrorAlert error={login.error} />
        <TextInput
          label="Email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={(event) => setEmail(event.currentTarget.value)}
          required
          data-autofocus
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          required
        />
        <Button type="submit" loading={login.isPending}>
          Sign in
        </Button>
        <Text size="xs" c="dimmed">
          No account yet? An admin invites you with a one-time setup link.
        </Text>
      </Stack>
    </form>
  );
}
