import { Button, Divider, Group, Paper, Select, Text } from '@mantine/core';
import { useState } from 'react';
import type { Obligation } from '../../api/types.ts';
import { reportUrl } from './obligation-queries.ts';

/** The regulator-ready report: the whole analysis, or one regime's part for its regulator. */
export function ReportExport({ incidentId, obligations }: { incidentId: string; obligations: Obligation[] }) {
  const regimes = [...new Map(obligations.map((o) => [o.regime, o.regimeName])).entries()]
    .map(([value, label]) => ({ value, label }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const [regime, setRegime] = useState<string | null>(null);
  const regimeName = regimes.find((r) => r.value === regime)?.label;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="report-export-title">
      <Group justify="space-between" align="flex-end" gap="md">
        <div style={{ flex: '1 1 16rem' }}>
          <Text fw={600} id="report-export-title">
            Regulator-ready report
          </Text>
          <Text size="xs" c="dimmed">
            Obligations, deadlines with their basis, decisions and the regimes that do not apply, as computed
            now.
          </Text>
        </div>
        <Group gap="sm" align="flex-end">
          <Button component="a" href={reportUrl(incidentId, 'pdf')} download variant="default" size="xs">
            Full report (PDF)
          </Button>
          <Button component="a" href={reportUrl(incidentId, 'json')} download variant="default" size="xs">
            Full report (JSON)
          </Button>
          {regimes.length > 0 ? (
            <>
              <Divider orientation="vertical" />
              <Select
                label="One regime"
                placeholder="Choose a regime"
                data={regimes}
                value={regime}
                onChange={setRegime}
                searchable
                size="xs"
                w={220}
              />
              <Button
                component="a"
                href={regime ? reportUrl(incidentId, 'pdf', regime) : undefined}
                download
                variant="default"
                size="xs"
                disabled={!regime}
                aria-disabled={!regime}
                aria-label={
                  regimeName ? `${regimeName} report (PDF)` : 'Regime report (PDF): choose a regime first'
                }
              >
                PDF
              </Button>
              <Button
                component="a"
                href={regime ? reportUrl(incidentId, 'json', regime) : undefined}
                download
                variant="default"
                size="xs"
                disabled={!regime}
                aria-disabled={!regime}
                aria-label={
                  regimeName ? `${regimeName} report (JSON)` : 'Regime report (JSON): choose a regime first'
                }
              >
                JSON
              </Button>
            </>
          ) : null}
        </Group>
      </Group>
    </Paper>
  );
}
