import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { Channel } from '../../../shared/contracts/campaigns.ts';
import { categoryLabels } from '../../../shared/taxonomy.ts';
import { api } from '../../api/client.ts';
import type { Campaign, CampaignPreview, PreviewPersonRequest, TestSendRequest } from '../../api/types.ts';
import { useActiveSession } from '../../components/ActiveSession.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { plural } from '../../components/format.ts';
import { useCan } from '../../components/useCan.ts';
import { channelLabels } from './campaign-labels.ts';
import { previewQuery } from './campaign-queries.ts';
import { MessageView } from './MessageView.tsx';

type LookupKind = 'email' | 'phone' | 'customerId';

/**
 * Who the sample is: only the person is invented (Alex Sample); the incident, the company and the contact
 * details are the real ones, and the exposure is the one most common among this variant's people.
 */
function sampleWords(sample: CampaignPreview['sample']): string {
  if (!sample)
    return 'Only the person is invented; the incident, company and contact details are the real ones.';
  const exposed = sample.categories.map((c) => categoryLabels[c].toLowerCase()).join(', ');
  const who =
    sample.alike > 0
      ? `the exposure of ${plural(sample.alike, 'person', 'people')} this variant reaches (the most common)`
      : 'a stand-in exposure (nobody this variant reaches is imported yet)';
  return `Alex Sample (${sample.jurisdiction}; ${exposed}): ${who}. Only the person is invented; the incident, the company and the contact details are the real ones.`;
}

/** Every variant × locale × channel, rendered for a sample person, or for one real person found exactly. */
export function PreviewPane({ campaign }: { campaign: Campaign }) {
  const canReadPii = useCan('people:read_pii');
  const canWrite = useCan('campaigns:write');
  const [variantId, setVariantId] = useState(campaign.variants[0]?.id ?? '');
  const variant = campaign.variants.find((v) => v.id === variantId) ?? campaign.variants[0];
  const locales = variant ? Object.keys(variant.content) : [];
  const [chosenLocale, setLocale] = useState(campaign.defaultLocale);
  const locale = locales.includes(chosenLocale) ? chosenLocale : (locales[0] ?? campaign.defaultLocale);
  const [channel, setChannel] = useState<Channel>(campaign.channels[0] ?? 'email');
  const [personPreview, setPersonPreview] = useState<CampaignPreview | null>(null);

  const sample = useQuery({
    ...previewQuery(campaign.id, variant?.id ?? '', locale, channel),
    enabled: Boolean(variant) && personPreview === null,
  });

  if (!variant) return <Text c="dimmed">This campaign has no variant to preview.</Text>;
  const shown = personPreview ?? sample.data;
  const title = `${variant.name}, ${locale}, ${channelLabels[channel]}${personPreview ? ', for the person found' : ', sample person'}`;

  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <Group gap="lg" align="flex-end" wrap="wrap">
          <Select
            label="Variant"
            data={campaign.variants.map((v) => ({ value: v.id, label: v.name }))}
            value={variant.id}
            onChange={(value) => {
              if (value) setVariantId(value);
              setPersonPreview(null);
            }}
            allowDeselect={false}
            w={220}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="preview-locale-label">
              Locale
            </Text>
            <SegmentedControl
              aria-labelledby="preview-locale-label"
              data={locales}
              value={locale}
              onChange={(value) => {
                setLocale(value);
                setPersonPreview(null);
              }}
            />
          </Stack>
          <Stack gap={4}>
            <Text size="sm" fw={500} id="preview-channel-label">
              Channel
            </Text>
            <SegmentedControl
              aria-labelledby="preview-channel-label"
              data={campaign.channels.map((c) => ({ value: c, label: channelLabels[c] }))}
              value={channel}
              onChange={(value) => {
                setChannel(value as Channel);
                setPersonPreview(null);
              }}
            />
          </Stack>
          {sample.isFetching ? <Loader size="sm" aria-label="Rendering the preview" /> : null}
        </Group>
      </Paper>

      <SimpleGrid cols={{ base: 1, lg: 3 }} spacing="lg">
        <Stack gap="sm" style={{ gridColumn: 'span 2' }} component="section" aria-label="Preview">
          <Group gap="xs">
            <Title order={3} size="h5">
              {personPreview ? 'For the person found' : 'For a sample person'}
            </Title>
            {personPreview ? (
              <>
                <Badge color="grape" variant="light" tt="none">
                  Real person, {personPreview.locale}
                </Badge>
                <Button variant="subtle" size="compact-sm" onClick={() => setPersonPreview(null)}>
                  Back to the sample
                </Button>
              </>
            ) : (
              <Text size="xs" c="dimmed">
                {sampleWords(sample.data?.sample ?? null)}
              </Text>
            )}
          </Group>
          {sample.error && !personPreview ? (
            <ErrorAlert error={sample.error} title="This combination could not be rendered" />
          ) : null}
          {shown ? (
            <>
              <MessageView message={shown} title={`Preview: ${title}`} />
              {shown.blocks.length > 0 ? (
                <Text size="xs" c="dimmed">
                  Required paragraphs for this person: {shown.blocks.join('; ')}
                  {channel === 'sms' ? ' (on their personal page: an SMS has no room for them)' : ''}.
                </Text>
              ) : null}
            </>
          ) : sample.isPending && !sample.error ? (
            <Loader aria-label="Rendering the preview" />
          ) : null}
        </Stack>
        <Stack gap="md">
          {canReadPii ? (
            <PersonPreviewForm
              campaignId={campaign.id}
              variantId={variant.id}
              channel={channel}
              onPreview={setPersonPreview}
            />
          ) : null}
          {canWrite && campaign.channels.includes('email') ? (
            <TestSendForm campaignId={campaign.id} variantId={variant.id} locale={locale} />
          ) : null}
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}

const lookupLabels: Record<LookupKind, string> = {
  email: 'Email address',
  phone: 'Phone number',
  customerId: 'Customer ID',
};

function PersonPreviewForm({
  campaignId,
  variantId,
  channel,
  onPreview,
}: {
  campaignId: string;
  variantId: string;
  channel: Channel;
  onPreview: (preview: CampaignPreview) => void;
}) {
  const [kind, setKind] = useState<LookupKind>('email');
  const [value, setValue] = useState('');
  // The identifier goes in a POST body only: never in the address bar, a query key or a log line.
  const find = useMutation({
    mutationFn: (body: PreviewPersonRequest) =>
      api.post<CampaignPreview>(`/api/campaigns/${campaignId}/preview-person`, body),
    onSuccess: onPreview,
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!value.trim()) return;
    find.mutate({ variantId, channel, [kind]: value.trim() });
  }
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="person-preview-title">
      <form onSubmit={submit} autoComplete="off">
        <Stack gap="sm">
          <div>
            <Title order={3} size="h5" id="person-preview-title">
              Preview for a real person
            </Title>
            <Text size="xs" c="dimmed">
              Exact match in this incident. It decrypts the person’s record, so each preview is recorded in
              the audit log under your name.
            </Text>
          </div>
          <SegmentedControl
            size="xs"
            aria-label="Find the person by"
            data={[
              { value: 'email', label: 'Email' },
              { value: 'phone', label: 'Phone' },
              { value: 'customerId', label: 'Customer ID' },
            ]}
            value={kind}
            onChange={(next) => {
              setKind(next as LookupKind);
              find.reset();
            }}
          />
          <TextInput
            label={lookupLabels[kind]}
            type={kind === 'email' ? 'email' : 'text'}
            inputMode={kind === 'phone' ? 'tel' : undefined}
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            maxLength={kind === 'email' ? 254 : 200}
            required
          />
          <ErrorAlert error={find.error} title="No preview" />
          <Button type="submit" variant="light" loading={find.isPending} disabled={!value.trim()}>
            Preview for this person
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}

function TestSendForm({
  campaignId,
  variantId,
  locale,
}: {
  campaignId: string;
  variantId: string;
  locale: string;
}) {
  const session = useActiveSession();
  const [to, setTo] = useState(session.user.email);
  const send = useMutation({
    mutationFn: (body: TestSendRequest) =>
      api.post<{ ok: true; transport: string }>(`/api/campaigns/${campaignId}/test-send`, body),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    send.mutate({ variantId, locale, to: to.trim() });
  }
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="test-send-title">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <div>
            <Title order={3} size="h5" id="test-send-title">
              Send a test email
            </Title>
            <Text size="xs" c="dimmed">
              The sample person’s email in this variant and locale, marked [TEST], to a staff address.
            </Text>
          </div>
          <TextInput
            label="To"
            description="The email of a Candor account."
            type="email"
            value={to}
            onChange={(e) => {
              setTo(e.currentTarget.value);
              send.reset();
            }}
            maxLength={254}
            required
          />
          <ErrorAlert error={send.error} title="The test was not sent" />
          {send.data ? (
            <Alert color="teal" variant="light" role="status" p="xs">
              {send.data.transport === 'smtp'
                ? `Sent to ${send.variables?.to}. Check that inbox (and its spam folder).`
                : `No mail server is configured (SMTP_URL), so the test was kept in the staff outbox instead of being sent to ${send.variables?.to}.`}
            </Alert>
          ) : null}
          <Button type="submit" variant="default" loading={send.isPending} disabled={!to.trim()}>
            {to.trim().toLowerCase() === session.user.email.toLowerCase()
              ? 'Send a test to my address'
              : 'Send a test'}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
