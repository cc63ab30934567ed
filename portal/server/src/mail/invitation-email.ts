// The invitation email: who invited whom to which partner, with a link carrying the single-use token. The token
// travels in the URL fragment, which browsers never send to a server, so it stays out of access logs and Referer.
import type { MailMessage } from './mailer';

export interface InvitationEmail {
  to: string;
  partnerName: string;
  inviterEmail: string;
  role: string;
  token: string;
  expiresAt: string;
  publicUrl: string;
}

export function invitationEmail(invitation: InvitationEmail): MailMessage {
  const link = `${invitation.publicUrl.replace(/\/$/, '')}/invitations/accept#token=${invitation.token}`;
  return {
    to: invitation.to,
    subject: `You are invited to ${invitation.partnerName} on Portico`,
    text: [
      `${invitation.inviterEmail} invites you to join ${invitation.partnerName} as ${invitation.role}.`,
      '',
      `Accept the invitation (valid until ${invitation.expiresAt}):`,
      link,
      '',
      'If you do not expect this invitation, ignore this email: nothing happens unless the link is used.',
    ].join('\n'),
  };
}

/** The token of an invitation email (tests and tools read it back). */
export function invitationTokenIn(message: MailMessage): string | undefined {
  return /#token=(pti_[0-9A-Za-z]+)/.exec(message.text)?.[1];
}
