import { isApiError } from '../../api/client.ts';

/**
 * The server's message for one field of a refused request, by the path under the request body's root
 * (`locales.en.title`); with `isPrefix`, for any field under that path (to mark the tab that holds it).
 */
export type FieldErrorAt = (path: string, isPrefix?: boolean) => string | undefined;

export const noFieldErrors: FieldErrorAt = () => undefined;

/** Validation paths arrive whole (`body.content.locales.en.title`), so a field is matched by its ending. */
export function fieldErrorsOf(error: unknown): FieldErrorAt {
  if (!isApiError(error) || !error.fields?.length) return noFieldErrors;
  const fields = error.fields;
  return (path, isPrefix = false) =>
    fields.find(
      (f) => f.path === path || f.path.endsWith(`.${path}`) || (isPrefix && f.path.includes(`.${path}.`)),
    )?.message;
}
