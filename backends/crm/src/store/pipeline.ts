// The sales pipeline as data: the order of the stages and which moves are allowed. Stages move only forward
// (skipping is fine) or to lost; won and lost are final.
export type OpportunityStage =
  'qualification' | 'needs_analysis' | 'proposal' | 'negotiation' | 'won' | 'lost';

export const FIRST_STAGE: OpportunityStage = 'qualification';

const ORDER: readonly OpportunityStage[] = [
  'qualification',
  'needs_analysis',
  'proposal',
  'negotiation',
  'won',
];

export function isClosedStage(stage: OpportunityStage): boolean {
  return stage === 'won' || stage === 'lost';
}

export function canMoveStage(from: OpportunityStage, to: OpportunityStage): boolean {
  if (isClosedStage(from)) return false;
  if (to === 'lost') return true;
  return ORDER.indexOf(to) > ORDER.indexOf(from);
}
