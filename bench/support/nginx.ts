import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type Child, freePort, startChild } from './child-process.ts';

/**
 * nginx serving the same bytes at the same path, when nginx is installed (a third reference: what a static
 * file server in C does on this machine). One worker, like the one Node process it is compared with.
 */
export function nginxBinary(): string | null {
  for (const candidate of ['nginx', '/usr/sbin/nginx', '/usr/local/sbin/nginx']) {
    try {
      execFileSync(candidate, ['-v'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

export async function startNginx(
  binary: string,
  directory: string,
  spec: { path: string; bodyFile: string; headers: Record<string, string> },
): Promise<{ child: Child; port: number }> {
  const port = await freePort();
  const root = path.join(directory, 'nginx-root');
  fs.mkdirSync(path.join(root, 'logs'), { recursive: true });
  const { 'content-type': contentType, ...others } = spec.headers;
  const addHeaders = Object.entries(others)
    .filter(([name]) => !['content-length', 'etag', 'last-modified'].includes(name))
    .map(([name, value]) => `      add_header ${name} ${JSON.stringify(value)} always;`)
    .join('\n');
  const conf = `
worker_processes 1;
daemon off;
pid ${root}/nginx.pid;
error_log ${root}/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${root}/body;
  proxy_temp_path ${root}/proxy;
  fastcgi_temp_path ${root}/fastcgi;
  uwsgi_temp_path ${root}/uwsgi;
  scgi_temp_path ${root}/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:${port};
    location = ${spec.path} {
      default_type ${JSON.stringify(contentType ?? 'text/html')};
      alias ${spec.bodyFile};
${addHeaders}
    }
  }
}
`;
  const confFile = path.join(root, 'nginx.conf');
  fs.writeFileSync(confFile, conf);
  const child = startChild(binary, ['-p', root, '-e', `${root}/logs/error.log`, '-c', confFile]);
  return { child, port };
}
