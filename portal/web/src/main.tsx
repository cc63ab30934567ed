// The portal UI: finds out whether this browser is signed in (GET /session), then routes. Every page talks to the
// public management API through the SDK — the same calls a partner's script can make; there is no back door.
import { ProblemError } from '@portico/sdk';
import { StrictMode, useEffect, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { AppShell } from './components/layout';
import { ToastProvider } from './components/toasts';
import { Loading } from './components/ui';
import { createBrowserPlatform, PlatformProvider, usePlatform, type Session } from './lib/platform';
import { matchPath, navigate, RouterProvider, useLocation } from './lib/router';
import { AcceptInvitationPage } from './pages/accept-invitation';
import { AppDetailPage } from './pages/app-detail';
import { AppsPage } from './pages/apps';
import { LoginPage } from './pages/login';
import { NotFoundPage } from './pages/not-found';
import { OverviewPage } from './pages/overview';
import { RequestsPage } from './pages/requests';
import { SettingsPage } from './pages/settings';
import { SignUpPage } from './pages/signup';
import { TeamPage } from './pages/team';
import { UsagePage } from './pages/usage';
import './styles.css';

const PUBLIC_PAGES: Record<string, () => ReactNode> = {
  '/login': () => <LoginPage />,
  '/signup': () => <SignUpPage />,
  '/invitations/accept': () => <AcceptInvitationPage />,
};

const PAGES: ReadonlyArray<[string, (params: Record<string, string>) => ReactNode, string]> = [
  ['/', () => <OverviewPage />, 'Overview'],
  ['/apps', () => <AppsPage />, 'Apps & keys'],
  ['/apps/:appId', (p) => <AppDetailPage appId={p.appId!} />, 'App'],
  ['/usage', () => <UsagePage />, 'Usage'],
  ['/requests', () => <RequestsPage />, 'Request log'],
  ['/team', () => <TeamPage />, 'Team'],
  ['/settings', () => <SettingsPage />, 'Settings'],
];

function Routes() {
  const { session } = usePlatform();
  const location = useLocation();
  const publicPage = PUBLIC_PAGES[location.pathname];
  const signedOut = !session && !publicPage;
  // A signed-in member opening /login goes home, except to accept an invitation for another partner.
  const leaveSignIn = Boolean(session && publicPage && location.pathname !== '/invitations/accept');
  useEffect(() => {
    if (leaveSignIn) navigate('/', { replace: true });
  }, [leaveSignIn]);
  useEffect(() => {
    if (!signedOut) return;
    const here = `${location.pathname}${location.search.size ? `?${location.search}` : ''}`;
    navigate(here === '/' ? '/login' : `/login?returnTo=${encodeURIComponent(here)}`, { replace: true });
  }, [signedOut, location]);
  const found = PAGES.map(([pattern, render, title]) => {
    const params = matchPath(pattern, location.pathname);
    return params ? { node: render(params), title } : undefined;
  }).find(Boolean);
  const title = `${found?.title ?? (publicPage ? 'Sign in' : 'Not found')} · Portico`;
  useEffect(() => {
    document.title = title;
  }, [title]);
  if (publicPage) return leaveSignIn ? <Loading /> : publicPage();
  if (signedOut) return <Loading label="Redirecting to sign-in…" />;
  return <AppShell>{found ? found.node : <NotFoundPage />}</AppShell>;
}

async function start() {
  const api = createBrowserPlatform();
  let session: Session | null = null;
  const answer = await api.getSession();
  if (answer.data) session = answer.data;
  else if (!(answer.error instanceof ProblemError && answer.error.status === 401)) {
    // The portal is down or misconfigured: say so instead of showing a sign-in form that cannot work.
    document.getElementById('root')!.textContent = `The portal could not be reached: ${answer.error.message}`;
    return;
  }
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <RouterProvider>
        <PlatformProvider api={api} initialSession={session}>
          <ToastProvider>
            <Routes />
          </ToastProvider>
        </PlatformProvider>
      </RouterProvider>
    </StrictMode>,
  );
}

void start();
