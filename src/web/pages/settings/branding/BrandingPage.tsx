import {
  Alert,
  Button,
  Center,
  ColorInput,
  Group,
  Loader,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { BrandingInput, BrandingView } from '../../../../shared/contracts/branding.ts';
import { api, request } from '../../../api/client.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { RequirePermission } from '../../../components/RequirePermission.tsx';
import { useCan } from '../../../components/useCan.ts';
import { fieldError } from '../../incidents/incident-queries.ts';
import { type LogoChange, LogoField } from './LogoField.tsx';

const brandingKey = ['settings', 'branding'] as const;
const hexColor = /^#[0-9a-f]{6}$/i;
/** The public address of the saved logo (the notice site's pages use it too). */
const publicLogoUrl = '/n/_brand/logo';

export function BrandingPage() {
  return (
    <RequirePermission permission="settings:read">
      <BrandingSettings />
    </RequirePermission>
  );
}

function BrandingSettings() {
  const branding = useQuery({
    queryKey: brandingKey,
    queryFn: ({ signal }) => api.get<BrandingView>('/api/settings/branding', undefined, signal),
  });
  return (
    <Stack gap="md">
      <div>
        <Title order={2}>Branding</Title>
        <Text c="dimmed" size="sm">
          How the public notice site presents the company: its name, colour and logo. People who receive a
          notice should recognise who it comes from.
        </Text>
      </div>
      {branding.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading the branding" />
        </Center>
      ) : branding.error ? (
        <ErrorAlert error={branding.error} title="The branding could not be loaded" />
      ) : (
        <BrandingForm branding={branding.data} />
      )}
    </Stack>
  );
}

function BrandingForm({ branding }: { branding: BrandingView }) {
  const queryClient = useQueryClient();
  const canManage = useCan('settings:manage');
  const savedName = branding.companyName ?? '';
  const [companyName, setCompanyName] = useState(savedName);
  const [primaryColor, setPrimaryColor] = useState(branding.primaryColor);
  const [logo, setLogo] = useState<LogoChange>(undefined);
  // A logo saved here is shown from the file chosen, so the browser's cached copy of the old one is not.
  const [savedLogoUrl, setSavedLogoUrl] = useState<string | null>(null);
  const [isSaved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (body: BrandingInput) => request<BrandingView>('PUT', '/api/settings/branding', { body }),
    onSuccess: (saved) => {
      queryClient.setQueryData(brandingKey, saved);
      setCompanyName(saved.companyName ?? '');
      setPrimaryColor(saved.primaryColor);
      if (logo) setSavedLogoUrl(logo.dataUrl);
      setLogo(undefined);
      setSaved(true);
    },
  });
  const isDirty = companyName !== savedName || primaryColor !== branding.primaryColor || logo !== undefined;
  const nameError = companyName.trim() ? undefined : 'Enter the name people know the company by.';
  const colorError = hexColor.test(primaryColor) ? undefined : 'Enter a colour as #rrggbb, e.g. #1c7ed6.';

  function change(apply: () => void) {
    setSaved(false);
    apply();
  }
  function undo() {
    setCompanyName(savedName);
    setPrimaryColor(branding.primaryColor);
    setLogo(undefined);
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    if (nameError || colorError) return;
    const body: BrandingInput = { companyName: companyName.trim(), primaryColor: primaryColor.toLowerCase() };
    if (logo !== undefined)
      body.logo = logo && { contentType: logo.contentType, dataBase64: logo.dataBase64 };
    save.mutate(body);
  }

  return (
    <Paper withBorder p="lg" maw={760} component="form" onSubmit={submit} aria-label="Branding">
      <Stack gap="lg">
        {!canManage ? (
          <Alert color="gray" variant="light">
            Your role can see these settings but not change them. Ask an admin to change them.
          </Alert>
        ) : null}
        <ErrorAlert error={save.error} title="The branding was not saved" />
        {branding.companyName === null ? (
          <Alert color="orange" variant="light" title="The company is not named yet" role="status">
            Until it is, the notice site, its messages, inbox replies and campaign notices say “Our company”
            where your name belongs. Enter the name people know you by.
          </Alert>
        ) : null}
        <TextInput
          label="Company name"
          description="The one name every message people get carries: the header of the public pages, the site's messages, inbox replies and verification codes, and campaign notices (unless a campaign overrides it on purpose)."
          value={companyName}
          onChange={(e) => {
            const value = e.currentTarget.value;
            change(() => setCompanyName(value));
          }}
          maxLength={120}
          required
          disabled={!canManage}
          error={(companyName !== savedName && nameError) || fieldError(save.error, 'companyName')}
          styles={{ wrapper: { maxWidth: 420 } }}
        />
        <ColorInput
          label="Primary colour"
          description="Links, buttons and the header bar. Choose one dark enough for white text on it."
          format="hex"
          // Chromium offers the EyeDropper API: Mantine's button for it has an icon and no name of its own.
          eyeDropperButtonProps={{ 'aria-label': 'Pick the colour from the screen' }}
          value={primaryColor}
          onChange={(value) => change(() => setPrimaryColor(value))}
          swatches={['#1c7ed6', '#1971c2', '#0b7285', '#2b8a3e', '#5f3dc4', '#c2255c', '#e8590c', '#343a40']}
          disabled={!canManage}
          error={colorError ?? fieldError(save.error, 'primaryColor')}
          styles={{ wrapper: { maxWidth: 220 } }}
        />
        <LogoField
          current={branding.logo}
          currentUrl={savedLogoUrl ?? publicLogoUrl}
          change={logo}
          onChange={(next) => change(() => setLogo(next))}
          isDisabled={!canManage}
          error={fieldError(save.error, 'logo')}
        />
        {canManage ? (
          <Group justify="flex-end" gap="sm">
            {isSaved && !isDirty ? (
              <Text size="sm" c="green.8" role="status">
                Saved. The public pages use it from now on.
              </Text>
            ) : null}
            {isDirty ? (
              <Button variant="default" onClick={undo}>
                Undo changes
              </Button>
            ) : null}
            <Button
              type="submit"
              loading={save.isPending}
              disabled={!isDirty || Boolean(nameError) || Boolean(colorError)}
            >
              Save
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Paper>
  );
}
