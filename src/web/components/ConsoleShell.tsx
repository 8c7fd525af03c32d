import { AppShell, Burger, Group, ScrollArea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Outlet, useLocation } from '@tanstack/react-router';
import { useActiveSession } from './ActiveSession.tsx';
import { Logo } from './Logo.tsx';
import { isNavItemActive, visibleNavItems } from './navigation.ts';
import { RouterNavLink } from './RouterLinks.tsx';
import { UserMenu } from './UserMenu.tsx';

/** The console frame: product and user in the header, the sections the role may see on the left. */
export function ConsoleShell() {
  const session = useActiveSession();
  const [isNavOpen, { toggle, close }] = useDisclosure(false);
  const { pathname } = useLocation();

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !isNavOpen } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={isNavOpen}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Logo />
          </Group>
          <UserMenu session={session} />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" component="nav" aria-label="Console">
        <AppShell.Section grow component={ScrollArea}>
          {visibleNavItems(session).map((item) => {
            const isActive = isNavItemActive(item, pathname);
            return (
              <RouterNavLink
                key={item.to}
                to={item.to}
                label={item.label}
                // The router's own matching is by prefix and marks /incidents active inside an incident's
                // People tab; exact matching leaves the decision to isNavItemActive.
                activeOptions={{ exact: true }}
                active={isActive}
                aria-current={isActive ? 'page' : undefined}
                onClick={close}
              />
            );
          })}
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
