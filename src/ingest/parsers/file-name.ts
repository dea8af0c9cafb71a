/**
 * The caller's file name is a hint from outside (an upload, an e-mail attachment header): it is
 * never used as a path here. Only its last segment survives, cleaned, to break ties in type
 * detection and to give the document a title.
 */
export interface SafeFileName {
  /** Last path segment, without control characters; safe to show. */
  baseName: string;
  /** Lower-case extension without the dot ("" when there is none). */
  extension: string;
  /** baseName without its extension: the title fallback. */
  stem: string;
}

const MAX_NAME_LENGTH = 255;

export function safeFileName(name: string | undefined): SafeFileName | undefined {
  if (!name) return undefined;
  // Whatever came before the last separator is somebody else's directory (or an attempt at `../`).
  const lastSegment = name.split(/[/\\]/).pop() ?? '';
  const cleaned = lastSegment
    // NUL and other controls end strings in C APIs and confuse terminals and logs.
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, '') // bidi overrides disguise extensions ("exe.txt")
    .trim()
    .slice(0, MAX_NAME_LENGTH);
  if (cleaned === '' || /^\.+$/.test(cleaned)) return undefined;
  const dot = cleaned.lastIndexOf('.');
  const hasExtension = dot > 0 && dot < cleaned.length - 1;
  return {
    baseName: cleaned,
    extension: hasExtension ? cleaned.slice(dot + 1).toLowerCase() : '',
    stem: hasExtension ? cleaned.slice(0, dot) : cleaned,
  };
}
