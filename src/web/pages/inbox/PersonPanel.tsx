import { Alert, Badge, Code, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import type { Exposure, ThreadDetail, ThreadPerson } from '../../../shared/contracts/inbox.ts';
import { formatDateTime } from '../../components/format.ts';
import { RouterAnchor } from '../../components/RouterLinks.tsx';
import { Fact } from './Fact.tsx';
import { VerificationControls } from './VerificationControls.tsx';

/**
 * Who is asking: whether the sender matches an affected person, and what leaked about them once they proved
 * who they are. Nothing about the person is shown before that.
 */
export function PersonPanel({ thread, canReply }: { thread: ThreadDetail; canReply: boolean }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="thread-person-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="thread-person-title">
          Person
        </Title>
        <PersonBody thread={thread} person={thread.person} canReply={canReply} />
      </Stack>
    </Paper>
  );
}

function PersonBody({
  thread,
  person,
  canReply,
}: {
  thread: ThreadDetail;
  person: ThreadPerson;
  canReply: boolean;
}) {
  if (!person.linked) {
    return (
      <>
        <Badge color="gray" variant="outline" tt="none" style={{ alignSelf: 'flex-start' }}>
          Not linked
        </Badge>
        <Text size="sm" c="dimmed">
          The sender’s {thread.channel === 'sms' ? 'number' : 'address'} matches no affected person. Answer in
          general terms: there is nothing about them to disclose.
        </Text>
      </>
    );
  }
  return (
    <>
      <Text size="sm">
        Affected in{' '}
        <RouterAnchor to="/incidents/$incidentId" params={{ incidentId: person.incidentId }} fw={600}>
          {person.incidentTitle}
        </RouterAnchor>
      </Text>
      {person.verified ? (
        <Verified verifiedAt={person.verifiedAt} exposure={person.exposure} />
      ) : (
        <>
          <Alert color="orange" variant="light" p="sm">
            Not verified: details are hidden until the requester proves who they are.
          </Alert>
          <VerificationControls threadId={thread.id} verification={person.verification} canReply={canReply} />
        </>
      )}
    </>
  );
}

function Verified({ verifiedAt, exposure }: { verifiedAt: string; exposure: Exposure }) {
  return (
    <Stack gap="sm">
      <Group gap="xs">
        <Badge color="teal" variant="filled" autoContrast tt="none">
          Verified
        </Badge>
        <Text size="xs" c="dimmed">
          {formatDateTime(verifiedAt)}
        </Text>
      </Group>
      <Fact label="First name">{exposure.firstName ?? '—'}</Fact>
      <Fact label="What leaked about them">
        {exposure.categories.length > 0 ? (
          <List size="sm" spacing={2}>
            {exposure.categories.map((category) => (
              <List.Item key={category}>{category}</List.Item>
            ))}
          </List>
        ) : (
          'Nothing recorded'
        )}
      </Fact>
      <Fact label="Identifiers on file (masked)">
        {exposure.identifiers.length > 0 ? (
          <List size="sm" spacing={2}>
            {exposure.identifiers.map((identifier) => (
              <List.Item key={identifier}>{identifier}</List.Item>
            ))}
          </List>
        ) : (
          '—'
        )}
      </Fact>
      <Fact label="Activation code">
        {exposure.activationCode ? <Code>{exposure.activationCode}</Code> : 'None assigned'}
      </Fact>
    </Stack>
  );
}
