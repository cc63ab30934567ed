// The partner's apps: each one a test or live integration with its own scopes, credentials and usage.
import { useState } from 'react';
import { FormDialog, useAction } from '../components/action';
import {
  Badge,
  Button,
  Card,
  Checkboxes,
  EmptyState,
  ErrorNotice,
  Loading,
  PageHeader,
  TextField,
} from '../components/ui';
import { formatDate } from '../lib/format';
import { canChange, unwrap, useLoad, usePlatform, useSession, type Schemas } from '../lib/platform';
import { Link, navigate } from '../lib/router';
import { ALL_SCOPES } from '../lib/scopes';

type App = Schemas['App'];

export function AppsPage() {
  const session = useSession();
  const apps = useLoad((api) => unwrap(api.listApps({ params: { query: { limit: 100 } } })), []);
  const [creating, setCreating] = useState(false);
  const mayCreate = canChange(session, 'test');
  return (
    <>
      <PageHeader
        title="Apps & keys"
        subtitle="An app is one integration: its environment, the scopes it may use, and its credentials."
        actions={
          mayCreate ? (
            <Button tone="primary" onClick={() => setCreating(true)}>
              New app
            </Button>
          ) : null
        }
      />
      <ErrorNotice error={apps.error} />
      {apps.loading && !apps.data ? <Loading /> : null}
      {apps.data ? (
        apps.data.data.length === 0 ? (
          <Card>
            <EmptyState title="No apps yet">
              <p>Create a test app to get an API key and make your first call in a minute.</p>
              {mayCreate ? (
                <Button tone="primary" onClick={() => setCreating(true)}>
                  Create a test app
                </Button>
              ) : null}
            </EmptyState>
          </Card>
        ) : (
          <Card>
            <AppTable apps={apps.data.data} />
          </Card>
        )
      ) : null}
      {creating ? <CreateAppDialog onClose={() => setCreating(false)} /> : null}
    </>
  );
}

function AppTable({ apps }: { apps: readonly App[] }) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Environment</th>
          <th scope="col">Status</th>
          <th scope="col">Scopes</th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {apps.map((app) => (
          <tr key={app.id}>
            <td>
              <Link to={`/apps/${app.id}`} className="strong">
                {app.name}
              </Link>
              <div className="muted small mono">{app.id}</div>
            </td>
            <td>
              <Badge value={app.environment} />
            </td>
            <td>
              <Badge
                value={app.status}
                label={app.status === 'pending_approval' ? 'awaiting approval' : undefined}
              />
            </td>
            <td className="scopes">
              {app.scopes.map((s) => (
                <code key={s}>{s}</code>
              ))}
            </td>
            <td className="nowrap">{formatDate(app.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CreateAppDialog({ onClose }: { onClose(): void }) {
  const { api } = usePlatform();
  const session = useSession();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [environment, setEnvironment] = useState<'test' | 'live'>('test');
  const [scopes, setScopes] = useState<string[]>(['crm:read', 'orders:read', 'entitlements:read']);
  const mayLive = canChange(session, 'live');
  const create = useAction(async () => {
    const app = await unwrap(
      api.createApp({
        body: {
          name,
          environment,
          scopes: scopes as App['scopes'],
          ...(description ? { description } : {}),
        },
      }),
    );
    navigate(`/apps/${app.id}`);
  });

  return (
    <FormDialog
      title="New app"
      submitLabel="Create app"
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
      <TextField
        label="Description"
        hint="Optional: what the integration does, for your team."
        value={description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <fieldset className="field">
        <legend>Environment</legend>
        <div className="segmented">
          <label>
            <input
              type="radio"
              name="environment"
              checked={environment === 'test'}
              onChange={() => setEnvironment('test')}
            />
            Test <span className="muted">— test data, ready at once</span>
          </label>
          <label>
            <input
              type="radio"
              name="environment"
              disabled={!mayLive}
              checked={environment === 'live'}
              onChange={() => setEnvironment('live')}
            />
            Live <span className="muted">— real data, after the operator approves it</span>
          </label>
        </div>
      </fieldset>
      <Checkboxes legend="Scopes" options={ALL_SCOPES} value={scopes} onChange={setScopes} />
    </FormDialog>
  );
}
