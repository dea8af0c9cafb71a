import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Messages } from '../i18n/ja';

/**
 * Every page of the console. Adding a page is one file in this folder plus one entry here: the
 * entry gives its address, its menu label and section, and the roles that may use it. The menu
 * shows only the pages the signed-in role may use; any other address of the list shows "not allowed".
 *
 * The roles mirror the server's rules (src/tenancy/policies.ts); the server enforces them regardless.
 */

export type NavSection = keyof Messages['nav']['sections'];
type NavLabel = `nav.${Exclude<keyof Messages['nav'], 'sections'>}`;
type Description =
  | 'users.description'
  | 'apiKeys.description'
  | 'group.description'
  | 'search.description'
  | 'assistant.description'
  | 'settings.description'
  | 'audit.description'
  | 'data.description'
  | 'sources.description';

export interface PageEntry {
  path: string;
  label: NavLabel;
  section: NavSection;
  /** Who may use it; 'everyone' is every signed-in role. */
  roles: 'everyone' | readonly string[];
  /** Not in the menu: reached by links (the document viewer). */
  hidden?: boolean;
  /**
   * What a role outside `roles` sees at its address: "not allowed" by default; "not found" for an
   * object's address (a document), which answers like a wrong address so nothing says it exists.
   */
  refusedAs?: 'not-found';
  /** For the home page's shortcuts. */
  description?: Description;
  component: LazyExoticComponent<ComponentType>;
  /** Starts fetching the page's code (the same request `component` makes; modules load once). */
  preload: () => Promise<unknown>;
}

type PageModule = { default: ComponentType };
function page(load: () => Promise<PageModule>): Pick<PageEntry, 'component' | 'preload'> {
  return { component: lazy(load), preload: load };
}

/** A company's own people: a group admin manages companies and never sees their content. */
const COMPANY_CONTENT = ['admin', 'member', 'viewer'] as const;

export const PAGES: readonly PageEntry[] = [
  {
    path: '/',
    label: 'nav.home',
    section: 'workspace',
    roles: 'everyone',
    ...page(() => import('./HomePage')),
  },
  {
    path: '/assistant',
    label: 'nav.assistant',
    section: 'workspace',
    roles: COMPANY_CONTENT,
    description: 'assistant.description',
    ...page(() => import('./AssistantPage')),
  },
  {
    path: '/search',
    label: 'nav.search',
    section: 'workspace',
    roles: COMPANY_CONTENT,
    description: 'search.description',
    ...page(() => import('./SearchPage')),
  },
  {
    path: '/data',
    label: 'nav.data',
    section: 'workspace',
    roles: COMPANY_CONTENT,
    description: 'data.description',
    ...page(() => import('./DataPage')),
  },
  {
    path: '/documents',
    label: 'nav.document',
    section: 'workspace',
    roles: COMPANY_CONTENT,
    hidden: true,
    refusedAs: 'not-found',
    ...page(() => import('./DocumentPage')),
  },
  {
    path: '/sources',
    label: 'nav.sources',
    section: 'admin',
    roles: ['admin'],
    description: 'sources.description',
    ...page(() => import('./SourcesPage')),
  },
  {
    path: '/users',
    label: 'nav.users',
    section: 'admin',
    roles: ['admin', 'group_admin'],
    description: 'users.description',
    ...page(() => import('./UsersPage')),
  },
  {
    path: '/api-keys',
    label: 'nav.apiKeys',
    section: 'admin',
    roles: ['admin'],
    description: 'apiKeys.description',
    ...page(() => import('./ApiKeysPage')),
  },
  {
    path: '/settings',
    label: 'nav.settings',
    section: 'admin',
    roles: ['admin'],
    description: 'settings.description',
    ...page(() => import('./SettingsPage')),
  },
  {
    path: '/audit',
    label: 'nav.audit',
    section: 'admin',
    roles: ['admin'],
    description: 'audit.description',
    ...page(() => import('./AuditPage')),
  },
  {
    path: '/group',
    label: 'nav.group',
    section: 'group',
    roles: ['group_admin'],
    description: 'group.description',
    ...page(() => import('./GroupPage')),
  },
];

export const NAV_SECTIONS: readonly NavSection[] = ['workspace', 'admin', 'group'];

/**
 * At start-up, the code of the page at the address is fetched alongside "who am I?" instead of
 * after it: the first paint of a deep link (the assistant) waits for one round trip less.
 */
export function preloadPageAt(pathname: string, matches: (path: string, pathname: string) => boolean) {
  void PAGES.find((entry) => matches(entry.path, pathname))
    ?.preload()
    .catch(() => undefined);
}

export function mayUse(page: PageEntry, role: string): boolean {
  return page.roles === 'everyone' || page.roles.includes(role);
}
