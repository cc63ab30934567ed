// An app's OAuth clients (RFC 6749 §4.4 client credentials): create (the secret is shown once), rotate the secret
// with an overlap, delete. The client id is the OAuth client's id.
import { useState } from 'react';
import { ConfirmAction, FormDialog, SecretsDialog, useAction, useDialog } from '../components/action';
import {
  Button,
  Card,
  Checkboxes,
  EmptyState,
  ErrorNotice,
  Loading,
  SelectField,
  TextField,
} from '../components/ui';
import { formatDateTime, relativeTime } from '../lib/format';
import { unwrap, useLoad, usePlatform, type Schemas } from '../lib/platform';
import { gatewayUrl } from '../lib/site';
import { OVERLAPS } from './app-api-keys';

type App = Schemas['App'];
type OAuthClient = Schemas['OAuthClient'];

const TTLS = [
  { value: '300', label: '5 minutes' },
  { value: '900', label: '15 minutes' },
  { value: '3600', label: '1 hour' },
] as const;

export function OAuthClientsTab({ app, editable }: { app: App; editable: boolean }) {
  const clients = useLoad(
    (api) => unwrap(api.listOAuthClients({ params: { path: { appId: app.id }, query: { limit: 100 } } })),
    [app.id],
  );
  const { dialog, open, close } = useDialog<
    | { kind: 'create' }
    | { kind: 'rotate'; client: OAuthClient }
    | { kind: 'delete'; client: OAuthClient }
    | undefined
  >(clients.reload);
  return (
    <Card
      title="OAuth clients"
      actions={
        editable ? (
          <Button tone="primary" onClick={() => open({ kind: 'create' })}>
            Create OAuth client
          </Button>
        ) : null
      }
    >
      <p className="muted">
        Exchange the client id and secret at <code>{gatewayUrl()}/oauth/token</code> for a short-lived access
        token — the secret never travels with API calls.
      </p>
      <ErrorNotice error={clients.error} />
      {clients.loading && !clients.data ? <Loading /> : null}
      {clients.data && clients.data.data.length === 0 ? <EmptyState title="No OAuth clients yet" /> : null}
      {clients.data && clients.data.data.length > 0 ? (
        <table className="table" aria-label="OAuth clients">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Client id</th>
              <th scope="col">Secret</th>
              <th scope="col">Scopes</th>
              <th scope="col">Token lifetime</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {clients.data.data.map((c) => (
              <tr key={c.id}>
                <td className="strong">{c.name}</td>
                <td className="mono">{c.id}</td>
                <td className="mono">
                  …{c.secretLast4}
                  {c.previousSecretExpiresAt ? (
                    <div className="muted small">
                      previous one ends {relativeTime(c.previousSecretExpiresAt)}
                    </div>
                  ) : null}
                </td>
                <td className="scopes">
                  {c.scopes.map((s) => (
                    <code key={s}>{s}</code>
                  ))}
                </td>
                <td>{Math.round(c.accessTokenTtlSeconds / 60)} min</td>
                <td title={formatDateTime(c.lastUsedAt)}>
                  {c.lastUsedAt ? relativeTime(c.lastUsedAt) : 'never'}
                </td>
                <td className="row-actions">
                  {editable ? (
                    <>
                      <Button
                        onClick={() => open({ kind: 'rotate', client: c })}
                        aria-label={`Rotate the secret of ${c.name}`}
                      >
                        Rotate secret
                      </Button>
                      <Button
                        tone="danger"
                        onClick={() => open({ kind: 'delete', client: c })}
                        aria-label={`Delete ${c.name}`}
                      >
                        Delete
                      </Button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {dialog?.kind === 'create' ? <CreateClientDialog app={app} onClose={close} /> : null}
      {dialog?.kind === 'rotate' ? (
        <RotateSecretDialog app={app} client={dialog.client} onClose={close} />
      ) : null}
      {dialog?.kind === 'delete' ? (
        <DeleteClientDialog app={app} client={dialog.client} onClose={close} />
      ) : null}
    </Card>
  );
}

function CreateClientDialog({ app, onClose }: { app: App; onClose(): void }) {
  const { api } = usePlatform();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([...app.scopes]);
  const [ttl, setTtl] = useState('3600');
  const [created, setCreated] = useState<Schemas['OAuthClientCreated']>();
  const create = useAction(async () => {
    setCreated(
      await unwrap(
        api.createOAuthClient({
          params: { path: { appId: app.id } },
          body: { name, scopes: scopes as OAuthClient['scopes'], accessTokenTtlSeconds: Number(ttl) },
        }),
      ),
    );
  });
  if (created) {
    return (
      <SecretsDialog
        title="Your new OAuth client"
        secrets={[
          { label: 'Client id', value: created.oauthClient.id },
          { label: 'Client secret', value: created.clientSecret, testId: 'new-client-secret' },
        ]}
        onClose={onClose}
      />
    );
  }
  return (
    <FormDialog
      title="Create an OAuth client"
      submitLabel="Create client"
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
      <Checkboxes legend="Scopes" options={app.scopes} value={scopes} onChange={setScopes} />
      <SelectField
        label="Access token lifetime"
        options={TTLS}
        value={ttl}
        onChange={(e) => setTtl(e.target.value)}
      />
    </FormDialog>
  );
}

function RotateSecretDialog({ app, client, onClose }: { app: App; client: OAuthClient; onClose(): void }) {
  const { api } = usePlatform();
  const [overlap, setOverlap] = useState('86400');
  const [secret, setSecret] = useState<string>();
  const rotate = useAction(async () => {
    const answer = await unwrap(
      api.rotateOAuthClientSecret({
        params: { path: { appId: app.id, oauthClientId: client.id } },
        body: { overlapSeconds: Number(overlap) },
      }),
    );
    setSecret(answer.clientSecret);
  });
  if (secret) {
    return (
      <SecretsDialog
        title="The new client secret"
        secrets={[{ label: 'Client secret', value: secret }]}
        onClose={onClose}
      />
    );
  }
  return (
    <FormDialog
      title={`Rotate the secret of “${client.name}”`}
      submitLabel="Rotate secret"
      action={rotate}
      onClose={onClose}
    >
      <SelectField
        label="Overlap"
        options={OVERLAPS}
        value={overlap}
        onChange={(e) => setOverlap(e.target.value)}
      />
    </FormDialog>
  );
}

function DeleteClientDialog({ app, client, onClose }: { app: App; client: OAuthClient; onClose(): void }) {
  const { api } = usePlatform();
  return (
    <ConfirmAction
      title={`Delete “${client.name}”?`}
      confirmLabel="Delete client"
      done={`OAuth client “${client.name}” deleted`}
      run={() =>
        unwrap(api.deleteOAuthClient({ params: { path: { appId: app.id, oauthClientId: client.id } } }))
      }
      onClose={onClose}
    >
      <p>
        The client can no longer obtain tokens, and the tokens it holds stop working. This cannot be undone.
      </p>
    </ConfirmAction>
  );
}
