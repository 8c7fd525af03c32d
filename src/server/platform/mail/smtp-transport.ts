import net from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';

/**
 * The one way Candor opens SMTP: a nodemailer pool from `SMTP_URL` (its query may override the pool
 * options), with sockets opened by Candor with TCP_NODELAY. Nagle's algorithm with the server's delayed ACK
 * stalls every SMTP exchange ~40 ms and nodemailer never turns it off; nodemailer still does TLS on them.
 */
export function createSmtpTransport(
  smtpUrl: string,
  options: {
    maxConnections?: number;
    dkim?: { domainName: string; keySelector: string; privateKey: string } | undefined;
  } = {},
): Transporter {
  const url = new URL(smtpUrl);
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  if (!url.searchParams.has('maxConnections')) {
    url.searchParams.set('maxConnections', String(options.maxConnections ?? 5));
  }
  if (!url.searchParams.has('maxMessages')) url.searchParams.set('maxMessages', 'Infinity');
  const transport = nodemailer.createTransport(
    url.toString(),
    options.dkim ? { dkim: options.dkim } : undefined,
  );
  (transport.transporter as unknown as { getSocket: typeof noDelaySocket }).getSocket = noDelaySocket;
  return transport;
}

/** Opens an SMTP connection with TCP_NODELAY for nodemailer's `getSocket` hook. */
export function noDelaySocket(
  options: { host?: string; port?: number; secure?: boolean; connectionTimeout?: number },
  callback: (error: Error | null, socketOptions?: { connection: net.Socket }) => void,
): void {
  const socket = net.connect({
    host: options.host ?? 'localhost',
    port: options.port ?? (options.secure ? 465 : 587),
    noDelay: true,
  });
  const timer = setTimeout(
    () => socket.destroy(new Error('SMTP connection timed out')),
    options.connectionTimeout ?? 30_000,
  );
  const onError = (error: Error) => {
    clearTimeout(timer);
    callback(error);
  };
  socket.once('error', onError);
  socket.once('connect', () => {
    clearTimeout(timer);
    // From here nodemailer owns the socket and its errors.
    socket.off('error', onError);
    callback(null, { connection: socket });
  });
}
