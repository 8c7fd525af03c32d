import { Alert } from '@mantine/core';
import { errorMessage, isApiError } from '../api/client.ts';

interface ErrorAlertProps {
  error: unknown;
  title?: string;
}

/** Shows the server's own explanation of what went wrong (written for the reader). */
export function ErrorAlert({ error, title }: ErrorAlertProps) {
  if (!error) return null;
  // For unexpected failures the request id lets an admin find the cause in the logs.
  const reference = isApiError(error) && error.status >= 500 ? error.requestId : undefined;
  return (
    <Alert color="red" variant="light" title={title} role="alert">
      {errorMessage(error)}
      {reference ? ` (Reference: ${reference})` : null}
    </Alert>
  );
}
