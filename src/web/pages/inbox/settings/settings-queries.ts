import { useMutation, useQueryClient } from '@tanstack/react-query';
import { inboxKeys } from '../inbox-queries.ts';

/** A change to a settings list (macros or rules): the list is read again afterwards. */
export function useSettingsChange<TInput, TResult>(
  key: readonly string[],
  send: (input: TInput) => Promise<TResult>,
  onDone?: (result: TResult) => void,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    // The editor closes once the list shows the change, not before (it would flash the old row).
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: key });
      onDone?.(result);
      // Topic rules name the chips and badges in the list.
      if (key === inboxKeys.rules) await queryClient.invalidateQueries({ queryKey: inboxKeys.threads });
    },
  });
}
