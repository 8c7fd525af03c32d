export const linkInvalidMessage = 'This link has expired or was already used. Ask an admin for a new one.';

/**
 * The setup link carries its token in the URL fragment (`/setup#token=…`), which browsers never send to a
 * server. Read it once, then drop it from the address bar and history so it is not left behind.
 */
export function readSetupToken(): string | null {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  return params.get('token')?.trim() || null;
}

export function clearUrlFragment(): void {
  if (!window.location.hash) return;
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
}
