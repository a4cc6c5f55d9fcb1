import * as t from 'io-ts';
import { openEnum } from '../internal/codecs/openEnum';

/**
 * The processing tier that served the request, or `null`.
 *
 * Open: any string decodes, so a tier added after this release does not fail a page.
 *
 * @see ServiceTier (components.schemas.ServiceTier in stored-completions.yaml)
 */
export const ServiceTier = t.union(
  [openEnum(['auto', 'default', 'flex', 'scale', 'priority', 'fast'], 'ServiceTier'), t.null],
  'ServiceTier',
);
/** What {@link ServiceTier} decodes to. */
export type ServiceTier = t.TypeOf<typeof ServiceTier>;
