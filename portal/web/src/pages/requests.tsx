// The request log: the partner's recent calls through the gateway, newest first, searchable by request id (the
// X-Request-Id every answer carries, also in every problem document), status, operation and app.
import { useState, type FormEvent } from 'react';
import {
  Badge,
  Button,
  Card,
  EmptyState,
  ErrorNotice,
  Loading,
  PageHeader,
  SelectField,
  TextField,
} from '../components/ui';
import { formatDateTime, formatMs } from '../lib/format';
import { unwrap, useLoad, usePlatform, type Schemas } from '../lib/platform';
import { Link } from '../lib/router';

type RequestLogEntry = Schemas['RequestLogEntry'];

interface Search {
  requestId: string;
  status: string;
  operationId: string;
  appId: string;
}

const EMPTY: Search = { requestId: '', status: '', operationId: '', appId: '' };

export function RequestsPage() {
  const { api } = usePlatform();
  const apps = useLoad((a) => unwrap(a.listApps({ params: { query: { limit: 100 } } })), []);
  const [draft, setDraft] = useState<Search>(EMPTY);
  const [search, setSearch] = useState<Search>(EMPTY);
  const [more, setMore] = useState<{ entries: RequestLogEntry[]; cursor: string | null }>({
    entries: [],
    cursor: null,
  });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<Error>();

  const query = (cursor?: string) => ({
    limit: 50,
    ...(search.requestId.trim() ? { requestId: search.requestId.trim() } : {}),
    ...statusFilter(search.status.trim()),
    ...(search.operationId.trim() ? { operationId: search.operationId.trim() } : {}),
    ...(search.appId ? { appId: search.appId } : {}),
    ...(cursor ? { cursor } : {}),
  });
  const page = useLoad(
    async (a) => {
      const answer = await unwrap(a.listRequests({ params: { query: query() } }));
      setMore({ entries: [], cursor: answer.nextCursor });
      return answer;
    },
    [search],
  );

  const loadMore = async () => {
    if (!more.cursor) return;
    setLoadingMore(true);
    try {
      const answer = (await unwrap(
        api.GET('/requests' as never, { params: { query: query(more.cursor) } } as never),
      )) as {
        data: RequestLogEntry[];
        nextCursor: string | null;
      };
      setMore((m) => ({ entries: [...m.entries, ...answer.data], cursor: answer.nextCursor }));
    } catch (e) {
      setMoreError(e as Error);
    } finally {
      setLoadingMore(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSearch(draft);
  };
  const appNames = new Map((apps.data?.data ?? []).map((a) => [a.id, a.name]));
  const entries = [...(page.data?.data ?? []), ...more.entries];

  return (
    <>
      <PageHeader
        title="Request log"
        subtitle="Calls of the last 7 days. Every answer carries its request id in X-Request-Id — paste one to find it."
      />
      <Card>
        <form className="toolbar" onSubmit={submit} role="search" aria-label="Search the request log">
          <TextField
            label="Request id"
            placeholder="req_…"
            value={draft.requestId}
            onChange={(e) => setDraft((d) => ({ ...d, requestId: e.target.value }))}
          />
          <TextField
            label="Status"
            pattern="[1-5]([0-9]{2}|xx)"
            title="A status such as 429, or a class such as 5xx"
            placeholder="429 or 5xx"
            value={draft.status}
            onChange={(e) => setDraft((d) => ({ ...d, status: e.target.value }))}
          />
          <TextField
            label="Operation"
            placeholder="listCustomers"
            value={draft.operationId}
            onChange={(e) => setDraft((d) => ({ ...d, operationId: e.target.value }))}
          />
          <SelectField
            label="App"
            value={draft.appId}
            onChange={(e) => setDraft((d) => ({ ...d, appId: e.target.value }))}
            options={[
              { value: '', label: 'All apps' },
              ...[...appNames].map(([value, label]) => ({ value, label })),
            ]}
          />
          <div className="toolbar-actions">
            <Button type="submit" tone="primary">
              Search
            </Button>
            <Button
              onClick={() => {
                setDraft(EMPTY);
                setSearch(EMPTY);
              }}
            >
              Clear
            </Button>
          </div>
        </form>
        <ErrorNotice error={page.error ?? moreError} />
        {page.loading && !page.data ? <Loading /> : null}
        {page.data && entries.length === 0 ? (
          <EmptyState title="No requests match">
            <p>Calls appear here a second or two after the gateway answers them.</p>
          </EmptyState>
        ) : null}
        {entries.length > 0 ? (
          <table className="table" aria-label="Requests">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Status</th>
                <th scope="col">Request</th>
                <th scope="col">Operation</th>
                <th scope="col">App</th>
                <th scope="col" className="num">
                  Latency
                </th>
                <th scope="col">Request id</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} data-request-id={e.id}>
                  <td className="nowrap">{formatDateTime(e.finishedAt)}</td>
                  <td>
                    <Badge value={e.status < 400 ? 'active' : 'revoked'} label={String(e.status)} />
                  </td>
                  <td className="mono small">
                    {e.method} {e.path}
                  </td>
                  <td>
                    <code>{e.operationId}</code>
                  </td>
                  <td>
                    <Link to={`/apps/${e.appId}`}>{appNames.get(e.appId) ?? e.appId}</Link>
                    {e.credentialId ? <div className="muted small mono">{e.credentialId}</div> : null}
                  </td>
                  <td className="num">{formatMs(e.latencyMs)}</td>
                  <td className="mono small">{e.id}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {more.cursor ? (
          <p className="center">
            <Button onClick={loadMore} busy={loadingMore}>
              Load older requests
            </Button>
          </p>
        ) : null}
      </Card>
    </>
  );
}

/** `429` filters one status, `4xx` a class. */
function statusFilter(value: string): { status?: number; statusClass?: Schemas['StatusClass'] } {
  if (/^[1-5]xx$/.test(value)) return { statusClass: value as Schemas['StatusClass'] };
  if (/^[1-5][0-9]{2}$/.test(value)) return { status: Number(value) };
  return {};
}
