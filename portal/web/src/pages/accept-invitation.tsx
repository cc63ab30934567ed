// Joining a partner from an invitation email. The token travels in the URL fragment (never sent to a server, never
// in a Referer) and is removed from the address bar as soon as it is read.
import { useState, type FormEvent } from 'react';
import { useAction } from '../components/action';
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

  const join = useAction(async () => {
    const session = await unwrap(api.acceptInvitation({ body: { token, name, password } }));
    setSession(session);
    navigate('/', { replace: true });
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void join.perform();
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
          <ErrorNotice error={join.error} />
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
          <Button type="submit" tone="primary" busy={join.busy} className="btn-block">
            Join
          </Button>
        </form>
      )}
    </AuthShell>
  );
}
