import { Button, Center, EmptyState } from '@mantine/core';
import { Link } from '@tanstack/react-router';

export function NotFoundPage() {
  return (
    <Center component="main" mih="60vh" p="xl">
      <EmptyState>
        <EmptyState.Title order={1}>Page not found</EmptyState.Title>
        <EmptyState.Description>
          This address is not part of Candor. Check the link, or start over.
        </EmptyState.Description>
        <EmptyState.Actions>
          <Button component={Link} to="/">
            Go to the console
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Center>
  );
}
