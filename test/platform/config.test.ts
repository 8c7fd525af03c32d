import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configSchema, describeConfig, parseConfig } from '../../src/server/config.ts';
import { newMasterKey, runCandor } from './helpers.ts';

/** Calls parseConfig and returns the ConfigError it throws (failing the test when it throws none). */
function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`parseConfig accepted ${JSON.stringify(env)}`);
}

describe('parseConfig', () => {
  it('gives every optional setting its documented default', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: 3000,
      DATABASE_POOL_SIZE: 10,
      CANDOR_EMBEDDED_PG_PORT: 0,
      CANDOR_SESSION_IDLE_TIMEOUT: 30 * 60_000,
      CANDOR_SESSION_ABSOLUTE_TIMEOUT: 12 * 3_600_000,
      CANDOR_REAUTH_WINDOW: 5 * 60_000,
      CANDOR_SETUP_LINK_TTL: 72 * 3_600_000,
      CANDOR_BODY_LIMIT: 1_048_576,
      CANDOR_TRUST_PROXY: false,
      LOG_LEVEL: 'info',
      publicUrl: 'http://localhost:3000',
      dataDir: path.resolve('./data'),
      isEmbeddedDatabase: true,
      isHttps: false,
    });
    expect(config.CANDOR_MASTER_KEY).toBeUndefined();
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('refuses a PORT that is not a number, naming PORT and the value', () => {
    const error = configErrorOf({ PORT: 'abc' });
    expect(error.variable).toBe('PORT');
    expect(error.message).toMatch(/^Invalid configuration: PORT .*"abc"/);
  });

  it('reads durations with a unit, and refuses one without', () => {
    expect(parseConfig({ CANDOR_SESSION_IDLE_TIMEOUT: '45m' }).CANDOR_SESSION_IDLE_TIMEOUT).toBe(2_700_000);
    expect(parseConfig({ CANDOR_REAUTH_WINDOW: '90s' }).CANDOR_REAUTH_WINDOW).toBe(90_000);
    const error = configErrorOf({ CANDOR_SESSION_IDLE_TIMEOUT: 'soon' });
    expect(error.variable).toBe('CANDOR_SESSION_IDLE_TIMEOUT');
    expect(error.message).toContain('"soon" is not a duration like 30m');
  });

  it('requires a master key with DATABASE_URL, saying how to make one', () => {
    const error = configErrorOf({ DATABASE_URL: 'postgres://candor@db.internal/candor' });
    expect(error.variable).toBe('CANDOR_MASTER_KEY');
    expect(error.message).toContain('openssl rand -base64 32');
    expect(parseConfig({ DATABASE_URL: 'postgres://db/x', CANDOR_MASTER_KEY_FILE: '/k.json' })).toMatchObject(
      {
        isEmbeddedDatabase: false,
      },
    );
  });

  // pins: a master key or database password copied into logs through a configuration error
  it('refuses both a master key and a key file without echoing either secret', () => {
    const key = newMasterKey();
    const error = configErrorOf({ CANDOR_MASTER_KEY: key, CANDOR_MASTER_KEY_FILE: '/etc/candor/keys.json' });
    expect(error.variable).toBe('CANDOR_MASTER_KEY_FILE');
    expect(error.message).toContain('not both');
    expect(error.message).not.toContain(key);
    const badUrl = configErrorOf({ DATABASE_URL: 'mysql://candor:hunter2-secret@db/candor' });
    expect(badUrl.variable).toBe('DATABASE_URL');
    expect(badUrl.message).not.toContain('hunter2-secret');
  });
});

describe('describeConfig', () => {
  it('describes every key of the schema once, and gives no secret a default', () => {
    const rows = describeConfig();
    expect(rows.map((r) => r.name).sort()).toEqual(Object.keys(configSchema.shape).sort());
    for (const row of rows) expect(row.description, row.name).toMatch(/\w{3,}.*\./);
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get('PORT')?.default).toBe('3000');
    expect(byName.get('CANDOR_SESSION_IDLE_TIMEOUT')?.default).toBe('30m');
    for (const secret of ['CANDOR_MASTER_KEY', 'CANDOR_MASTER_KEY_PREVIOUS', 'DATABASE_URL']) {
      expect(byName.get(secret)?.default, secret).toBe('');
    }
  });
});

describe('the candor command', () => {
  it('stops on bad configuration with one line naming the variable', async () => {
    // An unreachable database: were PORT accepted, the command would fail differently, not hang or touch data.
    const result = await runCandor(['migrate'], {
      PORT: 'abc',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
      CANDOR_MASTER_KEY: newMasterKey(),
    });
    expect(result.code).not.toBe(0);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^candor: Invalid configuration: PORT .*"abc"/);
    expect(result.stdout).toBe('');
  });

  it('refuses an unknown command, naming it and pointing to --help', async () => {
    const result = await runCandor(['nosuchcommand']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("unknown command 'nosuchcommand'");
    expect(result.stderr).toContain('--help');
  });

  it('lists its commands with --help', async () => {
    const result = await runCandor(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['serve', 'worker', 'migrate', 'admin', 'user', 'audit', 'keys']) {
      expect(result.stdout, command).toMatch(new RegExp(`^ {2}${command}\\s+\\S`, 'm'));
    }
  });
});
