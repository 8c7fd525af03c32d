import { Center, Loader } from '@mantine/core';
import { useRouter } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';

export function FullPageLoader() {
  return (
    <Center mih="100vh">
      <Loader aria-label="Loading" />
    </Center>
  );
}

/**
 * Moves to another page once per target, after render. Guards use it instead of <Navigate>, which navigates
 * again on every render with new props: the old page stays mounted while the router switches, and a target
 * built from the live location grew without end (`/sign-in?redirect=/sign-in?redirect=…`).
 */
export function Redirect({ href }: { href: string }) {
  const router = useRouter();
  const redirectedTo = useRef<string | null>(null);
  useEffect(() => {
    if (redirectedTo.current === href) return;
    redirectedTo.current = href;
    router.history.replace(href);
  }, [router, href]);
  return <FullPageLoader />;
}

/** The sign-in page, coming back to `from` afterwards (a console page, never the sign-in page itself). */
export function signInHref(from?: string): string {
  const isWorthReturning = from && from !== '/' && !from.startsWith('/sign-in');
  return isWorthReturning ? `/sign-in?redirect=${encodeURIComponent(from)}` : '/sign-in';
}
