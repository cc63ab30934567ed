// Sign-up: a partner company and its owner in one step. The account starts on the default plan with test apps.
import { useState, type FormEvent } from 'react';
import { useAction } from '../components/action';
import { AuthShell } from '../components/layout';
import { Button, ErrorNotice, TextField } from '../components/ui';
import { unwrap, usePlatform } from '../lib/platform';
import { Link, navigate } from '../lib/router';

export function SignUpPage() {
  const { api, setSession } = usePlatform();
  const [form, setForm] = useState({ partnerName: '', name: '', email: '', password: '' });
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [field]: e.target.value }));

  const signUp = useAction(async () => {
    const session = await unwrap(api.signUp({ body: form }));
    setSession(session);
    navigate('/', { replace: true });
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void signUp.perform();
  };

  return (
    <AuthShell title="Create a partner account">
      <form onSubmit={submit} className="stack">
        <ErrorNotice error={signUp.error} />
        <TextField
          label="Company"
          required
          autoFocus
          value={form.partnerName}
          onChange={set('partnerName')}
          maxLength={200}
        />
        <TextField label="Your name" required autoComplete="name" value={form.name} onChange={set('name')} />
        <TextField
          label="Work email"
          type="email"
          required
          autoComplete="email"
          value={form.email}
          onChange={set('email')}
        />
        <TextField
          label="Password"
          type="password"
          required
          minLength={12}
          autoComplete="new-password"
          hint="At least 12 characters. A passphrase of a few words is easy to type and hard to guess."
          value={form.password}
          onChange={set('password')}
        />
        <Button type="submit" tone="primary" busy={signUp.busy} className="btn-block">
          Create account
        </Button>
      </form>
      <p className="muted center">
        Already have an account? <Link to="/login">Sign in</Link>
      </p>
    </AuthShell>
  );
}
