import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import autocannon from 'autocannon';
import { repoRoot } from './child-process.ts';

/**
 * "Am I affected?" against a running Candor (invariant 6: the same status, body and work for every input):
 * the lookup POST's throughput with rate limits off, and the median time of a lookup for an affected vs an
 * unaffected address, interleaved on one keep-alive connection so both see the same machine.
 */
export interface LookupTimings {
  requestsPerSecond: number;
  p99Ms: number;
  medianAffectedMs: number;
  medianUnaffectedMs: number;
}

export async function measureLookups(options: {
  base: string;
  noticePath: string;
  seconds: number;
  connections: number;
  samples: number;
  note: (line: string) => void;
}): Promise<LookupTimings> {
  const { base, noticePath, seconds, connections, samples, note } = options;
  const url = `${base}${noticePath}/lookup`;
  // A form token posts once, so the generator is handed tokens fetched beforehand (the form page is not
  // part of what is measured).
  const freshToken = async () => {
    const form = await fetch(url);
    const token = /name="form" value="([^"]+)"/.exec(await form.text())?.[1];
    if (!token) throw new Error('the lookup form has no token');
    return token;
  };
  const tokenCount = seconds * 2_000;
  note(`fetching ${tokenCount} lookup form tokens…`);
  const tokens: string[] = [];
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (tokens.length < tokenCount) tokens.push(await freshToken());
    }),
  );
  const affected = fs
    .readFileSync(path.join(repoRoot, 'examples/crm-customers.csv'), 'utf8')
    .split('\n')[2]!
    .split(',')[1]!;
  const body = (token: string, identifier: string) =>
    new URLSearchParams({ form: token, identifier, lang: 'en' }).toString();

  note(`lookup POST: ${seconds} s, ${connections} connections…`);
  const lookup = await autocannon({
    url,
    connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    amount: tokens.length,
    requests: [
      { setupRequest: (request) => ({ ...request, body: body(tokens.pop()!, 'someone.else@example.net') }) },
    ],
  });
  if (lookup.non2xx > 0 || lookup.errors > 0) {
    throw new Error(`lookup POST: ${lookup.non2xx} non-2xx responses and ${lookup.errors} errors`);
  }

  note(`affected vs unaffected: ${samples} lookups each, interleaved…`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const timeOne = async (identifier: string) => {
    const payload = body(await freshToken(), identifier);
    return new Promise<number>((resolve, reject) => {
      const started = process.hrtime.bigint();
      const request = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(payload),
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            if (response.statusCode !== 200) reject(new Error(`lookup answered ${response.statusCode}`));
            else resolve(Number(process.hrtime.bigint() - started) / 1e6);
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  };
  const times = { affected: [] as number[], unaffected: [] as number[] };
  for (let i = 0; i < 100; i++) await timeOne(i % 2 ? affected : 'warm.up@example.org');
  for (let i = 0; i < samples; i++) {
    times.affected.push(await timeOne(affected));
    times.unaffected.push(await timeOne(`nobody.${i % 50}@example.org`));
  }
  agent.destroy();
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
  return {
    requestsPerSecond: lookup.requests.average,
    p99Ms: lookup.latency.p99,
    medianAffectedMs: median(times.affected),
    medianUnaffectedMs: median(times.unaffected),
  };
}
