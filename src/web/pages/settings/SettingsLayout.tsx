import { Stack, Tabs, Title } from '@mantine/core';
import { Outlet, useLocation, useNavigate } from '@tanstack/react-router';
import { useActiveSession } from '../../components/ActiveSession.tsx';
import { type SettingsPath, visibleSettingsTabs } from './settings-tabs.ts';

export function SettingsLayout() {
  const session = useActiveSession();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const tabs = visibleSettingsTabs(session);
  const current = tabs.find((tab) => pathname.startsWith(tab.to))?.to ?? null;

  return (
    <Stack gap="lg">
      <Title order={1}>Settings</Title>
      <Tabs
        value={current}
        onChange={(value) => {
          if (value) void navigate({ to: value as SettingsPath });
        }}
        keepMounted={false}
      >
        <Tabs.List aria-label="Settings sections">
          {tabs.map((tab) => (
            <Tabs.Tab key={tab.to} value={tab.to}>
              {tab.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Outlet />
    </Stack>
  );
}
