import { Alert } from '@mantine/core';
import { NOT_LEGAL_ADVICE } from '../../../shared/contracts/obligations.ts';

/** The "not legal advice" line, on every screen that shows obligations. */
export function Disclaimer({ text }: { text?: string | undefined }) {
  return (
    <Alert color="yellow" variant="light" title="Not legal advice" role="note" py="xs">
      {text || NOT_LEGAL_ADVICE}
    </Alert>
  );
}
