import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { api, isApiError } from '../../api/client.ts';
import { refreshSession } from '../../api/session.ts';
import type { StageResponse } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PASSWORD_MIN, passwordRule } from '../../components/passwords.ts';
import { linkInvalidMessage } from './setup-token.ts';

export function SetupForm({ token, asksForEmail }: { token: string; asksForEmail: boolean }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [companyName, setCompanyName] = useState('');
  const [isSubmitted, setSubmitted] = useState(false);

  const setup = useMutation({
    mutationFn: () =>
      api.post<StageResponse>('/api/auth/setup', {
        token,
        ...(asksForEmail ? { email: email.trim() } : {}),
        password,
        displayName: displayName.trim() || undefined,
        // The first admin names the company: every message people get carries it.
        ...(asksForEmail ? { companyName: companyName.trim() } : {}),
      }),
    onSuccess: async () => {
      const session = await refreshSession(queryClient);
      await navigate({ to: session?.stage === 'active' ? '/' : '/enroll' });
    },
  });

  const tooShort = password.length < PASSWORD_MIN;
  const emailMissing = asksForEmail && !/^[^\s@]+@[^\s@]+$/.test(email.trim());
  const companyMissing = asksForEmail && companyName.trim() === '';
  const emailError = isApiError(setup.error, 'validation_failed') ? setup.error.message : null;
  const mismatch = confirm !== password;
  const weakPassword = isApiError(setup.error, 'weak_password') ? setup.error.message : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (tooShort || mismatch || emailMissing || companyMissing) return;
    setup.mutate();
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {isApiError(setup.error, 'link_invalid') ? (
          <Alert color="red" role="alert">
            {linkInvalidMessage}
          </Alert>
        ) : weakPassword ? null : (
          <ErrorAlert error={setup.error} />
        )}
        {asksForEmail ? (
          <TextInput
            label="Email"
            description="Your work address: you sign in with it."
            type="email"
            autoComplete="email"
            maxLength={254}
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={emailError ?? (isSubmitted && emailMissing ? 'Enter a valid email address.' : null)}
            required
            data-autofocus
          />
        ) : null}
        {asksForEmail ? (
          <TextInput
            label="Company name"
            description="As the people whose data you hold know you: notices, the public notice site and replies carry it. You can change it later in Settings → Branding."
            autoComplete="organization"
            maxLength={120}
            value={companyName}
            onChange={(event) => setCompanyName(event.currentTarget.value)}
            error={isSubmitted && companyMissing ? 'Enter the company’s name.' : null}
            required
          />
        ) : null}
        <PasswordInput
          label="Password"
          description={passwordRule}
          autoComplete="new-password"
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          error={
            weakPassword ?? (isSubmitted && tooShort ? `Use at least ${PASSWORD_MIN} characters.` : null)
          }
          required
          data-autofocus={asksForEmail ? undefined : true}
        />
        <PasswordInput
          label="Confirm password"
          autoComplete="new-password"
          value={confirm}
          onChange={(event) => setConfirm(event.currentTarget.value)}
          error={isSubmitted && mismatch ? 'The two passwords differ.' : null}
          required
        />
        <TextInput
          label="Display name"
          description="Optional. How colleagues see you in Candor."
          autoComplete="name"
          maxLength={120}
          value={displayName}
          onChange={(event) => setDisplayName(event.currentTarget.value)}
        />
        <Button type="submit" loading={setup.isPending}>
          Set password and continue
        </Button>
      </Stack>
    </form>
  );
}
