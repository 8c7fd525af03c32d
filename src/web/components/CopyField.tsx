import { Button, CopyButton, Group, TextInput, Tooltip } from '@mantine/core';

interface CopyFieldProps {
  label: string;
  value: string;
  /** What is copied, when it differs from what is shown (e.g. a secret shown in groups). */
  copyValue?: string;
  description?: string;
}

/** A read-only value shown in monospace with a copy button (secrets, setup links, API tokens). */
export function CopyField({ label, value, copyValue, description }: CopyFieldProps) {
  return (
    <Group align="flex-end" gap="xs" wrap="nowrap">
      <TextInput
        label={label}
        description={description}
        value={value}
        readOnly
        onFocus={(event) => event.currentTarget.select()}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        style={{ flex: 1 }}
      />
      <CopyButton value={copyValue ?? value}>
        {({ copied, copy }) => (
          <Tooltip label="Copied" opened={copied} withArrow>
            <Button variant="default" onClick={copy} aria-label={`Copy ${label.toLowerCase()}`}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}
