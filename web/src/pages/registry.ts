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
type Description = 'users.description' | 'apiKeys.description' | 'group.description';

export interface PageEntry {
  path: string;
  label: NavLabel;
  section: NavSection;
  /** Who may use it; 'everyone' is every signed-in role. */
  roles: 'everyone' | readonly string[];
  /** For the home page's shortcuts. */
  description?: Description;
  component: LazyExoticComponent<ComponentType>;
}

export const PAGES: readonly PageEntry[] = [
  {
    path: '/',
    label: 'nav.home',
    section: 'workspace',
    roles: 'everyone',
    component: lazy(() => import('./HomePage')),
  },
  {
    path: '/users',
    label: 'nav.users',
    section: 'admin',
    roles: ['admin', 'group_admin'],
    description: 'users.description',
    component: lazy(() => import('./UsersPage')),
  },
  {
    path: '/api-keys',
    label: 'nav.apiKeys',
    section: 'admin',
    roles: ['admin'],
    description: 'apiKeys.description',
    component: lazy(() => import('./ApiKeysPage')),
  },
  {
    path: '/group',
    label: 'nav.group',
    section: 'group',
    roles: ['group_admin'],
    description: 'group.description',
    component: lazy(() => import('./GroupPage')),
  },
];

export const NAV_SECTIONS: readonly NavSection[] = ['workspace', 'admin', 'group'];

export function mayUse(page: PageEntry, role: string): boolean {
  return page.roles === 'everyone' || page.roles.includes(role);
}
