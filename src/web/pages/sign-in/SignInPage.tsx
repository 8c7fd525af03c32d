import { Center } from '@mantine/core';
import { useSession } from '../../api/session.ts';
import { AuthCard } from '../../components/AuthCard.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { homePath } from '../../components/navigation.ts';
import { FullPageLoader, Redirect } from '../../components/Redirect.tsx';
import { MfaPrompt } from './MfaPrompt.tsx';
import { PasswordForm } from './PasswordForm.tsx';

/** Sign-in in two steps, password then second factor; the session's stage says which one to show. */
export function SignInPage({ redirect }: { redirect: string | undefined }) {
  const { data: session, error, isPending } = useSession();
  if (isPending) return <FullPageLoader />;
  if (error) {
    return (
      <Center mih="100vh" p="xl">
        <ErrorAlert error={error} title="Candor could not be reached" />
      </Center>
    );
  }
  if (session?.stage === 'active') return <Redirect href={redirect ?? homePath(session)} />;
  if (session?.stage === 'enroll') return <Redirect href="/enroll" />;
  if (session?.stage === 'password') {
    return (
      <AuthCard title="Two-step verification" subtitle={`Signing in as ${session.user.email}.`}>
        <MfaPrompt />
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Sign in to Candor">
      <PasswordForm />
    </AuthCard>
  );
}
