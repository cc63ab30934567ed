// The partner's members: invite by email with a role, change roles, remove. Owners and admins manage the team;
// an admin cannot touch owners (portal/README.md, Roles).
import { useState } from 'react';
import { ConfirmAction, FormDialog, useAction } from '../components/action';
import { useToast } from '../components/toasts';
import {
  Badge,
  Button,
  Card,
  ErrorNotice,
  Loading,
  PageHeader,
  SelectField,
  TextField,
} from '../components/ui';
import { formatDateTime, relativeTime } from '../lib/format';
import { canAdminister, unwrap, useLoad, usePlatform, useSession, type Schemas } from '../lib/platform';

type Member = Schemas['Member'];
type Role = Schemas['Role'];

const ROLES: ReadonlyArray<{ value: Role; label: string }> = [
  { value: 'owner', label: 'Owner — everything' },
  { value: 'admin', label: 'Admin — everything but owners' },
  { value: 'developer', label: 'Developer — test apps and their keys' },
  { value: 'viewer', label: 'Viewer — read only' },
];

export function TeamPage() {
  const session = useSession();
  const { api } = usePlatform();
  const toast = useToast();
  const members = useLoad((a) => unwrap(a.listMembers({ params: { query: { limit: 100 } } })), []);
  const [inviting, setInviting] = useState(false);
  const [removing, setRemoving] = useState<Member>();
  const [error, setError] = useState<Error>();
  const admin = canAdminister(session);
  const isOwner = session.member.role === 'owner';
  const roleOptions = ROLES.filter((r) => isOwner || r.value !== 'owner');

  const changeRole = async (member: Member, role: Role) => {
    setError(undefined);
    try {
      await unwrap(api.updateMember({ params: { path: { memberId: member.id } }, body: { role } }));
      toast(`${member.email} is now ${role}`);
    } catch (e) {
      setError(e as Error);
    }
    members.reload();
  };

  return (
    <>
      <PageHeader
        title="Team"
        subtitle="Everyone who can sign in to this partner account."
        actions={
          admin ? (
            <Button tone="primary" onClick={() => setInviting(true)}>
              Invite member
            </Button>
          ) : null
        }
      />
      <ErrorNotice error={members.error ?? error} />
      {members.loading && !members.data ? <Loading /> : null}
      {members.data ? (
        <Card>
          <table className="table" aria-label="Members">
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.data.data.map((m) => {
                const self = m.id === session.member.id;
                const manageable = admin && !self && (isOwner || m.role !== 'owner');
                return (
                  <tr key={m.id}>
                    <td>
                      <span className="strong">{m.name ?? m.email}</span>
                      {self ? <span className="muted"> (you)</span> : null}
                      <div className="muted small">{m.email}</div>
                    </td>
                    <td>
                      {manageable ? (
                        <select
                          className="input input-inline"
                          aria-label={`Role of ${m.email}`}
                          value={m.role}
                          onChange={(e) => changeRole(m, e.target.value as Role)}
                        >
                          {roleOptions.map((r) => (
                            <option key={r.value} value={r.value}>
                              {r.value}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <Badge value={m.role} />
                      )}
                    </td>
                    <td>
                      <Badge value={m.status} />
                      {m.status === 'invited' && m.invitationExpiresAt ? (
                        <div className="muted small">link expires {relativeTime(m.invitationExpiresAt)}</div>
                      ) : null}
                    </td>
                    <td title={formatDateTime(m.lastLoginAt)}>
                      {m.lastLoginAt ? relativeTime(m.lastLoginAt) : 'never'}
                    </td>
                    <td className="row-actions">
                      {manageable ? (
                        <Button tone="danger" onClick={() => setRemoving(m)} aria-label={`Remove ${m.email}`}>
                          Remove
                        </Button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Card>
      ) : null}
      {inviting ? (
        <InviteDialog
          roles={roleOptions}
          onClose={() => {
            setInviting(false);
            members.reload();
          }}
        />
      ) : null}
      {removing ? (
        <RemoveDialog
          member={removing}
          onClose={() => {
            setRemoving(undefined);
            members.reload();
          }}
        />
      ) : null}
    </>
  );
}

function InviteDialog({ roles, onClose }: { roles: typeof ROLES; onClose(): void }) {
  const { api } = usePlatform();
  const toast = useToast();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('developer');
  const invite = useAction(async () => {
    await unwrap(api.inviteMember({ body: { email, role } }));
    toast(`Invitation sent to ${email}`);
    onClose();
  });
  return (
    <FormDialog title="Invite a member" submitLabel="Send invitation" action={invite} onClose={onClose}>
      <TextField
        label="Email"
        type="email"
        required
        autoFocus
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <SelectField
        label="Role"
        options={roles}
        value={role}
        onChange={(e) => setRole(e.target.value as Role)}
      />
      <p className="muted small">The invitation link works once and expires after a few days.</p>
    </FormDialog>
  );
}

function RemoveDialog({ member, onClose }: { member: Member; onClose(): void }) {
  const { api } = usePlatform();
  return (
    <ConfirmAction
      title={`Remove ${member.email}?`}
      confirmLabel="Remove member"
      done={`${member.email} removed`}
      run={() => unwrap(api.removeMember({ params: { path: { memberId: member.id } } }))}
      onClose={onClose}
    >
      <p>Their sessions and personal access tokens stop working at once. The apps they created stay.</p>
    </ConfirmAction>
  );
}
