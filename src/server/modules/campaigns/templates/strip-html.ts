/**
 * Liquid's `strip_html`, in linear time. The stock filter is one regular expression
 * (`<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>|<.*?>|<!--[\s\S]*?-->`) that is quadratic on input
 * with many unclosed `<`: 45,000 of them took 0.7 s, and a 300,000-character capture would block the server
 * for minutes inside one filter call, where no render limit is checked. Same alternatives, same order,
 * but every search moves forward only.
 */
export function stripHtml(input: string): string {
  const scriptEnd = forwardFinder(input, '</script>');
  const styleEnd = forwardFinder(input, '</style>');
  const commentEnd = forwardFinder(input, '-->');
  const tagEnd = forwardFinder(input, '>');
  const lineEnd = forwardFinder(input, /[\n\r\u2028\u2029]/g);
  let output = '';
  let i = 0;
  while (i < input.length) {
    const open = input.indexOf('<', i);
    if (open < 0) {
      output += input.slice(i);
      break;
    }
    output += input.slice(i, open);
    const end = matchEnd(input, open, { scriptEnd, styleEnd, commentEnd, tagEnd, lineEnd });
    if (end < 0) {
      output += '<';
      i = open + 1;
    } else {
      i = end;
    }
  }
  return output;
}

type Finder = (from: number) => number;

interface Finders {
  scriptEnd: Finder;
  styleEnd: Finder;
  commentEnd: Finder;
  tagEnd: Finder;
  lineEnd: Finder;
}

/** Where the construct starting with `<` at `open` ends (exclusive), or -1 when no alternative matches. */
function matchEnd(input: string, open: number, find: Finders): number {
  if (input.startsWith('<script', open)) {
    const close = find.scriptEnd(open + 7);
    if (close >= 0) return close + '</script>'.length;
  }
  if (input.startsWith('<style', open)) {
    const close = find.styleEnd(open + 6);
    if (close >= 0) return close + '</style>'.length;
  }
  // `<.*?>`: `.` stops at line terminators.
  const gt = find.tagEnd(open + 1);
  const eol = find.lineEnd(open + 1);
  if (gt >= 0 && (eol < 0 || gt < eol)) return gt + 1;
  if (input.startsWith('<!--', open)) {
    const close = find.commentEnd(open + 4);
    if (close >= 0) return close + '-->'.length;
  }
  return -1;
}

/**
 * indexOf with memory: callers ask with non-decreasing `from` (or at least rarely going back), so a cached
 * answer at or after `from` is reused and a cached "not found" stays true; each needle is scanned about once.
 */
function forwardFinder(input: string, needle: string | RegExp): Finder {
  let searchedFrom = Number.POSITIVE_INFINITY;
  let found = -1;
  return (from) => {
    if (searchedFrom <= from && (found < 0 || found >= from)) return found;
    searchedFrom = from;
    if (typeof needle === 'string') {
      found = input.indexOf(needle, from);
    } else {
      needle.lastIndex = from;
      found = needle.exec(input)?.index ?? -1;
    }
    return found;
  };
}
