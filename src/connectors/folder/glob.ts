/**
 * A small glob matcher for include/exclude patterns of folder sources (relative paths with `/`).
 * Node 20's `path.matchesGlob` is experimental and warns on every process, so Kura has its own:
 *
 * - `*` any characters within one segment, `?` one character, `[abc]` / `[!abc]` a class,
 *   `{a,b}` alternatives, `**` any number of segments (also none), `\x` a literal x;
 * - a pattern without `/` matches the file name at any depth (`*.pdf`, `~$*`), like .gitignore;
 * - case-insensitive: file shares written from Windows do not keep case consistently.
 */
export interface GlobMatcher {
  /** Does the relative path (`a/b/c.pdf`) match? */
  matches(relativePath: string): boolean;
}

export function compileGlob(pattern: string): GlobMatcher {
  const cleaned = pattern
    .trim()
    .replace(/\\(?=[/])/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '');
  if (cleaned === '') throw new Error('empty glob pattern');
  const basenameOnly = !cleaned.includes('/');
  const regex = new RegExp(`^${translate(cleaned)}$`, 'iu');
  return {
    matches(relativePath) {
      const target = basenameOnly ? relativePath.slice(relativePath.lastIndexOf('/') + 1) : relativePath;
      return regex.test(target);
    },
  };
}

/** Any of several patterns; an empty list matches nothing. */
export function compileGlobs(patterns: readonly string[]): GlobMatcher {
  const matchers = patterns.map(compileGlob);
  return { matches: (relativePath) => matchers.some((m) => m.matches(relativePath)) };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function translate(glob: string): string {
  let out = '';
  let groups = 0;
  for (let i = 0; i < glob.length;) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atSegmentStart = i === 0 || glob[i - 1] === '/';
        const end = i + 2;
        if (atSegmentStart && glob[end] === '/') {
          out += '(?:[^/]*/)*';
          i = end + 1;
          continue;
        }
        if (atSegmentStart && end === glob.length) {
          out += '.*';
          i = end;
          continue;
        }
        out += '[^/]*';
        i = end;
        continue;
      }
      out += '[^/]*';
      i++;
      continue;
    }
    if (c === '?') {
      out += '[^/]';
      i++;
      continue;
    }
    if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close > i) {
        let body = glob.slice(i + 1, close);
        const negated = body.startsWith('!') || body.startsWith('^');
        if (negated) body = body.slice(1);
        out += `[${negated ? '^/' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
        i = close + 1;
        continue;
      }
    }
    if (c === '{') {
      groups++;
      out += '(?:';
      i++;
      continue;
    }
    if (c === '}' && groups > 0) {
      groups--;
      out += ')';
      i++;
      continue;
    }
    if (c === ',' && groups > 0) {
      out += '|';
      i++;
      continue;
    }
    if (c === '\\' && i + 1 < glob.length) {
      out += escapeRegExp(glob[i + 1]!);
      i += 2;
      continue;
    }
    out += escapeRegExp(c);
    i++;
  }
  if (groups > 0) throw new Error(`unbalanced "{" in glob pattern ${JSON.stringify(glob)}`);
  return out;
}
