import type { Permission } from '../../../shared/permissions.ts';
import type { Session } from '../../api/types.ts';

export type SettingsPath =
  | '/settings/users'
  | '/settings/company'
  | '/settings/branding'
  | '/settings/wording'
  | '/settings/tokens'
  | '/settings/security'
  | '/settings/keys';

export interface SettingsTab {
  label: string;
  to: SettingsPath;
  permission: Permission | null;
}

export const settingsTabs: SettingsTab[] = [
  { label: 'Users', to: '/settings/users', permission: 'users:read' },
  { label: 'Company', to: '/settings/company', permission: 'settings:read' },
  { label: 'Branding', to: '/settings/branding', permission: 'settings:read' },
  { label: 'Notice wording', to: '/settings/wording', permission: 'settings:read' },
  { label: 'API tokens', to: '/settings/tokens', permission: 'tokens:manage' },
  { label: 'Security', to: '/settings/security', permission: null },
  { label: 'Encryption keys', to: '/settings/keys', permission: 'keys:manage' },
];

export function visibleSettingsTabs(session: Session): SettingsTab[] {
  return settingsTabs.filter(
    (tab) => tab.permission === null || session.permissions.includes(tab.permission),
  );
}
