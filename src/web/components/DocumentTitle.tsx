import { useRouterState } from '@tanstack/react-router';
import { useEffect } from 'react';
import { pageTitle } from './page-titles.ts';

/** Keeps document.title on the current page's own title. */
export function DocumentTitle() {
  const title = useRouterState({
    select: (state) => {
      const last = state.matches.at(-1);
      // A notFound() thrown by a loader, or an address no route matches (the router marks the route that
      // shows its not-found page with `_notFound`).
      const isNotFound = state.matches.some(
        (match) => match.status === 'notFound' || (match as { _notFound?: boolean })._notFound === true,
      );
      return pageTitle(last?.fullPath, state.location.pathname, isNotFound);
    },
  });
  useEffect(() => {
    document.title = title;
  }, [title]);
  return null;
}
