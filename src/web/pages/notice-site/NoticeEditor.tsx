import { Badge, Button, Group, SegmentedControl, Stack, Tabs } from '@mantine/core';
import {
  type NoticeContentInput,
  type SiteLocale,
  siteLocales,
} from '../../../shared/contracts/notice-site.ts';
import { ContactFields, MonitoringFields } from './ContactFields.tsx';
import { type FieldErrorAt, noFieldErrors } from './field-errors.ts';
import { LocaleTextFields } from './LocaleTextFields.tsx';
import { starterText } from './notice-template.ts';
import { localeLabels } from './site-labels.ts';

interface Props {
  content: NoticeContentInput;
  onChange: (content: NoticeContentInput) => void;
  isReadOnly: boolean;
  /** The language shown, kept by the page so the preview can follow it. */
  locale: SiteLocale;
  onLocaleChange: (locale: SiteLocale) => void;
  /** The server's message for a field of the content (e.g. `contact.email`), from a refused save. */
  errorAt?: FieldErrorAt;
  /** "What information was involved" written from the measured exposure, for a language added now. */
  prefill?: Partial<Record<SiteLocale, string | null>> | undefined;
}

/** The whole notice: a tab per language (each optional, one at least), then the contact channels. */
export function NoticeEditor({
  content,
  onChange,
  isReadOnly,
  locale,
  onLocaleChange,
  errorAt = noFieldErrors,
  prefill,
}: Props) {
  const present = siteLocales.filter((l) => content.locales[l]);
  const missing = siteLocales.filter((l) => !content.locales[l]);
  const shown = present.includes(locale) ? locale : content.defaultLocale;
  const text = content.locales[shown];

  function addLocale(added: SiteLocale) {
    onChange({ ...content, locales: { ...content.locales, [added]: starterText(added, prefill?.[added]) } });
    onLocaleChange(added);
  }
  function removeLocale(removed: SiteLocale) {
    const locales = { ...content.locales };
    delete locales[removed];
    const remaining = siteLocales.find((l) => locales[l]) ?? 'en';
    onChange({
      ...content,
      locales,
      defaultLocale: content.defaultLocale === removed ? remaining : content.defaultLocale,
    });
    onLocaleChange(remaining);
  }

  return (
    <Stack gap="lg">
      <Tabs value={shown} onChange={(value) => value && onLocaleChange(value as SiteLocale)}>
        <Group justify="space-between" align="flex-end" wrap="wrap" gap="xs">
          <Tabs.List aria-label="Languages of the notice">
            {present.map((l) => (
              <Tabs.Tab
                key={l}
                value={l}
                rightSection={
                  errorAt(`locales.${l}`, true) ? (
                    <Badge color="red" size="xs" circle aria-label="has problems">
                      !
                    </Badge>
                  ) : l === content.defaultLocale && present.length > 1 ? (
                    <Badge size="xs" variant="light" tt="none">
                      Default
                    </Badge>
                  ) : null
                }
              >
                {localeLabels[l]}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {isReadOnly ? null : (
            <Group gap="xs">
              {missing.map((l) => (
                <Button key={l} variant="light" size="compact-sm" onClick={() => addLocale(l)}>
                  Add {localeLabels[l]}
                </Button>
              ))}
            </Group>
          )}
        </Group>
        {text ? (
          <Tabs.Panel value={shown} pt="md">
            <Stack gap="md">
              {!isReadOnly && present.length > 1 ? (
                <Group justify="space-between" gap="sm">
                  <SegmentedControl
                    size="xs"
                    aria-label="Language a visitor sees first"
                    value={content.defaultLocale}
                    onChange={(value) => onChange({ ...content, defaultLocale: value as SiteLocale })}
                    data={present.map((l) => ({ value: l, label: `${localeLabels[l]} first` }))}
                  />
                  <Button variant="subtle" color="red" size="compact-sm" onClick={() => removeLocale(shown)}>
                    Remove {localeLabels[shown]}
                  </Button>
                </Group>
              ) : null}
              <LocaleTextFields
                language={localeLabels[shown]}
                text={text}
                onChange={(next) => onChange({ ...content, locales: { ...content.locales, [shown]: next } })}
                isReadOnly={isReadOnly}
                errorAt={(path) => errorAt(`locales.${shown}.${path}`)}
              />
            </Stack>
          </Tabs.Panel>
        ) : null}
      </Tabs>
      <ContactFields
        contact={content.contact}
        onChange={(contact) => onChange({ ...content, contact })}
        isReadOnly={isReadOnly}
        errorAt={errorAt}
      />
      <MonitoringFields
        monitoring={content.monitoring ?? null}
        onChange={(monitoring) => onChange({ ...content, monitoring })}
        isReadOnly={isReadOnly}
        errorAt={errorAt}
      />
    </Stack>
  );
}
