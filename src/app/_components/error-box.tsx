/**
 * The server's message: it already says what was wrong and what to do. For input refused by the
 * API's schema, the field messages (e.g. the reason limit) instead of the raw list of issues.
 */
export function ErrorBox({ error }: { error: { message: string; data?: unknown } | null | undefined }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {errorText(error)}
    </p>
  );
}

interface Flattened {
  formErrors?: string[];
  fieldErrors?: Record<string, string[] | undefined>;
}

export function errorText(error: { message: string; data?: unknown }): string {
  const zod = (error.data as { zodError?: Flattened | null } | null | undefined)?.zodError;
  if (!zod) return error.message;
  const lines = [...(zod.formErrors ?? []), ...Object.entries(zod.fieldErrors ?? {}).flatMap(([field, msgs]) => (msgs ?? []).map((m) => `${field}: ${m}`))];
  return lines.length > 0 ? lines.join(" ") : error.message;
}
