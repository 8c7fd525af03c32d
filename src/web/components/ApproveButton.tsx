import { Button, type ButtonProps, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import type { ConsistencyWarningDto } from '../../shared/contracts/consistency.ts';
import { ConsistencyList } from './ConsistencyList.tsx';
import { SendingWarnings } from './SendingWarnings.tsx';

interface Props extends Omit<ButtonProps, 'children' | 'onClick'> {
  children: ReactNode;
  /** The dialog's title, e.g. "Approve version 3?". */
  dialogTitle: string;
  /** Why the button is disabled, as its tooltip. */
  tooltip?: string | undefined;
  /** What approving means, in plain words. */
  message: ReactNode;
  /** The consistency check's findings on the text being approved. */
  consistency: readonly ConsistencyWarningDto[];
  /** Anything else to know before sending (the company name not set, say). */
  warnings?: readonly string[];
  onConfirm: () => void;
  'aria-label'?: string;
}

/**
 * Legal's approval, asked in a dialog that first shows what the consistency check found: sentences that
 * deny what the data shows exposed, exposed categories the text never names. Approving anyway is allowed
 * (the check is a heuristic); the dialog makes sure it is a decision.
 */
export function ApproveButton({
  children,
  dialogTitle,
  tooltip,
  message,
  consistency,
  warnings = [],
  onConfirm,
  ...buttonProps
}: Props) {
  const [isOpen, { open, close }] = useDisclosure(false);
  const hasFindings = consistency.length > 0 || warnings.length > 0;
  return (
    <>
      <Button color="teal" {...buttonProps} title={tooltip} onClick={open}>
        {children}
      </Button>
      <Modal opened={isOpen} onClose={close} title={dialogTitle} size="lg">
        <Stack gap="md">
          <Text size="sm">{message}</Text>
          <SendingWarnings warnings={warnings} />
          {consistency.length > 0 ? (
            <Stack gap={6}>
              <Title order={3} size="h5">
                The consistency check found {consistency.length}{' '}
                {consistency.length === 1 ? 'problem' : 'problems'} with the data
              </Title>
              <ConsistencyList warnings={consistency} />
            </Stack>
          ) : (
            <Text size="sm" c="teal.8">
              The consistency check found nothing: the texts deny nothing the data shows exposed, and name
              every category exposed for more than the company’s share of people.
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              color={hasFindings ? 'orange' : 'teal'}
              onClick={() => {
                close();
                onConfirm();
              }}
            >
              {hasFindings ? 'Approve anyway' : 'Approve'}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
