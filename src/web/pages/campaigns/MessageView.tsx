import { Box, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { plural } from '../../components/format.ts';
import { countSms } from './sms-segments.ts';

export interface ViewedMessage {
  channel: string;
  subject: string | null;
  html: string | null;
  text: string;
  /** The postal address block, for letters from the outbox. */
  address?: string[] | null;
  smsSegments?: { encoding: string; segments: number; characters: number } | null;
}

/**
 * A fragment of email HTML as a mail app would show it. Templates rarely carry a document around their
 * body; a plain readable font stands in for the reader's mail app.
 */
function emailDocument(html: string): string {
  if (/<html[\s>]/i.test(html)) return html;
  return `<!doctype html><html><head><meta charset="utf-8"><style>body{font:15px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1b1e;margin:20px;max-width:680px}h2{font-size:18px;margin:1.2em 0 .4em}h3{font-size:16px;margin:1em 0 .3em}pre{white-space:pre-wrap;font:inherit}</style></head><body>${html}</body></html>`;
}

/**
 * Email HTML in a sandboxed frame: `sandbox=""` runs no script, submits no form, follows no link and gives
 * the document an opaque origin, so even a hostile template cannot reach the console or its session.
 */
export function EmailFrame({ html, title, height = 560 }: { html: string; title: string; height?: number }) {
  return (
    <Box
      component="iframe"
      sandbox=""
      srcDoc={emailDocument(html)}
      title={title}
      referrerPolicy="no-referrer"
      w="100%"
      h={height}
      bg="white"
      style={{
        border: '1px solid var(--mantine-color-gray-3)',
        borderRadius: 'var(--mantine-radius-sm)',
        resize: 'vertical',
        display: 'block',
      }}
    />
  );
}

/** One rendered message: email (HTML or text), SMS with its cost, or a letter with its address block. */
export function MessageView({ message, title }: { message: ViewedMessage; title: string }) {
  const [format, setFormat] = useState<'html' | 'text'>('html');
  if (message.channel === 'email') {
    const hasHtml = Boolean(message.html);
    const shown = hasHtml ? format : 'text';
    return (
      <Stack gap="xs">
        <Text size="sm">
          <Text span c="dimmed" inherit>
            Subject:{' '}
          </Text>
          <Text span fw={600} inherit>
            {message.subject ?? '(none)'}
          </Text>
        </Text>
        {hasHtml ? (
          <SegmentedControl
            size="xs"
            aria-label="Show the email as"
            value={shown}
            onChange={(value) => setFormat(value as 'html' | 'text')}
            data={[
              { value: 'html', label: 'HTML' },
              { value: 'text', label: 'Plain text' },
            ]}
            style={{ alignSelf: 'flex-start' }}
          />
        ) : null}
        {shown === 'html' && message.html ? (
          <EmailFrame html={message.html} title={title} />
        ) : (
          <PlainText text={message.text} label={title} />
        )}
      </Stack>
    );
  }
  if (message.channel === 'sms') {
    const count = message.smsSegments ?? countSms(message.text);
    return (
      <Stack gap={6}>
        <Box
          role="document"
          aria-label={title}
          p="sm"
          maw={380}
          bg="var(--mantine-color-gray-1)"
          style={{
            borderRadius: 16,
            borderBottomLeftRadius: 4,
            whiteSpace: 'pre-wrap',
            overflowWrap: 'anywhere',
          }}
        >
          <Text size="sm">{message.text}</Text>
        </Box>
        <Text size="xs" c={count.segments > 3 ? 'red' : 'dimmed'}>
          {plural(count.segments, 'segment', 'segments')} · {count.encoding} ·{' '}
          {plural(count.characters, 'character', 'characters')}
        </Text>
      </Stack>
    );
  }
  return (
    <Paper
      withBorder
      shadow="xs"
      p="xl"
      maw={720}
      role="document"
      aria-label={title}
      style={{ fontFamily: 'Georgia, "Times New Roman", serif' }}
    >
      {!message.address ? (
        <Box
          mb="xl"
          p="xs"
          maw={280}
          style={{
            border: '1px dashed var(--mantine-color-gray-4)',
            fontFamily: 'var(--mantine-font-family)',
          }}
        >
          <Text size="xs" c="dimmed">
            The address block goes here: the person’s name and postal address, from their record.
          </Text>
        </Box>
      ) : message.address.length > 0 ? (
        <Box mb="xl" aria-label="Address block" role="group">
          {message.address.map((line, index) => (
            // Address lines repeat (two "USA" lines are possible); their order is their identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: lines of one address, never reordered
            <Text key={index} size="sm" ff="inherit">
              {line}
            </Text>
          ))}
        </Box>
      ) : null}
      <Text size="sm" ff="inherit" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {message.text}
      </Text>
    </Paper>
  );
}

function PlainText({ text, label }: { text: string; label: string }) {
  return (
    <Box
      component="pre"
      aria-label={`${label} (plain text)`}
      p="md"
      m={0}
      mah={560}
      bg="var(--mantine-color-gray-0)"
      style={{
        overflow: 'auto',
        whiteSpace: 'pre-wrap',
        overflowWrap: 'anywhere',
        fontSize: 13,
        border: '1px solid var(--mantine-color-gray-3)',
        borderRadius: 'var(--mantine-radius-sm)',
      }}
    >
      {text}
    </Box>
  );
}
