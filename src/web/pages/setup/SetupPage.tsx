import { Alert, Center, Loader, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, isApiError } from '../../api/client.ts';
import type { SetupInspect } from '../../api/types.ts';
import { AuthCard } from '../../components/AuthCard.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { SetupForm } from './SetupForm.tsx';
import { clearUrlFragment, linkInvalidMessage, readSetupToken } from './setup-token.ts';

/** First-admin and invitation links: set a password, then set up the authenticator app. */
export function SetupPage() {
  // Read once, on first render; the fragment then leaves the address bar and the history entry.
  const [token] = useState(readSetupToken);
  useEffect(clearUrlFragment, []);
  const inspect = useQuery({
    queryKey: ['auth', 'setup-inspect', token],
    queryFn: () => api.post<SetupInspect>('/api/auth/setup/inspect', { token }),
    enabled: token !== null,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });

  if (!token) {
    return (
      <AuthCard title="Set up your account">
        <Alert color="yellow" role="alert">
          This page needs the link you were sent, which carries a one-time code. Open that link again, or ask
          an admin for a new one.
        </Alert>
      </AuthCard>
    );
  }
  if (inspect.isPending) {
    return (
      <AuthCard title="Set up your account">
        <Center py="lg">
          <Loader aria-label="Checking your link" />
        </Center>
      </AuthCard>
    );
  }
  if (inspect.error) {
    return (
      <AuthCard title="Set up your account">
        {isApiError(inspect.error, 'link_invalid') ? (
          <Alert color="red" role="alert">
            {linkInvalidMessage}
          </Alert>
        ) : (
          <ErrorAlert error={inspect.error} />
        )}
      </AuthCard>
    );
  }

  const { email, role, purpose } = inspect.data;
  return (
    <AuthCard
      title={
        purpose === 'bootstrap' ? 'Create the first admin account' : `Set a password for ${email} (${role})`
      }
      subtitle={
        <Text component="span">
          {purpose === 'reset'
            ? 'Your sign-in was reset by an admin. Choose a new password, then set up your authenticator app again.'
            : purpose === 'bootstrap'
              ? 'This installation has no admin yet. Enter the email you will sign in with and your company’s name, choose a password, then set up an authenticator app.'
              : 'Choose a password, then set up an authenticator app: Candor asks for both every time you sign in.'}
        </Text>
      }
    >
      <SetupForm token={token} asksForEmail={purpose === 'bootstrap'} />
    </AuthCard>
  );
}
