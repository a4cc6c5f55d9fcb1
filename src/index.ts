// The public surface: every name here is a promise kept under semver. Everything else lives in
// `./internal` (see its README) and may change in any release. `etc/api-report.md` lists this
// surface with each export's signature; `npm run api-report` writes it, and a test compares.

// The client and its options
export { createClient } from './client/createClient';
export type { Client } from './client/createClient';
export type { ClientOptions } from './client/createClient';
export type { AzureClientOptions } from './client/AzureClientOptions';
export type { RetryOptions } from './client/RetryOptions';
export type { RetryEvent } from './client/RetryOptions';
export type { TimeoutOptions } from './client/TimeoutOptions';
export { RateLimitGate } from './client/RateLimitGate';
export type { RateLimitGateOptions } from './client/RateLimitGate';
export type { RequestOptions } from './client/RequestOptions';
export type { WalkOptions } from './client/RequestOptions';
export type { ListOptions } from './client/RequestOptions';
export type { ProcessOptions } from './client/RequestOptions';
export type { WatchOptions } from './client/WatchOptions';
export type { WatchCheckpoint } from './client/WatchOptions';
export { DEFAULTS } from './defaults';

// The resources
export type { ChatCompletions } from './resources/chat/completions/completions';
export type { ChatCompletionUpdateParams } from './resources/chat/completions/completions';
export type { Messages } from './resources/chat/completions/messages';
export type { MessageListParams } from './resources/chat/completions/messages';
export type { ListParams } from './resources/chat/completions/ListParams';
export { watchCheckpoint } from './resources/chat/completions/watchCheckpoint';

// Operators
export { retryBackoff } from './retry/retryBackoff';
export type { RetryBackoffConfig } from './retry/retryBackoff';
export { filterMetadata } from './filter/filterMetadata';
export type { MetadataCondition } from './filter/filterMetadata';
export type { MetadataQuery } from './filter/filterMetadata';
export { createdWithin } from './bulk/createdWithin';
export type { CreatedWindow } from './bulk/createdWithin';
export { withMessages } from './bulk/withMessages';
export type { CompletionWithMessages } from './bulk/withMessages';
export { deleteEach } from './bulk/deleteEach';
export { updateEach } from './bulk/updateEach';
export type { MetadataChange } from './bulk/updateEach';
export type { BulkOutcome } from './bulk/BulkOutcome';
export type { BulkOptions } from './bulk/BulkOptions';
export { writeParquet } from './parquet/writeParquet';
export type { WriteParquetOptions } from './parquet/writeParquet';
export type { ParquetWritten } from './parquet/ParquetWritten';

// The errors
export { StoredCompletionsError } from './errors';
export { APIError } from './errors';
export type { APIErrorDetails } from './errors';
export { BadRequestError } from './errors';
export { AuthenticationError } from './errors';
export { PermissionDeniedError } from './errors';
export { NotFoundError } from './errors';
export { RequestTimeoutError } from './errors';
export { ConflictError } from './errors';
export { UnprocessableEntityError } from './errors';
export { RateLimitError } from './errors';
export { InternalServerError } from './errors';
export { APIConnectionError } from './errors';
export { APITimeoutError } from './errors';
export { InvalidResponseError } from './errors';
export { DecodeError } from './errors';
export { CursorError } from './errors';
export { InvalidArgumentError } from './errors';
export { TokenProviderError } from './errors';
export { InconsistentServerError } from './errors';
export { AbortError } from './errors';
export { ResponseTooLargeError } from './errors';

// The codecs of the API's objects, each a value with the type of the same name; their parts as types
export { ChatCompletion } from './codecs/chatCompletion';
export { ChatCompletionList } from './codecs/chatCompletionList';
export { ChatCompletionMessage } from './codecs/chatCompletionMessageList';
export { ChatCompletionMessageList } from './codecs/chatCompletionMessageList';
export { ChatCompletionDeleted } from './codecs/chatCompletionDeleted';
export { decodeOrThrow } from './codecs/decodeOrThrow';
export { sourceText } from './client/sourceText';
export type { ChatCompletionChoice } from './codecs/chatCompletion';
export type { ChatCompletionResponseMessage } from './codecs/responseMessage';
export type { ChatCompletionMessageToolCall } from './codecs/toolCalls';
export type { CompletionUsage } from './codecs/completionUsage';
