import type { Campaign } from '../../api/types.ts';
import { BarChart } from '../../components/BarChart.tsx';
import { channelLabels } from './campaign-labels.ts';

const channelColors = { email: 'blue', sms: 'cyan', letter: 'grape' } as const;

/** People by the first channel of the chain that reaches them, and those none reaches. */
export function ReachCard({ campaign }: { campaign: Campaign }) {
  const { reach } = campaign;
  const bars = [
    ...campaign.channels.map((channel) => ({
      key: channel,
      label: `${channelLabels[channel]} first`,
      value: reach.byChannel[channel] ?? 0,
      color: channelColors[channel],
    })),
    { key: 'unreachable', label: 'Unreachable', value: reach.unreachable, color: 'red' },
  ];
  return (
    <BarChart
      title="Who the campaign reaches"
      description={`${reach.total.toLocaleString()} affected people, by the first channel that can reach each one. Unreachable people have no address for any channel of this campaign.`}
      bars={bars}
      labelHeader="First channel"
      valueHeader="People"
      total={reach.total}
    />
  );
}
