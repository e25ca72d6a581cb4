/** Why a body could not be read as a feed. */
export type FeedParseErrorCode = 'empty' | 'not-a-feed' | 'html-page' | 'invalid-xml' | 'invalid-json' | 'unsafe-xml' | 'unsupported';

/**
 * The one error `parseFeed` throws. The message is meant for feed health as shown to a user ("the server
 * sent an HTML page, not a feed"), so it names the problem and, for XML, the line.
 */
export class FeedParseError extends Error {
  override readonly name = 'FeedParseError';

  constructor(
    readonly code: FeedParseErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
