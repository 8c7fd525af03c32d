// The baseline of `npm run bench:public`: a bare Node `http` server, alone in its own process, answering
// one path with fixed bytes and fixed headers (what Candor sent for that path, replayed), anything else 404.
// Argument: a JSON file { path, status, headers, bodyFile }. Prints {"port": n} on stdout once listening.
import fs from 'node:fs';
import http from 'node:http';

const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const body = fs.readFileSync(spec.bodyFile);
const headers = { ...spec.headers, 'content-length': String(body.length) };

const server = http.createServer((request, response) => {
  if (request.method === 'GET' && request.url === spec.path) {
    response.writeHead(spec.status, headers);
    response.end(body);
    return;
  }
  response.writeHead(404, { 'content-type': 'text/plain' });
  response.end('not found');
});
server.keepAliveTimeout = 72_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
