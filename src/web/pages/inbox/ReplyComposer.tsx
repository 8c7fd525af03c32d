import { Alert, Button, Code, Group, Paper, Select, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { RenderedMacro, ReplyInput, ThreadDetail } from '../../../shared/contracts/inbox.ts';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { SmsCounter } from '../campaigns/SmsCounter.tsx';
import { macroLocaleLabels } from './inbox-labels.ts';
import { inboxPath, macrosQuery, threadPath, useThreadChange } from './inbox-queries.ts';

/** Web-form threads are answered by email, so they get a subject too. */
const hasSubject = (thread: ThreadDetail) => thread.channel !== 'sms';

function replySubject(thread: ThreadDetail): string {
  const subject = thread.subject?.trim();
  if (!subject) return '';
  return /^re:/i.test(subject) ? subject : `Re: ${subject}`;
}

/** The answer: start from a macro or write it, edit, and send on the thread's channel. */
export function ReplyComposer({ thread }: { thread: ThreadDetail }) {
  const [body, setBody] = useState('');
  const [subject, setSubject] = useState(() => replySubject(thread));
  const [macroId, setMacroId] = useState<string | null>(null);
  const [missing, setMissing] = useState<string[]>([]);
  const macros = useQuery(macrosQuery);
  const render = useMutation({
    mutationFn: (id: string) =>
      api.post<RenderedMacro>(`${inboxPath}/macros/${id}/render`, { threadId: thread.id }),
    onSuccess: (rendered) => {
      // Inserted for editing: after what the agent already wrote, never over it.
      setBody((current) => (current.trim() ? `${current.trimEnd()}\n\n${rendered.body}` : rendered.body));
      if (rendered.subject && hasSubject(thread)) setSubject(rendered.subject);
      setMissing(rendered.missing);
    },
  });
  const send = useThreadChange(
    thread.id,
    (input: ReplyInput) => api.post<ThreadDetail>(`${threadPath(thread.id)}/reply`, input),
    () => {
      setBody('');
      setMacroId(null);
      setMissing([]);
    },
  );

  function reply(status?: 'solved') {
    send.mutate({
      body: body.trim(),
      ...(hasSubject(thread) && subject.trim() ? { subject: subject.trim() } : {}),
      ...(status ? { status } : {}),
    });
  }

  const macroOptions = (macros.data?.macros ?? []).map((m) => ({
    value: m.id,
    label: `${m.name} (${macroLocaleLabels[m.locale]})`,
  }));
  const isEmpty = body.trim() === '';

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="thread-reply-title">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          <Title order={2} size="h4" id="thread-reply-title">
            Answer
          </Title>
          <Select
            label="Insert a macro"
            placeholder={macros.isPending ? 'Loading…' : 'Choose a saved answer'}
            data={macroOptions}
            value={macroId}
            onChange={(id) => {
              setMacroId(id);
              if (id) render.mutate(id);
            }}
            searchable
            clearable
            nothingFoundMessage="No macro yet: create one in the inbox settings"
            w={300}
          />
        </Group>
        <ErrorAlert error={macros.error ?? render.error} />
        {missing.length > 0 ? (
          <Alert color="orange" variant="light" title="Needs verification" role="status">
            These details were left empty because the requester is not verified yet:{' '}
            {missing.map((name, index) => (
              <span key={name}>
                {index > 0 ? ', ' : ''}
                <Code>{name}</Code>
              </span>
            ))}
            . Verify them first and insert the macro again, or edit those parts out.
          </Alert>
        ) : null}
        {hasSubject(thread) ? (
          <TextInput
            label="Subject"
            description={
              thread.channel === 'web'
                ? 'Web form questions are answered by email. Left empty: “Re:” and their subject.'
                : 'Left empty: “Re:” and their subject.'
            }
            value={subject}
            onChange={(event) => setSubject(event.currentTarget.value)}
            maxLength={300}
          />
        ) : null}
        <Textarea
          label="Reply"
          description={
            thread.channel === 'sms' ? <SmsCounter text={body} isTemplate={false} /> : 'Plain text.'
          }
          value={body}
          onChange={(event) => setBody(event.currentTarget.value)}
          autosize
          minRows={6}
          maxRows={20}
          maxLength={20_000}
        />
        <ErrorAlert error={send.error} />
        <Group justify="flex-end" gap="sm">
          <Button
            variant="default"
            disabled={isEmpty}
            loading={send.isPending && send.variables?.status === 'solved'}
            onClick={() => reply('solved')}
          >
            Send and mark solved
          </Button>
          <Button
            disabled={isEmpty}
            loading={send.isPending && send.variables?.status === undefined}
            onClick={() => reply()}
          >
            Send reply
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
