import { Center, Container, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Logo } from './Logo.tsx';

interface AuthCardProps {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  size?: number;
}

/** The frame of the screens seen before the console: setup, sign-in, enrollment. */
export function AuthCard({ title, subtitle, children, size = 440 }: AuthCardProps) {
  return (
    <Center mih="100vh" bg="gray.0" py="xl">
      <Container size={size} w="100%">
        <Stack gap="lg">
          <Center>
            <Logo />
          </Center>
          <Paper withBorder shadow="sm" radius="md" p="xl" component="main">
            <Stack gap="md">
              <div>
                <Title order={1} fz="h2">
                  {title}
                </Title>
                {subtitle ? (
                  <Text c="dimmed" mt={4}>
                    {subtitle}
                  </Text>
                ) : null}
              </div>
              {children}
            </Stack>
          </Paper>
        </Stack>
      </Container>
    </Center>
  );
}
