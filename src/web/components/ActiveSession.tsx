import { Center } from '@mantine/core';
import { useRouterState } from '@tanstack/react-router';
import { createContext, type ReactNode, useContext } from 'react';
import { useSession } from '../api/session.ts';
import type { Session } from '../api/types.ts';
import { ErrorAlert } from './ErrorAlert.tsx';
import { FullPageLoader, Redirect, signInHref } from './Redirect.tsx';

const ActiveSessionContext = createContext<Session | null>(null);

/** The signed-in user's session, inside the console (where it is always active). */
export function useActiveSession(): Session {
  const session = useContext(ActiveSessionContext);
  if (!session) throw new Error('useActiveSession is used outside RequireActiveSession');
  return session;
}

/** Route guard: only a fully signed-in session (password and second factor) sees the console. */
export function RequireActiveSession({ children }: { children: ReactNode }) {
  const { data: session, error, isPending } = useSession();
  // The page on screen, not the one being navigated to: stays put while the redirect below happens.
  const shownHref = useRouterState({ select: (state) => (state.resolvedLocation ?? state.location).href });
  if (isPending) return <FullPageLoader />;
  if (error) {
    return (
      <Center mih="100vh" p="xl">
        <ErrorAlert error={error} title="Candor could not load your session" />
      </Center>
    );
  }
  const redirect =
    !session || session.stage === 'password'
      ? signInHref(shownHref)
      : session.stage === 'enroll'
        ? '/enroll'
        : null;
  if (redirect) return <Redirect href={redirect} />;
  if (!session) return null;
  return <ActiveSessionContext.Provider value={session}>{children}</ActiveSessionContext.Provider>;
}
