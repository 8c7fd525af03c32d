import { Button, Group, Modal, Radio, Stack, Text, Textarea } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { decideRequest } from '../../../shared/contracts/obligations.ts';
import type { DecideRequest, Obligation } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { fieldError } from '../incidents/incident-queries.ts';
import { obligationStatusLabels, obligationTitle } from './obligation-labels.ts';
import { useDecide } from './obligation-queries.ts';

type Status = Obligation['status'];

const choices: Record<Status, { label: string; description: string }> = {
  done: {
    label: 'Done',
    description: 'The notice was given. Say what shows it (portal confirmation, letter reference, email).',
  },
  not_required: {
    label: 'Not required',
    description: 'Counsel decided no notice is needed here. The reasons are the decision record.',
  },
  open: {
    label: 'Reopen',
    description: 'The obligation needs action again, e.g. new facts or a decision made in error.',
  },
};

export function DecisionModal({
  incidentId,
  obligation,
  onClose,
}: {
  incidentId: string;
  obligation: Obligation | null;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={obligation !== null}
      onClose={onClose}
      title={obligation ? `Record a decision: ${obligationTitle(obligation)}` : 'Record a decision'}
      size="lg"
    >
      {obligation ? <DecisionForm incidentId={incidentId} obligation={obligation} onClose={onClose} /> : null}
    </Modal>
  );
}

function DecisionForm({
  incidentId,
  obligation,
  onClose,
}: {
  incidentId: string;
  obligation: Obligation;
  onClose: () => void;
}) {
  const options = (['done', 'not_required', 'open'] as const).filter((s) => s !== obligation.status);
  const [status, setStatus] = useState<Status>(options[0]!);
  const [reasons, setReasons] = useState('');
  const [evidence, setEvidence] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const decide = useDecide(incidentId, onClose);

  function submit(event: FormEvent) {
    event.preventDefault();
    // The same rules as the server, so the reader learns what is missing before sending.
    const parsed = decideRequest.safeParse({ status, reasons, evidence });
    if (!parsed.success) {
      setProblems(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setProblems({});
    const body: DecideRequest = parsed.data;
    decide.mutate({ key: obligation.key, body });
  }

  const reasonsError = problems.reasons ?? fieldError(decide.error, 'reasons');
  const evidenceError = problems.evidence ?? fieldError(decide.error, 'evidence');

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm">
          Now <strong>{obligationStatusLabels[obligation.status]}</strong>. The decision is kept with your
          name, the time and the rules version, in the obligation’s history and the audit log.
        </Text>
        <ErrorAlert error={decide.error} title="The decision was not recorded" />
        <Radio.Group
          label="Decision"
          value={status}
          onChange={(value) => {
            setStatus(value as Status);
            setProblems({});
          }}
        >
          <Stack gap="sm" mt="xs">
            {options.map((option) => (
              <Radio
                key={option}
                value={option}
                label={choices[option].label}
                description={choices[option].description}
              />
            ))}
          </Stack>
        </Radio.Group>
        {status === 'done' ? (
          <Textarea
            label="Evidence"
            description="e.g. “Submitted on the AG portal, confirmation 12345” (at least 3 characters)."
            value={evidence}
            onChange={(e) => {
              setEvidence(e.currentTarget.value);
              setProblems(({ evidence: _, ...rest }) => rest);
            }}
            maxLength={2000}
            required
            autosize
            minRows={2}
            error={evidenceError}
          />
        ) : null}
        <Textarea
          label={status === 'not_required' ? 'Reasons' : 'Reasons (optional)'}
          description={
            status === 'not_required'
              ? 'Why no notice is required: the legal analysis, e.g. the risk-of-harm assessment (at least 10 characters).'
              : 'Context for the record.'
          }
          value={reasons}
          onChange={(e) => {
            setReasons(e.currentTarget.value);
            setProblems(({ reasons: _, ...rest }) => rest);
          }}
          maxLength={10_000}
          required={status === 'not_required'}
          autosize
          minRows={3}
          maxRows={10}
          error={reasonsError}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={decide.isPending}>
            Record decision
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
