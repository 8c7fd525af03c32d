import { Alert, Button, Checkbox, Group, Modal, Paper, Select, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { BulkFilter, BulkReplyInput, BulkReplyResult } from '../../../shared/contracts/inbox.ts';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatCount, plural } from '../../components/format.ts';
import { macroLocaleLabels } from './inbox-labels.ts';
import { inboxKeys, inboxPath, macrosQuery } from './inbox-queries.ts';
import type { ThreadSelectionControl } from './thread-selection.ts';

interface Props {
  control: ThreadSelectionControl;
  loadedIds: string[];
  /** Threads matching the filter, loaded or not. */
  total: number;
  /** More than `total` match (the server counts up to a cap). */
  totalIsCapped: boolean;
  bulkFilter: BulkFilter;
}

/** The bar over the list once threads are ticked: widen to all matching, and answer them with a macro. */
export function BulkAnswer({ control, loadedIds, total, totalIsCapped, bulkFilter }: Props) {
  const { selection } = control;
  const [result, setResult] = useState<BulkReplyResult | null>(null);
  const count = selection.isAllMatching ? total : selection.ids.size;
  const isLoadedAllSelected = loadedIds.length > 0 && loadedIds.every((id) => selection.ids.has(id));

  if (count === 0) {
    return result ? <BulkResult result={result} onClose={() => setResult(null)} /> : null;
  }
  return (
    <Paper withBorder p="sm" bg="var(--mantine-color-blue-0)" role="region" aria-label="Selected threads">
      <Group justify="space-between" gap="sm">
        <Group gap="sm">
          <Text size="sm" fw={600} role="status">
            {selection.isAllMatching
              ? totalIsCapped
                ? `All threads matching this filter (more than ${formatCount(total)}) are selected.`
                : `All ${plural(total, 'thread', 'threads')} matching this filter are selected.`
              : `${plural(count, 'thread', 'threads')} selected.`}
          </Text>
          {!selection.isAllMatching && isLoadedAllSelected && total > loadedIds.length ? (
            <Button variant="subtle" size="compact-sm" onClick={() => control.selectAllMatching(loadedIds)}>
              Select all {formatCount(total)}
              {totalIsCapped ? '+' : ''} matching this filter
            </Button>
          ) : null}
          <Button variant="subtle" size="compact-sm" color="gray" onClick={control.clear}>
            Clear selection
          </Button>
        </Group>
        <AnswerButton
          count={count}
          target={selection.isAllMatching ? bulkFilter : { threadIds: [...selection.ids] }}
          onDone={(answer) => {
            setResult(answer);
            control.clear();
          }}
        />
      </Group>
    </Paper>
  );
}

function BulkResult({ result, onClose }: { result: BulkReplyResult; onClose: () => void }) {
  return (
    <Alert
      color="teal"
      variant="light"
      title="Bulk answer sent"
      role="status"
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={onClose}
    >
      Replied to {plural(result.replied, 'thread', 'threads')}; {formatCount(result.skipped)} skipped (left as
      they were). Replies go out through the delivery queue.
    </Alert>
  );
}

function AnswerButton({
  count,
  target,
  onDone,
}: {
  count: number;
  target: BulkReplyInput['filter'];
  onDone: (result: BulkReplyResult) => void;
}) {
  const [isOpen, { open, close }] = useDisclosure(false);
  // One key per dialog: sending again after a lost answer does not answer any thread twice.
  const [bulkId, setBulkId] = useState<string | undefined>(undefined);
  const [macroId, setMacroId] = useState<string | null>(null);
  const [isClosing, setClosing] = useState(false);
  const macros = useQuery({ ...macrosQuery, enabled: isOpen });
  const queryClient = useQueryClient();
  const send = useMutation({
    mutationFn: (input: BulkReplyInput) => api.post<BulkReplyResult>(`${inboxPath}/bulk-reply`, input),
    onSuccess: async (result) => {
      close();
      onDone(result);
      await queryClient.invalidateQueries({ queryKey: inboxKeys.all });
    },
  });
  const macroOptions = (macros.data?.macros ?? []).map((m) => ({
    value: m.id,
    label: `${m.name} (${macroLocaleLabels[m.locale]})`,
  }));

  return (
    <>
      <Button
        onClick={() => {
          setBulkId(globalThis.crypto.randomUUID?.());
          open();
        }}
      >
        Answer selected
      </Button>
      <Modal opened={isOpen} onClose={close} title={`Answer ${plural(count, 'thread', 'threads')}`}>
        <Stack gap="md">
          <Select
            label="Macro"
            description="Each reply is personalised for its requester. Details that need verification stay empty for requesters who are not verified."
            placeholder={macros.isPending ? 'Loading macros…' : 'Choose a macro'}
            data={macroOptions}
            value={macroId}
            onChange={setMacroId}
            searchable
            nothingFoundMessage="No macro yet: create one in the inbox settings"
            required
          />
          <Checkbox
            label="Close them (solved)"
            description="Each requester then gets the one-click satisfaction question."
            checked={isClosing}
            onChange={(event) => setClosing(event.currentTarget.checked)}
          />
          <Text size="sm">
            This sends <strong>{plural(count, 'reply', 'replies')}</strong> on each thread’s own channel. It
            cannot be undone.
          </Text>
          <ErrorAlert error={macros.error ?? send.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              disabled={!macroId}
              loading={send.isPending}
              onClick={() =>
                macroId &&
                send.mutate({ filter: target, macroId, close: isClosing, ...(bulkId ? { bulkId } : {}) })
              }
            >
              Send {plural(count, 'reply', 'replies')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
