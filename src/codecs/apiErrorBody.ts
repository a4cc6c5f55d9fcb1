import * as t from 'io-ts';
import { struct } from '../internal/codecs/struct';

/**
 * The `error` object of an error response: `{ message, type, param, code }`.
 *
 * `param` and `code` may be null or absent: proxies and older endpoints leave
 * them out, and the message is what matters.
 *
 * @see Error (components.schemas.Error in stored-completions.yaml)
 */
export const APIErrorDetail = struct(
  { message: t.string, type: t.string },
  { param: t.union([t.string, t.null]), code: t.union([t.string, t.null]) },
  'APIErrorDetail',
);
/** What {@link APIErrorDetail} decodes to. */
export interface APIErrorDetail extends t.TypeOf<typeof APIErrorDetail> {}

/**
 * The body of an error response: `{ "error": { message, type, param, code } }`.
 *
 * @see ErrorResponse (components.schemas.ErrorResponse in stored-completions.yaml)
 */
export const APIErrorBody = t.type({ error: APIErrorDetail }, 'APIErrorBody');
/** What {@link APIErrorBody} decodes to. */
export interface APIErrorBody extends t.TypeOf<typeof APIErrorBody> {}
