// The management API as the pages see it: one SDK client for this tab (the browser keeps the HttpOnly session
// cookie; the client keeps the CSRF token), the signed-in member and partner, and a hook that loads data.
import { createPlatform, ProblemError, unwrap, type Platform, type platform } from '@portico/sdk';
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { TRY_IT_KEY } from './try-it';

export type Schemas = platform.components['schemas'];
export type Session = Schemas['Session'];

interface PlatformState {
  api: Platform;
  session: Session | null;
  setSession(session: Session | null): void;
}

const PlatformContext = createContext<PlatformState | null>(null);

export function createBrowserPlatform(): Platform {
  // Retries stay for reads; a person waits for a button, so the whole call gets 20 s.
  return createPlatform({ session: 'browser', baseUrl: window.location.origin, timeoutMs: 20_000 });
}

export function PlatformProvider(props: {
  api: Platform;
  initialSession: Session | null;
  children: ReactNode;
}) {
  const [session, setSessionState] = useState(props.initialSession);
  const setSession = useCallback((next: Session | null) => {
    // Signed out, or the session ended (a 401): a try-it key handed to the docs must not outlive it.
    if (!next) sessionStorage.removeItem(TRY_IT_KEY);
    setSessionState(next);
  }, []);
  return (
    <PlatformContext.Provider value={{ api: props.api, session, setSession }}>
      {props.children}
    </PlatformContext.Provider>
  );
}

export function usePlatform(): PlatformState {
  const state = useContext(PlatformContext);
  if (!state) throw new Error('usePlatform outside PlatformProvider');
  return state;
}

/** The signed-in session; pages behind the sign-in wall only render with one. */
export function useSession(): Session {
  const { session } = usePlatform();
  if (!session) throw new Error('useSession without a session');
  return session;
}

export function canChange(session: Session, environment: 'test' | 'live'): boolean {
  const role = session.member.role;
  if (role === 'owner' || role === 'admin') return true;
  return role === 'developer' && environment === 'test';
}

export function canAdminister(session: Session): boolean {
  return session.member.role === 'owner' || session.member.role === 'admin';
}

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload(): void;
}

/**
 * Runs `load` when `key` changes (and on reload()), keeping the last data while a reload runs. An answer that
 * arrives after a newer request started is ignored, so a fast typist never sees stale results.
 */
export function useLoad<T>(load: (api: Platform) => Promise<T>, key: readonly unknown[]): Loaded<T> {
  const { api, setSession } = usePlatform();
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const ticket = ++latest.current;
    setState((previous) => ({ ...previous, loading: true }));
    loadRef.current(api).then(
      (data) => {
        if (ticket === latest.current) setState({ data, loading: false });
      },
      (error: unknown) => {
        if (ticket !== latest.current) return;
        if (error instanceof ProblemError && error.status === 401) setSession(null);
        setState({ error: error instanceof Error ? error : new Error(String(error)), loading: false });
      },
    );
  }, [api, generation, ...key]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export { unwrap, ProblemError };
