import { inflateSync } from 'node:zlib';

// Windows-1252 in 0x80–0x9F (Node's TextDecoder reads that range as Latin-1).
const CP1252_C1 = [...'€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8dŽ\x8f\x90‘’“”•–—˜™š›œ\x9džŸ'];

/**
 * The text pdfkit drew on each page, in page order (its content streams, inflated; WinAnsi decoded). Good
 * for our own PDFs (built-in fonts, one content stream per page), not a general PDF reader.
 */
export function pdfPages(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const pages: string[] = [];
  for (const match of raw.matchAll(/(?<!end)stream\n/g)) {
    const start = match.index + match[0].length;
    const end = raw.indexOf('\nendstream', start);
    const content = inflateSync(pdf.subarray(start, end)).toString('latin1');
    const lines = [...content.matchAll(/\[(.*?)\] TJ/g)].map((tj) => {
      const hex = [...tj[1]!.matchAll(/<([0-9a-f]*)>/g)].map((h) => h[1]).join('');
      return Buffer.from(hex, 'hex')
        .toString('latin1')
        .replace(/[\x80-\x9f]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80]!);
    });
    pages.push(lines.join('\n'));
  }
  return pages;
}
