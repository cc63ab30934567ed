// The partner's profile (owners and admins edit it) and the member's personal access tokens for scripts.
import { useState } from 'react';
import { ConfirmAction, FormDialog, SecretsDialog, useAction } from '../components/action';
import { useToast } from '../components/toasts';
import {
  Badge,
  Button,
  Card,
  Checkboxes,
  ErrorNotice,
  Loading,
  PageHeader,
  TextField,
} from '../components/ui';
import { formatDateTime, relativeTime } from '../lib/format';
import { canAdminister, unwrap, useLoad, usePlatform, useSession, type Schemas } from '../lib/platform';

type PersonalToken = Schemas['PersonalToken'];

export function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" />
      <div className="stack-lg">
        <ProfileCard />
        <PersonalTokensCard />
      </div>
    </>
  );
}

function ProfileCard() {
  const session = useSession();
  const { api, setSession } = usePlatform();
  const toast = useToast();
  const partner = useLoad((a) => unwrap(a.getPartner()), []);
  const [draft, setDraft] = useState<{ name: string; website: string; contactEmail: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const editable = canAdminister(session);
  if (!partner.data)
    return <Card title="Company">{partner.error ? <ErrorNotice error={partner.error} /> : <Loading />}</Card>;
  const p = partner.data;
  const form = draft ?? { name: p.name, website: p.website ?? '', contactEmail: p.contactEmail };
  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const updated = await unwrap(
        api.updatePartner({
          body: { name: form.name, website: form.website || null, contactEmail: form.contactEmail },
        }),
      );
      setSession({ ...session, partner: updated });
      setDraft(undefined);
      partner.reload();
      toast('Profile saved');
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Company" actions={<Badge value={p.status} />}>
      <form
        className="stack form-narrow"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <ErrorNotice error={error} />
        <TextField
          label="Company name"
          required
          disabled={!editable}
          value={form.name}
          onChange={(e) => setDraft({ ...form, name: e.target.value })}
        />
        <TextField
          label="Website"
          type="url"
          placeholder="https://"
          disabled={!editable}
          value={form.website}
          onChange={(e) => setDraft({ ...form, website: e.target.value })}
        />
        <TextField
          label="Contact email"
          type="email"
          required
          disabled={!editable}
          value={form.contactEmail}
          onChange={(e) => setDraft({ ...form, contactEmail: e.target.value })}
        />
        {editable ? (
          <div>
            <Button type="submit" tone="primary" busy={busy} disabled={!draft}>
              Save
            </Button>
          </div>
        ) : (
          <p className="muted small">Only owners and admins change the profile.</p>
        )}
      </form>
    </Card>
  );
}

function PersonalTokensCard() {
  const tokens = useLoad((a) => unwrap(a.listPersonalTokens({ params: { query: { limit: 100 } } })), []);
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<PersonalToken>();
  return (
    <Card
      title="Personal access tokens"
      actions={
        <Button tone="primary" onClick={() => setCreating(true)}>
          Create token
        </Button>
      }
    >
      <p className="muted">
        For scripts that call the management API as you (<code>Authorization: Bearer ptp_…</code>), with your
        current role.
      </p>
      <ErrorNotice error={tokens.error} />
      {tokens.data ? (
        <table className="table" aria-label="Personal access tokens">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Scopes</th>
              <th scope="col">Last used</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.data.map((t) => (
              <tr key={t.id}>
                <td className="strong">{t.name}</td>
                <td className="scopes">
                  {t.scopes.map((s) => (
                    <code key={s}>{s}</code>
                  ))}
                </td>
                <td title={formatDateTime(t.lastUsedAt)}>
                  {t.lastUsedAt ? relativeTime(t.lastUsedAt) : 'never'}
                </td>
                <td title={formatDateTime(t.expiresAt)}>{relativeTime(t.expiresAt)}</td>
                <td>
                  <div className="row-actions">
                    <Button tone="danger" onClick={() => setRevoking(t)} aria-label={`Revoke ${t.name}`}>
                      Revoke
                    </Button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {creating ? (
        <CreateTokenDialog
          onClose={() => {
            setCreating(false);
            tokens.reload();
          }}
        />
      ) : null}
      {revoking ? (
        <RevokeTokenDialog
          token={revoking}
          onClose={() => {
            setRevoking(undefined);
            tokens.reload();
          }}
        />
      ) : null}
    </Card>
  );
}

function CreateTokenDialog({ onClose }: { onClose(): void }) {
  const { api } = usePlatform();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['platform:read']);
  const [secret, setSecret] = useState<string>();
  const create = useAction(async () => {
    const answer = await unwrap(
      api.createPersonalToken({ body: { name, scopes: scopes as PersonalToken['scopes'] } }),
    );
    setSecret(answer.token);
  });
  if (secret) {
    return (
      <SecretsDialog
        title="Your new token"
        secrets={[{ label: 'Personal access token', value: secret }]}
        onClose={onClose}
      />
    );
  }
  return (
    <FormDialog
      title="Create a personal access token"
      submitLabel="Create token"
      action={create}
      disabled={scopes.length === 0}
      onClose={onClose}
    >
      <TextField
        label="Name"
        required
        autoFocus
        maxLength={100}
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <Checkboxes
        legend="Scopes"
        options={['platform:read', 'platform:write']}
        value={scopes}
        onChange={setScopes}
      />
      <p className="muted small">It expires in 90 days.</p>
    </FormDialog>
  );
}

function RevokeTokenDialog({ token, onClose }: { token: PersonalToken; onClose(): void }) {
  const { api } = usePlatform();
  return (
    <ConfirmAction
      title={`Revoke “${token.name}”?`}
      confirmLabel="Revoke token"
      done={`Token “${token.name}” revoked`}
      run={() => unwrap(api.revokePersonalToken({ params: { path: { personalTokenId: token.id } } }))}
      onClose={onClose}
    >
      <p>Scripts using it will be refused at once.</p>
    </ConfirmAction>
  );
}
