import {
  Badge,
  Button,
  Center,
  Group,
  Loader,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { taskStatuses } from '../../../shared/contracts/incidents.ts';
import { api } from '../../api/client.ts';
import type { CreateTaskRequest, Task, UpdateTaskRequest } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime, plural } from '../../components/format.ts';
import { useCan } from '../../components/useCan.ts';
import { Countdown } from '../obligations/Countdown.tsx';
import { obligationTitle } from '../obligations/obligation-labels.ts';
import { obligationsQuery } from '../obligations/obligation-queries.ts';
import { taskStatusColors, taskStatusLabels } from './incident-labels.ts';
import {
  fieldError,
  incidentKeys,
  localInputValue,
  tasksQuery,
  toInstant,
  useStaff,
} from './incident-queries.ts';

interface Option {
  value: string;
  label: string;
}

const isActive = (task: Task) => task.status === 'open' || task.status === 'in_progress';

/** Active tasks first, soonest due first; undated ones after the dated. */
function byDue(a: Task, b: Task): number {
  if (isActive(a) !== isActive(b)) return isActive(a) ? -1 : 1;
  const due = (t: Task) => (t.dueAt ? Date.parse(t.dueAt) : Number.POSITIVE_INFINITY);
  return due(a) - due(b) || a.createdAt.localeCompare(b.createdAt);
}

/** Options for the owner and obligation selects, read once for the page. */
function useTaskOptions(incidentId: string, canWrite: boolean) {
  const canListStaff = useCan('users:read');
  const canReadObligations = useCan('obligations:read');
  const staff = useStaff(canWrite && canListStaff);
  const obligations = useQuery({ ...obligationsQuery(incidentId), enabled: canReadObligations });
  const owners: Option[] = (staff.data?.users ?? [])
    .filter((u) => u.status !== 'disabled')
    .map((u) => ({ value: u.id, label: u.displayName || u.email }));
  const obligationOptions: Option[] = (obligations.data?.obligations ?? []).map((o) => ({
    value: o.key,
    label: obligationTitle(o),
  }));
  return { owners, obligations: obligationOptions };
}

export function TasksPage({ incidentId }: { incidentId: string }) {
  const canWrite = useCan('incidents:write');
  const tasks = useQuery(tasksQuery(incidentId));
  const options = useTaskOptions(incidentId, canWrite);
  const [isShowingClosed, setShowingClosed] = useState(false);
  const all = [...(tasks.data?.tasks ?? [])].sort(byDue);
  const closed = all.filter((t) => !isActive(t)).length;
  const shown = isShowingClosed ? all : all.filter(isActive);

  return (
    <Stack gap="lg">
      {canWrite ? <NewTaskForm incidentId={incidentId} options={options} /> : null}
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Tasks</Title>
          <Text size="sm" c="dimmed">
            Who does what by when. Link a task to an obligation to track the work behind a legal notice.
          </Text>
        </div>
        {closed > 0 ? (
          <Switch
            label={`Show done and cancelled (${closed})`}
            checked={isShowingClosed}
            onChange={(e) => setShowingClosed(e.currentTarget.checked)}
          />
        ) : null}
      </Group>
      {tasks.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading tasks" />
        </Center>
      ) : tasks.error ? (
        <ErrorAlert error={tasks.error} title="The tasks could not be loaded" />
      ) : shown.length === 0 ? (
        <Text c="dimmed">
          {all.length === 0
            ? 'No tasks yet.'
            : `No open tasks: ${plural(closed, 'task is', 'tasks are')} done or cancelled.`}
        </Text>
      ) : (
        <TaskTable incidentId={incidentId} tasks={shown} options={options} canWrite={canWrite} />
      )}
    </Stack>
  );
}

function NewTaskForm({
  incidentId,
  options,
}: {
  incidentId: string;
  options: { owners: Option[]; obligations: Option[] };
}) {
  const queryClient = useQueryClient();
  const empty = {
    title: '',
    ownerId: null as string | null,
    dueAt: '',
    obligationKey: null as string | null,
  };
  const [form, setForm] = useState(empty);
  const create = useMutation({
    mutationFn: (body: CreateTaskRequest) => api.post<Task>(`/api/incidents/${incidentId}/tasks`, body),
    onSuccess: async () => {
      setForm(empty);
      await queryClient.invalidateQueries({ queryKey: incidentKeys.detail(incidentId) });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({
      title: form.title.trim(),
      ownerId: form.ownerId,
      dueAt: toInstant(form.dueAt),
      obligationKey: form.obligationKey,
    });
  }
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-label="New task">
      <Stack gap="sm">
        <Text fw={600}>New task</Text>
        <ErrorAlert error={create.error} title="The task was not created" />
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
          <TextInput
            label="Task"
            placeholder="e.g. Draft the notice letter"
            value={form.title}
            onChange={(e) => {
              const { value } = e.currentTarget;
              setForm((f) => ({ ...f, title: value }));
            }}
            maxLength={300}
            required
            error={fieldError(create.error, 'title')}
          />
          <Select
            label="Owner"
            placeholder="Unassigned"
            data={options.owners}
            value={form.ownerId}
            onChange={(ownerId) => setForm((f) => ({ ...f, ownerId }))}
            searchable
            clearable
            disabled={options.owners.length === 0}
          />
          <TextInput
            label="Due"
            type="datetime-local"
            value={form.dueAt}
            onChange={(e) => {
              const { value } = e.currentTarget;
              setForm((f) => ({ ...f, dueAt: value }));
            }}
            error={fieldError(create.error, 'dueAt')}
          />
          <Select
            label="For obligation"
            placeholder={options.obligations.length === 0 ? 'No obligations' : 'None'}
            data={options.obligations}
            value={form.obligationKey}
            onChange={(obligationKey) => setForm((f) => ({ ...f, obligationKey }))}
            searchable
            clearable
            disabled={options.obligations.length === 0}
          />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending} disabled={!form.title.trim()}>
            Add task
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function TaskTable({
  incidentId,
  tasks,
  options,
  canWrite,
}: {
  incidentId: string;
  tasks: Task[];
  options: { owners: Option[]; obligations: Option[] };
  canWrite: boolean;
}) {
  const queryClient = useQueryClient();
  const update = useMutation({
    mutationFn: ({ taskId, body }: { taskId: string; body: UpdateTaskRequest }) =>
      api.patch<Task>(`/api/incidents/${incidentId}/tasks/${taskId}`, body),
    onSettled: () => queryClient.invalidateQueries({ queryKey: incidentKeys.detail(incidentId) }),
  });
  const obligationLabel = (key: string) => options.obligations.find((o) => o.value === key)?.label ?? key;

  return (
    <Stack gap="sm">
      <ErrorAlert error={update.error} title="The task was not changed" />
      <Table.ScrollContainer minWidth={900}>
        <Table verticalSpacing="sm" aria-label="Tasks" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Task</Table.Th>
              <Table.Th scope="col">Owner</Table.Th>
              <Table.Th scope="col">Due</Table.Th>
              <Table.Th scope="col">Obligation</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tasks.map((task) => (
              <Table.Tr key={task.id}>
                <Table.Td>
                  <Text size="sm" fw={500} td={task.status === 'cancelled' ? 'line-through' : undefined}>
                    {task.title}
                  </Text>
                  {task.doneAt ? (
                    <Text size="xs" c="dimmed">
                      Done {formatDateTime(task.doneAt)}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td miw={200}>
                  {canWrite && options.owners.length > 0 ? (
                    <Select
                      aria-label={`Owner of ${task.title}`}
                      placeholder="Unassigned"
                      data={options.owners}
                      value={task.ownerId}
                      onChange={(ownerId) => update.mutate({ taskId: task.id, body: { ownerId } })}
                      searchable
                      clearable
                      size="xs"
                    />
                  ) : (
                    <Text size="sm" c={task.ownerEmail ? undefined : 'dimmed'}>
                      {task.ownerEmail ?? 'Unassigned'}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td miw={190}>
                  {canWrite ? (
                    <TextInput
                      key={task.dueAt ?? 'none'}
                      aria-label={`Due time of ${task.title}`}
                      type="datetime-local"
                      size="xs"
                      defaultValue={localInputValue(task.dueAt)}
                      // Saved when the field is left, not on every keystroke.
                      onBlur={(e) => {
                        const dueAt = toInstant(e.currentTarget.value);
                        if (dueAt !== task.dueAt && localInputValue(dueAt) !== localInputValue(task.dueAt)) {
                          update.mutate({ taskId: task.id, body: { dueAt } });
                        }
                      }}
                    />
                  ) : (
                    <Text size="sm">{formatDateTime(task.dueAt, 'No due date')}</Text>
                  )}
                  {task.dueAt && isActive(task) ? <Countdown dueAt={task.dueAt} size="xs" /> : null}
                </Table.Td>
                <Table.Td miw={220}>
                  {canWrite && options.obligations.length > 0 ? (
                    <Select
                      aria-label={`Obligation of ${task.title}`}
                      placeholder="None"
                      data={options.obligations}
                      value={task.obligationKey}
                      onChange={(obligationKey) =>
                        update.mutate({ taskId: task.id, body: { obligationKey } })
                      }
                      searchable
                      clearable
                      size="xs"
                    />
                  ) : task.obligationKey ? (
                    <Badge variant="light" color="grape" tt="none" maw="100%">
                      {obligationLabel(task.obligationKey)}
                    </Badge>
                  ) : (
                    <Text size="sm" c="dimmed">
                      —
                    </Text>
                  )}
                </Table.Td>
                <Table.Td miw={150}>
                  {canWrite ? (
                    <Select
                      aria-label={`Status of ${task.title}`}
                      data={taskStatuses.map((s) => ({ value: s, label: taskStatusLabels[s] }))}
                      value={task.status}
                      onChange={(status) =>
                        status &&
                        update.mutate({ taskId: task.id, body: { status: status as Task['status'] } })
                      }
                      allowDeselect={false}
                      size="xs"
                    />
                  ) : (
                    <Badge color={taskStatusColors[task.status]} variant="light">
                      {taskStatusLabels[task.status]}
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
