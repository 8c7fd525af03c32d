import { Alert, Badge, Stack, Tabs, Textarea, TextInput } from '@mantine/core';
import { memo } from 'react';
import type { Channel } from '../../../shared/contracts/campaigns.ts';
import { plural } from '../../components/format.ts';
import { type ChannelTexts, hasProblemsUnder, type Problems, problemText } from './campaign-draft.ts';
import { channelLabels } from './campaign-labels.ts';
import { fixedText, SmsCounter } from './SmsCounter.tsx';
import { countSms } from './sms-segments.ts';

const mono = { input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } };

interface Props {
  /** The variant's key: with the locale and channel, it names the problems that belong here. */
  problemKey: string;
  variantLabel: string;
  locale: string;
  channels: Channel[];
  channel: Channel;
  onChannelChange: (channel: Channel) => void;
  texts: ChannelTexts;
  onChange: (locale: string, texts: ChannelTexts) => void;
  problems: Problems;
}

/** One locale of a variant: a tab per channel the campaign sends by, in the chain's order. */
export const LocaleContentEditor = memo(function LocaleContentEditor({
  problemKey,
  variantLabel,
  locale,
  channels,
  channel: chosen,
  onChannelChange,
  texts,
  onChange,
  problems,
}: Props) {
  const channel = channels.includes(chosen) ? chosen : channels[0];
  const at = (c: Channel, field?: string) =>
    problemText(problems, `${problemKey}/${locale}/${c}${field ? `/${field}` : ''}`);
  const set = <C extends Channel>(c: C, field: keyof ChannelTexts[C], value: string) =>
    onChange(locale, { ...texts, [c]: { ...texts[c], [field]: value } });
  const localeProblem = problemText(problems, `${problemKey}/${locale}`);
  if (!channel) return null;

  return (
    <Stack gap="sm">
      {localeProblem ? (
        <Alert color="red" variant="light" role="alert">
          {localeProblem}
        </Alert>
      ) : null}
      <Tabs
        variant="pills"
        value={channel}
        onChange={(value) => value && onChannelChange(value as Channel)}
        keepMounted={false}
      >
        <Tabs.List aria-label={`Channels of ${variantLabel} in ${locale}`}>
          {channels.map((c) => (
            <Tabs.Tab
              key={c}
              value={c}
              rightSection={
                hasProblemsUnder(problems, `${problemKey}/${locale}/${c}`) ? (
                  <Badge color="red" size="xs" circle aria-label="has problems">
                    !
                  </Badge>
                ) : c === 'sms' ? (
                  <Badge size="xs" variant="light" color="gray" tt="none">
                    {plural(countSms(fixedText(texts.sms.text)).segments, 'segment', 'segments')}
                  </Badge>
                ) : null
              }
            >
              {channelLabels[c]}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value={channel} pt="sm">
          <Stack gap="sm">
            {at(channel) ? (
              <Alert color="red" variant="light" role="alert">
                {at(channel)}
              </Alert>
            ) : null}
            {channel === 'email' ? (
              <>
                <TextInput
                  label="Subject"
                  value={texts.email.subject}
                  onChange={(e) => set('email', 'subject', e.currentTarget.value)}
                  maxLength={500}
                  error={at('email', 'subject')}
                  styles={mono}
                />
                <Textarea
                  label="HTML body"
                  description="Shown by most mail apps. Keep to simple tags: p, h2, h3, ul, li, strong, a."
                  value={texts.email.html}
                  onChange={(e) => set('email', 'html', e.currentTarget.value)}
                  autosize
                  minRows={6}
                  maxRows={14}
                  maxLength={100_000}
                  error={at('email', 'html')}
                  styles={mono}
                  spellCheck={false}
                />
                <Textarea
                  label="Plain-text body"
                  description="For mail apps that do not show HTML."
                  value={texts.email.text}
                  onChange={(e) => set('email', 'text', e.currentTarget.value)}
                  autosize
                  minRows={4}
                  maxRows={12}
                  maxLength={100_000}
                  error={at('email', 'text')}
                  styles={mono}
                />
              </>
            ) : null}
            {channel === 'sms' ? (
              <Textarea
                label="SMS text"
                description={<SmsCounter text={texts.sms.text} />}
                inputWrapperOrder={['label', 'input', 'description', 'error']}
                value={texts.sms.text}
                onChange={(e) => set('sms', 'text', e.currentTarget.value)}
                autosize
                minRows={2}
                maxRows={8}
                maxLength={2000}
                error={at('sms', 'text')}
                styles={mono}
              />
            ) : null}
            {channel === 'letter' ? (
              <Textarea
                label="Letter text"
                description="Printed under the person’s address block; a page holds about 3,000 characters."
                value={texts.letter.text}
                onChange={(e) => set('letter', 'text', e.currentTarget.value)}
                autosize
                minRows={6}
                maxRows={14}
                maxLength={100_000}
                error={at('letter', 'text')}
                styles={mono}
              />
            ) : null}
          </Stack>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
});
