import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { queryClient } from './api/query-client';
import { App } from './App';
import { initI18n } from './i18n';
import { preloadPageAt } from './pages/registry';
import { matches } from './router/router';
import './styles.css';

initI18n();
preloadPageAt(window.location.pathname, matches);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
