import { useQuery } from '@tanstack/react-query';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { ReauthDialog } from './auth/ReauthDialog';
import { fetchMe, ME_QUERY_KEY, MeContext } from './auth/session';
import { SignInPage } from './auth/SignInPage';
import { ErrorMessage } from './components/ErrorMessage';
import { Loading } from './components/Page';
import { NotAllowedPage, NotFoundPage } from './pages/StatusPages';
import { mayUse, PAGES } from './pages/registry';
import { matches, usePathname } from './router/router';
import { Shell } from './Shell';
import type { Me } from './api/types';

function Routes({ me }: { me: Me }) {
  const pathname = usePathname();
  const page = PAGES.find((entry) => matches(entry.path, pathname));
  if (!page) return <NotFoundPage />;
  if (!mayUse(page, me.role))
    return page.refusedAs === 'not-found' ? <NotFoundPage /> : <NotAllowedPage page={page} />;
  const Component = page.component;
  return (
    <Suspense fallback={<Loading />}>
      <Component key={page.path} />
    </Suspense>
  );
}

export function App() {
  const { t } = useTranslation();
  // Who is signed in is asked once; after that only sign-in, sign-out and the re-sign-in dialog change it.
  const me = useQuery({ queryKey: ME_QUERY_KEY, queryFn: fetchMe, staleTime: Infinity, gcTime: Infinity });

  if (me.isPending) {
    return (
      <div className="boot">
        <Loading />
      </div>
    );
  }
  if (me.isError) {
    return (
      <div className="boot">
        <ErrorMessage error={me.error} />
        <button type="button" className="btn" onClick={() => void me.refetch()}>
          {t('common.retry')}
        </button>
      </div>
    );
  }
  if (!me.data) return <SignInPage />;
  return (
    <MeContext.Provider value={me.data}>
      <Shell me={me.data}>
        <Routes me={me.data} />
      </Shell>
      <ReauthDialog me={me.data} />
    </MeContext.Provider>
  );
}
