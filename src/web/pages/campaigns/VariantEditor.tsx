import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Stack,
  Switch,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { memo, useCallback, useEffect, useId, useRef, useState } from 'react';
import type { Channel } from '../../../shared/contracts/campaigns.ts';
import {
  type ChannelTexts,
  type DraftVariant,
  emptyTexts,
  hasProblemsUnder,
  localePattern,
  type Problems,
  problemText,
} from './campaign-draft.ts';
import { LocaleContentEditor } from './LocaleContentEditor.tsx';
import { describeRule, normalizeLocale, RuleEditor } from './RuleEditor.tsx';

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

/** "Spanish (es)"; the code alone when the browser does not know it. */
export function localeLabel(locale: string): string {
  try {
    const name = languageNames.of(locale);
    return name && name !== locale ? `${name} (${locale})` : locale;
  } catch {
    return locale;
  }
}

interface Props {
  variant: DraftVariant;
  index: number;
  count: number;
  channels: Channel[];
  problems: Problems;
  onChange: (key: string, update: (variant: DraftVariant) => DraftVariant) => void;
  onMove: (key: string, by: -1 | 1) => void;
  onRemove: (key: string) => void;
  /** Changes after each save attempt: the editor then opens the first locale and channel with a problem. */
  revealKey: string;
  /** Sent to people already: its deliveries name it, so it keeps its name and stays. */
  isStarted: boolean;
}

/** One variant: who gets it, and its text per locale and channel. */
export const VariantEditor = memo(function VariantEditor({
  variant,
  index,
  count,
  channels,
  problems,
  onChange,
  onMove,
  onRemove,
  revealKey,
  isStarted,
}: Props) {
  const titleId = useId();
  const { key } = variant;
  const [activeLocale, setActiveLocale] = useState<string | null>(variant.locales[0] ?? null);
  const [activeChannel, setActiveChannel] = useState<Channel>(channels[0] ?? 'email');
  const latest = useRef({ problems, locales: variant.locales, channels });
  latest.current = { problems, locales: variant.locales, channels };
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per save attempt, reading the latest problems
  useEffect(() => {
    const { problems: now, locales, channels: chain } = latest.current;
    for (const locale of locales) {
      if (!hasProblemsUnder(now, `${key}/${locale}`)) continue;
      setActiveLocale(locale);
      const channel = chain.find((c) => hasProblemsUnder(now, `${key}/${locale}/${c}`));
      if (channel) setActiveChannel(channel);
      return;
    }
  }, [revealKey, key]);
  const [newLocale, setNewLocale] = useState('');
  const [localeError, setLocaleError] = useState<string | null>(null);
  const shown = activeLocale && variant.locales.includes(activeLocale) ? activeLocale : variant.locales[0];
  const label = variant.name.trim() || `Variant ${index + 1}`;
  const setTexts = useCallback(
    (locale: string, texts: ChannelTexts) =>
      onChange(key, (v) => ({ ...v, content: { ...v.content, [locale]: texts } })),
    [onChange, key],
  );

  function addLocale() {
    const locale = normalizeLocale(newLocale);
    if (!localePattern.test(locale)) {
      setLocaleError('Use a language code like en, es or es-MX.');
      return;
    }
    if (variant.locales.includes(locale)) {
      setLocaleError(`This variant already has ${locale}.`);
      return;
    }
    onChange(key, (v) => ({
      ...v,
      locales: [...v.locales, locale],
      content: { ...v.content, [locale]: v.content[locale] ?? emptyTexts() },
    }));
    setActiveLocale(locale);
    setNewLocale('');
    setLocaleError(null);
  }

  function removeLocale(locale: string) {
    onChange(key, (v) => ({ ...v, locales: v.locales.filter((l) => l !== locale) }));
    setActiveLocale(null);
  }

  return (
    <Paper
      withBorder
      p="md"
      component="section"
      aria-labelledby={titleId}
      style={hasProblemsUnder(problems, key) ? { borderColor: 'var(--mantine-color-red-filled)' } : undefined}
    >
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Group gap="xs">
              <Title order={3} size="h4" id={titleId}>
                Variant: {label}
              </Title>
              {variant.isDefault ? (
                <Badge variant="light" tt="none">
                  Default
                </Badge>
              ) : null}
            </Group>
            <Text size="sm" c="dimmed">
              {variant.isDefault ? 'Checked last. ' : `Checked ${ordinal(index + 1)}. `}
              {describeRule(variant.rule, variant.isDefault)}
            </Text>
          </Stack>
          <Group gap={4} wrap="nowrap">
            <ActionIcon
              variant="default"
              aria-label={`Move variant ${label} up`}
              disabled={index === 0}
              onClick={() => onMove(key, -1)}
            >
              <span aria-hidden="true">↑</span>
            </ActionIcon>
            <ActionIcon
              variant="default"
              aria-label={`Move variant ${label} down`}
              disabled={index === count - 1}
              onClick={() => onMove(key, 1)}
            >
              <span aria-hidden="true">↓</span>
            </ActionIcon>
            <Button
              variant="subtle"
              color="red"
              size="compact-sm"
              disabled={count === 1 || isStarted}
              onClick={() => onRemove(key)}
              aria-label={`Remove variant ${label}`}
            >
              Remove
            </Button>
          </Group>
        </Group>

        {problemText(problems, `${key}/content`) ? (
          <Alert color="red" variant="light" role="alert">
            {problemText(problems, `${key}/content`)}
          </Alert>
        ) : null}

        <Group align="flex-start" gap="lg">
          <TextInput
            label="Variant name"
            description={
              isStarted
                ? 'Fixed: the campaign has sent this variant.'
                : 'Shown to approvers; unique in the campaign.'
            }
            readOnly={isStarted}
            value={variant.name}
            onChange={(e) => {
              const name = e.currentTarget.value;
              onChange(key, (v) => ({ ...v, name }));
            }}
            maxLength={100}
            required
            w={280}
            error={problemText(problems, `${key}/name`)}
          />
          <Switch
            mt={30}
            label="Default variant"
            description="For everyone no other variant matches. At most one."
            checked={variant.isDefault}
            onChange={(e) => {
              const isDefault = e.currentTarget.checked;
              onChange(key, (v) => ({ ...v, isDefault }));
            }}
          />
        </Group>

        {variant.isDefault ? null : (
          <Stack gap={4}>
            <Text fw={600} size="sm">
              Who gets this variant
            </Text>
            <RuleEditor rule={variant.rule} onChange={(rule) => onChange(key, (v) => ({ ...v, rule }))} />
            {problemText(problems, `${key}/rule`) ? (
              <Text size="sm" c="red" role="alert">
                {problemText(problems, `${key}/rule`)}
              </Text>
            ) : null}
          </Stack>
        )}

        <Stack gap="xs">
          <Group justify="space-between" align="flex-end">
            <Text fw={600} size="sm">
              Text, by language
            </Text>
            <Group gap="xs" align="flex-start">
              <TextInput
                aria-label={`New locale for variant ${label}`}
                placeholder="Add a locale, e.g. es"
                value={newLocale}
                onChange={(e) => {
                  setNewLocale(e.currentTarget.value);
                  setLocaleError(null);
                }}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    addLocale();
                  }
                }}
                error={localeError}
                w={200}
                size="xs"
              />
              <Button size="xs" variant="light" onClick={addLocale}>
                Add locale
              </Button>
            </Group>
          </Group>
          {variant.locales.length === 0 || !shown ? (
            <Text size="sm" c="dimmed">
              No text yet: add a locale (the campaign’s default locale first).
            </Text>
          ) : (
            <Tabs value={shown} onChange={setActiveLocale} keepMounted={false}>
              <Tabs.List aria-label={`Locales of variant ${label}`}>
                {variant.locales.map((locale) => (
                  <Tabs.Tab
                    key={locale}
                    value={locale}
                    rightSection={
                      hasProblemsUnder(problems, `${key}/${locale}`) ? (
                        <Badge color="red" size="xs" circle aria-label="has problems">
                          !
                        </Badge>
                      ) : null
                    }
                  >
                    {localeLabel(locale)}
                  </Tabs.Tab>
                ))}
              </Tabs.List>
              {variant.locales.map((locale) => (
                <Tabs.Panel key={locale} value={locale} pt="md">
                  <Stack gap="sm">
                    <LocaleContentEditor
                      problemKey={key}
                      variantLabel={label}
                      locale={locale}
                      channels={channels}
                      channel={activeChannel}
                      onChannelChange={setActiveChannel}
                      texts={variant.content[locale] ?? emptyTexts()}
                      onChange={setTexts}
                      problems={problems}
                    />
                    <Group justify="flex-end">
                      <Button
                        variant="subtle"
                        color="red"
                        size="compact-sm"
                        onClick={() => removeLocale(locale)}
                      >
                        Remove {locale} from this variant
                      </Button>
                    </Group>
                  </Stack>
                </Tabs.Panel>
              ))}
            </Tabs>
          )}
        </Stack>
      </Stack>
    </Paper>
  );
});

function ordinal(n: number): string {
  return ['first', 'second', 'third', 'fourth', 'fifth'][n - 1] ?? `${n}th`;
}
