import { Button, Group, Modal, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import type { PublicTitle } from '../../../shared/contracts/incidents.ts';
import { api } from '../../api/client.ts';
import type { CreateIncidentRequest, Incident } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { fieldError, incidentKeys, localInputValue, toInstant } from './incident-queries.ts';
import { cleanPublicTitle, PublicTitleFields } from './PublicTitleFields.tsx';

const emptyForm = { title: '', awareAt: '', occurredAt: '', detectedAt: '', description: '' };
type TextField = keyof typeof emptyForm;

export function NewIncidentModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [form, setForm] = useState(emptyForm);
  const [publicTitle, setPublicTitle] = useState<PublicTitle>({});
  const set = (key: TextField) => (event: { currentTarget: { value: string } }) => {
    const { value } = event.currentTarget;
    setForm((current) => ({ ...current, [key]: value }));
  };
  const create = useMutation({
    mutationFn: (body: CreateIncidentRequest) => api.post<Incident>('/api/incidents', body),
    onSuccess: async (incident) => {
      await queryClient.invalidateQueries({ queryKey: incidentKeys.all });
      close();
      await navigate({ to: '/incidents/$incidentId/people', params: { incidentId: incident.id } });
    },
  });
  const now = localInputValue(new Date());
  const awareAt = form.awareAt || now;

  function close() {
    setForm(emptyForm);
    setPublicTitle({});
    create.reset();
    onClose();
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({
      title: form.title.trim(),
      publicTitle: cleanPublicTitle(publicTitle),
      awareAt: toInstant(awareAt) ?? new Date().toISOString(),
      occurredAt: toInstant(form.occurredAt) ?? undefined,
      detectedAt: toInstant(form.detectedAt) ?? undefined,
      description: form.description.trim() || undefined,
    });
  }

  return (
    <Modal opened={opened} onClose={close} title="New incident" size="lg">
      <form onSubmit={submit}>
        <Stack gap="md">
          <ErrorAlert error={create.error} />
          <TextInput
            label="Title"
            description="A short name the team will recognise, e.g. “CRM backup exposed”. Staff only."
            value={form.title}
            onChange={set('title')}
            maxLength={200}
            required
            data-autofocus
            error={fieldError(create.error, 'title')}
          />
          <PublicTitleFields
            value={publicTitle}
            onChange={setPublicTitle}
            error={fieldError(create.error, 'publicTitle')}
          />
          <TextInput
            label="Aware since"
            description="When the company became aware of the breach: legal deadlines count from here."
            type="datetime-local"
            value={awareAt}
            max={now}
            onChange={set('awareAt')}
            required
            error={fieldError(create.error, 'awareAt')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Occurred (optional)"
              description="When the breach started, if known."
              type="datetime-local"
              value={form.occurredAt}
              max={now}
              onChange={set('occurredAt')}
              error={fieldError(create.error, 'occurredAt')}
            />
            <TextInput
              label="Detected (optional)"
              description="When it was first noticed."
              type="datetime-local"
              value={form.detectedAt}
              max={now}
              onChange={set('detectedAt')}
              error={fieldError(create.error, 'detectedAt')}
            />
          </SimpleGrid>
          <Textarea
            label="Description (optional)"
            description="What happened, as far as you know. No personal data here."
            value={form.description}
            onChange={set('description')}
            maxLength={10_000}
            autosize
            minRows={3}
            maxRows={8}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!form.title.trim()}>
              Create incident
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
