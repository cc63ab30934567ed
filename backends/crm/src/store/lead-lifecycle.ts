// The lead lifecycle as data: which status may follow which. new → contacted → qualified, and any open status →
// disqualified; `converted` is reached only through the convert operation. disqualified and converted are final.
export type LeadStatus = 'new' | 'contacted' | 'qualified' | 'disqualified' | 'converted';
export type LeadSource = 'website' | 'referral' | 'event' | 'wechat' | 'import';

const NEXT: Readonly<Record<LeadStatus, readonly LeadStatus[]>> = {
  new: ['contacted', 'disqualified'],
  contacted: ['qualified', 'disqualified'],
  qualified: ['disqualified', 'converted'],
  disqualified: [],
  converted: [],
};

/** The statuses a lead may be in for a move to `to` to be allowed (used as the guard of a conditional UPDATE). */
export function leadStatusesBefore(to: LeadStatus): LeadStatus[] {
  return (Object.keys(NEXT) as LeadStatus[]).filter((from) => NEXT[from].includes(to));
}

export function canMoveLead(from: LeadStatus, to: LeadStatus): boolean {
  return NEXT[from].includes(to);
}
