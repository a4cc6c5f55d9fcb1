/**
 * The JSON text of `value` with the keys of each object in the order `order`
 * gives (a shuffle, a reversal), and `space` between its tokens: the same
 * value as a server may write it, for the scanners that must read any of them.
 *
 * @param value A JSON value.
 * @param order Orders an object's keys.
 * @param space Whitespace put between tokens ('' for compact text).
 * @returns The text.
 */
export function serializeJson(value: unknown, order: (keys: string[]) => string[], space: string): string {
  if (Array.isArray(value)) return `[${space}${value.map((element) => serializeJson(element, order, space)).join(`,${space}`)}${space}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const members = order(Object.keys(record)).map((key) => `${JSON.stringify(key)}${space}:${space}${serializeJson(record[key], order, space)}`);
    return `{${space}${members.join(`,${space}`)}${space}}`;
  }
  return JSON.stringify(value);
}
