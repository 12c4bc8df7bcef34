/** jest globalTeardown (integration project): stops what global-setup.ts started. */
import { takeStackHandle } from './stack';

export default async function globalTeardown(): Promise<void> {
  await takeStackHandle()?.stop();
}
