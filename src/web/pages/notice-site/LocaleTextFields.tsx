import { Stack, Textarea, TextInput } from '@mantine/core';
import type { LocaleText } from '../../../shared/contracts/notice-site.ts';
import { FaqEditor } from './FaqEditor.tsx';
import type { FieldErrorAt } from './field-errors.ts';
import { textFields } from './site-labels.ts';

interface Props {
  language: string;
  text: LocaleText;
  onChange: (text: LocaleText) => void;
  isReadOnly: boolean;
  /** Errors by the path inside this language (`title`, `faq.0.question`). */
  errorAt: FieldErrorAt;
}

/** Every text of one language of the notice, then its questions and answers. */
export function LocaleTextFields({ language, text, onChange, isReadOnly, errorAt }: Props) {
  return (
    <Stack gap="sm">
      {textFields.map((field) =>
        field.rows === 1 ? (
          <TextInput
            key={field.key}
            label={field.label}
            description={field.description}
            value={text[field.key]}
            onChange={(e) => onChange({ ...text, [field.key]: e.currentTarget.value })}
            maxLength={field.max}
            readOnly={isReadOnly}
            error={errorAt(field.key)}
          />
        ) : (
          <Textarea
            key={field.key}
            label={field.label}
            description={field.description}
            value={text[field.key]}
            onChange={(e) => onChange({ ...text, [field.key]: e.currentTarget.value })}
            autosize
            minRows={field.rows}
            maxRows={16}
            maxLength={field.max}
            readOnly={isReadOnly}
            error={errorAt(field.key)}
          />
        ),
      )}
      <FaqEditor
        language={language}
        faq={text.faq}
        onChange={(faq) => onChange({ ...text, faq })}
        isReadOnly={isReadOnly}
        errorAt={(path) => errorAt(`faq.${path}`)}
      />
    </Stack>
  );
}
