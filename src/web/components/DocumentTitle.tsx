import { useRouterState } from '@tanstack/react-router';
import { useEffect } from 'react';
import { pageTitle } from './page-titles.ts';

/** Keeps document.title on the current page's own title. */
export function DocumentTitle() {
  const title = useRouterState({
    select: (state) => {
      const last = state.matches.at(-1);
      const isNotFound = state.matches.some((match) => match.status === 'notFound');
      return pageTitle(last?.fullPath, state.location.pathname, isNotFound);
    },
  });
  useEffect(() => {
    document.title = title;
  }, [title]);
  return null;
}
