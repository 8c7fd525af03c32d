// Longer than ~400 lines on purpose: one form (Mantine's useForm) whose sections read and validate each
// other's values; its pieces that stand alone live beside it (VariantsSection, LocaleContentEditor, RuleEditor, …).
import {
  Alert,
  Button,
  Group,
  List,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useCallback, useId, useMemo, useState } from 'react';
import type { Category } from '../../../shared/taxonomy.ts';
import type { Campaign } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ChannelChain } from './ChannelChain.tsx';
import {
  type CampaignDraft,
  type DraftVariant,
  draftLocales,
  localProblems,
  newVariant,
  type Problems,
  problemText,
  serverProblems,
  toInput,
} from './campaign-draft.ts';
import { saveCampaign } from './campaign-queries.ts';
import { categoryOptions } from './RuleEditor.tsx';
import { TemplateHelp } from './TemplateHelp.tsx';
import { VariantEditor } from './VariantEditor.tsx';

interface Props {
  incidentId: string;
  /** The campaign being edited; a new one when absent. */
  campaign: Campaign | null;
  draft: CampaignDraft;
  onDraftChange: (update: (draft: CampaignDraft) => CampaignDraft) => void;
  onSaved: (campaign: Campaign) => void;
  onCancel: () => void;
  /** Shown above the sections (the "Start from the example" action). */
  actions?: ReactNode;
}

/** The campaign's definition: who it is from, how it travels, and each variant's text. */
export function CampaignForm({
  incidentId,
  campaign,
  draft,
  onDraftChange,
  onSaved,
  onCancel,
  actions,
}: Props) {
  const [attempts, setAttempts] = useState(0);
  const hasTriedSaving = attempts > 0;
  const save = useMutation({
    mutationFn: (body: CampaignDraft) => saveCampaign(incidentId, campaign?.id ?? null, toInput(body)),
    onSuccess: onSaved,
  });
  // Local checks show once a save was tried, and follow the edits; the server's stay until the next save.
  const local = useMemo(() => (hasTriedSaving ? localProblems(draft) : new Map()), [draft, hasTriedSaving]);
  const fromServer = useMemo(
    () => (save.error ? serverProblems(save.variables ?? draft, save.error) : new Map()),
    [save.error, save.variables, draft],
  );
  const problems: Problems = useMemo(() => merge(local, fromServer), [local, fromServer]);

  const set = <K extends keyof CampaignDraft>(key: K, value: CampaignDraft[K]) =>
    onDraftChange((d) => ({ ...d, [key]: value }));
  const setContact = (key: keyof CampaignDraft['contact'], value: string) =>
    onDraftChange((d) => ({ ...d, contact: { ...d.contact, [key]: value } }));

  const changeVariant = useCallback(
    (key: string, update: (v: DraftVariant) => DraftVariant) =>
      onDraftChange((d) => ({
        ...d,
        variants: d.variants.map((v) => {
          if (v.key === key) return update(v);
          return v;
        }),
      })),
    [onDraftChange],
  );
  const moveVariant = useCallback(
    (key: string, by: -1 | 1) =>
      onDraftChange((d) => {
        const variants = [...d.variants];
        const from = variants.findIndex((v) => v.key === key);
        const [moved] = variants.splice(from, 1);
        variants.splice(from + by, 0, moved!);
        return { ...d, variants };
      }),
    [onDraftChange],
  );
  const removeVariant = useCallback(
    (key: string) => onDraftChange((d) => ({ ...d, variants: d.variants.filter((v) => v.key !== key) })),
    [onDraftChange],
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    setAttempts((n) => n + 1);
    if (localProblems(draft).size > 0) {
      save.reset();
      return;
    }
    save.mutate(draft);
  }

  const locales = draftLocales(draft);
  const localeOptions = [...new Set([draft.defaultLocale, ...locales])];
  const approved = campaign?.variants.filter((v) => v.approved).length ?? 0;
  // Deliveries name their channel and variant: once started, neither may go away.
  const isStarted = Boolean(campaign?.startedAt);
  const messages = [...problems.values()].flat();

  return (
    <form onSubmit={submit} noValidate aria-label={campaign ? 'Edit campaign' : 'New campaign'}>
      <Stack gap="lg">
        {actions}
        {approved > 0 ? (
          <Alert color="orange" variant="light" title="Edits void approvals">
            {approved === 1 ? 'One variant is' : `${approved} variants are`} approved. A change to a variant’s
            rule or text makes you its author and sends that variant back to legal; a change to the company
            name, contact details, sender addresses, default locale or channels sends every variant back.
          </Alert>
        ) : null}

        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
          <Section title="About the campaign">
            <TextInput
              label="Campaign name"
              description="For the team, e.g. “First notice to affected customers”."
              value={draft.name}
              onChange={(e) => set('name', e.currentTarget.value)}
              maxLength={200}
              required
              error={problemText(problems, 'name')}
              data-autofocus
            />
            <TextInput
              label="Company name (override)"
              description="Leave empty: the notices print the company name from Settings → Branding, like every other message people get. Fill in only to name the company differently on purpose (a brand of the group, say)."
              placeholder="The company name setting"
              value={draft.companyName}
              onChange={(e) => set('companyName', e.currentTarget.value)}
              maxLength={200}
              error={problemText(problems, 'companyName')}
            />
            <Select
              label="Default locale"
              description="Used for people whose language no variant is written in."
              data={localeOptions}
              value={draft.defaultLocale}
              onChange={(value) => value && set('defaultLocale', value)}
              allowDeselect={false}
              error={problemText(problems, 'defaultLocale')}
            />
          </Section>

          <Section title="How the notice travels">
            <ChannelChain
              value={draft.channels}
              onChange={(value) => set('channels', value)}
              isLocked={isStarted}
              error={problemText(problems, 'channels')}
            />
            {draft.channels.includes('email') ? (
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput
                  label="Email from (optional)"
                  description="e.g. Example Shop Security <security@example.com>"
                  value={draft.emailFrom}
                  onChange={(e) => set('emailFrom', e.currentTarget.value)}
                  maxLength={300}
                  error={problemText(problems, 'emailFrom')}
                />
                <TextInput
                  label="Reply-to (optional)"
                  description="Where answers go, e.g. help@example.com"
                  value={draft.replyTo}
                  onChange={(e) => set('replyTo', e.currentTarget.value)}
                  maxLength={300}
                  error={problemText(problems, 'replyTo')}
                />
              </SimpleGrid>
            ) : null}
          </Section>

          <Section
            title="How people can reach you"
            description="Printed by the templates (contact.*) and on each person’s page."
          >
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput
                label="Phone"
                value={draft.contact.phone}
                onChange={(e) => setContact('phone', e.currentTarget.value)}
                maxLength={50}
                error={problemText(problems, 'contact.phone')}
              />
              <TextInput
                label="Phone hours"
                placeholder="Mon–Fri 8am–8pm ET"
                value={draft.contact.phoneHours}
                onChange={(e) => setContact('phoneHours', e.currentTarget.value)}
                maxLength={200}
                error={problemText(problems, 'contact.phoneHours')}
              />
              <TextInput
                label="Email"
                type="email"
                value={draft.contact.email}
                onChange={(e) => setContact('email', e.currentTarget.value)}
                maxLength={254}
                error={problemText(problems, 'contact.email')}
              />
              <TextInput
                label="Web page"
                placeholder="https://example.com/breach"
                type="url"
                value={draft.contact.url}
                onChange={(e) => setContact('url', e.currentTarget.value)}
                maxLength={500}
                error={problemText(problems, 'contact.url')}
              />
            </SimpleGrid>
            <Textarea
              label="Postal address"
              value={draft.contact.postal}
              onChange={(e) => setContact('postal', e.currentTarget.value)}
              maxLength={500}
              autosize
              minRows={2}
              error={problemText(problems, 'contact.postal')}
            />
          </Section>

          <Section title="Credit monitoring and sending">
            <MultiSelect
              label="Give an activation code to people who lost"
              description="Each person with any of these exposed gets a credit-monitoring code (import the codes on the campaign page)."
              data={categoryOptions}
              value={draft.activationCodesFor}
              onChange={(value) => set('activationCodesFor', value as Category[])}
              searchable
              clearable
              error={problemText(problems, 'activationCodesFor')}
            />
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <NumberInput
                label="Emails per second"
                placeholder="No limit"
                value={draft.throttle.email}
                onChange={(value) => set('throttle', { ...draft.throttle, email: String(value) })}
                min={0.1}
                max={10_000}
                allowNegative={false}
                error={problemText(problems, 'throttle')}
              />
              <NumberInput
                label="SMS per second"
                placeholder="No limit"
                value={draft.throttle.sms}
                onChange={(value) => set('throttle', { ...draft.throttle, sms: String(value) })}
                min={0.1}
                max={1000}
                allowNegative={false}
              />
              <NumberInput
                label="Pause at failures of"
                suffix=" %"
                value={draft.errorThresholdPercent}
                onChange={(value) => set('errorThresholdPercent', Number(value) || 0)}
                min={1}
                max={100}
                allowDecimal={false}
                error={problemText(problems, 'errorThreshold')}
              />
            </SimpleGrid>
            <Text size="xs" c="dimmed">
              Empty limits send as fast as the channel takes them. Sending pauses by itself when this share of
              the last 200 attempts failed, so a broken mail server does not burn through the list.
            </Text>
          </Section>
        </SimpleGrid>

        <Stack gap="sm" component="section" aria-labelledby="variants-title">
          <div>
            <Title order={2} size="h3" id="variants-title">
              Variants ({draft.variants.length})
            </Title>
            <Text size="sm" c="dimmed">
              One notice per situation (what leaked, where people live, their language). Each person gets the
              first variant whose conditions they match; the default catches everyone else.
            </Text>
          </div>
          {problemText(problems, 'variants') ? (
            <Alert color="red" variant="light" role="alert">
              {problemText(problems, 'variants')}
            </Alert>
          ) : null}
          <TemplateHelp />
          {draft.variants.map((variant, index) => (
            <VariantEditor
              key={variant.key}
              variant={variant}
              index={index}
              count={draft.variants.length}
              channels={draft.channels}
              problems={problems}
              onChange={changeVariant}
              onMove={moveVariant}
              onRemove={removeVariant}
              isStarted={isStarted && (campaign?.variants.some((v) => v.name === variant.name) ?? false)}
              revealKey={`${attempts}:${save.status}`}
            />
          ))}
          <Button
            variant="light"
            style={{ alignSelf: 'flex-start' }}
            onClick={() =>
              onDraftChange((d) => ({
                ...d,
                variants: [
                  ...d.variants,
                  newVariant(`variant ${d.variants.length + 1}`, false, [d.defaultLocale]),
                ],
              }))
            }
          >
            Add variant
          </Button>
        </Stack>

        {save.error && messages.length === 0 ? (
          <ErrorAlert error={save.error} title="The campaign was not saved" />
        ) : null}
        {messages.length > 0 ? (
          <Alert color="red" variant="light" title="The campaign was not saved" role="alert">
            <Text size="sm">Fix what is marked next to each field, then save again:</Text>
            <List size="sm" mt={4}>
              {messages.slice(0, 8).map((message) => (
                <List.Item key={message}>{message}</List.Item>
              ))}
            </List>
            {messages.length > 8 ? (
              <Text size="sm" mt={4}>
                …and {messages.length - 8} more.
              </Text>
            ) : null}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {campaign ? 'Save changes' : 'Create campaign'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Section({
  title,
  description,
  children,
}: {
  title: string;
  description?: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <div>
          <Title order={2} size="h4" id={id}>
            {title}
          </Title>
          {description ? (
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          ) : null}
        </div>
        {children}
      </Stack>
    </Paper>
  );
}

function merge(a: Problems, b: Problems): Problems {
  const merged: Problems = new Map(a);
  for (const [key, list] of b) merged.set(key, [...new Set([...(merged.get(key) ?? []), ...list])]);
  return merged;
}
