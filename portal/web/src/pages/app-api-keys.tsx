// An app's API keys: create (the key is shown once), list by prefix…last4, roll with an overlap, revoke.
import { useState } from 'react';
import { ConfirmAction, FormDialog, SecretsDialog, useAction, useDialog } from '../components/action';
import {
  Badge,
  Button,
  Card,
  Checkboxes,
  EmptyState,
  ErrorNotice,
  Loading,
  SelectField,
  TextField,
} from '../components/ui';
import { formatDateTime, maskedKey, relativeTime } from '../lib/format';
import { unwrap, useLoad, usePlatform, useSession, type Schemas } from '../lib/platform';
import { gatewayUrl } from '../lib/site';
import { TRY_IT_KEY } from '../lib/try-it';

type App = Schemas['App'];
type ApiKey = Schemas['ApiKey'];

/** The overlap choices of a roll (DESIGN.md: 0 = now, up to 7 days). */
export const OVERLAPS = [
  { value: '0', label: 'End the old key now' },
  { value: '3600', label: 'Keep the old key for 1 hour' },
  { value: '86400', label: 'Keep the old key for 24 hours' },
  { value: '604800', label: 'Keep the old key for 7 days' },
] as const;

const EXPIRIES = [
  { value: '', label: 'Never' },
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In 1 year' },
] as const;

export function ApiKeysTab({ app, editable }: { app: App; editable: boolean }) {
  const keys = useLoad(
    (api) => unwrap(api.listApiKeys({ params: { path: { appId: app.id }, query: { limit: 100 } } })),
    [app.id],
  );
  const { dialog, open, close } = useDialog<
    { kind: 'create' } | { kind: 'roll'; key: ApiKey } | { kind: 'revoke'; key: ApiKey } | undefined
  >(keys.reload);
  return (
    <Card
      title="API keys"
      actions={
        editable ? (
          <Button tone="primary" onClick={() => open({ kind: 'create' })}>
            Create API key
          </Button>
        ) : null
      }
    >
      <p className="muted">
        Send a key as <code>X-API-Key</code> or <code>Authorization: Bearer</code>. Portico stores only a
        digest: a key is shown once, when it is created or rolled.
      </p>
      <ErrorNotice error={keys.error} />
      {keys.loading && !keys.data ? <Loading /> : null}
      {keys.data && keys.data.data.length === 0 ? (
        <EmptyState title="No API keys yet">
          {editable ? <p>Create one to call the APIs.</p> : null}
        </EmptyState>
      ) : null}
      {keys.data && keys.data.data.length > 0 ? (
        <table className="table" aria-label="API keys">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key</th>
              <th scope="col">Scopes</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Expires</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.data.map((key) => (
              <tr key={key.id} data-key-id={key.id}>
                <td className="strong">{key.name}</td>
                <td className="mono nowrap">{maskedKey(key.prefix, key.last4)}</td>
                <td className="scopes">
                  {key.scopes.map((s) => (
                    <code key={s}>{s}</code>
                  ))}
                </td>
                <td title={formatDateTime(key.createdAt)}>{relativeTime(key.createdAt)}</td>
                <td title={formatDateTime(key.lastUsedAt)}>
                  {key.lastUsedAt ? relativeTime(key.lastUsedAt) : 'never'}
                </td>
                <td title={formatDateTime(key.expiresAt)}>
                  {key.expiresAt ? relativeTime(key.expiresAt) : 'never'}
                </td>
                <td>
                  <Badge value={key.status} />
                </td>
                <td className="row-actions">
                  {editable && key.status === 'active' ? (
                    <>
                      <Button onClick={() => open({ kind: 'roll', key })} aria-label={`Roll ${key.name}`}>
                        Roll
                      </Button>
                      <Button
                        tone="danger"
                        onClick={() => open({ kind: 'revoke', key })}
                        aria-label={`Revoke ${key.name}`}
                      >
                        Revoke
                      </Button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {dialog?.kind === 'create' ? <CreateKeyDialog app={app} onClose={close} /> : null}
      {dialog?.kind === 'roll' ? <RollKeyDialog app={app} apiKey={dialog.key} onClose={close} /> : null}
      {dialog?.kind === 'revoke' ? <RevokeKeyDialog app={app} apiKey={dialog.key} onClose={close} /> : null}
    </Card>
  );
}

function CreateKeyDialog({ app, onClose }: { app: App; onClose(): void }) {
  const { api } = usePlatform();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([...app.scopes]);
  const [expiresInDays, setExpiresInDays] = useState('');
  const [created, setCreated] = useState<string>();
  const create = useAction(async () => {
    const expiresAt = expiresInDays
      ? new Date(Date.now() + Number(expiresInDays) * 86_400_000).toISOString()
      : undefined;
    const answer = await unwrap(
      api.createApiKey({
        params: { path: { appId: app.id } },
        body: { name, scopes: scopes as ApiKey['scopes'], ...(expiresAt ? { expiresAt } : {}) },
      }),
    );
    setCreated(answer.key);
  });

  if (created) {
    return (
      <ShownOnce title="Your new API key" secret={created} environment={app.environment} onClose={onClose} />
    );
  }
  return (
    <FormDialog
      title="Create an API key"
      submitLabel="Create key"
      action={create}
      disabled={scopes.length === 0}
      onClose={onClose}
    >
      <TextField
        label="Name"
        required
        autoFocus
        maxLength={100}
        hint="Where it will be used, e.g. “POS till 3” — so you know what breaks if you revoke it."
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <Checkboxes
        legend="Scopes (at most the app's)"
        options={app.scopes}
        value={scopes}
        onChange={setScopes}
      />
      <SelectField
        label="Expires"
        options={EXPIRIES}
        value={expiresInDays}
        onChange={(e) => setExpiresInDays(e.target.value)}
      />
    </FormDialog>
  );
}

function RollKeyDialog({ app, apiKey, onClose }: { app: App; apiKey: ApiKey; onClose(): void }) {
  const { api } = usePlatform();
  const [overlap, setOverlap] = useState('86400');
  const [rolled, setRolled] = useState<Schemas['ApiKeyRolled']>();
  const roll = useAction(async () => {
    setRolled(
      await unwrap(
        api.rollApiKey({
          params: { path: { appId: app.id, apiKeyId: apiKey.id } },
          body: { overlapSeconds: Number(overlap) },
        }),
      ),
    );
  });

  if (rolled) {
    const until = rolled.previousApiKey.expiresAt;
    return (
      <ShownOnce
        title="Your rolled API key"
        secret={rolled.key}
        environment={app.environment}
        onClose={onClose}
        note={
          until
            ? `The old key ${maskedKey(apiKey.prefix, apiKey.last4)} keeps working until ${formatDateTime(until)}.`
            : undefined
        }
      />
    );
  }
  return (
    <FormDialog title={`Roll “${apiKey.name}”`} submitLabel="Roll key" action={roll} onClose={onClose}>
      <p>
        Rolling makes a new key with the same scopes. Deploy it, then let the old key{' '}
        <code>{maskedKey(apiKey.prefix, apiKey.last4)}</code> expire. Usage and quota stay with the app.
      </p>
      <SelectField
        label="Overlap"
        options={OVERLAPS}
        value={overlap}
        onChange={(e) => setOverlap(e.target.value)}
      />
    </FormDialog>
  );
}

function RevokeKeyDialog({ app, apiKey, onClose }: { app: App; apiKey: ApiKey; onClose(): void }) {
  const { api } = usePlatform();
  return (
    <ConfirmAction
      title={`Revoke “${apiKey.name}”?`}
      confirmLabel="Revoke key"
      done={`Key “${apiKey.name}” revoked`}
      run={() => unwrap(api.revokeApiKey({ params: { path: { appId: app.id, apiKeyId: apiKey.id } } }))}
      onClose={onClose}
    >
      <p>
        Requests with <code>{maskedKey(apiKey.prefix, apiKey.last4)}</code> will be refused at once, on every
        gateway. This cannot be undone.
      </p>
    </ConfirmAction>
  );
}

/** The secret of a new or rolled key, once; a test key can be handed to the docs' try-it for this tab. */
function ShownOnce({
  title,
  secret,
  environment,
  note,
  onClose,
}: {
  title: string;
  secret: string;
  environment: App['environment'];
  note?: string | undefined;
  onClose(): void;
}) {
  const [handed, setHanded] = useState(false);
  const session = useSession();
  return (
    <SecretsDialog
      title={title}
      secrets={[{ label: 'API key', value: secret, testId: 'new-api-key' }]}
      onClose={onClose}
    >
      {note ? <p>{note}</p> : null}
      {environment === 'test' ? (
        <p className="muted">
          <Button
            tone="ghost"
            onClick={() => {
              // sessionStorage: this tab only, gone when it closes or on sign-out; bound to this member (the docs
              // use it only while the same member is signed in). Only test keys, which reach only test data.
              sessionStorage.setItem(
                TRY_IT_KEY,
                JSON.stringify({ key: secret, memberId: session.member.id }),
              );
              setHanded(true);
            }}
          >
            {handed
              ? 'The API docs will use this key in this tab'
              : 'Use this key for “Try it” in the API docs'}
          </Button>
        </p>
      ) : null}
      <p className="muted small">Try it from a terminal:</p>
      <pre className="code">{`curl ${gatewayUrl()}/crm/v1/customers \\\n  -H "X-API-Key: $PORTICO_API_KEY"`}</pre>
    </SecretsDialog>
  );
}
