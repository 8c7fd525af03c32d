import { Alert, Stack, Text } from '@mantine/core';
import type { SetupLink } from '../../../api/types.ts';
import { CopyField } from '../../../components/CopyField.tsx';
import { formatDateTime } from '../../../components/format.ts';

/** A setup link is shown once, to the admin who made it: they pass it on by a channel they trust. */
export function SetupLinkNotice({ link }: { link: SetupLink }) {
  return (
    <Stack gap="sm">
      <CopyField label="Setup link" value={link.setupUrl} />
      <Alert color="blue" variant="light">
        <Text size="sm">
          Send this link to {link.user.email}; it works once and expires at {formatDateTime(link.expiresAt)}.
          They must set up an authenticator app before they see anything. Candor will not show this link
          again: if it is lost, use Reset MFA to make a new one.
        </Text>
      </Alert>
    </Stack>
  );
}
