import { Button, Center, Group, Loader, Paper, Rating, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../components/format.ts';
import { feedbackQuery } from './site-queries.ts';

/**
 * Visitors' comments, newest first. Reading them is audited (a comment may hold personal details), so they
 * load only when asked for.
 */
export function FeedbackComments({ incidentId }: { incidentId: string }) {
  const [isShown, setShown] = useState(false);
  return (
    <Stack gap="sm" component="section" aria-labelledby="comments-title">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={3} size="h5" id="comments-title">
            Comments
          </Title>
          <Text size="xs" c="dimmed">
            Reading the comments is recorded in the audit log under your name: people sometimes write personal
            details in them.
          </Text>
        </div>
        {isShown ? null : (
          <Button variant="default" size="xs" onClick={() => setShown(true)}>
            Read the comments
          </Button>
        )}
      </Group>
      {isShown ? <CommentPages incidentId={incidentId} /> : null}
    </Stack>
  );
}

function CommentPages({ incidentId }: { incidentId: string }) {
  // Cursors of the pages seen, newest first: going back pops one.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const before = cursors[cursors.length - 1] ?? null;
  const page = useQuery(feedbackQuery(incidentId, before));

  if (page.isPending) {
    return (
      <Center py="md">
        <Loader size="sm" aria-label="Loading comments" />
      </Center>
    );
  }
  if (page.error) return <ErrorAlert error={page.error} title="The comments could not be read" />;
  const { comments, nextBefore } = page.data;

  return (
    <Stack gap="xs">
      {comments.length === 0 ? (
        <Text size="sm" c="dimmed">
          No comments yet.
        </Text>
      ) : (
        <Stack gap="xs" component="ul" m={0} p={0} style={{ listStyle: 'none' }} aria-label="Comments">
          {comments.map((c) => (
            <Paper key={`${c.at}-${c.rating}-${c.comment.slice(0, 20)}`} withBorder p="sm" component="li">
              <Group gap="xs" justify="space-between">
                <Rating value={c.rating} readOnly size="sm" aria-label={`Rated ${c.rating} of 5`} />
                <Text size="xs" c="dimmed">
                  {formatDateTime(c.at)}
                </Text>
              </Group>
              <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {c.comment}
              </Text>
            </Paper>
          ))}
        </Stack>
      )}
      <Group justify="space-between">
        <Button
          variant="subtle"
          size="compact-sm"
          disabled={cursors.length === 1 || page.isFetching}
          onClick={() => setCursors((list) => list.slice(0, -1))}
        >
          ← Newer
        </Button>
        {page.isFetching ? <Loader size="xs" aria-label="Loading comments" /> : null}
        <Button
          variant="subtle"
          size="compact-sm"
          disabled={!nextBefore || page.isFetching}
          onClick={() => nextBefore && setCursors((list) => [...list, nextBefore])}
        >
          Older →
        </Button>
      </Group>
    </Stack>
  );
}
