import type * as t from 'io-ts';
import { tagOf } from './tagOf';

/** Values in messages are cut to this many characters, so a failed page never dumps a whole object. */
const MAX_VALUE_CHARS = 40;

/** Codecs whose own failure means "this is not an object" (their field failures have deeper paths). */
const OBJECT_TAGS: ReadonlySet<string> = new Set([
  'InterfaceType',
  'PartialType',
  'StrictType',
  'ExactType',
  'DictionaryType',
  'IntersectionType',
  'UnknownRecordType',
  'AnyDictionaryType',
  'ObjectType',
  'StructType',
]);

/** Codecs whose own failure means "this is not an array". */
const ARRAY_TAGS: ReadonlySet<string> = new Set(['ArrayType', 'ReadonlyArrayType', 'UnknownArrayType', 'AnyArrayType']);

/** Codecs that accept any string, so their own failure means "this is not a string" (the codecs' `openEnum`). */
const STRING_TAGS: ReadonlySet<string> = new Set(['OpenEnumType']);

/** Codecs that add a context entry per member ("0", "1", …) which is not a step in the data. */
const MEMBER_TAGS: ReadonlySet<string> = new Set(['UnionType', 'IntersectionType']);

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Turns io-ts decode errors into one human-readable line per failure, each
 * starting with the path from the decoded root in JavaScript notation:
 * `data[3].id: expected string, got undefined`.
 *
 * - Array indices render as `[3]`, identifier keys as `.key`, other keys as
 *   `["odd key"]`; a failure of the root itself is `(root): …`.
 * - The entries io-ts adds for union and intersection members never show in paths.
 * - A union whose members all fail yields one line: the union's path and name
 *   (`tool_calls[0]: expected ChatCompletionMessageToolCall, got {…}`). When
 *   exactly one member got past its own type check (an object where
 *   `Foo | null` was expected, say), that member's errors are reported instead,
 *   as they say what is wrong inside it.
 * - Values are shown as JSON cut to 40 characters, never in full.
 * - Identical lines are reported once, in order of first appearance.
 *
 * It is pure: it does not look at anything but its argument.
 *
 * ## Example
 * ```ts
 * import { isLeft } from 'fp-ts/Either';
 * const result = ChatCompletionList.decode({ data: [{ id: 1 }], has_more: false });
 * if (isLeft(result)) formatValidationErrors(result.left);
 * // ['data[0].id: expected string, got 1', 'data[0].choices: expected array, got undefined', …]
 * ```
 *
 * @param errors The `left` of a failed `decode`.
 * @returns The lines, without duplicates.
 * @see https://github.com/gcanti/io-ts/blob/master/index.md#error-reporters
 */
export function formatValidationErrors(errors: t.Errors): string[] {
  return [...new Set(describe(errors, new Set()))];
}

interface UnionFailure {
  readonly union: t.ContextEntry;
  readonly at: number;
  readonly errors: t.ValidationError[];
}

function describe(errors: readonly t.ValidationError[], resolved: ReadonlySet<t.ContextEntry>): string[] {
  // A union tries each member on the same context, so all its members' errors share the
  // union's entry object: grouping by that object gathers one union's failure.
  const slots: Array<string | UnionFailure> = [];
  const unions = new Map<t.ContextEntry, UnionFailure>();
  for (const error of errors) {
    const at = firstUnionIndex(error.context, resolved);
    const union = at === undefined ? undefined : error.context[at];
    if (at === undefined || union === undefined) {
      slots.push(leafLine(error));
      continue;
    }
    const failure = unions.get(union);
    if (failure === undefined) {
      const created = { union, at, errors: [error] };
      unions.set(union, created);
      slots.push(created);
    } else {
      failure.errors.push(error);
    }
  }
  return slots.flatMap((slot) => (typeof slot === 'string' ? [slot] : describeUnion(slot, resolved)));
}

function describeUnion({ union, at, errors }: UnionFailure, resolved: ReadonlySet<t.ContextEntry>): string[] {
  const byMember = new Map<string, t.ValidationError[]>();
  for (const error of errors) {
    const member = error.context[at + 1]?.key ?? '';
    const memberErrors = byMember.get(member);
    if (memberErrors === undefined) byMember.set(member, [error]);
    else memberErrors.push(error);
  }
  // A member "got in" when each of its errors lies below the member itself: the value had
  // the member's basic shape (an object, an array) and failed on a field or an item.
  const gotIn = [...byMember.values()].filter((memberErrors) =>
    memberErrors.every((error) => error.context.length > at + 2),
  );
  const [only] = gotIn;
  if (gotIn.length === 1 && only !== undefined) return describe(only, new Set([...resolved, union]));
  const context = errors[0]?.context ?? [];
  const value = context[at + 1]?.actual;
  return [`${renderPath(context.slice(0, at + 1))}: expected ${union.type.name}, got ${brief(value)}`];
}

function firstUnionIndex(context: t.Context, resolved: ReadonlySet<t.ContextEntry>): number | undefined {
  // The last entry is the codec that failed; only a union above it has member entries below.
  for (let i = 0; i < context.length - 1; i++) {
    const entry = context[i];
    if (entry !== undefined && tagOf(entry.type) === 'UnionType' && !resolved.has(entry)) return i;
  }
  return undefined;
}

function leafLine(error: t.ValidationError): string {
  const path = renderPath(error.context);
  if (error.message !== undefined) return `${path}: ${error.message}`;
  const expected = error.context[error.context.length - 1]?.type;
  return `${path}: expected ${expected === undefined ? 'a value' : describeType(expected)}, got ${brief(error.value)}`;
}

function describeType(type: t.Decoder<unknown, unknown>): string {
  const tag = tagOf(type);
  if (OBJECT_TAGS.has(tag)) return 'object';
  if (ARRAY_TAGS.has(tag)) return 'array';
  if (STRING_TAGS.has(tag)) return 'string';
  return type.name;
}

function renderPath(context: t.Context): string {
  let path = '';
  context.forEach((entry, i) => {
    const parent = context[i - 1];
    if (parent === undefined || MEMBER_TAGS.has(tagOf(parent.type))) return;
    if (Array.isArray(parent.actual) || ARRAY_TAGS.has(tagOf(parent.type))) path += `[${entry.key}]`;
    else if (!IDENTIFIER.test(entry.key)) path += `[${JSON.stringify(entry.key)}]`;
    else path += path === '' ? entry.key : `.${entry.key}`;
  });
  return path === '' ? '(root)' : path;
}

/** JSON of `value`, cut to {@link MAX_VALUE_CHARS}; built piece by piece, so a huge value costs no more than a small one. */
function brief(value: unknown): string {
  if (value === undefined) return 'undefined';
  let text = '';
  for (const chunk of jsonChunks(value)) {
    text += chunk;
    if (text.length > MAX_VALUE_CHARS) return `${text.slice(0, MAX_VALUE_CHARS - 1)}…`;
  }
  return text;
}

function* jsonChunks(value: unknown): Generator<string> {
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ',';
      yield* jsonChunks(value[i] === undefined ? null : value[i]);
    }
    yield ']';
  } else if (typeof value === 'object' && value !== null) {
    yield '{';
    let first = true;
    for (const [key, field] of Object.entries(value)) {
      if (field === undefined || typeof field === 'function' || typeof field === 'symbol') continue;
      yield `${first ? '' : ','}${JSON.stringify(key)}:`;
      first = false;
      yield* jsonChunks(field);
    }
    yield '}';
  } else {
    yield scalar(value);
  }
}

function scalar(value: unknown): string {
  switch (typeof value) {
    case 'string':
      // Cut before quoting: enough to overflow the limit, never a megabyte of escaping.
      return JSON.stringify(value.length > MAX_VALUE_CHARS ? value.slice(0, MAX_VALUE_CHARS + 1) : value);
    case 'bigint':
      return `${value}n`;
    case 'function':
      return '[function]';
    default:
      return String(value);
  }
}
