import { EmptyState, Stack, Title } from '@mantine/core';
import { RequirePermission } from '../../components/RequirePermission.tsx';
import { type ModuleId, modules } from './modules.ts';

/** A section of the console that has not shipped yet: says what it will hold. */
export function ModulePage({ module }: { module: ModuleId }) {
  const info = modules[module];
  return (
    <Stack gap="lg">
      <Title order={1}>{info.title}</Title>
      <RequirePermission permission={info.permission}>
        <EmptyState size="lg" maw={640} mx="auto" mt="xl">
          <EmptyState.Title order={2}>{info.emptyTitle}</EmptyState.Title>
          <EmptyState.Description>{info.description}</EmptyState.Description>
        </EmptyState>
      </RequirePermission>
    </Stack>
  );
}
