import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { api } from '../api/client.ts';
import { clearSession } from '../api/session.ts';

/** Signs out this session, or every session of the user ("everywhere"), then shows the sign-in page. */
export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: (scope: 'this' | 'everywhere') =>
      api.post<unknown>(scope === 'everywhere' ? '/api/auth/logout-all' : '/api/auth/logout'),
    onSuccess: async () => {
      clearSession(queryClient);
      await navigate({ to: '/sign-in', search: { redirect: undefined } });
    },
  });
}
