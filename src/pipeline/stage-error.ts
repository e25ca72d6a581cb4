/**
 * A failure no retry can mend (a working document that expired, a stage wired without what it needs): the
 * worker binding fails the job for good (BullMQ's UnrecoverableError) instead of retrying it.
 */
export class PermanentStageError extends Error {
  override readonly name = 'PermanentStageError';
}
