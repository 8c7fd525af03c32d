import { Alert, List, Text } from '@mantine/core';
import { RouterAnchor } from './RouterLinks.tsx';
import { useCan } from './useCan.ts';

/**
 * What whoever approves, publishes or starts sending must know first, as the API says it (the company name
 * not set, a campaign naming the company differently). Shown wherever sending starts.
 */
export function SendingWarnings({ warnings }: { warnings: readonly string[] }) {
  const canManageSettings = useCan('settings:manage');
  if (warnings.length === 0) return null;
  const aboutBranding = warnings.some((w) => w.includes('Settings → Branding'));
  return (
    <Alert color="orange" variant="light" title="Before anything is sent" role="alert">
      <List size="sm" spacing={4}>
        {warnings.map((w) => (
          <List.Item key={w}>{w}</List.Item>
        ))}
      </List>
      {aboutBranding ? (
        <Text size="sm" mt="xs">
          {canManageSettings ? (
            <RouterAnchor to="/settings/branding">Open Settings → Branding</RouterAnchor>
          ) : (
            'An admin changes the company name in Settings → Branding.'
          )}
        </Text>
      ) : null}
    </Alert>
  );
}
