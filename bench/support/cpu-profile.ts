import fs from 'node:fs';
import path from 'node:path';

/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and sums self time by where the code lives: a package under
 * node_modules, a file of ours, or V8's own buckets ((idle), (garbage collector), (program)). Enough to say
 * whether a run spends its CPU in templates, MIME building, pg, crypto or waiting.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  byPlace: Array<{ place: string; ms: number; share: number }>;
  byFunction: Array<{ fn: string; ms: number; share: number }>;
  /** Time with a function of ours (src/, bench/) anywhere on the stack: where the engine's time goes. */
  inclusiveOurs: Array<{ fn: string; ms: number; share: number }>;
}

function placeOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native / node internals)';
  if (url.startsWith('node:')) return url.split('/')[0]!.replace(/:.*/, ':') + url.slice(5).split('/')[0];
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = file.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const src = file.indexOf('/src/');
  if (src >= 0) return file.slice(src + 1);
  const bench = file.indexOf('/bench/');
  if (bench >= 0) return file.slice(bench + 1);
  return path.basename(file);
}

export function summarizeCpuProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (node: ProfileNode) => {
    const { url, functionName, lineNumber } = node.callFrame;
    if (!url) return functionName || '(anonymous)';
    // tsx-compiled files report generated positions, so ours are named by file only.
    const at = url.includes('node_modules') || url.startsWith('node:') ? `:${lineNumber + 1}` : '';
    return `${functionName || '(anonymous)'} ${placeOf(url, functionName)}${at}`;
  };
  const isOurs = (node: ProfileNode) =>
    /\/(src|bench)\//.test(node.callFrame.url) && !node.callFrame.url.includes('node_modules');
  const inclusive = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at)!;
      if (!isOurs(node)) continue;
      const key = keyOf(node);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  });
  const places = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const place = placeOf(node.callFrame.url, node.callFrame.functionName);
    places.set(place, (places.get(place) ?? 0) + us);
    const fn = keyOf(node);
    functions.set(fn, (functions.get(fn) ?? 0) + us);
    totalUs += us;
  }
  const rank = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, us]) => ({ key, ms: Math.round(us / 1000), share: us / totalUs }));
  return {
    totalMs: Math.round(totalUs / 1000),
    byPlace: rank(places).map(({ key, ms, share }) => ({ place: key, ms, share })),
    byFunction: rank(functions).map(({ key, ms, share }) => ({ fn: key, ms, share })),
    inclusiveOurs: rank(inclusive).map(({ key, ms, share }) => ({ fn: key, ms, share })),
  };
}
