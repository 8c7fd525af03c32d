import { Box, Text } from '@mantine/core';
import { plural } from '../../components/format.ts';
import { countSms, smsLimits } from './sms-segments.ts';

/** Above this many parts an SMS costs too much and arrives split; the server warns approvers at the same point. */
export const SMS_SEGMENT_LIMIT = 3;

/** The text a template always sends: its Liquid outputs and tags removed (their braces never reach a phone). */
export function fixedText(template: string): string {
  return template.replace(/\{\{[\s\S]*?\}\}/g, '').replace(/\{%[\s\S]*?%\}/g, '');
}

/**
 * The live cost of an SMS text, all in spans so it can be an input's description (read with the input, not
 * announced on every keystroke). For a template it counts the fixed text: personal values (a name, the link,
 * the code) come on top, so it is a floor, and the preview shows the rendered count.
 */
export function SmsCounter({ text, isTemplate = true }: { text: string; isTemplate?: boolean }) {
  const count = countSms(isTemplate ? fixedText(text) : text);
  const limit = smsLimits[count.encoding];
  const isOver = count.segments > SMS_SEGMENT_LIMIT;
  const perPart = count.segments > 1 ? limit.part : limit.single;
  return (
    <Box component="span" display="flex" style={{ flexDirection: 'column', gap: 2 }} data-sms-counter="">
      <Text span size="xs" c={isOver ? 'red' : 'dimmed'} fw={isOver ? 700 : 500}>
        {plural(count.segments, 'segment', 'segments')} · {count.encoding} ·{' '}
        {plural(count.characters, 'character', 'characters')} · {count.remaining} left in this segment (
        {perPart} per segment{count.segments > 1 ? ' when split' : ''})
        {isTemplate ? ' · fixed text only, personal values add to it' : ''}
      </Text>
      {count.encoding === 'UCS-2' && count.nonGsm.length > 0 ? (
        <Text span size="xs" c="orange.9">
          UCS-2 because of {count.nonGsm.map((c) => `“${c}”`).join(' ')}: replace{' '}
          {count.nonGsm.length === 1 ? 'it' : 'them'} to fit {smsLimits['GSM-7'].single} characters in one
          message instead of {smsLimits['UCS-2'].single}.
        </Text>
      ) : null}
      {isOver ? (
        <Text span size="xs" c="red" fw={500}>
          Over {SMS_SEGMENT_LIMIT} segments: shorten it, or expect a higher cost and messages arriving split.
        </Text>
      ) : null}
    </Box>
  );
}
