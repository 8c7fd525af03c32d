import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, setReauthHandler } from '../api/client.ts';
import { sessionQueryKey } from '../api/session.ts';
import type { ReauthResult } from '../api/types.ts';
import { CodeInput, isSixDigits } from './CodeInput.tsx';
import { ErrorAlert } from './ErrorAlert.tsx';

/**
 * Answers the server's `reauth_required` for any request: asks for the password and a fresh code, then
 * lets the client retry the original request once. Mounted once, at the root of the app.
 */
export function ReauthModal() {
  const queryClient = useQueryClient();
  const [isOpen, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [isPending, setPending] = useState(false);
  // One prompt answers every request that asked at the same time.
  const pending = useRef<{ promise: Promise<boolean>; resolve: (ok: boolean) => void } | null>(null);

  useEffect(() => {
    setReauthHandler(() => {
      if (!pending.current) {
        let resolve: (ok: boolean) => void = () => {};
        const promise = new Promise<boolean>((done) => {
          resolve = done;
        });
        pending.current = { promise, resolve };
        setPassword('');
        setCode('');
        setError(null);
        setOpen(true);
      }
      return pending.current.promise;
    });
    return () => setReauthHandler(null);
  }, []);

  function finish(ok: boolean) {
    setOpen(false);
    setPassword('');
    setCode('');
    pending.current?.resolve(ok);
    pending.current = null;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await api.post<ReauthResult>('/api/auth/reauth', { password, code });
      await queryClient.invalidateQueries({ queryKey: sessionQueryKey });
      finish(true);
    } catch (caught) {
      setError(caught);
      setCode('');
    } finally {
      setPending(false);
    }
  }

  return (
    // Above any dialog that made the request (their z-index is 200).
    <Modal opened={isOpen} onClose={() => finish(false)} title="Confirm it’s you" centered zIndex={400}>
      <form onSubmit={submit}>
        <Stack gap="md">
          <Text size="sm">
            This change is sensitive. Enter your password and a code from your authenticator app; you won’t be
            asked again for a few minutes.
          </Text>
          <ErrorAlert error={error} />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            required
            data-autofocus
          />
          <CodeInput value={code} onChange={setCode} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => finish(false)}>
              Cancel
            </Button>
            <Button type="submit" loading={isPending} disabled={!password || !isSixDigits(code)}>
              Confirm
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
