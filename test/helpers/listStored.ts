/** What the bulk command tests read of a stored completion. */
export interface Listed {
  readonly id: string;
  readonly created: number;
  readonly metadata: Record<string, string> | null;
}

/**
 * Every stored completion of an emulator, in ascending order, fetched with
 * plain HTTP: what a command left, seen without the CLI or the library.
 *
 * @param url The emulator's base URL.
 * @returns The completions.
 */
export async function listStored(url: string): Promise<Listed[]> {
  const items: Listed[] = [];
  let after: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ limit: '100', ...(after === undefined ? {} : { after }) });
    const page = (await (await fetch(`${url}/chat/completions?${query}`)).json()) as { data: Listed[]; has_more: boolean; last_id: string };
    items.push(...page.data);
    if (!page.has_more) return items;
    after = page.last_id;
  }
}

/**
 * The lines of a command's output, without the empty string after the last `\n`.
 *
 * @param text The output.
 * @returns Its lines.
 */
export const lines = (text: string): string[] => text.split('\n').slice(0, -1);
