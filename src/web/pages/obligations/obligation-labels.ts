import type {
  notApplicableReasons,
  obligationKinds,
  obligationStatuses,
} from '../../../shared/contracts/obligations.ts';
import type { Obligation, ObligationAlert } from '../../api/types.ts';

type Kind = (typeof obligationKinds)[number];
type Status = (typeof obligationStatuses)[number];
type Confidence = Obligation['confidence'];
type ReasonCode = (typeof notApplicableReasons)[number];

/** Words and colours for the obligations vocabulary. Typed by the contract: a new value cannot go unlabelled. */
export const kindLabels: Record<Kind, string> = {
  individuals: 'Notice to individuals',
  regulator: 'Notice to the regulator',
  credit_agencies: 'Notice to credit reporting agencies',
  media: 'Notice to the media',
};

export const obligationStatusLabels: Record<Status, string> = {
  open: 'Open',
  done: 'Done',
  not_required: 'Not required',
};
export const obligationStatusColors: Record<Status, string> = {
  open: 'blue',
  done: 'green',
  not_required: 'gray',
};

export const confidenceLabels: Record<Confidence, string> = {
  high: 'High confidence',
  medium: 'Medium confidence',
  low: 'Low confidence',
};
export const confidenceColors: Record<Confidence, string> = { high: 'teal', medium: 'yellow', low: 'red' };
export const confidenceHints: Record<Confidence, string> = {
  high: 'The rule follows the statute’s text closely.',
  medium: 'The rule simplifies the statute: check the details with counsel.',
  low: 'The rule is a rough reading: counsel must confirm it.',
};

export const reasonCodeLabels: Record<ReasonCode, string> = {
  no_residents: 'No affected residents',
  definition_not_met: 'What leaked is not “personal information” there',
  below_threshold: 'Below the law’s threshold',
  safe_harbor: 'Encryption safe harbour applies',
  entity_not_covered: 'The company is not a covered entity',
};

export const alertLevelLabels: Record<ObligationAlert['level'], string> = {
  '72h': 'Due within 72 hours',
  '24h': 'Due within 24 hours',
  overdue: 'Overdue',
};
export const alertLevelColors: Record<ObligationAlert['level'], string> = {
  '72h': 'yellow',
  '24h': 'orange',
  overdue: 'red',
};

export const noticeSourceLabels = {
  sent: 'the first individual notice sent',
  planned: 'the planned individual notice',
  none: 'no individual notice date yet (estimated from the policy target)',
} as const;

/** "California: Notice to the regulator". */
export function obligationTitle(o: Pick<Obligation, 'regimeName' | 'kind'>): string {
  return `${o.regimeName}: ${kindLabels[o.kind]}`;
}
