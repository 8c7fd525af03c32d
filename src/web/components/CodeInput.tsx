import { TextInput, type TextInputProps } from '@mantine/core';

interface CodeInputProps extends Omit<TextInputProps, 'value' | 'onChange'> {
  value: string;
  onChange: (value: string) => void;
}

/** The six-digit code from an authenticator app. Keeps digits only, so pasted "123 456" works. */
export function CodeInput({ value, onChange, label = '6-digit code', ...rest }: CodeInputProps) {
  return (
    <TextInput
      label={label}
      description="From your authenticator app. It changes every 30 seconds."
      value={value}
      onChange={(event) => onChange(event.currentTarget.value.replace(/\D/g, '').slice(0, 6))}
      inputMode="numeric"
      autoComplete="one-time-code"
      placeholder="123456"
      required
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: '0.2em' } }}
      {...rest}
    />
  );
}

export const isSixDigits = (code: string) => /^\d{6}$/.test(code);
