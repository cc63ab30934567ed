// Joining a partner from an invitation email. The token travels in the URL fragment (never sent to a server, never
// in a Referer) and is removed from the address bar as soon as it is read.
import { useState, type FormEvent } from 'react';
import { AuthShell } from '../components/layout';
import { Button, ErrorNotice, Notice, TextField } from '../components/ui';
import { unwrap, usePlatform } from '../lib/platform';
import { navigate } from '../lib/router';

function takeToken(): string {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  if (window.location.hash) window.history.replaceState(null, '', window.location.pathname);
  return token;
}

export function AcceptInvitationPage() {
  const { api, setSession } = usePlatform();
  const [token] = useState(takeToken);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const session = await unwrap(api.acceptInvitation({ body: { token, name, password } }));
      setSession(session);
      navigate('/', { replace: true });
    } catch (e) {
      setError(e as Error);
      setBusy(false);
    }
  };

  return (
    <AuthShell title="Join your team on Portico">
      {!token ? (
        <Notice tone="warning">
          This link has no invitation token. Open the link from the invitation email again, or ask the person
          who invited you to send a new one.
        </Notice>
      ) : (
        <form onSubmit={submit} className="stack">
          <ErrorNotice error={error} />
          <TextField
            label="Your name"
            required
            autoFocus
            autoComplete="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <TextField
            label="Choose a password"
            type="password"
            required
            minLength={12}
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <Button type="submit" tone="primary" busy={busy} className="btn-block">
            Join
          </Button>
        </form>
      )}
    </AuthShell>
  );
}
