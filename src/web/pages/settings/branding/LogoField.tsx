import { Box, Button, FileButton, Group, Image, Input, Stack, Text } from '@mantine/core';
import { useId, useState } from 'react';
import type { BrandingView, LogoType } from '../../../../shared/contracts/branding.ts';

/** The server's limit: 200 kB, of 1024 bytes (sizes here are shown the same way, to match its messages). */
const MAX_LOGO_BYTES = 200 * 1024;
const kilobytes = (bytes: number) => `${Math.ceil(bytes / 1024)} kB`;
const logoTypes: readonly LogoType[] = ['image/png', 'image/jpeg', 'image/webp'];

export interface NewLogo {
  contentType: LogoType;
  dataBase64: string;
  /** For the preview. */
  dataUrl: string;
  name: string;
  size: number;
}

/** undefined keeps the saved logo, null removes it, a new logo replaces it. */
export type LogoChange = NewLogo | null | undefined;

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(file);
  });
}

interface Props {
  current: BrandingView['logo'];
  currentUrl: string;
  change: LogoChange;
  onChange: (change: LogoChange) => void;
  isDisabled: boolean;
  error: string | undefined;
}

/** Choose, preview and remove the logo; nothing is sent until the form is saved. */
export function LogoField({ current, currentUrl, change, onChange, isDisabled, error }: Props) {
  const labelId = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const shownUrl = change ? change.dataUrl : change === null || !current ? null : currentUrl;

  async function choose(file: File | null) {
    setProblem(null);
    if (!file) return;
    const type = logoTypes.find((t) => t === file.type);
    if (!type) {
      setProblem('Choose a PNG, JPEG or WebP image.');
      return;
    }
    if (file.size > MAX_LOGO_BYTES) {
      setProblem(`This image is ${kilobytes(file.size)}; the logo may be 200 kB at most. Export it smaller.`);
      return;
    }
    try {
      const dataUrl = await readAsDataUrl(file);
      const dataBase64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
      onChange({ contentType: type, dataBase64, dataUrl, name: file.name, size: file.size });
    } catch {
      setProblem('The file could not be read. Choose it again.');
    }
  }

  const status = change
    ? `New logo: ${change.name}, ${kilobytes(change.size)}. Save to use it.`
    : change === null
      ? 'The logo will be removed when you save.'
      : current
        ? `Current logo, ${kilobytes(current.size)}.`
        : 'No logo: the company name is shown instead.';

  return (
    <Input.Wrapper
      labelElement="div"
      label={<span id={labelId}>Logo</span>}
      description="PNG, JPEG or WebP, 200 kB at most. Shown at the top of every public page, about 40 pixels high."
      error={problem ?? error}
    >
      <Stack gap="xs" mt={6} role="group" aria-labelledby={labelId}>
        <Box
          p="sm"
          w={280}
          h={88}
          style={{
            border: '1px dashed var(--mantine-color-gray-4)',
            borderRadius: 'var(--mantine-radius-sm)',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
          }}
        >
          {shownUrl ? (
            <Image src={shownUrl} alt="Logo preview" mah={64} maw={256} fit="contain" />
          ) : (
            <Text size="xs" c="dimmed">
              No logo
            </Text>
          )}
        </Box>
        <Text size="xs" c="dimmed" role="status">
          {status}
        </Text>
        {isDisabled ? null : (
          <Group gap="xs">
            <FileButton onChange={(file) => void choose(file)} accept={logoTypes.join(',')}>
              {(props) => (
                <Button variant="default" size="xs" {...props}>
                  {current || change ? 'Replace the logo…' : 'Upload a logo…'}
                </Button>
              )}
            </FileButton>
            {change !== undefined ? (
              <Button variant="subtle" size="xs" onClick={() => onChange(undefined)}>
                {change === null || current ? 'Keep the saved logo' : 'Clear'}
              </Button>
            ) : null}
            {current && change !== null ? (
              <Button variant="subtle" color="red" size="xs" onClick={() => onChange(null)}>
                Remove the logo
              </Button>
            ) : null}
          </Group>
        )}
      </Stack>
    </Input.Wrapper>
  );
}
