import { Select, Stack, Text } from '@mantine/core';
import { type Role, roleDescriptions, roles } from '../../shared/permissions.ts';

const roleLabels: Record<Role, string> = {
  admin: 'Admin',
  responder: 'Responder',
  legal: 'Legal',
  comms: 'Comms',
  agent: 'Support agent',
  auditor: 'Auditor',
};

export function roleLabel(role: Role): string {
  return roleLabels[role];
}

const roleOptions = roles.map((role) => ({ value: role, label: roleLabels[role] }));

interface RoleSelectProps {
  label?: string;
  value: Role;
  onChange: (role: Role) => void;
}

/** Picks a role, saying what each one may do (from the shared permission table). */
export function RoleSelect({ label = 'Role', value, onChange }: RoleSelectProps) {
  return (
    <Select
      label={label}
      data={roleOptions}
      value={value}
      onChange={(next) => {
        if (next) onChange(next as Role);
      }}
      allowDeselect={false}
      description={roleDescriptions[value]}
      renderOption={({ option }) => (
        <Stack gap={0}>
          <Text size="sm">{option.label}</Text>
          <Text size="xs" c="dimmed">
            {roleDescriptions[option.value as Role]}
          </Text>
        </Stack>
      )}
      required
    />
  );
}
