import { Anchor, Center, Loader, Text } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useSession } from '../../api/session.ts';
import { AuthCard } from '../../components/AuthCard.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { homePath } from '../../components/navigation.ts';
import { RecoveryCodesPanel } from '../../components/RecoveryCodesPanel.tsx';
import { FullPageLoader, Redirect } from '../../components/Redirect.tsx';
import { useSignOut } from '../../components/useSignOut.ts';
import { AuthenticatorStep } from './AuthenticatorStep.tsx';

/** Second step of account setup (and of any sign-in before it is done): the authenticator app. */
export function EnrollPage() {
  const navigate = useNavigate();
  const signOut = useSignOut();
  const { data: session, error, isPending } = useSession();
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);

  if (isPending) return <FullPageLoader />;
  if (error) {
    return (
      <Center mih="100vh" p="xl">
        <ErrorAlert error={error} />
      </Center>
    );
  }

  if (recoveryCodes && session) {
    return (
      <AuthCard title="Save your recovery codes" subtitle="Step 3 of 3">
        <RecoveryCodesPanel
          codes={recoveryCodes}
          email={session.user.email}
          continueLabel="Continue to Candor"
          onContinue={() => navigate({ to: homePath(session) })}
        />
      </AuthCard>
    );
  }
  if (!session || session.stage === 'password') return <Redirect href="/sign-in" />;
  if (session.stage === 'active') return <Redirect href="/" />;

  return (
    <AuthCard
      title="Set up your authenticator app"
      subtitle={`Step 2 of 3 for ${session.user.email}. Candor asks for a code from this app every time you sign in.`}
      size={520}
    >
      <AuthenticatorStep onConfirmed={setRecoveryCodes} />
      <Text size="sm" c="dimmed" ta="center">
        Not you, or finishing later?{' '}
        <Anchor component="button" type="button" size="sm" onClick={() => signOut.mutate('this')}>
          Sign out
        </Anchor>
      </Text>
      {signOut.isPending ? (
        <Center>
          <Loader size="sm" aria-label="Signing out" />
        </Center>
      ) : null}
    </AuthCard>
  );
}
