// Longer than ~400 lines on purpose: the one table of every setting (it generates `candor config` and the
// README's table); one entry per variable reads better than the same list spread over files.
import path from 'node:path';
import { z } from 'zod';

/**
 * The one description of Candor's configuration. Parsed once at start from the environment; each key's
 * description feeds `candor config` and the README table. No secret has a default: in embedded mode the
 * keys are generated into the data directory on first start, with DATABASE_URL they must be given.
 */
const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const match = /^(\d+)\s*(ms|s|m|h|d)$/.exec(value.trim());
      if (!match) {
        ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration like 30m, 12h or 45s` });
        return z.NEVER;
      }
      const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'ms'];
      return Number(match[1]) * unit;
    });

const port = z.coerce.number().int().min(0).max(65535);

export const configSchema = z
  .object({
    NODE_ENV: z
      .enum(['development', 'production', 'test'])
      .default('development')
      .describe('Runtime mode; production turns off developer conveniences.'),
    HOST: z.string().default('127.0.0.1').describe('Address the HTTP server listens on.'),
    PORT: port.default(3000).describe('Port the HTTP server listens on.'),
    CANDOR_PUBLIC_URL: z
      .url()
      .optional()
      .describe(
        'Public base URL of this installation (e.g. https://breach.example.com); used in links. Default: http://localhost:PORT.',
      ),
    CANDOR_DATA_DIR: z
      .string()
      .default('./data')
      .describe('Directory for the embedded PostgreSQL cluster and generated key files.'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional()
      .describe(
        'External PostgreSQL (15 or newer). When unset, Candor runs an embedded PostgreSQL under CANDOR_DATA_DIR.',
      ),
    CANDOR_EMBEDDED_PG_PORT: port
      .default(0)
      .describe('Port for the embedded PostgreSQL (0 picks a free port). Ignored with DATABASE_URL.'),
    CANDOR_EMBEDDED_PG_HOME: z
      .string()
      .default('/var/lib/candor')
      .describe(
        'Run as root, the embedded PostgreSQL runs as the OS user postgres; when that user cannot enter CANDOR_DATA_DIR (a checkout in /root), its binaries and cluster go here instead and DATA_DIR/pg links to the cluster.',
      ),
    DATABASE_POOL_SIZE: z.coerce
      .number()
      .int()
      .min(1)
      .max(200)
      .default(10)
      .describe('Connections per process.'),
    CANDOR_MASTER_KEY: z
      .string()
      .optional()
      .describe(
        'Key-encryption key: 32 random bytes, base64. Required with DATABASE_URL unless CANDOR_MASTER_KEY_FILE is set.',
      ),
    CANDOR_MASTER_KEY_PREVIOUS: z
      .string()
      .optional()
      .describe(
        'Comma-separated earlier master keys (base64), kept readable while `candor keys rotate` re-wraps.',
      ),
    CANDOR_MASTER_KEY_FILE: z
      .string()
      .optional()
      .describe(
        'Path to a key file (JSON, mode 0600) holding the master keys. Default in embedded mode: DATA_DIR/keys.json.',
      ),
    CANDOR_SESSION_IDLE_TIMEOUT: duration('30m').describe(
      'A staff session ends after this long without a request.',
    ),
    CANDOR_SESSION_ABSOLUTE_TIMEOUT: duration('12h').describe(
      'A staff session ends this long after sign-in, whatever happens.',
    ),
    CANDOR_REAUTH_WINDOW: duration('5m').describe(
      'How long a re-authentication (password + code) allows sensitive changes such as roles, MFA and keys.',
    ),
    CANDOR_SETUP_LINK_TTL: duration('72h').describe('How long an invitation or setup link stays valid.'),
    CANDOR_BODY_LIMIT: z.coerce
      .number()
      .int()
      .min(1024)
      .default(1_048_576)
      .describe('Largest accepted request body in bytes for the JSON API.'),
    CANDOR_UPLOAD_LIMIT: z.coerce
      .number()
      .int()
      .min(1024)
      .default(2_147_483_648)
      .describe(
        'Largest breach file accepted by upload in the console, in bytes (larger: use CANDOR_IMPORT_DIR).',
      ),
    CANDOR_IMPORT_DIR: z
      .string()
      .optional()
      .describe(
        'Folder on the server whose files the console may import by name. Default: DATA_DIR/imports.',
      ),
    CANDOR_IMPORT_THREADS: z.coerce
      .number()
      .int()
      .min(0)
      .max(64)
      .default(2)
      .describe(
        'Worker threads that normalize, hash and encrypt records during an import (0: in the import thread).',
      ),
    CANDOR_IMPORT_THREADS_FROM: z.coerce
      .number()
      .int()
      .min(0)
      .default(16_777_216)
      .describe(
        'Files at least this large (bytes) are built in worker threads; smaller ones in the import thread.',
      ),
    CANDOR_RULES_FILE: z
      .string()
      .optional()
      .describe(
        'Obligations rules file replacing the built-in one (e.g. a copy your counsel reviewed). Checked at start: a rule that fails stops the process, naming the rule.',
      ),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
      .optional()
      .describe(
        'SMTP server for outgoing mail, e.g. smtp://user:pass@mail.example.com:587. When unset, staff mail (deadline alerts) is kept in the console outbox.',
      ),
    DKIM_DOMAIN: z
      .string()
      .optional()
      .describe('Domain that signs notices with DKIM (with DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE).'),
    DKIM_SELECTOR: z.string().optional().describe('DKIM selector, e.g. candor2026.'),
    DKIM_PRIVATE_KEY_FILE: z
      .string()
      .optional()
      .describe('Path to the PEM private key that signs notices with DKIM.'),
    EMAIL_WEBHOOK_SECRET: z
      .string()
      .optional()
      .describe(
        'HMAC secret for /api/hooks/email (bounce and delivery reports from an email provider, signed like SMS webhooks).',
      ),
    CANDOR_INBOUND_SMTP_PORT: port
      .optional()
      .describe(
        'Port of the built-in inbound SMTP listener (off when unset). It takes bounce reports sent to CANDOR_BOUNCE_ADDRESS and questions sent to CANDOR_SUPPORT_ADDRESSES.',
      ),
    CANDOR_BOUNCE_ADDRESS: z
      .email()
      .optional()
      .describe(
        'Envelope sender of notices: bounce reports come back here (route its domain to the inbound listener).',
      ),
    CANDOR_INBOUND_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(10_000)
      .default(10_000_000)
      .describe('Largest inbound email accepted, in bytes.'),
    CANDOR_SUPPORT_ADDRESSES: z
      .string()
      .default('')
      .transform((v, ctx) => {
        const list = v
          .split(',')
          .map((a) => a.trim().toLowerCase())
          .filter(Boolean);
        for (const address of list) {
          if (!z.email().safeParse(address).success) {
            ctx.addIssue({ code: 'custom', message: `"${address}" is not an email address` });
            return z.NEVER;
          }
        }
        return list;
      })
      .describe(
        'Comma-separated support addresses whose mail the inbound SMTP listener files in the support inbox (e.g. help@example.com).',
      ),
    CANDOR_ATTACHMENT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(0)
      .default(5_000_000)
      .describe(
        'Largest attachment kept from an inbound email (larger ones are dropped and noted); 0 keeps none.',
      ),
    INBOX_WEBHOOK_SECRET: z
      .string()
      .optional()
      .describe(
        'HMAC secret for /api/hooks/inbox/email and /api/hooks/sms/webhook/inbound (inbound email and SMS from a provider, signed like SMS webhooks).',
      ),
    SMS_PROVIDER: z
      .enum(['none', 'twilio', 'webhook'])
      .default('none')
      .describe(
        'How SMS notices leave: a Twilio-compatible REST API, a signed webhook, or none (kept in the console outbox).',
      ),
    SMS_FROM: z.string().optional().describe('Sender number or id for SMS notices.'),
    SMS_TWILIO_BASE_URL: z
      .url()
      .default('https://api.twilio.com')
      .describe(
        'Base URL of the Twilio-compatible API (point it at another compatible provider or a test double).',
      ),
    SMS_TWILIO_ACCOUNT_SID: z.string().optional().describe('Account SID for SMS_PROVIDER=twilio.'),
    SMS_TWILIO_AUTH_TOKEN: z
      .string()
      .optional()
      .describe('Auth token for SMS_PROVIDER=twilio; also verifies its delivery receipts.'),
    SMS_WEBHOOK_URL: z.url().optional().describe('Endpoint for SMS_PROVIDER=webhook.'),
    SMS_WEBHOOK_SECRET: z
      .string()
      .optional()
      .describe('HMAC secret that signs webhook SMS requests and verifies receipts.'),
    CANDOR_SEND_RATES: z
      .string()
      .default('')
      .transform((value, ctx) => {
        const rates: Record<string, number> = {};
        for (const part of value
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean)) {
          const match = /^([a-z_]+)\s*=\s*(\d+(?:\.\d+)?)$/.exec(part);
          if (!match) {
            ctx.addIssue({
              code: 'custom',
              message: `"${part}" is not name=messages-per-second (e.g. email=200,sms=10,update=50)`,
            });
            return z.NEVER;
          }
          rates[match[1]!] = Number(match[2]);
        }
        return rates;
      })
      .describe(
        "Send rates in messages per second across every process: email= and sms= cap the provider (e.g. email=14 for a provider that allows 14/s), a message kind (lookup, update, contact_ack, …) overrides its own throttle; 0 removes a limit. Empty: no provider cap, the kinds' defaults.",
      ),
    CANDOR_DELIVERY_BATCH: z.coerce
      .number()
      .int()
      .min(1)
      .max(5000)
      .default(200)
      .describe('Deliveries a worker claims at a time (also the most a crash can send twice, per worker).'),
    CANDOR_DELIVERY_CONCURRENCY: z.coerce
      .number()
      .int()
      .min(1)
      .max(500)
      .default(16)
      .describe('Messages a worker sends at once.'),
    CANDOR_DELIVERY_LEASE: duration('2m').describe(
      'How long a claimed batch stays with its worker; after a crash, others take it over once it expires.',
    ),
    CANDOR_RENDER_THREADS: z.coerce
      .number()
      .int()
      .min(0)
      .max(16)
      .default(1)
      .describe(
        'Worker threads per sending process that render large batches of notices, so templates do not slow sending (0: render in the sending thread).',
      ),
    CANDOR_DELIVERY_IN_SERVE: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true')
      .describe(
        'Send campaign messages from `candor serve` too (one process is enough); set false when workers do it.',
      ),
    CANDOR_NOTICE_URL: z
      .url()
      .optional()
      .describe(
        'Base URL of the public notice site when it has its own domain (e.g. https://incident.example.com); it must reach this server. Default: CANDOR_PUBLIC_URL.',
      ),
    CANDOR_PUBLIC_RATE_LIMITS: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true')
      .describe("Rate-limit the public site's forms (turn off only for load tests)."),
    CANDOR_LOOKUP_PER_IP: z.coerce
      .number()
      .int()
      .min(1)
      .default(10)
      .describe('"Am I affected?" lookups one IP address may make per 10 minutes.'),
    CANDOR_LOOKUP_PER_NETWORK: z.coerce
      .number()
      .int()
      .min(1)
      .default(60)
      .describe('Lookups one network (IPv4 /24, IPv6 /48) may make per 10 minutes.'),
    CANDOR_LOOKUP_GLOBAL: z.coerce
      .number()
      .int()
      .min(1)
      .default(20_000)
      .describe('Lookups the whole site accepts per 10 minutes.'),
    CANDOR_LOOKUP_CHALLENGE_AT: z.coerce
      .number()
      .int()
      .min(0)
      .default(2_000)
      .describe(
        'Site-wide lookups per 10 minutes above which forms ask the browser for a proof of work (0: always).',
      ),
    CANDOR_LOOKUP_CHALLENGE_BITS: z.coerce
      .number()
      .int()
      .min(1)
      .max(26)
      .default(16)
      .describe(
        'Difficulty of that proof of work (leading zero bits of a SHA-256; each bit doubles the work).',
      ),
    CANDOR_MAIL_FROM: z
      .string()
      .default('Candor <candor@localhost>')
      .describe('From address of the mail Candor sends to staff.'),
    CANDOR_TRUST_PROXY: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true')
      .describe('Trust X-Forwarded-* headers (set when behind a load balancer).'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info')
      .describe('Log verbosity. Logs never carry personal data.'),
  })
  .superRefine((env, ctx) => {
    const needs: Record<string, Array<keyof typeof env>> = {
      twilio: ['SMS_TWILIO_ACCOUNT_SID', 'SMS_TWILIO_AUTH_TOKEN', 'SMS_FROM'],
      webhook: ['SMS_WEBHOOK_URL', 'SMS_WEBHOOK_SECRET', 'SMS_FROM'],
    };
    for (const key of needs[env.SMS_PROVIDER] ?? []) {
      if (!env[key]) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `is required with SMS_PROVIDER=${env.SMS_PROVIDER}`,
        });
      }
    }
    if (env.DATABASE_URL && !env.CANDOR_MASTER_KEY && !env.CANDOR_MASTER_KEY_FILE) {
      ctx.addIssue({
        code: 'custom',
        path: ['CANDOR_MASTER_KEY'],
        message:
          'is required with DATABASE_URL (or set CANDOR_MASTER_KEY_FILE); generate one with `openssl rand -base64 32`',
      });
    }
    if (env.CANDOR_MASTER_KEY && env.CANDOR_MASTER_KEY_FILE) {
      ctx.addIssue({
        code: 'custom',
        path: ['CANDOR_MASTER_KEY_FILE'],
        message: 'set either CANDOR_MASTER_KEY or CANDOR_MASTER_KEY_FILE, not both',
      });
    }
  });

type RawConfig = z.output<typeof configSchema>;

export interface Config extends RawConfig {
  publicUrl: string;
  /** Base URL of the public notice site (its own domain, or the installation's). */
  noticeUrl: string;
  dataDir: string;
  isEmbeddedDatabase: boolean;
  isHttps: boolean;
  /** Whether CANDOR_PUBLIC_URL / CANDOR_NOTICE_URL were given (else the CLI adopts the server's address). */
  isPublicUrlSet: boolean;
  isNoticeUrlSet: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
  }
}

export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const value = variable in env && !/KEY|URL/.test(variable) ? ` (got "${env[variable]}")` : '';
    throw new ConfigError(variable, `${issue.message}${value}`);
  }
  const raw = parsed.data;
  const publicUrl = (raw.CANDOR_PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, '');
  return {
    ...raw,
    publicUrl,
    noticeUrl: (raw.CANDOR_NOTICE_URL ?? publicUrl).replace(/\/+$/, ''),
    isPublicUrlSet: raw.CANDOR_PUBLIC_URL !== undefined,
    isNoticeUrlSet: raw.CANDOR_NOTICE_URL !== undefined,
    dataDir: path.resolve(raw.CANDOR_DATA_DIR),
    isEmbeddedDatabase: !raw.DATABASE_URL,
    isHttps: publicUrl.startsWith('https://'),
  };
}

/** Rows for `candor config` and the README table, straight from the schema. */
export function describeConfig(): Array<{ name: string; default: string; description: string }> {
  const shape = configSchema.shape as Record<string, z.ZodType>;
  return Object.entries(shape).map(([name, schema]) => ({
    name,
    default: inputDefault(schema),
    description: schema.description ?? '',
  }));
}

/** The default as the user would write it (before transforms such as "30m" → milliseconds). */
function inputDefault(schema: z.ZodType): string {
  let def = (schema as unknown as { def: Record<string, unknown> }).def;
  for (let depth = 0; depth < 5 && def; depth++) {
    if ('defaultValue' in def) return String(def.defaultValue);
    const inner = (def.in ?? def.innerType) as { def: Record<string, unknown> } | undefined;
    def = inner?.def as Record<string, unknown>;
  }
  return '';
}
