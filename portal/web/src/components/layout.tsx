// The frame of every signed-in page: a skip link, the sidebar navigation, the partner and member, sign-out.
import type { ReactNode } from 'react';
import { unwrap, usePlatform, useSession } from '../lib/platform';
import { Link, navigate, useLocation } from '../lib/router';
import { Badge } from './ui';

const NAV: ReadonlyArray<{ to: string; label: string; icon: string }> = [
  { to: '/', label: 'Overview', icon: '◧' },
  { to: '/apps', label: 'Apps & keys', icon: '▣' },
  { to: '/usage', label: 'Usage', icon: '▥' },
  { to: '/requests', label: 'Request log', icon: '☰' },
  { to: '/team', label: 'Team', icon: '☺' },
  { to: '/settings', label: 'Settings', icon: '⚙' },
];

export function AppShell({ children }: { children: ReactNode }) {
  const session = useSession();
  const { api, setSession } = usePlatform();
  const { pathname } = useLocation();
  const signOut = async () => {
    try {
      await unwrap(api.logout());
    } finally {
      setSession(null);
      navigate('/login', { replace: true });
    }
  };
  const current = (to: string) =>
    to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <Link to="/" className="brand">
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <span>Portico</span>
        </Link>
        <nav aria-label="Portal">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <Link to={item.to} className="nav-link" aria-current={current(item.to) ? 'page' : undefined}>
                  <span className="nav-icon" aria-hidden="true">
                    {item.icon}
                  </span>
                  {item.label}
                </Link>
              </li>
            ))}
            <li>
              <a href="/docs" className="nav-link">
                <span className="nav-icon" aria-hidden="true">
                  ⌘
                </span>
                API docs
              </a>
            </li>
          </ul>
        </nav>
        <div className="sidebar-footer">
          <div className="who">
            <span className="who-partner">{session.partner.name}</span>
            <span className="who-member">
              {session.member.name ?? session.member.email} <Badge value={session.member.role} />
            </span>
            {session.partner.status !== 'active' ? <Badge value={session.partner.status} /> : null}
          </div>
          <button type="button" className="btn btn-ghost" onClick={signOut}>
            Sign out
          </button>
        </div>
      </aside>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

/** Sign-in, sign-up and invitation pages: a centred card without the navigation. */
export function AuthShell({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main id="main" className="auth">
      <div className="auth-card">
        <div className="brand brand-center">
          <img src="/favicon.svg" alt="" width={32} height={32} />
          <span>Portico</span>
        </div>
        <h1>{title}</h1>
        {children}
      </div>
      <p className="auth-footer">
        <a href="/docs">API documentation</a> · <a href="/docs/getting-started">Getting started</a>
      </p>
    </main>
  );
}
