// Sign-in: email and password; on success go back where the member was heading (a path on this portal only).
import { useState, type FormEvent } from 'react';
import { useAction } from '../components/action';
import { AuthShell } from '../components/layout';
import { Button, ErrorNotice, TextField } from '../components/ui';
import { safeReturnTo } from '../lib/return-to';
import { unwrap, usePlatform } from '../lib/platform';
import { Link, navigate, useLocation } from '../lib/router';

export function LoginPage() {
  const { api, setSession } = usePlatform();
  const { search } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const returnTo = safeReturnTo(search.get('returnTo'));

  const signIn = useAction(async () => {
    const session = await unwrap(api.login({ body: { email, password } }));
    setSession(session);
    // The docs are server pages outside this app: a full load.
    if (returnTo.startsWith('/docs')) window.location.assign(returnTo);
    else navigate(returnTo, { replace: true });
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void signIn.perform();
  };

  return (
    <AuthShell title="Sign in to your partner account">
      <form onSubmit={submit} className="stack">
        <ErrorNotice error={signIn.error} />
        <TextField
          label="Email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <Button type="submit" tone="primary" busy={signIn.busy} className="btn-block">
          Sign in
        </Button>
      </form>
      <p className="muted center">
        New to Portico? <Link to="/signup">Create a partner account</Link>
      </p>
    </AuthShell>
  );
}
