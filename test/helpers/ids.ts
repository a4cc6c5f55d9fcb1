import { lines } from './listStored';

/** The ids of `items`, in order. */
export const idsOf = (items: ReadonlyArray<{ readonly id: string }>): string[] => items.map((item) => item.id);

/** The ids of the JSON objects on the lines of `jsonl` (what `rxsc export` writes), in order. */
export const jsonlIds = (jsonl: string): string[] => lines(jsonl).map((line) => (JSON.parse(line) as { id: string }).id);

/** `count` ids `chatcmpl-<from>`, `chatcmpl-<from + 1>`, …: the ids of a scripted server's pages. */
export const numberedIds = (count: number, from = 0): string[] => Array.from({ length: count }, (_, i) => `chatcmpl-${from + i}`);
