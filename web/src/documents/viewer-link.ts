import type { Anchor } from '../api/types';
import type { PassageRequest } from './find-passage';

/** The viewer's address for a passage: /documents/<id>?quote=…&term=…&page=… (what citations link to). */
export function viewerHref(documentId: string, passage: PassageRequest, back?: string): string {
  const params = new URLSearchParams();
  if (passage.ordinal !== undefined) params.set('ordinal', String(passage.ordinal));
  if (passage.quote) params.set('quote', passage.quote);
  for (const term of passage.terms ?? []) params.append('term', term);
  const anchor = passage.anchor ?? {};
  for (const key of ['page', 'slide', 'sheet', 'range', 'heading'] as const) {
    if (anchor[key] !== undefined) params.set(key, String(anchor[key]));
  }
  if (back) params.set('back', back);
  const query = params.toString();
  return `/documents/${encodeURIComponent(documentId)}${query ? `?${query}` : ''}`;
}

/** The passage and the way back named by a viewer address's query string. */
export function parseViewerQuery(search: string): { passage: PassageRequest; back: string | null } {
  const params = new URLSearchParams(search);
  const number = (key: string) => {
    const value = params.get(key);
    return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
  };
  const anchor: Anchor = {};
  if (number('page') !== undefined) anchor.page = number('page')!;
  if (number('slide') !== undefined) anchor.slide = number('slide')!;
  for (const key of ['sheet', 'range', 'heading'] as const) {
    const value = params.get(key);
    if (value !== null) anchor[key] = value;
  }
  const passage: PassageRequest = {};
  if (number('ordinal') !== undefined) passage.ordinal = number('ordinal')!;
  if (params.get('quote')) passage.quote = params.get('quote')!;
  if (params.getAll('term').length > 0) passage.terms = params.getAll('term');
  if (Object.keys(anchor).length > 0) passage.anchor = anchor;
  const back = params.get('back');
  // Only a way back inside the console.
  return { passage, back: back && back.startsWith('/') && !back.startsWith('//') ? back : null };
}
