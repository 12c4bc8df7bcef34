import { MockActivityEnvironment } from '@temporalio/testing';

const quiet = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** An activity context for unit specs, without the SDK's warning for every failure the spec provokes on purpose. */
export function activityEnvironment(): MockActivityEnvironment {
  return new MockActivityEnvironment(undefined, { logger: quiet });
}
